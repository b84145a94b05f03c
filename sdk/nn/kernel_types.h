// Parameter structs shared by the kernels (CMSIS-NN style: every kernel takes its dimensions and parameters
// explicitly, so it can be called and tested without a model or an interpreter). Layout is NHWC.
#ifndef KILN_NN_KERNEL_TYPES_H
#define KILN_NN_KERNEL_TYPES_H

#include <stdint.h>

namespace kiln {
namespace nn {

struct Dims {
  int32_t n, h, w, c;
};

// Fused activation of the TFLite schema.
enum Activation { kActNone = 0, kActRelu = 1, kActReluN1To1 = 2, kActRelu6 = 3 };

// Requantization of an int32 accumulator: per output channel when count > 1, one pair for all otherwise.
struct QuantParams {
  const int32_t* multiplier;
  const int32_t* shift;
  int32_t count;
};

// int8 activation offsets and clamp, shared by the quantized kernels.
struct QuantActivation {
  int32_t input_offset;   // -input zero point
  int32_t output_offset;  // output zero point
  int32_t act_min, act_max;
};

struct FloatActivation {
  float act_min, act_max;
};

struct ConvParams {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;  // leading padding (top, left)
};

struct DepthwiseParams {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t depth_multiplier;
};

struct PoolParams {
  int32_t stride_h, stride_w;
  int32_t filter_h, filter_w;
  int32_t pad_h, pad_w;
};

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_KERNEL_TYPES_H
