// ADD, int8 with TFLite's integer algorithm: both inputs are shifted left by 20 bits, rescaled to a common
// scale (twice the larger input scale) with their own multipliers, summed, and rescaled to the output.
#ifndef KILN_NN_ADD_H
#define KILN_NN_ADD_H

#include "nn/broadcast.h"
#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

struct AddParams {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
};

// The parameters for inputs (scale, zero point) and an output, with a fused activation.
void add_s8_params(float input1_scale, int32_t input1_zp, float input2_scale, int32_t input2_zp,
                   float output_scale, int32_t output_zp, Activation activation, AddParams* params);

void add_s8(const AddParams& params, int32_t count, const int8_t* input1, const int8_t* input2,
            int8_t* output);
void add_s8_broadcast(const AddParams& params, const BroadcastShape& shape, const int8_t* input1,
                      const int8_t* input2, int8_t* output);

void add_f32(const FloatActivation& act, int32_t count, const float* input1, const float* input2,
             float* output);
void add_f32_broadcast(const FloatActivation& act, const BroadcastShape& shape, const float* input1,
                       const float* input2, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input1, input2}, outputs {output}. The float32 calls are
// BinaryF32Call and BinaryF32BroadcastCall (broadcast.h).
struct AddS8Call {
  AddParams params;
  int32_t count;
};
struct AddS8BroadcastCall {
  AddParams params;
  BroadcastShape shape;
};
void eval_add_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_add_s8_broadcast(const void* call, const void* const* inputs, void* const* outputs);
void eval_add_f32(const void* call, const void* const* inputs, void* const* outputs);
void eval_add_f32_broadcast(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_ADD_H
