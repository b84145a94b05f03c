// CONV_2D: input [n, h, w, c], filter [out_c, kh, kw, c / groups], optional bias [out_c]; float32, or int8
// with per-channel (or per-tensor) filter scales.
#include "nn/conv2d.h"
#include "nn/ops/op_checks.h"
#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_conv2d_s8(const void* call, CallWriter& w) {
  const Conv2dS8Call& c = *static_cast<const Conv2dS8Call*>(call);
  w.begin();
  print(w, c.conv);
  print(w, c.quant);
  print(w, c.act);
  print(w, c.input);
  print(w, c.filter);
  print(w, c.output);
  w.end();
}

void print_conv2d_f32(const void* call, CallWriter& w) {
  const Conv2dF32Call& c = *static_cast<const Conv2dF32Call*>(call);
  w.begin();
  print(w, c.conv);
  print(w, c.act);
  print(w, c.input);
  print(w, c.filter);
  print(w, c.output);
  w.end();
}

// Loops b, oy, ox, oc; output channel oc reads the filter.c input channels of its group.
void access(const ConvParams& conv, const Dims& in, const Dims& f, const Dims& out, int32_t bytes,
            KernelAccess* a) {
  window_access(in, out, f.h, f.w, conv, out.c / (in.c / f.c), f.c, bytes, a);
}

void access_conv2d_s8(const void* call, KernelAccess* a) {
  const Conv2dS8Call& c = *static_cast<const Conv2dS8Call*>(call);
  access(c.conv, c.input, c.filter, c.output, 1, a);
}

void access_conv2d_f32(const void* call, KernelAccess* a) {
  const Conv2dF32Call& c = *static_cast<const Conv2dF32Call*>(call);
  access(c.conv, c.input, c.filter, c.output, 4, a);
}
#endif

const KernelDef kConv2dS8 = {
    eval_conv2d_s8, sizeof(Conv2dS8Call) KILN_NN_EMIT("Conv2dS8Call", "eval_conv2d_s8", "nn/conv2d.h",
                                                      print_conv2d_s8, access_conv2d_s8)};
const KernelDef kConv2dF32 = {
    eval_conv2d_f32, sizeof(Conv2dF32Call) KILN_NN_EMIT("Conv2dF32Call", "eval_conv2d_f32", "nn/conv2d.h",
                                                        print_conv2d_f32, access_conv2d_f32)};

Status prepare(OpPrepare& p) {
  typedef tflite::fields::Conv2DOptions F;
  if (p.num_inputs() < 2 || p.num_outputs() < 1) return kBadOperator;
  int32_t ii, fi, bi, oi;
  TensorView in, f, b, out;
  Status s;
  if ((s = p.input(0, &in, &ii)) != kOk || (s = p.input(1, &f, &fi)) != kOk ||
      (s = p.output(0, &out, &oi)) != kOk)
    return s;
  if (in.rank != 4 || f.rank != 4 || out.rank != 4) return kBadShape;
  const int32_t out_c = f.dims[0];
  bool has_bias = false;
  if ((s = optional_bias(p, out_c, &bi, &b, &has_bias)) != kOk) return s;
  if ((s = check_conv_types(in, f, has_bias ? &b : 0, out)) != kOk) return s;

  const Dims id = dims4(in), fd = dims4(f), od = dims4(out);
  ConvParams conv;
  Activation act;
  int32_t oh, ow;
  if ((s = read_conv_window<F>(p.options(), id, fd, &conv, &act, &oh, &ow)) != kOk) return s;
  if (od.n != id.n || od.h != oh || od.w != ow || od.c != out_c) return kShapeMismatch;
  if (fd.c < 1 || id.c % fd.c != 0) return kShapeMismatch;
  if (out_c % (id.c / fd.c) != 0) return kShapeMismatch;  // output channels split evenly over the groups

  if (in.type == kTypeInt8) {
    if ((s = check_filter_quantization(p.model(), f, out_c, 0)) != kOk) return s;
    Conv2dS8Call* c = use_kernel<Conv2dS8Call>(p, kConv2dS8);
    c->conv = conv;
    channel_multipliers(p, in, f, out, &c->quant);
    conv_activation_s8(in, out, act, &c->act);
    c->input = id;
    c->filter = fd;
    c->output = od;
  } else {
    Conv2dF32Call* c = use_kernel<Conv2dF32Call>(p, kConv2dF32);
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

extern const OpDef kConv2dOp = {tflite::kOpConv2D, "CONV_2D", tflite::kConv2DOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
