// CONCATENATION along one axis, for any element type: the tensors are viewed as [outer, axis, inner] and
// copied chunk by chunk. int8 inputs must share the output's quantization (checked when the model loads).
#ifndef KILN_NN_CONCATENATION_H
#define KILN_NN_CONCATENATION_H

#include <stddef.h>
#include <stdint.h>

namespace kiln {
namespace nn {

// inputs[i] has axis_sizes[i] * inner elements per outer step.
void concatenation(int32_t num_inputs, const void* const* inputs, const int32_t* axis_sizes, int32_t outer,
                   int32_t inner, size_t element_size, void* output);

static const int32_t kMaxConcatInputs = 16;

// Prepared call (sdk/nn/op_table.h): inputs {num_inputs tensors}, outputs {output}.
struct ConcatenationCall {
  int32_t num_inputs;
  int32_t axis_sizes[kMaxConcatInputs];
  int32_t outer, inner;
  int32_t element_size;
};
void eval_concatenation(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_CONCATENATION_H
