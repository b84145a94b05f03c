// AVERAGE_POOL_2D and MAX_POOL_2D: input and output [n, h, w, c], the same Pool2DOptions; float32 or int8
// (with the input's quantization).
#include "nn/average_pool2d.h"
#include "nn/max_pool2d.h"
#include "nn/ops/op_checks.h"
#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_pool_s8(const void* call, CallWriter& w) {
  const Pool2dS8Call& c = *static_cast<const Pool2dS8Call*>(call);
  w.begin();
  print(w, c.pool);
  w.i32(c.act_min);
  w.i32(c.act_max);
  print(w, c.input);
  print(w, c.output);
  w.end();
}

void print_pool_f32(const void* call, CallWriter& w) {
  const Pool2dF32Call& c = *static_cast<const Pool2dF32Call*>(call);
  w.begin();
  print(w, c.pool);
  print(w, c.act);
  print(w, c.input);
  print(w, c.output);
  w.end();
}

// Loops b, oy, ox, c: output (b, oy, ox, c) reads its window (clipped to the input) in channel c.
void access(const PoolParams& p, const Dims& in, const Dims& out, int32_t bytes, KernelAccess* a) {
  const ConvParams g = {p.stride_h, p.stride_w, 1, 1, p.pad_h, p.pad_w};
  window_access(in, out, p.filter_h, p.filter_w, g, 1, 1, bytes, a);
}

void access_pool_s8(const void* call, KernelAccess* a) {
  const Pool2dS8Call& c = *static_cast<const Pool2dS8Call*>(call);
  access(c.pool, c.input, c.output, 1, a);
}

void access_pool_f32(const void* call, KernelAccess* a) {
  const Pool2dF32Call& c = *static_cast<const Pool2dF32Call*>(call);
  access(c.pool, c.input, c.output, 4, a);
}
#endif

const KernelDef kAveragePool2dS8 = {eval_average_pool2d_s8,
                                    sizeof(Pool2dS8Call)
                                        KILN_NN_EMIT("Pool2dS8Call", "eval_average_pool2d_s8",
                                                     "nn/average_pool2d.h", print_pool_s8, access_pool_s8)};
const KernelDef kAveragePool2dF32 = {
    eval_average_pool2d_f32,
    sizeof(Pool2dF32Call) KILN_NN_EMIT("Pool2dF32Call", "eval_average_pool2d_f32", "nn/average_pool2d.h",
                                       print_pool_f32, access_pool_f32)};
const KernelDef kMaxPool2dS8 = {
    eval_max_pool2d_s8, sizeof(Pool2dS8Call) KILN_NN_EMIT("Pool2dS8Call", "eval_max_pool2d_s8",
                                                          "nn/max_pool2d.h", print_pool_s8, access_pool_s8)};
const KernelDef kMaxPool2dF32 = {eval_max_pool2d_f32,
                                 sizeof(Pool2dF32Call)
                                     KILN_NN_EMIT("Pool2dF32Call", "eval_max_pool2d_f32", "nn/max_pool2d.h",
                                                  print_pool_f32, access_pool_f32)};

Status prepare(OpPrepare& p, const KernelDef& s8, const KernelDef& f32) {
  typedef tflite::fields::Pool2DOptions F;
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.rank != 4 || out.rank != 4) return kBadShape;
  bool bad = false;
  const Table& o = p.options();
  const int32_t padding =
      o.valid() ? o.i8(F::kPadding, tflite::kPaddingSame, &bad) : static_cast<int32_t>(tflite::kPaddingSame);
  PoolParams pool;
  pool.stride_w = o.valid() ? o.i32(F::kStrideW, 0, &bad) : 0;
  pool.stride_h = o.valid() ? o.i32(F::kStrideH, 0, &bad) : 0;
  pool.filter_w = o.valid() ? o.i32(F::kFilterWidth, 0, &bad) : 0;
  pool.filter_h = o.valid() ? o.i32(F::kFilterHeight, 0, &bad) : 0;
  Activation act = kActNone;
  if ((s = read_activation(o, F::kFusedActivationFunction, &act)) != kOk) return s;
  if (bad) return kBadFlatbuffer;
  const Dims id = dims4(in), od = dims4(out);
  int32_t oh, ow;
  if ((s = spatial(padding, id.h, pool.filter_h, pool.stride_h, 1, &oh, &pool.pad_h)) != kOk) return s;
  if ((s = spatial(padding, id.w, pool.filter_w, pool.stride_w, 1, &ow, &pool.pad_w)) != kOk) return s;
  if (od.n != id.n || od.h != oh || od.w != ow || od.c != id.c) return kShapeMismatch;
  if (in.type == kTypeInt8) {
    Pool2dS8Call* c = use_kernel<Pool2dS8Call>(p, s8);
    c->pool = pool;
    quantized_activation_range(act, out.scale, out.zero_point, -128, 127, &c->act_min, &c->act_max);
    c->input = id;
    c->output = od;
  } else {
    Pool2dF32Call* c = use_kernel<Pool2dF32Call>(p, f32);
    c->pool = pool;
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->input = id;
    c->output = od;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

Status prepare_average(OpPrepare& p) {
  return prepare(p, kAveragePool2dS8, kAveragePool2dF32);
}

Status prepare_max(OpPrepare& p) {
  return prepare(p, kMaxPool2dS8, kMaxPool2dF32);
}

}  // namespace

extern const OpDef kAveragePool2dOp = {tflite::kOpAveragePool2D, "AVERAGE_POOL_2D", tflite::kPool2DOptions,
                                       prepare_average, false};
extern const OpDef kMaxPool2dOp = {tflite::kOpMaxPool2D, "MAX_POOL_2D", tflite::kPool2DOptions, prepare_max,
                                   false};

}  // namespace nn
}  // namespace kiln
