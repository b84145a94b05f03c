#include "nn/dequantize.h"

namespace kiln {
namespace nn {

void dequantize_s8_f32(float scale, int32_t zero_point, int32_t count, const int8_t* input, float* output) {
  const double s = static_cast<double>(scale);
  for (int32_t i = 0; i < count; ++i) output[i] = static_cast<float>(s * (input[i] - zero_point));
}

}  // namespace nn
}  // namespace kiln
