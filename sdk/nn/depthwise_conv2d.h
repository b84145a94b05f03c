// DEPTHWISE_CONV_2D. Filter dims: n = 1, h, w, c = input channels * depth multiplier (= output channels).
#ifndef KILN_NN_DEPTHWISE_CONV2D_H
#define KILN_NN_DEPTHWISE_CONV2D_H

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

void depthwise_conv2d_s8(const DepthwiseParams& conv, const QuantParams& quant, const QuantActivation& act,
                         const Dims& input_dims, const int8_t* input, const Dims& filter_dims,
                         const int8_t* filter, const int32_t* bias, const Dims& output_dims, int8_t* output);

void depthwise_conv2d_f32(const DepthwiseParams& conv, const FloatActivation& act, const Dims& input_dims,
                          const float* input, const Dims& filter_dims, const float* filter, const float* bias,
                          const Dims& output_dims, float* output);

// Prepared calls (sdk/nn/op_table.h): eval_depthwise_conv2d_* runs depthwise_conv2d_* on a call struct, with
// inputs {input, filter, bias (may be null)} and outputs {output}.
struct DepthwiseConv2dS8Call {
  DepthwiseParams conv;
  QuantParams quant;
  QuantActivation act;
  Dims input, filter, output;
};
struct DepthwiseConv2dF32Call {
  DepthwiseParams conv;
  FloatActivation act;
  Dims input, filter, output;
};
void eval_depthwise_conv2d_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_depthwise_conv2d_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_DEPTHWISE_CONV2D_H
