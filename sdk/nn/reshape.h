// RESHAPE, SQUEEZE and EXPAND_DIMS change only the shape: the output holds the input's bytes. The planners
// let the output share the input's memory, so the kernel copies only when they are apart (a constant input).
#ifndef KILN_NN_RESHAPE_H
#define KILN_NN_RESHAPE_H

#include <stdint.h>

namespace kiln {
namespace nn {

// Prepared call (sdk/nn/op_table.h): inputs {input}, outputs {output}.
struct ReshapeCall {
  int32_t bytes;
};
void eval_reshape(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_RESHAPE_H
