// MUL, int8: (a - zp1) * (b - zp2) requantized by scale1 * scale2 / output_scale.
#ifndef KILN_NN_MUL_H
#define KILN_NN_MUL_H

#include "nn/broadcast.h"
#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

struct MulParams {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
};

void mul_s8_params(float input1_scale, int32_t input1_zp, float input2_scale, int32_t input2_zp,
                   float output_scale, int32_t output_zp, Activation activation, MulParams* params);

void mul_s8(const MulParams& params, int32_t count, const int8_t* input1, const int8_t* input2,
            int8_t* output);
void mul_s8_broadcast(const MulParams& params, const BroadcastShape& shape, const int8_t* input1,
                      const int8_t* input2, int8_t* output);
void mul_f32(const FloatActivation& act, int32_t count, const float* input1, const float* input2,
             float* output);
void mul_f32_broadcast(const FloatActivation& act, const BroadcastShape& shape, const float* input1,
                       const float* input2, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input1, input2}, outputs {output}. The float32 calls are
// BinaryF32Call and BinaryF32BroadcastCall (broadcast.h).
struct MulS8Call {
  MulParams params;
  int32_t count;
};
struct MulS8BroadcastCall {
  MulParams params;
  BroadcastShape shape;
};
void eval_mul_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_mul_s8_broadcast(const void* call, const void* const* inputs, void* const* outputs);
void eval_mul_f32(const void* call, const void* const* inputs, void* const* outputs);
void eval_mul_f32_broadcast(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_MUL_H
