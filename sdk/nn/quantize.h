// QUANTIZE: float32 -> int8 (round half away from zero of x / scale, plus zero point), and requantization of
// int8 / int16 -> int8 through a quantized multiplier (input_scale / output_scale).
#ifndef KILN_NN_QUANTIZE_H
#define KILN_NN_QUANTIZE_H

#include <math.h>
#include <stdint.h>

namespace kiln {
namespace nn {

// The canonical float -> int8 quantizer, as TFLite's QUANTIZE: zero_point + round(x / scale), x / scale
// computed in float and rounded half away from zero (roundf, which is exact on every C library), clamped to
// [-128, 127]; NaN gives -128. Every float -> int8 conversion of the SDK uses it (the QUANTIZE kernel, the
// DSP blocks' int8 outputs), and so does the host (kiln classify), so host and device agree bit for bit.
inline int8_t quantize_s8(float x, float scale, int32_t zero_point) {
  float r = roundf(x / scale);
  // Clamp before converting: the final clamp to int8 makes any value beyond +-2^30 equivalent, and the
  // conversion of NaN or huge values to int32 would be undefined.
  if (!(r > -1073741824.0f)) r = -1073741824.0f;
  if (r > 1073741824.0f) r = 1073741824.0f;
  const int32_t q = static_cast<int32_t>(r) + zero_point;
  return static_cast<int8_t>(q < -128 ? -128 : (q > 127 ? 127 : q));
}

void quantize_f32_s8(float scale, int32_t zero_point, int32_t count, const float* input, int8_t* output);

struct RequantizeParams {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
};

void requantize_params(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                       RequantizeParams* params);
void requantize_s8_s8(const RequantizeParams& params, int32_t count, const int8_t* input, int8_t* output);
void requantize_s16_s8(const RequantizeParams& params, int32_t count, const int16_t* input, int8_t* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}.
struct QuantizeF32S8Call {
  float scale;
  int32_t zero_point;
  int32_t count;
};
struct RequantizeCall {
  RequantizeParams params;
  int32_t count;
};
void eval_quantize_f32_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_requantize_s8_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_requantize_s16_s8(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_QUANTIZE_H
