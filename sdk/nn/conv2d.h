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

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_CONV2D_H
