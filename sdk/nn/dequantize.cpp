#include "nn/dequantize.h"

namespace kiln {
namespace nn {

void dequantize_s8_f32(float scale, int32_t zero_point, int32_t count, const int8_t* input, float* output) {
  const double s = static_cast<double>(scale);
  for (int32_t i = 0; i < count; ++i) output[i] = static_cast<float>(s * (input[i] - zero_point));
}

void eval_dequantize_s8_f32(const void* call, const void* const* in, void* const* out) {
  const DequantizeS8F32Call& c = *static_cast<const DequantizeS8F32Call*>(call);
  dequantize_s8_f32(c.scale, c.zero_point, c.count, static_cast<const int8_t*>(in[0]),
                    static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
