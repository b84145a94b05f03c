// SOFTMAX over the last dimension. int8 follows TFLite's fixed-point algorithm: input differences to the row
// maximum are rescaled by beta * input_scale into Q5.26, exponentiated in fixed point, accumulated in Q12.19,
// and divided through a fixed-point reciprocal; output scale is 1/256 with zero point -128.
#ifndef KILN_NN_SOFTMAX_H
#define KILN_NN_SOFTMAX_H

#include <stdint.h>

namespace kiln {
namespace nn {

struct SoftmaxParams {
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
};

void softmax_s8_params(float beta, float input_scale, SoftmaxParams* params);
void softmax_s8(const SoftmaxParams& params, int32_t rows, int32_t depth, const int8_t* input,
                int8_t* output);
void softmax_f32(float beta, int32_t rows, int32_t depth, const float* input, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}; rows of depth values.
struct SoftmaxS8Call {
  SoftmaxParams params;
  int32_t rows, depth;
};
struct SoftmaxF32Call {
  float beta;
  int32_t rows, depth;
};
void eval_softmax_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_softmax_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_SOFTMAX_H
