// PAD / PADV2 for up to 4-D tensors of any element size: the output is the input surrounded by before/after
// padding per dimension, filled with one element value (the zero point for int8, 0.0 for float32, or PADV2's
// constant).
#ifndef KILN_NN_PAD_H
#define KILN_NN_PAD_H

#include <stddef.h>
#include <stdint.h>

namespace kiln {
namespace nn {

struct PadParams {
  int32_t input_dims[4];
  int32_t before[4];
  int32_t after[4];
};

void pad(const PadParams& params, size_t element_size, const void* pad_value, const void* input,
         void* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}; value fills the padding.
struct PadS8Call {
  PadParams params;
  int32_t value;
};
struct PadF32Call {
  PadParams params;
  float value;
};
void eval_pad_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_pad_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_PAD_H
