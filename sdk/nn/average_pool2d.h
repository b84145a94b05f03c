// AVERAGE_POOL_2D: the mean over the window clipped to the input (padding is not counted).
#ifndef KILN_NN_AVERAGE_POOL2D_H
#define KILN_NN_AVERAGE_POOL2D_H

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

void average_pool2d_s8(const PoolParams& pool, int32_t act_min, int32_t act_max, const Dims& input_dims,
                       const int8_t* input, const Dims& output_dims, int8_t* output);
void average_pool2d_f32(const PoolParams& pool, const FloatActivation& act, const Dims& input_dims,
                        const float* input, const Dims& output_dims, float* output);

// Prepared calls (sdk/nn/op_table.h; call structs in kernel_types.h): inputs {input}, outputs {output}.
void eval_average_pool2d_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_average_pool2d_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_AVERAGE_POOL2D_H
