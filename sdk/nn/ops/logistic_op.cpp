// LOGISTIC: elementwise sigmoid; float32, or int8 with TFLite's fixed output quantization.
#include "nn/logistic.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_logistic_s8(const void* call, CallWriter& w) {
  const LogisticS8Call& c = *static_cast<const LogisticS8Call*>(call);
  w.begin();
  const int32_t v[4] = {c.params.input_zero_point, c.params.input_range_radius, c.params.input_multiplier,
                        c.params.input_left_shift};
  print_i32s(w, v, 4);
  w.i32(c.count);
  w.end();
}

void print_logistic_f32(const void* call, CallWriter& w) {
  w.begin();
  w.i32(static_cast<const LogisticF32Call*>(call)->count);
  w.end();
}

void access_logistic_s8(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const LogisticS8Call*>(call)->count, 1, 1, 1, a);
}

void access_logistic_f32(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const LogisticF32Call*>(call)->count, 4, 4, 1, a);
}
#endif

const KernelDef kLogisticS8 = {eval_logistic_s8, sizeof(LogisticS8Call) KILN_NN_EMIT(
                                                     "LogisticS8Call", "eval_logistic_s8", "nn/logistic.h",
                                                     print_logistic_s8, access_logistic_s8)};
const KernelDef kLogisticF32 = {eval_logistic_f32,
                                sizeof(LogisticF32Call)
                                    KILN_NN_EMIT("LogisticF32Call", "eval_logistic_f32", "nn/logistic.h",
                                                 print_logistic_f32, access_logistic_f32)};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements) return kShapeMismatch;
  if (in.type == kTypeInt8 && !is_output_q8(out)) return kBadQuantization;
  if (in.type == kTypeInt8) {
    LogisticS8Call* c = use_kernel<LogisticS8Call>(p, kLogisticS8);
    logistic_s8_params(in.scale, in.zero_point, &c->params);
    c->count = in.elements;
  } else {
    use_kernel<LogisticF32Call>(p, kLogisticF32)->count = in.elements;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kLogisticOp = {tflite::kOpLogistic, "LOGISTIC", tflite::kOptionsNone, prepare, false};

}  // namespace nn
}  // namespace kiln
