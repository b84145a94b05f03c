// MEAN: average over constant axes of an input of rank <= 4; float32 or int8 (requantized). keep_dims only
// changes the output's shape, which the element count check covers.
#include <string.h>

#include "nn/mean.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_mean(const void* call, CallWriter& w) {
  const MeanParams& p = *static_cast<const MeanParams*>(call);
  w.begin();
  print_i32s(w, p.input_dims, 4);
  w.begin();
  for (int i = 0; i < 4; ++i) w.boolean(p.reduce[i]);
  w.end();
  w.i32(p.input_zero_point);
  w.i32(p.output_zero_point);
  w.i32(p.multiplier);
  w.i32(p.shift);
  w.end();
}
#endif

// No access pattern: mean_f32 accumulates into its output, so the output never overlaps the input.
const KernelDef kMeanS8 = {
    eval_mean_s8, sizeof(MeanParams) KILN_NN_EMIT("MeanParams", "eval_mean_s8", "nn/mean.h", print_mean, 0)};
const KernelDef kMeanF32 = {eval_mean_f32, sizeof(MeanParams) KILN_NN_EMIT("MeanParams", "eval_mean_f32",
                                                                           "nn/mean.h", print_mean, 0)};

Status prepare(OpPrepare& p) {
  if (p.num_inputs() < 2) return kBadOperator;
  int32_t ii, oi;
  TensorView in, out, axes;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if ((s = constant_i32(p, 1, &axes)) != kOk) return s;
  if (in.rank > 4) return kUnsupportedFeature;
  MeanParams params;
  memset(&params, 0, sizeof params);
  const int pad = 4 - in.rank;
  for (int i = 0; i < 4; ++i) params.input_dims[i] = i < pad ? 1 : in.dims[i - pad];
  for (int32_t i = 0; i < axes.elements; ++i) {
    int32_t a = i32_at(axes, i);
    if (a < 0) a += in.rank;
    if (a < 0 || a >= in.rank) return kBadOperator;
    params.reduce[a + pad] = true;
  }
  int64_t kept = 1;
  for (int i = 0; i < 4; ++i) kept *= params.reduce[i] ? 1 : params.input_dims[i];
  if (kept != out.elements) return kShapeMismatch;
  if (in.type == kTypeInt8) mean_s8_params(in.scale, in.zero_point, out.scale, out.zero_point, &params);
  *use_kernel<MeanParams>(p, in.type == kTypeInt8 ? kMeanS8 : kMeanF32) = params;
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kMeanOp = {tflite::kOpMean, "MEAN", tflite::kReducerOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
