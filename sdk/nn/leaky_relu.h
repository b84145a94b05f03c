// LEAKY_RELU: x for x > 0, alpha * x otherwise. int8 as TFLite's reference kernel: the input minus its zero
// point is requantized with the identity multiplier (input_scale / output_scale) when >= 0, with the alpha
// multiplier (input_scale * alpha / output_scale) when negative, plus the output zero point, clamped.
#ifndef KILN_NN_LEAKY_RELU_H
#define KILN_NN_LEAKY_RELU_H

#include <stdint.h>

namespace kiln {
namespace nn {

struct LeakyReluS8Call {
  int32_t input_zero_point, output_zero_point;
  int32_t identity_multiplier, identity_shift;
  int32_t alpha_multiplier, alpha_shift;
  int32_t count;
};
struct LeakyReluF32Call {
  float alpha;
  int32_t count;
};

// The multipliers of an int8 LEAKY_RELU, as TFLite derives them (the real multipliers in float).
void leaky_relu_s8_params(float input_scale, int32_t input_zero_point, float output_scale,
                          int32_t output_zero_point, float alpha, int32_t count, LeakyReluS8Call* call);
void leaky_relu_s8(const LeakyReluS8Call& call, const int8_t* input, int8_t* output);
void leaky_relu_f32(const LeakyReluF32Call& call, const float* input, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}.
void eval_leaky_relu_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_leaky_relu_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_LEAKY_RELU_H
