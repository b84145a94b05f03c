#include "nn/concatenation.h"

#include <string.h>

namespace kiln {
namespace nn {

void concatenation(int32_t num_inputs, const void* const* inputs, const int32_t* axis_sizes, int32_t outer,
                   int32_t inner, size_t element_size, void* output) {
  uint8_t* out = static_cast<uint8_t*>(output);
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < num_inputs; ++i) {
      const size_t chunk = static_cast<size_t>(axis_sizes[i]) * static_cast<size_t>(inner) * element_size;
      memcpy(out, static_cast<const uint8_t*>(inputs[i]) + static_cast<size_t>(o) * chunk, chunk);
      out += chunk;
    }
  }
}

void eval_concatenation(const void* call, const void* const* in, void* const* out) {
  const ConcatenationCall& c = *static_cast<const ConcatenationCall*>(call);
  concatenation(c.num_inputs, in, c.axis_sizes, c.outer, c.inner, static_cast<size_t>(c.element_size),
                out[0]);
}

}  // namespace nn
}  // namespace kiln
