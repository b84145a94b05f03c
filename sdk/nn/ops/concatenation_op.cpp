// CONCATENATION: up to kMaxConcatInputs inputs of the output's type, rank and quantization, joined along
// one axis (no fused activation).
#include "nn/concatenation.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_concatenation(const void* call, CallWriter& w) {
  const ConcatenationCall& c = *static_cast<const ConcatenationCall*>(call);
  w.begin();
  w.i32(c.num_inputs);
  print_i32s(w, c.axis_sizes, kMaxConcatInputs);
  w.i32(c.outer);
  w.i32(c.inner);
  w.i32(c.element_size);
  w.end();
}
#endif

// No access pattern: the kernel copies with memcpy, so the output never overlaps an input.
const KernelDef kConcatenation = {
    eval_concatenation, sizeof(ConcatenationCall) KILN_NN_EMIT("ConcatenationCall", "eval_concatenation",
                                                               "nn/concatenation.h", print_concatenation, 0)};

Status prepare(OpPrepare& p) {
  typedef tflite::fields::ConcatenationOptions F;
  if (p.num_inputs() < 1 || p.num_outputs() < 1) return kBadOperator;
  if (p.num_inputs() > static_cast<uint32_t>(kMaxConcatInputs)) return kUnsupportedFeature;
  int32_t oi;
  TensorView out;
  Status s;
  if ((s = p.output(0, &out, &oi)) != kOk) return s;
  bool bad = false;
  const Table& o = p.options();
  int32_t axis = o.valid() ? o.i32(F::kAxis, 0, &bad) : 0;
  Activation act = kActNone;
  if ((s = read_activation(o, F::kFusedActivationFunction, &act)) != kOk) return s;
  if (bad) return kBadFlatbuffer;
  if (act != kActNone) return kUnsupportedFeature;
  if (axis < 0) axis += out.rank;
  if (axis < 0 || axis >= out.rank) return kBadOperator;
  int32_t axis_sizes[kMaxConcatInputs];
  int32_t inputs[kMaxConcatInputs];
  int64_t axis_total = 0;
  for (uint32_t i = 0; i < p.num_inputs(); ++i) {
    TensorView in;
    if ((s = p.input(i, &in, &inputs[i])) != kOk) return s;
    if (in.type != out.type || in.rank != out.rank) return kBadType;
    if (out.type == kTypeInt8 && (in.scale != out.scale || in.zero_point != out.zero_point))
      return kBadQuantization;
    for (int d = 0; d < out.rank; ++d)
      if (d != axis && in.dims[d] != out.dims[d]) return kShapeMismatch;
    axis_sizes[i] = in.dims[axis];
    axis_total += in.dims[axis];
  }
  if (axis_total != out.dims[axis]) return kShapeMismatch;
  ConcatenationCall* c = use_kernel<ConcatenationCall>(p, kConcatenation);
  c->num_inputs = static_cast<int32_t>(p.num_inputs());
  for (int32_t i = 0; i < c->num_inputs; ++i) {
    c->axis_sizes[i] = axis_sizes[i];
    p.bind_input(inputs[i]);
  }
  c->outer = c->inner = 1;
  for (int d = 0; d < axis; ++d) c->outer *= out.dims[d];
  for (int d = axis + 1; d < out.rank; ++d) c->inner *= out.dims[d];
  c->element_size = static_cast<int32_t>(out.element_size);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kConcatenationOp = {tflite::kOpConcatenation, "CONCATENATION",
                                       tflite::kConcatenationOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
