#include "nn/reshape.h"

#include <string.h>

namespace kiln {
namespace nn {

void eval_reshape(const void* call, const void* const* in, void* const* out) {
  if (in[0] != out[0])
    memmove(out[0], in[0], static_cast<size_t>(static_cast<const ReshapeCall*>(call)->bytes));
}

}  // namespace nn
}  // namespace kiln
