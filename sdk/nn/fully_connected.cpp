#include "nn/fully_connected.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void fully_connected_s8(const FullyConnectedDims& dims, const QuantParams& quant, const QuantActivation& act,
                        int32_t filter_offset, const int8_t* input, const int8_t* filter, const int32_t* bias,
                        int8_t* output) {
  for (int32_t b = 0; b < dims.batches; ++b) {
    const int8_t* in = input + static_cast<int64_t>(b) * dims.depth;
    for (int32_t o = 0; o < dims.units; ++o) {
      const int8_t* f = filter + static_cast<int64_t>(o) * dims.depth;
      int32_t acc = 0;
      for (int32_t d = 0; d < dims.depth; ++d) acc += (f[d] + filter_offset) * (in[d] + act.input_offset);
      if (bias) acc += bias[o];
      const int32_t q = quant.count > 1 ? o : 0;
      acc = multiply_by_quantized_multiplier(acc, quant.multiplier[q], quant.shift[q]) + act.output_offset;
      output[static_cast<int64_t>(b) * dims.units + o] =
          static_cast<int8_t>(clamp_i32(acc, act.act_min, act.act_max));
    }
  }
}

void fully_connected_f32(const FullyConnectedDims& dims, const FloatActivation& act, const float* input,
                         const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < dims.batches; ++b) {
    const float* in = input + static_cast<int64_t>(b) * dims.depth;
    for (int32_t o = 0; o < dims.units; ++o) {
      const float* f = filter + static_cast<int64_t>(o) * dims.depth;
      float total = 0.0f;
      for (int32_t d = 0; d < dims.depth; ++d) total += in[d] * f[d];
      const float bias_value = bias ? bias[o] : 0.0f;
      output[static_cast<int64_t>(b) * dims.units + o] =
          clamp_f32(total + bias_value, act.act_min, act.act_max);
    }
  }
}

}  // namespace nn
}  // namespace kiln
