// DEPTHWISE_CONV_2D: input [n, h, w, c], filter [1, kh, kw, c * depth_multiplier], optional bias; float32, or
// int8 with per-channel (or per-tensor) filter scales.
#include "nn/depthwise_conv2d.h"
#include "nn/ops/op_checks.h"
#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_depthwise_conv2d_s8(const void* call, CallWriter& w) {
  const DepthwiseConv2dS8Call& c = *static_cast<const DepthwiseConv2dS8Call*>(call);
  w.begin();
  print(w, c.conv);
  print(w, c.quant);
  print(w, c.act);
  print(w, c.input);
  print(w, c.filter);
  print(w, c.output);
  w.end();
}

void print_depthwise_conv2d_f32(const void* call, CallWriter& w) {
  const DepthwiseConv2dF32Call& c = *static_cast<const DepthwiseConv2dF32Call*>(call);
  w.begin();
  print(w, c.conv);
  print(w, c.act);
  print(w, c.input);
  print(w, c.filter);
  print(w, c.output);
  w.end();
}

// Loops b, oy, ox, then ic and m (output channel ic * depth_multiplier + m, ascending): it reads channel ic.
void access(const DepthwiseParams& d, const Dims& in, const Dims& f, const Dims& out, int32_t bytes,
            KernelAccess* a) {
  const ConvParams g = {d.stride_h, d.stride_w, d.dilation_h, d.dilation_w, d.pad_h, d.pad_w};
  window_access(in, out, f.h, f.w, g, d.depth_multiplier, 1, bytes, a);
}

void access_depthwise_conv2d_s8(const void* call, KernelAccess* a) {
  const DepthwiseConv2dS8Call& c = *static_cast<const DepthwiseConv2dS8Call*>(call);
  access(c.conv, c.input, c.filter, c.output, 1, a);
}

void access_depthwise_conv2d_f32(const void* call, KernelAccess* a) {
  const DepthwiseConv2dF32Call& c = *static_cast<const DepthwiseConv2dF32Call*>(call);
  access(c.conv, c.input, c.filter, c.output, 4, a);
}
#endif

const KernelDef kDepthwiseConv2dS8 = {
    eval_depthwise_conv2d_s8,
    sizeof(DepthwiseConv2dS8Call)
        KILN_NN_EMIT("DepthwiseConv2dS8Call", "eval_depthwise_conv2d_s8", "nn/depthwise_conv2d.h",
                     print_depthwise_conv2d_s8, access_depthwise_conv2d_s8)};
const KernelDef kDepthwiseConv2dF32 = {
    eval_depthwise_conv2d_f32,
    sizeof(DepthwiseConv2dF32Call)
        KILN_NN_EMIT("DepthwiseConv2dF32Call", "eval_depthwise_conv2d_f32", "nn/depthwise_conv2d.h",
                     print_depthwise_conv2d_f32, access_depthwise_conv2d_f32)};

Status prepare(OpPrepare& p) {
  typedef tflite::fields::DepthwiseConv2DOptions F;
  if (p.num_inputs() < 2 || p.num_outputs() < 1) return kBadOperator;
  int32_t ii, fi, bi, oi;
  TensorView in, f, b, out;
  Status s;
  if ((s = p.input(0, &in, &ii)) != kOk || (s = p.input(1, &f, &fi)) != kOk ||
      (s = p.output(0, &out, &oi)) != kOk)
    return s;
  if (in.rank != 4 || f.rank != 4 || out.rank != 4) return kBadShape;
  const int32_t out_c = f.dims[3];
  bool has_bias = false;
  if ((s = optional_bias(p, out_c, &bi, &b, &has_bias)) != kOk) return s;
  if ((s = check_conv_types(in, f, has_bias ? &b : 0, out)) != kOk) return s;

  const Dims id = dims4(in), fd = dims4(f), od = dims4(out);
  ConvParams window;
  Activation act;
  int32_t oh, ow;
  if ((s = read_conv_window<F>(p.options(), id, fd, &window, &act, &oh, &ow)) != kOk) return s;
  DepthwiseParams conv;
  conv.stride_h = window.stride_h;
  conv.stride_w = window.stride_w;
  conv.dilation_h = window.dilation_h;
  conv.dilation_w = window.dilation_w;
  conv.pad_h = window.pad_h;
  conv.pad_w = window.pad_w;
  if (od.n != id.n || od.h != oh || od.w != ow || od.c != out_c) return kShapeMismatch;
  // The options' depth_multiplier is redundant (TFLite ignores it too): the shapes define it.
  if (fd.n != 1 || out_c % id.c != 0) return kShapeMismatch;
  conv.depth_multiplier = out_c / id.c;

  if (in.type == kTypeInt8) {
    if ((s = check_filter_quantization(p.model(), f, out_c, 3)) != kOk) return s;
    DepthwiseConv2dS8Call* c = use_kernel<DepthwiseConv2dS8Call>(p, kDepthwiseConv2dS8);
    c->conv = conv;
    channel_multipliers(p, in, f, out, &c->quant);
    conv_activation_s8(in, out, act, &c->act);
    c->input = id;
    c->filter = fd;
    c->output = od;
  } else {
    DepthwiseConv2dF32Call* c = use_kernel<DepthwiseConv2dF32Call>(p, kDepthwiseConv2dF32);
    c->conv = conv;
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->input = id;
    c->filter = fd;
    c->output = od;
  }
  p.bind_input(ii);
  p.bind_input(fi);
  p.bind_input(has_bias ? bi : -1);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kDepthwiseConv2dOp = {tflite::kOpDepthwiseConv2D, "DEPTHWISE_CONV_2D",
                                         tflite::kDepthwiseConv2DOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
