#include "nn/leaky_relu.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void leaky_relu_s8_params(float input_scale, int32_t input_zero_point, float output_scale,
                          int32_t output_zero_point, float alpha, int32_t count, LeakyReluS8Call* call) {
  call->input_zero_point = input_zero_point;
  call->output_zero_point = output_zero_point;
  int shift = 0;
  // TFLite computes both real multipliers in float, then widens.
  quantize_multiplier(static_cast<double>(input_scale / output_scale), &call->identity_multiplier, &shift);
  call->identity_shift = shift;
  quantize_multiplier(static_cast<double>(input_scale * alpha / output_scale), &call->alpha_multiplier,
                      &shift);
  call->alpha_shift = shift;
  call->count = count;
}

void leaky_relu_s8(const LeakyReluS8Call& c, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < c.count; ++i) {
    const int32_t x = input[i] - c.input_zero_point;
    const int32_t y = x >= 0 ? multiply_by_quantized_multiplier(x, c.identity_multiplier, c.identity_shift)
                             : multiply_by_quantized_multiplier(x, c.alpha_multiplier, c.alpha_shift);
    output[i] = static_cast<int8_t>(add_clamped(y, c.output_zero_point, -128, 127));
  }
}

void leaky_relu_f32(const LeakyReluF32Call& c, const float* input, float* output) {
  for (int32_t i = 0; i < c.count; ++i) {
    const float x = input[i];
    output[i] = x > 0.0f ? x : x * c.alpha;
  }
}

void eval_leaky_relu_s8(const void* call, const void* const* in, void* const* out) {
  leaky_relu_s8(*static_cast<const LeakyReluS8Call*>(call), static_cast<const int8_t*>(in[0]),
                static_cast<int8_t*>(out[0]));
}

void eval_leaky_relu_f32(const void* call, const void* const* in, void* const* out) {
  leaky_relu_f32(*static_cast<const LeakyReluF32Call*>(call), static_cast<const float*>(in[0]),
                 static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
