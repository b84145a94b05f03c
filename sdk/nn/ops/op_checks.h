// Checks and derivations that several operators' prepare functions share: tensor types and quantization,
// SAME/VALID geometry, fused activations, per-channel requantization multipliers.
#ifndef KILN_NN_OPS_OP_CHECKS_H
#define KILN_NN_OPS_OP_CHECKS_H

#include "nn/kernel_types.h"
#include "nn/op_table.h"

namespace kiln {
namespace nn {

inline bool quantized(const TensorView& v) {
  return v.quant_count >= 1;
}

inline Dims dims4(const TensorView& v) {
  Dims d = {v.dims[0], v.dims[1], v.dims[2], v.dims[3]};
  return d;
}

bool same_shape(const TensorView& a, const TensorView& b);

// The fused activation in options field `field` (kActNone when absent); TANH and SIGN_BIT are not supported.
Status read_activation(const Table& options, int field, Activation* act);

// Output size and leading padding of one spatial dimension (TFLite's SAME / VALID rules).
Status spatial(int32_t padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t* out,
               int32_t* pad);

// Input 0 and output 0 of an operator with at least one of each.
Status unary(const OpPrepare& p, int32_t* ii, TensorView* in, int32_t* oi, TensorView* out);
// Both float32, or both int8 and quantized.
Status float_or_int8(const TensorView& in, const TensorView& out);
// TFLite fixes softmax/logistic int8 outputs to scale 1/256, zero point -128.
bool is_output_q8(const TensorView& out);

// Conv-like operators (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): float32 everywhere, or int8 activations
// and weights with an int32 bias.
Status check_conv_types(const TensorView& input, const TensorView& filter, const TensorView* bias,
                        const TensorView& output);
// Input 2 when present: *has, and its length must be `channels`.
Status optional_bias(const OpPrepare& p, int32_t channels, int32_t* index, TensorView* bias, bool* has);
// Per-channel (or per-tensor) filter quantization along dimension qdim, with zero zero points.
Status check_filter_quantization(const Model& m, const TensorView& filter, int32_t channels, int32_t qdim);
// The requantization of a conv-like int8 operator, one (multiplier, shift) per filter scale, into memory
// that lives with the call (left null while only validating).
void channel_multipliers(OpPrepare& p, const TensorView& input, const TensorView& filter,
                         const TensorView& output, QuantParams* quant);

// A constant int32 input (axes, paddings) and its element i.
Status constant_i32(const OpPrepare& p, uint32_t input, TensorView* v);
int32_t i32_at(const TensorView& v, int32_t i);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_OPS_OP_CHECKS_H
