// RESHAPE, SQUEEZE and EXPAND_DIMS: same type and element count; the output aliases the input (OpDef::alias),
// so the shape inputs and options need no reading.
#include "nn/ops/op_checks.h"
#include "nn/reshape.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_reshape(const void* call, CallWriter& w) {
  w.begin();
  w.i32(static_cast<const ReshapeCall*>(call)->bytes);
  w.end();
}
#endif

const KernelDef kReshape = {eval_reshape, sizeof(ReshapeCall) KILN_NN_EMIT("ReshapeCall", "eval_reshape",
                                                                           "nn/reshape.h", print_reshape, 0)};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if (in.type != out.type) return kBadType;
  if (in.elements != out.elements) return kShapeMismatch;
  use_kernel<ReshapeCall>(p, kReshape)->bytes = static_cast<int32_t>(out.bytes);
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kReshapeOp = {tflite::kOpReshape, "RESHAPE", tflite::kReshapeOptions, prepare, true};
extern const OpDef kSqueezeOp = {tflite::kOpSqueeze, "SQUEEZE", tflite::kSqueezeOptions, prepare, true};
extern const OpDef kExpandDimsOp = {tflite::kOpExpandDims, "EXPAND_DIMS", tflite::kExpandDimsOptions, prepare,
                                    true};

}  // namespace nn
}  // namespace kiln
