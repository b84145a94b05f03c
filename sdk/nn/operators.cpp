#include "nn/operators.h"

#include <math.h>
#include <string.h>

#include "nn/activation.h"
#include "nn/add.h"
#include "nn/average_pool2d.h"
#include "nn/concatenation.h"
#include "nn/conv2d.h"
#include "nn/depthwise_conv2d.h"
#include "nn/dequantize.h"
#include "nn/fully_connected.h"
#include "nn/logistic.h"
#include "nn/max_pool2d.h"
#include "nn/mean.h"
#include "nn/mul.h"
#include "nn/pad.h"
#include "nn/quant_math.h"
#include "nn/quantize.h"
#include "nn/softmax.h"
#include "nn/tflite_reader.h"

#ifdef KILN_NN_RECORDER
#include "nn/call_recorder.h"
#endif

namespace kiln {
namespace nn {

bool is_reshape_operator(int32_t code) {
  return code == kOpReshape || code == kOpSqueeze || code == kOpExpandDims;
}

namespace {

const int32_t kMaxConcatInputs = 16;

// What one operator sees: its tensors and, when executing, their memory.
struct OpContext {
  const Model* model;
  Interpreter* interp;  // null: validate only
  OperatorView op;
  size_t scratch;  // bytes requested
#ifdef KILN_NN_RECORDER
  CallRecorder* recorder;  // non-null: record the kernel call instead of running it (host only)
#endif
};

// True when the operator must go past validation (run, or record its kernel call).
inline bool executing(const OpContext& c) {
#ifdef KILN_NN_RECORDER
  if (c.recorder) return true;
#endif
  return c.interp != 0;
}

#ifdef KILN_NN_RECORDER
void init_call(KernelCall* k, RecordedKernel kernel, int32_t output) {
  memset(k, 0, sizeof *k);
  k->kernel = kernel;
  k->output = output;
  for (int i = 0; i < kMaxRecordedInputs; ++i) k->inputs[i] = -1;
}

void add_input(KernelCall* k, int32_t tensor) {
  k->inputs[k->num_inputs++] = tensor;
}
#endif

void* tensor_memory(const OpContext& c, int32_t index, const TensorView& v) {
  if (v.data) return const_cast<uint8_t*>(v.data);
  if (!c.interp) return 0;  // recording: activations have no memory
  const uint32_t off = c.interp->plan[index];
  return c.interp->activations + off;
}

void* scratch_memory(const OpContext& c, int32_t op_index) {
#ifdef KILN_NN_RECORDER
  if (c.recorder) return c.recorder->scratch(c.scratch);
#endif
  const uint32_t off = c.interp->plan[c.model->num_tensors + static_cast<uint32_t>(op_index)];
  return off == kNoOffset ? 0 : c.interp->activations + off;
}

Status get_input(const OpContext& c, uint32_t i, int32_t* index, TensorView* v) {
  *index = operator_input(*c.model, c.op, i);
  if (*index < 0) return kBadOperator;
  return read_tensor(*c.model, *index, v);
}

Status get_output(const OpContext& c, uint32_t i, int32_t* index, TensorView* v) {
  *index = operator_output(*c.model, c.op, i);
  if (*index < 0) return kBadOperator;
  Status s = read_tensor(*c.model, *index, v);
  if (s != kOk) return s;
  return v->data ? kBadGraph : kOk;
}

bool quantized(const TensorView& v) {
  return v.quant_count >= 1;
}

Dims dims4(const TensorView& v) {
  Dims d = {v.dims[0], v.dims[1], v.dims[2], v.dims[3]};
  return d;
}

bool same_shape(const TensorView& a, const TensorView& b) {
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i)
    if (a.dims[i] != b.dims[i]) return false;
  return true;
}

Status read_activation(const Table& options, int field, Activation* act) {
  bool bad = false;
  const int32_t a = options.valid() ? options.i8(field, 0, &bad) : 0;
  if (bad) return kBadFlatbuffer;
  if (a < 0 || a > 3) return kUnsupportedFeature;  // TANH, SIGN_BIT
  *act = static_cast<Activation>(a);
  return kOk;
}

// Output size and leading padding of one spatial dimension (TFLite's SAME / VALID rules).
Status spatial(int32_t padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t* out,
               int32_t* pad) {
  if (stride < 1 || dilation < 1 || filter < 1 || stride > 65536 || dilation > 65536) return kBadOperator;
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t o;
  if (padding == 0) {
    o = (static_cast<int64_t>(in) + stride - 1) / stride;
  } else if (padding == 1) {
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

// Per-channel (or per-tensor) requantization of conv-like int8 operators. Checks the filter quantization.
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

void fill_multipliers(const Model& m, const TensorView& input, const TensorView& filter,
                      const TensorView& output, int32_t* multiplier, int32_t* shift) {
  for (uint32_t i = 0; i < filter.quant_count; ++i) {
    const double effective = static_cast<double>(input.scale) *
                             static_cast<double>(tensor_channel_scale(m, filter, i)) /
                             static_cast<double>(output.scale);
    int s = 0;
    quantize_multiplier(effective, &multiplier[i], &s);
    shift[i] = s;
  }
}

// Common type checks of conv-like operators: float32 everywhere, or int8 activations/weights and int32 bias.
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

Status optional_bias(const OpContext& c, int32_t channels, int32_t* index, TensorView* bias, bool* has) {
  *has = false;
  *index = operator_input(*c.model, c.op, 2);
  if (*index < 0) return kOk;
  Status s = read_tensor(*c.model, *index, bias);
  if (s != kOk) return s;
  if (bias->elements != channels) return kShapeMismatch;
  *has = true;
  return kOk;
}

Status run_conv(OpContext& c, int32_t op_index, bool depthwise) {
  if (c.op.num_inputs < 2 || c.op.num_outputs < 1) return kBadOperator;
  int32_t ii, fi, bi, oi;
  TensorView in, f, b, out;
  Status s;
  if ((s = get_input(c, 0, &ii, &in)) != kOk || (s = get_input(c, 1, &fi, &f)) != kOk ||
      (s = get_output(c, 0, &oi, &out)) != kOk)
    return s;
  if (in.rank != 4 || f.rank != 4 || out.rank != 4) return kBadShape;
  const int32_t out_c = depthwise ? f.dims[3] : f.dims[0];
  bool has_bias = false;
  if ((s = optional_bias(c, out_c, &bi, &b, &has_bias)) != kOk) return s;
  if ((s = check_conv_types(in, f, has_bias ? &b : 0, out)) != kOk) return s;

  bool bad = false;
  const Table& o = c.op.options;
  const int32_t padding = o.valid() ? o.i8(0, 0, &bad) : 0;
  const int32_t stride_w = o.valid() ? o.i32(1, 0, &bad) : 0;
  const int32_t stride_h = o.valid() ? o.i32(2, 0, &bad) : 0;
  Activation act = kActNone;
  if ((s = read_activation(o, depthwise ? 4 : 3, &act)) != kOk) return s;
  const int32_t dil_w = o.valid() ? o.i32(depthwise ? 5 : 4, 1, &bad) : 1;
  const int32_t dil_h = o.valid() ? o.i32(depthwise ? 6 : 5, 1, &bad) : 1;
  if (bad) return kBadFlatbuffer;

  const Dims id = dims4(in), fd = dims4(f), od = dims4(out);
  int32_t oh, ow, pad_h, pad_w;
  if ((s = spatial(padding, id.h, fd.h, stride_h, dil_h, &oh, &pad_h)) != kOk) return s;
  if ((s = spatial(padding, id.w, fd.w, stride_w, dil_w, &ow, &pad_w)) != kOk) return s;
  if (od.n != id.n || od.h != oh || od.w != ow || od.c != out_c) return kShapeMismatch;
  int32_t depth_multiplier = 1;
  if (depthwise) {
    if (fd.n != 1 || out_c % id.c != 0) return kShapeMismatch;
    depth_multiplier = out_c / id.c;
  } else {
    if (fd.c < 1 || id.c % fd.c != 0) return kShapeMismatch;
    const int32_t groups = id.c / fd.c;
    if (out_c % groups != 0) return kShapeMismatch;
  }

  const bool int8 = in.type == kTypeInt8;
  if (int8 && (s = check_filter_quantization(*c.model, f, out_c, depthwise ? 3 : 0)) != kOk) return s;
  c.scratch = int8 ? 8 * static_cast<size_t>(f.quant_count) : 0;
  if (!executing(c)) return kOk;

  const void* input = tensor_memory(c, ii, in);
  const void* filter = tensor_memory(c, fi, f);
  const void* bias = has_bias ? tensor_memory(c, bi, b) : 0;
  void* output = tensor_memory(c, oi, out);
  if (int8) {
    int32_t* mult = static_cast<int32_t*>(scratch_memory(c, op_index));
    int32_t* shift = mult + f.quant_count;
    fill_multipliers(*c.model, in, f, out, mult, shift);
    const QuantParams qp = {mult, shift, static_cast<int32_t>(f.quant_count)};
    QuantActivation qa;
    qa.input_offset = -in.zero_point;
    qa.output_offset = out.zero_point;
    quantized_activation_range(act, out.scale, out.zero_point, -128, 127, &qa.act_min, &qa.act_max);
#ifdef KILN_NN_RECORDER
    if (c.recorder) {
      KernelCall k;
      init_call(&k, depthwise ? kRecDepthwiseConv2dS8 : kRecConv2dS8, oi);
      add_input(&k, ii);
      add_input(&k, fi);
      add_input(&k, has_bias ? bi : -1);
      k.input_dims = id;
      k.filter_dims = fd;
      k.output_dims = od;
      const ConvParams cp = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w};
      const DepthwiseParams dp = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w, depth_multiplier};
      k.conv = cp;
      k.depthwise = dp;
      k.quant = qp;
      k.quant_act = qa;
      c.recorder->record(k);
      return kOk;
    }
#endif
    if (depthwise) {
      const DepthwiseParams p = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w, depth_multiplier};
      depthwise_conv2d_s8(p, qp, qa, id, static_cast<const int8_t*>(input), fd,
                          static_cast<const int8_t*>(filter), static_cast<const int32_t*>(bias), od,
                          static_cast<int8_t*>(output));
    } else {
      const ConvParams p = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w};
      conv2d_s8(p, qp, qa, id, static_cast<const int8_t*>(input), fd, static_cast<const int8_t*>(filter),
                static_cast<const int32_t*>(bias), od, static_cast<int8_t*>(output));
    }
  } else {
    FloatActivation fa;
    float_activation_range(act, &fa.act_min, &fa.act_max);
#ifdef KILN_NN_RECORDER
    if (c.recorder) {
      KernelCall k;
      init_call(&k, depthwise ? kRecDepthwiseConv2dF32 : kRecConv2dF32, oi);
      add_input(&k, ii);
      add_input(&k, fi);
      add_input(&k, has_bias ? bi : -1);
      k.input_dims = id;
      k.filter_dims = fd;
      k.output_dims = od;
      const ConvParams cp = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w};
      const DepthwiseParams dp = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w, depth_multiplier};
      k.conv = cp;
      k.depthwise = dp;
      k.float_act = fa;
      c.recorder->record(k);
      return kOk;
    }
#endif
    if (depthwise) {
      const DepthwiseParams p = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w, depth_multiplier};
      depthwise_conv2d_f32(p, fa, id, static_cast<const float*>(input), fd, static_cast<const float*>(filter),
                           static_cast<const float*>(bias), od, static_cast<float*>(output));
    } else {
      const ConvParams p = {stride_h, stride_w, dil_h, dil_w, pad_h, pad_w};
      conv2d_f32(p, fa, id, static_cast<const float*>(input), fd, static_cast<const float*>(filter),
                 static_cast<const float*>(bias), od, static_cast<float*>(output));
    }
  }
  return kOk;
}

Status run_fully_connected(OpContext& c, int32_t op_index) {
  if (c.op.num_inputs < 2 || c.op.num_outputs < 1) return kBadOperator;
  int32_t ii, fi, bi, oi;
  TensorView in, f, b, out;
  Status s;
  if ((s = get_input(c, 0, &ii, &in)) != kOk || (s = get_input(c, 1, &fi, &f)) != kOk ||
      (s = get_output(c, 0, &oi, &out)) != kOk)
    return s;
  if (f.rank != 2) return kBadShape;
  const int32_t units = f.dims[0], depth = f.dims[1];
  bool has_bias = false;
  if ((s = optional_bias(c, units, &bi, &b, &has_bias)) != kOk) return s;
  if ((s = check_conv_types(in, f, has_bias ? &b : 0, out)) != kOk) return s;
  if (in.elements % depth != 0) return kShapeMismatch;
  const int32_t batches = in.elements / depth;
  if (static_cast<int64_t>(batches) * units != out.elements) return kShapeMismatch;
  Activation act = kActNone;
  if ((s = read_activation(c.op.options, 0, &act)) != kOk) return s;
  bool bad = false;
  if (c.op.options.valid() && c.op.options.i8(1, 0, &bad) != 0)
    return kUnsupportedFeature;  // shuffled weights
  if (bad) return kBadFlatbuffer;
  const bool int8 = in.type == kTypeInt8;
  if (int8) {
    if (!quantized(f)) return kBadQuantization;
    if (f.quant_count != 1) {
      if ((s = check_filter_quantization(*c.model, f, units, 0)) != kOk) return s;
    }
  }
  c.scratch = int8 && f.quant_count > 1 ? 8 * static_cast<size_t>(f.quant_count) : 0;
  if (!executing(c)) return kOk;

  const FullyConnectedDims d = {batches, depth, units};
  const void* input = tensor_memory(c, ii, in);
  const void* filter = tensor_memory(c, fi, f);
  const void* bias = has_bias ? tensor_memory(c, bi, b) : 0;
  void* output = tensor_memory(c, oi, out);
  if (int8) {
    int32_t one_mult = 0, one_shift = 0;
    QuantParams qp = {&one_mult, &one_shift, 1};
    if (f.quant_count > 1) {
      int32_t* mult = static_cast<int32_t*>(scratch_memory(c, op_index));
      fill_multipliers(*c.model, in, f, out, mult, mult + f.quant_count);
      qp.multiplier = mult;
      qp.shift = mult + f.quant_count;
      qp.count = static_cast<int32_t>(f.quant_count);
    } else {
      // TFLite multiplies the two float scales in float before widening (GetQuantizedConvolutionMultipler).
      const double real = static_cast<double>(in.scale * f.scale) / static_cast<double>(out.scale);
      int sh = 0;
      quantize_multiplier(real, &one_mult, &sh);
      one_shift = sh;
    }
    QuantActivation qa;
    qa.input_offset = -in.zero_point;
    qa.output_offset = out.zero_point;
    quantized_activation_range(act, out.scale, out.zero_point, -128, 127, &qa.act_min, &qa.act_max);
#ifdef KILN_NN_RECORDER
    if (c.recorder) {
      KernelCall k;
      init_call(&k, kRecFullyConnectedS8, oi);
      add_input(&k, ii);
      add_input(&k, fi);
      add_input(&k, has_bias ? bi : -1);
      k.fully_connected = d;
      k.quant = qp;
      k.quant_act = qa;
      k.filter_offset = f.quant_count == 1 ? -f.zero_point : 0;
      c.recorder->record(k);
      return kOk;
    }
#endif
    fully_connected_s8(d, qp, qa, f.quant_count == 1 ? -f.zero_point : 0, static_cast<const int8_t*>(input),
                       static_cast<const int8_t*>(filter), static_cast<const int32_t*>(bias),
                       static_cast<int8_t*>(output));
  } else {
    FloatActivation fa;
    float_activation_range(act, &fa.act_min, &fa.act_max);
#ifdef KILN_NN_RECORDER
    if (c.recorder) {
      KernelCall k;
      init_call(&k, kRecFullyConnectedF32, oi);
      add_input(&k, ii);
      add_input(&k, fi);
      add_input(&k, has_bias ? bi : -1);
      k.fully_connected = d;
      k.float_act = fa;
      c.recorder->record(k);
      return kOk;
    }
#endif
    fully_connected_f32(d, fa, static_cast<const float*>(input), static_cast<const float*>(filter),
                        static_cast<const float*>(bias), static_cast<float*>(output));
  }
  return kOk;
}

// Input 0 and output 0 of a single-input operator, of the same type (int8 or float32 unless noted).
Status unary(const OpContext& c, int32_t* ii, TensorView* in, int32_t* oi, TensorView* out) {
  if (c.op.num_inputs < 1 || c.op.num_outputs < 1) return kBadOperator;
  Status s;
  if ((s = get_input(c, 0, ii, in)) != kOk || (s = get_output(c, 0, oi, out)) != kOk) return s;
  return kOk;
}

Status float_or_int8(const TensorView& in, const TensorView& out) {
  if (in.type != out.type) return kBadType;
  if (in.type == kTypeFloat32) return kOk;
  if (in.type != kTypeInt8) return kBadType;
  if (!quantized(in) || !quantized(out)) return kBadQuantization;
  return kOk;
}

Status run_pool(OpContext& c, bool average) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.rank != 4 || out.rank != 4) return kBadShape;
  bool bad = false;
  const Table& o = c.op.options;
  const int32_t padding = o.valid() ? o.i8(0, 0, &bad) : 0;
  const int32_t stride_w = o.valid() ? o.i32(1, 0, &bad) : 0;
  const int32_t stride_h = o.valid() ? o.i32(2, 0, &bad) : 0;
  const int32_t filter_w = o.valid() ? o.i32(3, 0, &bad) : 0;
  const int32_t filter_h = o.valid() ? o.i32(4, 0, &bad) : 0;
  Activation act = kActNone;
  if ((s = read_activation(o, 5, &act)) != kOk) return s;
  if (bad) return kBadFlatbuffer;
  const Dims id = dims4(in), od = dims4(out);
  int32_t oh, ow, pad_h, pad_w;
  if ((s = spatial(padding, id.h, filter_h, stride_h, 1, &oh, &pad_h)) != kOk) return s;
  if ((s = spatial(padding, id.w, filter_w, stride_w, 1, &ow, &pad_w)) != kOk) return s;
  if (od.n != id.n || od.h != oh || od.w != ow || od.c != id.c) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const PoolParams p = {stride_h, stride_w, filter_h, filter_w, pad_h, pad_w};
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    const bool i8 = in.type == kTypeInt8;
    init_call(&k,
              average ? (i8 ? kRecAveragePool2dS8 : kRecAveragePool2dF32)
                      : (i8 ? kRecMaxPool2dS8 : kRecMaxPool2dF32),
              oi);
    add_input(&k, ii);
    k.pool = p;
    k.input_dims = id;
    k.output_dims = od;
    if (i8)
      quantized_activation_range(act, out.scale, out.zero_point, -128, 127, &k.act_min, &k.act_max);
    else
      float_activation_range(act, &k.float_act.act_min, &k.float_act.act_max);
    c.recorder->record(k);
    return kOk;
  }
#endif
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
  if (in.type == kTypeInt8) {
    int32_t lo, hi;
    quantized_activation_range(act, out.scale, out.zero_point, -128, 127, &lo, &hi);
    if (average)
      average_pool2d_s8(p, lo, hi, id, static_cast<const int8_t*>(input), od, static_cast<int8_t*>(output));
    else
      max_pool2d_s8(p, lo, hi, id, static_cast<const int8_t*>(input), od, static_cast<int8_t*>(output));
  } else {
    FloatActivation fa;
    float_activation_range(act, &fa.act_min, &fa.act_max);
    if (average)
      average_pool2d_f32(p, fa, id, static_cast<const float*>(input), od, static_cast<float*>(output));
    else
      max_pool2d_f32(p, fa, id, static_cast<const float*>(input), od, static_cast<float*>(output));
  }
  return kOk;
}

Status run_binary(OpContext& c, bool is_add) {
  if (c.op.num_inputs < 2 || c.op.num_outputs < 1) return kBadOperator;
  int32_t ai, bi, oi;
  TensorView a, b, out;
  Status s;
  if ((s = get_input(c, 0, &ai, &a)) != kOk || (s = get_input(c, 1, &bi, &b)) != kOk ||
      (s = get_output(c, 0, &oi, &out)) != kOk)
    return s;
  if ((s = float_or_int8(a, out)) != kOk || (s = float_or_int8(b, out)) != kOk) return s;
  Activation act = kActNone;
  if ((s = read_activation(c.op.options, 0, &act)) != kOk) return s;
  const bool flat = same_shape(a, b);
  BroadcastShape shape;
  if (flat) {
    if (a.elements != out.elements) return kShapeMismatch;
  } else {
    if (!make_broadcast_shape(a.rank, a.dims, b.rank, b.dims, &shape)) return kShapeMismatch;
    const int64_t n = int64_t(shape.out[0]) * shape.out[1] * shape.out[2] * shape.out[3];
    if (n != out.elements) return kShapeMismatch;
  }
  c.scratch = 0;
  if (!executing(c)) return kOk;
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    const bool i8 = out.type == kTypeInt8;
    RecordedKernel kind;
    if (is_add)
      kind = i8 ? (flat ? kRecAddS8 : kRecAddS8Broadcast) : (flat ? kRecAddF32 : kRecAddF32Broadcast);
    else
      kind = i8 ? (flat ? kRecMulS8 : kRecMulS8Broadcast) : (flat ? kRecMulF32 : kRecMulF32Broadcast);
    init_call(&k, kind, oi);
    add_input(&k, ai);
    add_input(&k, bi);
    k.count = out.elements;
    if (!flat) k.broadcast = shape;
    if (i8 && is_add)
      add_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &k.add);
    else if (i8)
      mul_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &k.mul);
    else
      float_activation_range(act, &k.float_act.act_min, &k.float_act.act_max);
    c.recorder->record(k);
    return kOk;
  }
#endif
  const void* pa = tensor_memory(c, ai, a);
  const void* pb = tensor_memory(c, bi, b);
  void* po = tensor_memory(c, oi, out);
  if (out.type == kTypeInt8) {
    const int8_t *x = static_cast<const int8_t*>(pa), *y = static_cast<const int8_t*>(pb);
    int8_t* z = static_cast<int8_t*>(po);
    if (is_add) {
      AddParams p;
      add_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &p);
      if (flat)
        add_s8(p, out.elements, x, y, z);
      else
        add_s8_broadcast(p, shape, x, y, z);
    } else {
      MulParams p;
      mul_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &p);
      if (flat)
        mul_s8(p, out.elements, x, y, z);
      else
        mul_s8_broadcast(p, shape, x, y, z);
    }
  } else {
    FloatActivation fa;
    float_activation_range(act, &fa.act_min, &fa.act_max);
    const float *x = static_cast<const float*>(pa), *y = static_cast<const float*>(pb);
    float* z = static_cast<float*>(po);
    if (is_add) {
      if (flat)
        add_f32(fa, out.elements, x, y, z);
      else
        add_f32_broadcast(fa, shape, x, y, z);
    } else {
      if (flat)
        mul_f32(fa, out.elements, x, y, z);
      else
        mul_f32_broadcast(fa, shape, x, y, z);
    }
  }
  return kOk;
}

Status run_reshape(OpContext& c) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if (in.type != out.type) return kBadType;
  if (in.elements != out.elements) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, kRecReshape, oi);
    add_input(&k, ii);
    k.count = out.elements;
    c.recorder->record(k);
    return kOk;
  }
#endif
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
  if (input != output) memmove(output, input, out.bytes);
  return kOk;
}

bool is_output_q8(const TensorView& out) {
  // TFLite fixes softmax/logistic int8 outputs to scale 1/256, zero point -128.
  return out.zero_point == -128 && fabsf(out.scale - 1.0f / 256.0f) <= 1e-3f / 256.0f;
}

Status run_softmax(OpContext& c) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements || in.rank < 1) return kShapeMismatch;
  if (in.type == kTypeInt8 && !is_output_q8(out)) return kBadQuantization;
  bool bad = false;
  const float beta = c.op.options.valid() ? c.op.options.f32(0, 0.0f, &bad) : 0.0f;
  if (bad) return kBadFlatbuffer;
  if (!(beta >= 0.0f) || !(beta < 1e6f)) return kBadOperator;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const int32_t depth = in.dims[in.rank - 1];
  const int32_t rows = in.elements / depth;
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, in.type == kTypeInt8 ? kRecSoftmaxS8 : kRecSoftmaxF32, oi);
    add_input(&k, ii);
    k.rows = rows;
    k.depth = depth;
    k.beta = beta;
    if (in.type == kTypeInt8) softmax_s8_params(beta, in.scale, &k.softmax);
    c.recorder->record(k);
    return kOk;
  }
#endif
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
  if (in.type == kTypeInt8) {
    SoftmaxParams p;
    softmax_s8_params(beta, in.scale, &p);
    softmax_s8(p, rows, depth, static_cast<const int8_t*>(input), static_cast<int8_t*>(output));
  } else {
    softmax_f32(beta, rows, depth, static_cast<const float*>(input), static_cast<float*>(output));
  }
  return kOk;
}

Status run_logistic(OpContext& c) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements) return kShapeMismatch;
  if (in.type == kTypeInt8 && !is_output_q8(out)) return kBadQuantization;
  c.scratch = 0;
  if (!executing(c)) return kOk;
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, in.type == kTypeInt8 ? kRecLogisticS8 : kRecLogisticF32, oi);
    add_input(&k, ii);
    k.count = in.elements;
    if (in.type == kTypeInt8) logistic_s8_params(in.scale, in.zero_point, &k.logistic);
    c.recorder->record(k);
    return kOk;
  }
#endif
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
  if (in.type == kTypeInt8) {
    LogisticParams p;
    logistic_s8_params(in.scale, in.zero_point, &p);
    logistic_s8(p, in.elements, static_cast<const int8_t*>(input), static_cast<int8_t*>(output));
  } else {
    logistic_f32(in.elements, static_cast<const float*>(input), static_cast<float*>(output));
  }
  return kOk;
}

Status run_activation(OpContext& c, Activation act) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, in.type == kTypeInt8 ? kRecActivationS8 : kRecActivationF32, oi);
    add_input(&k, ii);
    k.count = in.elements;
    k.activation = act;
    if (in.type == kTypeInt8)
      activation_s8_params(act, in.scale, in.zero_point, out.scale, out.zero_point, &k.activation_params);
    c.recorder->record(k);
    return kOk;
  }
#endif
  if (in.type == kTypeInt8) {
    ActivationParams p;
    activation_s8_params(act, in.scale, in.zero_point, out.scale, out.zero_point, &p);
    activation_s8(p, in.elements, static_cast<const int8_t*>(input), static_cast<int8_t*>(output));
  } else {
    activation_f32(act, in.elements, static_cast<const float*>(input), static_cast<float*>(output));
  }
  return kOk;
}

Status run_quantize(OpContext& c) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if (out.type != kTypeInt8) return kBadType;
  if (in.type != kTypeFloat32 && in.type != kTypeInt8 && in.type != kTypeInt16) return kBadType;
  if (!quantized(out) || (in.type != kTypeFloat32 && !quantized(in))) return kBadQuantization;
  if (in.elements != out.elements) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const void* input = tensor_memory(c, ii, in);
  int8_t* output = static_cast<int8_t*>(tensor_memory(c, oi, out));
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k,
              in.type == kTypeFloat32 ? kRecQuantizeF32S8
                                      : (in.type == kTypeInt8 ? kRecRequantizeS8S8 : kRecRequantizeS16S8),
              oi);
    add_input(&k, ii);
    k.count = in.elements;
    k.scale = out.scale;
    k.zero_point = out.zero_point;
    if (in.type != kTypeFloat32)
      requantize_params(in.scale, in.zero_point, out.scale, out.zero_point, &k.requantize);
    c.recorder->record(k);
    return kOk;
  }
#endif
  if (in.type == kTypeFloat32) {
    quantize_f32_s8(out.scale, out.zero_point, in.elements, static_cast<const float*>(input), output);
  } else {
    RequantizeParams p;
    requantize_params(in.scale, in.zero_point, out.scale, out.zero_point, &p);
    if (in.type == kTypeInt8)
      requantize_s8_s8(p, in.elements, static_cast<const int8_t*>(input), output);
    else
      requantize_s16_s8(p, in.elements, static_cast<const int16_t*>(input), output);
  }
  return kOk;
}

Status run_dequantize(OpContext& c) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if (in.type != kTypeInt8 || out.type != kTypeFloat32) return kBadType;
  if (!quantized(in)) return kBadQuantization;
  if (in.elements != out.elements) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, kRecDequantizeS8F32, oi);
    add_input(&k, ii);
    k.count = in.elements;
    k.scale = in.scale;
    k.zero_point = in.zero_point;
    c.recorder->record(k);
    return kOk;
  }
#endif
  dequantize_s8_f32(in.scale, in.zero_point, in.elements,
                    static_cast<const int8_t*>(tensor_memory(c, ii, in)),
                    static_cast<float*>(tensor_memory(c, oi, out)));
  return kOk;
}

// A constant int32 tensor (axes, paddings).
Status constant_i32(const OpContext& c, uint32_t input, TensorView* v) {
  int32_t index;
  Status s = get_input(c, input, &index, v);
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

Status run_mean(OpContext& c) {
  if (c.op.num_inputs < 2) return kBadOperator;
  int32_t ii, oi;
  TensorView in, out, axes;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if ((s = constant_i32(c, 1, &axes)) != kOk) return s;
  if (in.rank > 4) return kUnsupportedFeature;
  MeanParams p;
  memset(&p, 0, sizeof p);
  const int pad = 4 - in.rank;
  for (int i = 0; i < 4; ++i) p.input_dims[i] = i < pad ? 1 : in.dims[i - pad];
  for (int32_t i = 0; i < axes.elements; ++i) {
    int32_t a = i32_at(axes, i);
    if (a < 0) a += in.rank;
    if (a < 0 || a >= in.rank) return kBadOperator;
    p.reduce[a + pad] = true;
  }
  int64_t kept = 1;
  for (int i = 0; i < 4; ++i) kept *= p.reduce[i] ? 1 : p.input_dims[i];
  if (kept != out.elements) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, in.type == kTypeInt8 ? kRecMeanS8 : kRecMeanF32, oi);
    add_input(&k, ii);
    if (in.type == kTypeInt8) mean_s8_params(in.scale, in.zero_point, out.scale, out.zero_point, &p);
    k.mean = p;
    c.recorder->record(k);
    return kOk;
  }
#endif
  if (in.type == kTypeInt8) {
    mean_s8_params(in.scale, in.zero_point, out.scale, out.zero_point, &p);
    mean_s8(p, static_cast<const int8_t*>(input), static_cast<int8_t*>(output));
  } else {
    mean_f32(p, static_cast<const float*>(input), static_cast<float*>(output));
  }
  return kOk;
}

Status run_pad(OpContext& c, bool v2) {
  if (c.op.num_inputs < 2) return kBadOperator;
  int32_t ii, oi;
  TensorView in, out, paddings;
  Status s;
  if ((s = unary(c, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if ((s = constant_i32(c, 1, &paddings)) != kOk) return s;
  if (in.rank > 4 || in.rank != out.rank) return kUnsupportedFeature;
  if (paddings.elements != 2 * in.rank) return kShapeMismatch;
  PadParams p;
  const int lead = 4 - in.rank;
  for (int i = 0; i < 4; ++i) {
    p.input_dims[i] = i < lead ? 1 : in.dims[i - lead];
    p.before[i] = i < lead ? 0 : i32_at(paddings, 2 * (i - lead));
    p.after[i] = i < lead ? 0 : i32_at(paddings, 2 * (i - lead) + 1);
    if (p.before[i] < 0 || p.after[i] < 0 || p.before[i] > (1 << 28) || p.after[i] > (1 << 28))
      return kBadOperator;
    if (i >= lead && int64_t(p.before[i]) + p.input_dims[i] + p.after[i] != out.dims[i - lead])
      return kShapeMismatch;
  }
  int8_t value8 = static_cast<int8_t>(out.zero_point);
  float value32 = 0.0f;
  int32_t vi = -1;
  TensorView value;
  if (v2 && c.op.num_inputs >= 3 && (vi = operator_input(*c.model, c.op, 2)) >= 0) {
    if ((s = read_tensor(*c.model, vi, &value)) != kOk) return s;
    if (value.type != in.type || value.elements != 1 || !value.data) return kBadOperator;
    if (in.type == kTypeInt8)
      value8 = static_cast<int8_t>(value.data[0]);
    else
      memcpy(&value32, value.data, 4);
  }
  c.scratch = 0;
  if (!executing(c)) return kOk;
  const void* input = tensor_memory(c, ii, in);
  void* output = tensor_memory(c, oi, out);
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, kRecPad, oi);
    add_input(&k, ii);
    k.pad = p;
    k.element_size = in.type == kTypeInt8 ? 1 : 4;
    k.pad_s8 = value8;
    k.pad_f32 = value32;
    c.recorder->record(k);
    return kOk;
  }
#endif
  if (in.type == kTypeInt8)
    pad(p, 1, &value8, input, output);
  else
    pad(p, 4, &value32, input, output);
  return kOk;
}

Status run_concatenation(OpContext& c) {
  if (c.op.num_inputs < 1 || c.op.num_outputs < 1) return kBadOperator;
  if (c.op.num_inputs > static_cast<uint32_t>(kMaxConcatInputs)) return kUnsupportedFeature;
  int32_t oi;
  TensorView out;
  Status s;
  if ((s = get_output(c, 0, &oi, &out)) != kOk) return s;
  bool bad = false;
  int32_t axis = c.op.options.valid() ? c.op.options.i32(0, 0, &bad) : 0;
  Activation act = kActNone;
  if ((s = read_activation(c.op.options, 1, &act)) != kOk) return s;
  if (bad) return kBadFlatbuffer;
  if (act != kActNone) return kUnsupportedFeature;
  if (axis < 0) axis += out.rank;
  if (axis < 0 || axis >= out.rank) return kBadOperator;
  const void* inputs[kMaxConcatInputs];
#ifdef KILN_NN_RECORDER
  int32_t input_tensors[kMaxConcatInputs];
#endif
  int32_t axis_sizes[kMaxConcatInputs];
  int64_t axis_total = 0;
  for (uint32_t i = 0; i < c.op.num_inputs; ++i) {
    int32_t ii;
    TensorView in;
    if ((s = get_input(c, i, &ii, &in)) != kOk) return s;
    if (in.type != out.type || in.rank != out.rank) return kBadType;
    if (out.type == kTypeInt8 && (in.scale != out.scale || in.zero_point != out.zero_point))
      return kBadQuantization;
    for (int d = 0; d < out.rank; ++d)
      if (d != axis && in.dims[d] != out.dims[d]) return kShapeMismatch;
    axis_sizes[i] = in.dims[axis];
    axis_total += in.dims[axis];
    if (c.interp) inputs[i] = tensor_memory(c, ii, in);
#ifdef KILN_NN_RECORDER
    input_tensors[i] = ii;
#endif
  }
  if (axis_total != out.dims[axis]) return kShapeMismatch;
  c.scratch = 0;
  if (!executing(c)) return kOk;
  int32_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= out.dims[d];
  for (int d = axis + 1; d < out.rank; ++d) inner *= out.dims[d];
#ifdef KILN_NN_RECORDER
  if (c.recorder) {
    KernelCall k;
    init_call(&k, kRecConcatenation, oi);
    for (uint32_t i = 0; i < c.op.num_inputs; ++i) {
      add_input(&k, input_tensors[i]);
      k.axis_sizes[i] = axis_sizes[i];
    }
    k.outer = outer;
    k.inner = inner;
    k.element_size = out.element_size;
    c.recorder->record(k);
    return kOk;
  }
#endif
  concatenation(static_cast<int32_t>(c.op.num_inputs), inputs, axis_sizes, outer, inner, out.element_size,
                tensor_memory(c, oi, out));
  return kOk;
}

}  // namespace

namespace {

Status dispatch(OpContext& c, int32_t index, size_t* scratch_bytes);

}  // namespace

Status run_operator(const Model& model, int32_t index, Interpreter* interp, size_t* scratch_bytes) {
  OpContext c;
  c.model = &model;
  c.interp = interp;
  c.scratch = 0;
#ifdef KILN_NN_RECORDER
  c.recorder = 0;
#endif
  return dispatch(c, index, scratch_bytes);
}

#ifdef KILN_NN_RECORDER
Status record_operator(const Model& model, int32_t op, CallRecorder* recorder) {
  if (!recorder) return kNullArgument;
  OpContext c;
  c.model = &model;
  c.interp = 0;
  c.scratch = 0;
  c.recorder = recorder;
  return dispatch(c, op, 0);
}
#endif

namespace {

Status dispatch(OpContext& c, int32_t index, size_t* scratch_bytes) {
  const Model& model = *c.model;
  Status s = read_operator(model, index, &c.op);
  if (s != kOk) return s;
  switch (c.op.code) {
    case kOpConv2D:
      s = run_conv(c, index, false);
      break;
    case kOpDepthwiseConv2D:
      s = run_conv(c, index, true);
      break;
    case kOpFullyConnected:
      s = run_fully_connected(c, index);
      break;
    case kOpAveragePool2D:
      s = run_pool(c, true);
      break;
    case kOpMaxPool2D:
      s = run_pool(c, false);
      break;
    case kOpAdd:
      s = run_binary(c, true);
      break;
    case kOpMul:
      s = run_binary(c, false);
      break;
    case kOpReshape:
    case kOpSqueeze:
    case kOpExpandDims:
      s = run_reshape(c);
      break;
    case kOpSoftmax:
      s = run_softmax(c);
      break;
    case kOpLogistic:
      s = run_logistic(c);
      break;
    case kOpRelu:
      s = run_activation(c, kActRelu);
      break;
    case kOpRelu6:
      s = run_activation(c, kActRelu6);
      break;
    case kOpReluN1To1:
      s = run_activation(c, kActReluN1To1);
      break;
    case kOpQuantize:
      s = run_quantize(c);
      break;
    case kOpDequantize:
      s = run_dequantize(c);
      break;
    case kOpMean:
      s = run_mean(c);
      break;
    case kOpPad:
      s = run_pad(c, false);
      break;
    case kOpPadV2:
      s = run_pad(c, true);
      break;
    case kOpConcatenation:
      s = run_concatenation(c);
      break;
    default:
      s = kUnsupportedOperator;
  }
  if (scratch_bytes) *scratch_bytes = c.scratch;
  return s;
}

}  // namespace

}  // namespace nn
}  // namespace kiln
