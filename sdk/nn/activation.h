// Standalone RELU, RELU6, RELU_N1_TO_1. int8: the input is requantized to the output (scale ratio as a
// quantized multiplier) and clamped to the activation's range in the output's quantized domain.
#ifndef KILN_NN_ACTIVATION_H
#define KILN_NN_ACTIVATION_H

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

struct ActivationParams {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
  int32_t act_min, act_max;
};

void activation_s8_params(Activation activation, float input_scale, int32_t input_zp, float output_scale,
                          int32_t output_zp, ActivationParams* params);
void activation_s8(const ActivationParams& params, int32_t count, const int8_t* input, int8_t* output);
void activation_f32(Activation activation, int32_t count, const float* input, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}.
struct ActivationS8Call {
  ActivationParams params;
  int32_t count;
};
struct ActivationF32Call {
  int32_t activation;  // Activation
  int32_t count;
};
void eval_activation_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_activation_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_ACTIVATION_H
