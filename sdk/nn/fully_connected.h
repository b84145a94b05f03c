// FULLY_CONNECTED: output[b][o] = sum_d input[b][d] * filter[o][d] + bias[o]. Filter is [units, depth].
#ifndef KILN_NN_FULLY_CONNECTED_H
#define KILN_NN_FULLY_CONNECTED_H

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

struct FullyConnectedDims {
  int32_t batches;
  int32_t depth;  // accumulation depth (input features)
  int32_t units;  // output features
};

// filter_offset is minus the filter zero point (0 for symmetric weights).
void fully_connected_s8(const FullyConnectedDims& dims, const QuantParams& quant, const QuantActivation& act,
                        int32_t filter_offset, const int8_t* input, const int8_t* filter, const int32_t* bias,
                        int8_t* output);

void fully_connected_f32(const FullyConnectedDims& dims, const FloatActivation& act, const float* input,
                         const float* filter, const float* bias, float* output);

// Prepared calls (sdk/nn/op_table.h): eval_fully_connected_* runs fully_connected_* on a call struct, with
// inputs {input, filter, bias (may be null)} and outputs {output}.
struct FullyConnectedS8Call {
  // Per-channel weights: count pairs in arrays. Per-tensor weights: count 1, null arrays, and the pair in
  // multiplier and shift below (no arrays to keep in the interpreter's arena).
  QuantParams quant;
  FullyConnectedDims dims;
  QuantActivation act;
  int32_t filter_offset;
  int32_t multiplier, shift;
};
struct FullyConnectedF32Call {
  FullyConnectedDims dims;
  FloatActivation act;
};
void eval_fully_connected_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_fully_connected_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_FULLY_CONNECTED_H
