// The glue between the model and the kernels: for one operator, checks its tensors (count, type, shape,
// quantization, options) and either reports the kernel scratch it needs or runs the kernel on the
// interpreter's arena. The same checks run when the model loads and before every execution.
#ifndef KILN_NN_OPERATORS_H
#define KILN_NN_OPERATORS_H

#include <stddef.h>

#include "kiln/nn.h"

namespace kiln {
namespace nn {

// With interp null: validate only and set *scratch_bytes (may be null) to the kernel scratch the operator
// needs in the arena during its execution. With interp: validate and execute.
Status run_operator(const Model& model, int32_t index, Interpreter* interp, size_t* scratch_bytes);

// True for RESHAPE, SQUEEZE, EXPAND_DIMS: the output is the input's bytes, so it can share its memory.
bool is_reshape_operator(int32_t code);

// Marks a tensor or scratch without arena memory (constant or unused) in Interpreter::plan.
static const uint32_t kNoOffset = 0xFFFFFFFFu;

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_OPERATORS_H
