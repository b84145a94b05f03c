// DEQUANTIZE: int8 -> float32, scale * (q - zero_point) computed in double as TFLite does.
#ifndef KILN_NN_DEQUANTIZE_H
#define KILN_NN_DEQUANTIZE_H

#include <stdint.h>

namespace kiln {
namespace nn {

void dequantize_s8_f32(float scale, int32_t zero_point, int32_t count, const int8_t* input, float* output);

// Prepared call (sdk/nn/op_table.h): inputs {input}, outputs {output}.
struct DequantizeS8F32Call {
  float scale;
  int32_t zero_point;
  int32_t count;
};
void eval_dequantize_s8_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_DEQUANTIZE_H
