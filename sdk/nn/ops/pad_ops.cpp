// PAD and PADV2: constant paddings of an input of rank <= 4; the padding value is the output's zero point
// (int8) or 0 (float32), or PADV2's constant third input.
#include <string.h>

#include "nn/ops/op_checks.h"
#include "nn/pad.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_params(CallWriter& w, const PadParams& p) {
  w.begin();
  print_i32s(w, p.input_dims, 4);
  print_i32s(w, p.before, 4);
  print_i32s(w, p.after, 4);
  w.end();
}

void print_pad_s8(const void* call, CallWriter& w) {
  const PadS8Call& c = *static_cast<const PadS8Call*>(call);
  w.begin();
  print_params(w, c.params);
  w.i32(c.value);
  w.end();
}

void print_pad_f32(const void* call, CallWriter& w) {
  const PadF32Call& c = *static_cast<const PadF32Call*>(call);
  w.begin();
  print_params(w, c.params);
  w.f32(c.value);
  w.end();
}
#endif

// No access pattern: pad copies rows with memcpy, so the output never overlaps the input.
const KernelDef kPadS8 = {
    eval_pad_s8, sizeof(PadS8Call) KILN_NN_EMIT("PadS8Call", "eval_pad_s8", "nn/pad.h", print_pad_s8, 0)};
const KernelDef kPadF32 = {eval_pad_f32, sizeof(PadF32Call) KILN_NN_EMIT("PadF32Call", "eval_pad_f32",
                                                                         "nn/pad.h", print_pad_f32, 0)};

Status prepare(OpPrepare& p, bool v2) {
  if (p.num_inputs() < 2) return kBadOperator;
  int32_t ii, oi;
  TensorView in, out, paddings;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if ((s = constant_i32(p, 1, &paddings)) != kOk) return s;
  if (in.rank > 4 || in.rank != out.rank) return kUnsupportedFeature;
  if (paddings.elements != 2 * in.rank) return kShapeMismatch;
  PadParams params;
  const int lead = 4 - in.rank;
  for (int i = 0; i < 4; ++i) {
    params.input_dims[i] = i < lead ? 1 : in.dims[i - lead];
    params.before[i] = i < lead ? 0 : i32_at(paddings, 2 * (i - lead));
    params.after[i] = i < lead ? 0 : i32_at(paddings, 2 * (i - lead) + 1);
    if (params.before[i] < 0 || params.after[i] < 0 || params.before[i] > (1 << 28) ||
        params.after[i] > (1 << 28))
      return kBadOperator;
    if (i >= lead && int64_t(params.before[i]) + params.input_dims[i] + params.after[i] != out.dims[i - lead])
      return kShapeMismatch;
  }
  int8_t value8 = static_cast<int8_t>(out.zero_point);
  float value32 = 0.0f;
  const int32_t vi = v2 && p.num_inputs() >= 3 ? p.input_index(2) : -1;
  if (vi >= 0) {
    TensorView value;
    if ((s = read_tensor(p.model(), vi, &value)) != kOk) return s;
    if (value.type != in.type || value.elements != 1 || !value.data) return kBadOperator;
    if (in.type == kTypeInt8)
      value8 = static_cast<int8_t>(value.data[0]);
    else
      memcpy(&value32, value.data, 4);
  }
  if (in.type == kTypeInt8) {
    PadS8Call* c = use_kernel<PadS8Call>(p, kPadS8);
    c->params = params;
    c->value = value8;
  } else {
    PadF32Call* c = use_kernel<PadF32Call>(p, kPadF32);
    c->params = params;
    c->value = value32;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

Status prepare_pad(OpPrepare& p) {
  return prepare(p, false);
}
Status prepare_padv2(OpPrepare& p) {
  return prepare(p, true);
}

}  // namespace

extern const OpDef kPadOp = {tflite::kOpPad, "PAD", tflite::kOptionsNone, prepare_pad, false};
extern const OpDef kPadV2Op = {tflite::kOpPadV2, "PADV2", tflite::kOptionsNone, prepare_padv2, false};

}  // namespace nn
}  // namespace kiln
