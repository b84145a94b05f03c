// FULLY_CONNECTED: input [..., depth] (any shape with a multiple of depth elements), weights [units, depth],
// optional bias [units]; float32, or int8 with per-tensor or per-channel weight scales.
#include "nn/fully_connected.h"
#include "nn/ops/op_checks.h"
#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_dims(CallWriter& w, const FullyConnectedDims& d) {
  const int32_t v[3] = {d.batches, d.depth, d.units};
  print_i32s(w, v, 3);
}

void print_fully_connected_s8(const void* call, CallWriter& w) {
  const FullyConnectedS8Call& c = *static_cast<const FullyConnectedS8Call*>(call);
  w.begin();
  print(w, c.quant);
  print_dims(w, c.dims);
  print(w, c.act);
  w.i32(c.filter_offset);
  w.i32(c.multiplier);
  w.i32(c.shift);
  w.end();
}

void print_fully_connected_f32(const void* call, CallWriter& w) {
  const FullyConnectedF32Call& c = *static_cast<const FullyConnectedF32Call*>(call);
  w.begin();
  print_dims(w, c.dims);
  print(w, c.act);
  w.end();
}

// Loops b, u: output (b, u) reads the whole input row b.
void access(const FullyConnectedDims& d, int32_t bytes, KernelAccess* a) {
  a->pattern = KernelAccess::kMatrix;
  a->in_bytes = a->out_bytes = bytes;
  a->data_inputs = 1;
  a->rows = d.batches;
  a->depth = d.depth;
  a->units = d.units;
}

void access_fully_connected_s8(const void* call, KernelAccess* a) {
  access(static_cast<const FullyConnectedS8Call*>(call)->dims, 1, a);
}

void access_fully_connected_f32(const void* call, KernelAccess* a) {
  access(static_cast<const FullyConnectedF32Call*>(call)->dims, 4, a);
}
#endif

const KernelDef kFullyConnectedS8 = {
    eval_fully_connected_s8, sizeof(FullyConnectedS8Call) KILN_NN_EMIT(
                                 "FullyConnectedS8Call", "eval_fully_connected_s8", "nn/fully_connected.h",
                                 print_fully_connected_s8, access_fully_connected_s8)};
const KernelDef kFullyConnectedF32 = {
    eval_fully_connected_f32, sizeof(FullyConnectedF32Call) KILN_NN_EMIT(
                                  "FullyConnectedF32Call", "eval_fully_connected_f32", "nn/fully_connected.h",
                                  print_fully_connected_f32, access_fully_connected_f32)};

Status prepare(OpPrepare& p) {
  typedef tflite::fields::FullyConnectedOptions F;
  if (p.num_inputs() < 2 || p.num_outputs() < 1) return kBadOperator;
  int32_t ii, fi, bi, oi;
  TensorView in, f, b, out;
  Status s;
  if ((s = p.input(0, &in, &ii)) != kOk || (s = p.input(1, &f, &fi)) != kOk ||
      (s = p.output(0, &out, &oi)) != kOk)
    return s;
  if (f.rank != 2) return kBadShape;
  const int32_t units = f.dims[0], depth = f.dims[1];
  bool has_bias = false;
  if ((s = optional_bias(p, units, &bi, &b, &has_bias)) != kOk) return s;
  if ((s = check_conv_types(in, f, has_bias ? &b : 0, out)) != kOk) return s;
  if (in.elements % depth != 0) return kShapeMismatch;
  const int32_t batches = in.elements / depth;
  if (static_cast<int64_t>(batches) * units != out.elements) return kShapeMismatch;
  Activation act = kActNone;
  if ((s = read_activation(p.options(), F::kFusedActivationFunction, &act)) != kOk) return s;
  bool bad = false;
  if (p.options().valid() && p.options().i8(F::kWeightsFormat, tflite::kWeightsDefault, &bad) != 0)
    return kUnsupportedFeature;  // shuffled weights
  if (bad) return kBadFlatbuffer;
  const FullyConnectedDims d = {batches, depth, units};

  if (in.type == kTypeInt8) {
    if (!quantized(f)) return kBadQuantization;
    if (f.quant_count != 1 && (s = check_filter_quantization(p.model(), f, units, 0)) != kOk) return s;
    FullyConnectedS8Call* c = use_kernel<FullyConnectedS8Call>(p, kFullyConnectedS8);
    c->dims = d;
    if (f.quant_count > 1) {
      channel_multipliers(p, in, f, out, &c->quant);
    } else {
      c->quant.count = 1;
      // TFLite multiplies the two float scales in float before widening (GetQuantizedConvolutionMultipler).
      const double real = static_cast<double>(in.scale * f.scale) / static_cast<double>(out.scale);
      int shift = 0;
      quantize_multiplier(real, &c->multiplier, &shift);
      c->shift = shift;
    }
    conv_activation_s8(in, out, act, &c->act);
    c->filter_offset = f.quant_count == 1 ? -f.zero_point : 0;
  } else {
    FullyConnectedF32Call* c = use_kernel<FullyConnectedF32Call>(p, kFullyConnectedF32);
    c->dims = d;
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
  }
  p.bind_input(ii);
  p.bind_input(fi);
  p.bind_input(has_bias ? bi : -1);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kFullyConnectedOp = {tflite::kOpFullyConnected, "FULLY_CONNECTED",
                                        tflite::kFullyConnectedOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
