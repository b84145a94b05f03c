#include "nn/quantize.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void quantize_f32_s8(float scale, int32_t zero_point, int32_t count, const float* input, int8_t* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = quantize_s8(input[i], scale, zero_point);
}

void requantize_params(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                       RequantizeParams* p) {
  const double effective = static_cast<double>(input_scale) / static_cast<double>(output_scale);
  int shift = 0;
  quantize_multiplier(effective, &p->multiplier, &shift);
  p->shift = shift;
  p->input_zero_point = input_zp;
  p->output_zero_point = output_zp;
}

void requantize_s8_s8(const RequantizeParams& p, int32_t count, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t v = multiply_by_quantized_multiplier(input[i] - p.input_zero_point, p.multiplier, p.shift);
    output[i] = static_cast<int8_t>(add_clamped(v, p.output_zero_point, -128, 127));
  }
}

void requantize_s16_s8(const RequantizeParams& p, int32_t count, const int16_t* input, int8_t* output) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t v = multiply_by_quantized_multiplier(input[i] - p.input_zero_point, p.multiplier, p.shift);
    output[i] = static_cast<int8_t>(add_clamped(v, p.output_zero_point, -128, 127));
  }
}

void eval_quantize_f32_s8(const void* call, const void* const* in, void* const* out) {
  const QuantizeF32S8Call& c = *static_cast<const QuantizeF32S8Call*>(call);
  quantize_f32_s8(c.scale, c.zero_point, c.count, static_cast<const float*>(in[0]),
                  static_cast<int8_t*>(out[0]));
}

void eval_requantize_s8_s8(const void* call, const void* const* in, void* const* out) {
  const RequantizeCall& c = *static_cast<const RequantizeCall*>(call);
  requantize_s8_s8(c.params, c.count, static_cast<const int8_t*>(in[0]), static_cast<int8_t*>(out[0]));
}

void eval_requantize_s16_s8(const void* call, const void* const* in, void* const* out) {
  const RequantizeCall& c = *static_cast<const RequantizeCall*>(call);
  requantize_s16_s8(c.params, c.count, static_cast<const int16_t*>(in[0]), static_cast<int8_t*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
