// SOFTMAX: over the last dimension, with beta; float32, or int8 with TFLite's fixed output quantization.
#include "nn/ops/op_checks.h"
#include "nn/softmax.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_softmax_s8(const void* call, CallWriter& w) {
  const SoftmaxS8Call& c = *static_cast<const SoftmaxS8Call*>(call);
  w.begin();
  const int32_t v[3] = {c.params.input_multiplier, c.params.input_left_shift, c.params.diff_min};
  print_i32s(w, v, 3);
  w.i32(c.rows);
  w.i32(c.depth);
  w.end();
}

void print_softmax_f32(const void* call, CallWriter& w) {
  const SoftmaxF32Call& c = *static_cast<const SoftmaxF32Call*>(call);
  w.begin();
  w.f32(c.beta);
  w.i32(c.rows);
  w.i32(c.depth);
  w.end();
}

// Per row: two passes read the whole row before the first write, then the third pass reads in[j] and writes
// out[j], j ascending.
template <typename Call, int Bytes>
void access_softmax(const void* call, KernelAccess* a) {
  const Call& c = *static_cast<const Call*>(call);
  a->pattern = KernelAccess::kRows;
  a->in_bytes = a->out_bytes = Bytes;
  a->data_inputs = 1;
  a->rows = c.rows;
  a->depth = c.depth;
}
#endif

const KernelDef kSoftmaxS8 = {eval_softmax_s8, sizeof(SoftmaxS8Call) KILN_NN_EMIT(
                                                   "SoftmaxS8Call", "eval_softmax_s8", "nn/softmax.h",
                                                   print_softmax_s8, (access_softmax<SoftmaxS8Call, 1>))};
const KernelDef kSoftmaxF32 = {eval_softmax_f32, sizeof(SoftmaxF32Call) KILN_NN_EMIT(
                                                     "SoftmaxF32Call", "eval_softmax_f32", "nn/softmax.h",
                                                     print_softmax_f32, (access_softmax<SoftmaxF32Call, 4>))};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements || in.rank < 1) return kShapeMismatch;
  if (in.type == kTypeInt8 && !is_output_q8(out)) return kBadQuantization;
  bool bad = false;
  const Table& o = p.options();
  const float beta = o.valid() ? o.f32(tflite::fields::SoftmaxOptions::kBeta, 0.0f, &bad) : 0.0f;
  if (bad) return kBadFlatbuffer;
  if (!(beta >= 0.0f) || !(beta < 1e6f)) return kBadOperator;
  const int32_t depth = in.dims[in.rank - 1];
  const int32_t rows = in.elements / depth;
  if (in.type == kTypeInt8) {
    SoftmaxS8Call* c = use_kernel<SoftmaxS8Call>(p, kSoftmaxS8);
    softmax_s8_params(beta, in.scale, &c->params);
    c->rows = rows;
    c->depth = depth;
  } else {
    SoftmaxF32Call* c = use_kernel<SoftmaxF32Call>(p, kSoftmaxF32);
    c->beta = beta;
    c->rows = rows;
    c->depth = depth;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kSoftmaxOp = {tflite::kOpSoftmax, "SOFTMAX", tflite::kSoftmaxOptions, prepare, false};

}  // namespace nn
}  // namespace kiln
