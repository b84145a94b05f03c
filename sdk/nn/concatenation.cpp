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

}  // namespace nn
}  // namespace kiln
