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

// The int8 activation of a conv-like operator: the input and output offsets and the fused activation's clamp
// in the output's quantization.
void conv_activation_s8(const TensorView& input, const TensorView& output, Activation act,
                        QuantActivation* q);

// A convolution's window (padding, strides, dilations) and fused activation, read from its options table with
// that table's field ids F (CONV_2D and DEPTHWISE_CONV_2D number them differently), and the output height
// and width they give for this input and filter (NHWC input, filter with height and width in dims 1 and 2).
template <typename F>
Status read_conv_window(const Table& o, const Dims& input, const Dims& filter, ConvParams* conv,
                        Activation* act, int32_t* out_h, int32_t* out_w) {
  bool bad = false;
  const int32_t padding =
      o.valid() ? o.i8(F::kPadding, tflite::kPaddingSame, &bad) : static_cast<int32_t>(tflite::kPaddingSame);
  conv->stride_w = o.valid() ? o.i32(F::kStrideW, 0, &bad) : 0;
  conv->stride_h = o.valid() ? o.i32(F::kStrideH, 0, &bad) : 0;
  *act = kActNone;
  const Status s = read_activation(o, F::kFusedActivationFunction, act);
  if (s != kOk) return s;
  conv->dilation_w = o.valid() ? o.i32(F::kDilationWFactor, 1, &bad) : 1;
  conv->dilation_h = o.valid() ? o.i32(F::kDilationHFactor, 1, &bad) : 1;
  if (bad) return kBadFlatbuffer;
  const Status h = spatial(padding, input.h, filter.h, conv->stride_h, conv->dilation_h, out_h, &conv->pad_h);
  if (h != kOk) return h;
  return spatial(padding, input.w, filter.w, conv->stride_w, conv->dilation_w, out_w, &conv->pad_w);
}

// A constant int32 input (axes, paddings) and its element i.
Status constant_i32(const OpPrepare& p, uint32_t input, TensorView* v);
int32_t i32_at(const TensorView& v, int32_t i);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_OPS_OP_CHECKS_H
