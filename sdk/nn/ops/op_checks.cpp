#include "nn/ops/op_checks.h"

#include <math.h>
#include <string.h>

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

bool same_shape(const TensorView& a, const TensorView& b) {
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i)
    if (a.dims[i] != b.dims[i]) return false;
  return true;
}

Status read_activation(const Table& options, int field, Activation* act) {
  bool bad = false;
  const int32_t a =
      options.valid() ? options.i8(field, tflite::kActNone, &bad) : static_cast<int32_t>(tflite::kActNone);
  if (bad) return kBadFlatbuffer;
  if (a < tflite::kActNone || a > tflite::kActRelu6) return kUnsupportedFeature;  // TANH, SIGN_BIT
  *act = static_cast<Activation>(a);
  return kOk;
}

Status spatial(int32_t padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t* out,
               int32_t* pad) {
  if (stride < 1 || dilation < 1 || filter < 1 || stride > 65536 || dilation > 65536) return kBadOperator;
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t o;
  if (padding == tflite::kPaddingSame) {
    o = (static_cast<int64_t>(in) + stride - 1) / stride;
  } else if (padding == tflite::kPaddingValid) {
    o = (static_cast<int64_t>(in) - effective + stride) / stride;
  } else {
    return kBadOperator;
  }
  if (o < 1) return kShapeMismatch;
  int64_t total = (o - 1) * stride + effective - in;
  if (total < 0) total = 0;
  if (total / 2 > (int64_t(1) << 30)) return kTooLarge;
  *out = static_cast<int32_t>(o);
  *pad = static_cast<int32_t>(total / 2);
  return kOk;
}

Status unary(const OpPrepare& p, int32_t* ii, TensorView* in, int32_t* oi, TensorView* out) {
  if (p.num_inputs() < 1 || p.num_outputs() < 1) return kBadOperator;
  Status s;
  if ((s = p.input(0, in, ii)) != kOk || (s = p.output(0, out, oi)) != kOk) return s;
  return kOk;
}

Status float_or_int8(const TensorView& in, const TensorView& out) {
  if (in.type != out.type) return kBadType;
  if (in.type == kTypeFloat32) return kOk;
  if (in.type != kTypeInt8) return kBadType;
  if (!quantized(in) || !quantized(out)) return kBadQuantization;
  return kOk;
}

bool is_output_q8(const TensorView& out) {
  return out.zero_point == -128 && fabsf(out.scale - 1.0f / 256.0f) <= 1e-3f / 256.0f;
}

Status check_conv_types(const TensorView& input, const TensorView& filter, const TensorView* bias,
                        const TensorView& output) {
  if (input.type == kTypeFloat32) {
    if (filter.type != kTypeFloat32 || output.type != kTypeFloat32 || (bias && bias->type != kTypeFloat32))
      return kBadType;
    return kOk;
  }
  if (input.type == kTypeInt8) {
    if (filter.type != kTypeInt8 || output.type != kTypeInt8 || (bias && bias->type != kTypeInt32))
      return kBadType;
    if (!quantized(input) || !quantized(output)) return kBadQuantization;
    return kOk;
  }
  return kBadType;
}

Status optional_bias(const OpPrepare& p, int32_t channels, int32_t* index, TensorView* bias, bool* has) {
  *has = false;
  *index = p.input_index(2);
  if (*index < 0) return kOk;
  Status s = read_tensor(p.model(), *index, bias);
  if (s != kOk) return s;
  if (bias->elements != channels) return kShapeMismatch;
  *has = true;
  return kOk;
}

Status check_filter_quantization(const Model& m, const TensorView& filter, int32_t channels, int32_t qdim) {
  if (!quantized(filter)) return kBadQuantization;
  if (filter.quant_count != 1) {
    if (static_cast<int32_t>(filter.quant_count) != channels || filter.quantized_dimension != qdim)
      return kBadQuantization;
  }
  for (uint32_t i = 0; i < filter.quant_count; ++i)
    if (tensor_channel_zero_point(m, filter, i) != 0) return kBadQuantization;
  return kOk;
}

void channel_multipliers(OpPrepare& p, const TensorView& input, const TensorView& filter,
                         const TensorView& output, QuantParams* quant) {
  const uint32_t n = filter.quant_count;
  int32_t* multiplier = static_cast<int32_t*>(p.allocate(4 * static_cast<size_t>(n)));
  int8_t* shift = static_cast<int8_t*>(p.allocate(n));
  quant->multiplier = multiplier;
  quant->shift = shift;
  quant->count = static_cast<int32_t>(n);
  if (!multiplier || !shift) return;  // only validating
  for (uint32_t i = 0; i < n; ++i) {
    const double effective = static_cast<double>(input.scale) *
                             static_cast<double>(tensor_channel_scale(p.model(), filter, i)) /
                             static_cast<double>(output.scale);
    int s = 0;
    quantize_multiplier(effective, &multiplier[i], &s);
    shift[i] = static_cast<int8_t>(s);
  }
}

Status constant_i32(const OpPrepare& p, uint32_t input, TensorView* v) {
  int32_t index;
  Status s = p.input(input, v, &index);
  if (s != kOk) return s;
  if (v->type != kTypeInt32) return kBadType;
  if (!v->data) return kUnsupportedFeature;  // computed shapes/axes are not supported
  return kOk;
}

int32_t i32_at(const TensorView& v, int32_t i) {
  int32_t x;
  memcpy(&x, v.data + 4 * i, 4);
  return x;
}

void conv_activation_s8(const TensorView& input, const TensorView& output, Activation act,
                        QuantActivation* q) {
  q->input_offset = -input.zero_point;
  q->output_offset = output.zero_point;
  quantized_activation_range(act, output.scale, output.zero_point, -128, 127, &q->act_min, &q->act_max);
}

}  // namespace nn
}  // namespace kiln
