// QUANTIZE: float32 -> int8 (round half away from zero of x / scale, plus zero point), and requantization of
// int8 / int16 -> int8 through a quantized multiplier (input_scale / output_scale).
#ifndef KILN_NN_QUANTIZE_H
#define KILN_NN_QUANTIZE_H

#include <stdint.h>

namespace kiln {
namespace nn {

void quantize_f32_s8(float scale, int32_t zero_point, int32_t count, const float* input, int8_t* output);

struct RequantizeParams {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
};

void requantize_params(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                       RequantizeParams* params);
void requantize_s8_s8(const RequantizeParams& params, int32_t count, const int8_t* input, int8_t* output);
void requantize_s16_s8(const RequantizeParams& params, int32_t count, const int16_t* input, int8_t* output);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_QUANTIZE_H
