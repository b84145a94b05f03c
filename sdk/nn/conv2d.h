// CONV_2D. Filter dims: n = output channels, h, w, c = input channels per group (input c must be a multiple).
#ifndef KILN_NN_CONV2D_H
#define KILN_NN_CONV2D_H

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

void conv2d_s8(const ConvParams& conv, const QuantParams& quant, const QuantActivation& act,
               const Dims& input_dims, const int8_t* input, const Dims& filter_dims, const int8_t* filter,
               const int32_t* bias, const Dims& output_dims, int8_t* output);

void conv2d_f32(const ConvParams& conv, const FloatActivation& act, const Dims& input_dims,
                const float* input, const Dims& filter_dims, const float* filter, const float* bias,
                const Dims& output_dims, float* output);

// Prepared calls (sdk/nn/op_table.h): eval_conv2d_* runs conv2d_* on a call struct, with inputs {input,
// filter, bias (may be null)} and outputs {output}.
struct Conv2dS8Call {
  ConvParams conv;
  QuantParams quant;
  QuantActivation act;
  Dims input, filter, output;
};
struct Conv2dF32Call {
  ConvParams conv;
  FloatActivation act;
  Dims input, filter, output;
};
void eval_conv2d_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_conv2d_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_CONV2D_H
