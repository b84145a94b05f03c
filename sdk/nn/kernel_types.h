// Parameter structs shared by the kernels (CMSIS-NN style: every kernel takes its dimensions and parameters
// explicitly, so it can be called and tested without a model or an interpreter). Layout is NHWC.
#ifndef KILN_NN_KERNEL_TYPES_H
#define KILN_NN_KERNEL_TYPES_H

#include <stdint.h>

#include "kiln/tflite_schema.h"

namespace kiln {
namespace nn {

struct Dims {
  int32_t n, h, w, c;
};

// Fused activation of the TFLite schema (kActNone, kActRelu, kActReluN1To1, kActRelu6 are the ones the
// kernels implement).
typedef tflite::ActivationFunctionType Activation;
using tflite::kActNone;
using tflite::kActRelu;
using tflite::kActRelu6;
using tflite::kActReluN1To1;

// Requantization of an int32 accumulator: per output channel when count > 1, one pair for all otherwise.
struct QuantParams {
  const int32_t* multiplier;
  const int8_t*
      shift;  // in [-31, 30] (quantize_multiplier): one byte each, as the interpreter keeps them in RAM
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

// Call structs of the pooling kernels (average_pool2d.h, max_pool2d.h).
struct Pool2dS8Call {
  PoolParams pool;
  int32_t act_min, act_max;
  Dims input, output;
};
struct Pool2dF32Call {
  PoolParams pool;
  FloatActivation act;
  Dims input, output;
};

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_KERNEL_TYPES_H
