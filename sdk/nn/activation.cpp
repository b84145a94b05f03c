#include "nn/activation.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void activation_s8_params(Activation activation, float input_scale, int32_t input_zp, float output_scale,
                          int32_t output_zp, ActivationParams* p) {
  int shift = 0;
  quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale), &p->multiplier,
                      &shift);
  p->shift = shift;
  p->input_zero_point = input_zp;
  p->output_zero_point = output_zp;
  quantized_activation_range(activation, output_scale, output_zp, -128, 127, &p->act_min, &p->act_max);
}

void activation_s8(const ActivationParams& p, int32_t count, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t v = multiply_by_quantized_multiplier(input[i] - p.input_zero_point, p.multiplier, p.shift);
    output[i] = static_cast<int8_t>(add_clamped(v, p.output_zero_point, p.act_min, p.act_max));
  }
}

void activation_f32(Activation activation, int32_t count, const float* input, float* output) {
  float lo, hi;
  float_activation_range(activation, &lo, &hi);
  for (int32_t i = 0; i < count; ++i) output[i] = clamp_f32(input[i], lo, hi);
}

void eval_activation_s8(const void* call, const void* const* in, void* const* out) {
  const ActivationS8Call& c = *static_cast<const ActivationS8Call*>(call);
  activation_s8(c.params, c.count, static_cast<const int8_t*>(in[0]), static_cast<int8_t*>(out[0]));
}

void eval_activation_f32(const void* call, const void* const* in, void* const* out) {
  const ActivationF32Call& c = *static_cast<const ActivationF32Call*>(call);
  activation_f32(static_cast<Activation>(c.activation), c.count, static_cast<const float*>(in[0]),
                 static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
