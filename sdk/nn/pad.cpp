#include "nn/pad.h"

#include <string.h>

namespace kiln {
namespace nn {

void pad(const PadParams& p, size_t element_size, const void* pad_value, const void* input, void* output) {
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  int32_t od[4];
  for (int i = 0; i < 4; ++i) od[i] = p.before[i] + p.input_dims[i] + p.after[i];
  for (int32_t i0 = 0; i0 < od[0]; ++i0)
    for (int32_t i1 = 0; i1 < od[1]; ++i1)
      for (int32_t i2 = 0; i2 < od[2]; ++i2)
        for (int32_t i3 = 0; i3 < od[3]; ++i3) {
          const int32_t j0 = i0 - p.before[0], j1 = i1 - p.before[1], j2 = i2 - p.before[2],
                        j3 = i3 - p.before[3];
          const bool inside = j0 >= 0 && j0 < p.input_dims[0] && j1 >= 0 && j1 < p.input_dims[1] && j2 >= 0 &&
                              j2 < p.input_dims[2] && j3 >= 0 && j3 < p.input_dims[3];
          if (inside) {
            const int64_t src =
                ((int64_t(j0) * p.input_dims[1] + j1) * p.input_dims[2] + j2) * p.input_dims[3] + j3;
            memcpy(out, in + src * static_cast<int64_t>(element_size), element_size);
          } else {
            memcpy(out, pad_value, element_size);
          }
          out += element_size;
        }
}

void eval_pad_s8(const void* call, const void* const* in, void* const* out) {
  const PadS8Call& c = *static_cast<const PadS8Call*>(call);
  const int8_t value = static_cast<int8_t>(c.value);
  pad(c.params, 1, &value, in[0], out[0]);
}

void eval_pad_f32(const void* call, const void* const* in, void* const* out) {
  const PadF32Call& c = *static_cast<const PadF32Call*>(call);
  pad(c.params, 4, &c.value, in[0], out[0]);
}

}  // namespace nn
}  // namespace kiln
