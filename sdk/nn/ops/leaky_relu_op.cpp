// LEAKY_RELU: elementwise, alpha from LeakyReluOptions; float32, or int8 with the input's and the output's
// own quantization.
#include "nn/leaky_relu.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_leaky_relu_s8(const void* call, CallWriter& w) {
  const LeakyReluS8Call& c = *static_cast<const LeakyReluS8Call*>(call);
  const int32_t v[7] = {c.input_zero_point,
                        c.output_zero_point,
                        c.identity_multiplier,
                        c.identity_shift,
                        c.alpha_multiplier,
                        c.alpha_shift,
                        c.count};
  print_i32s(w, v, 7);
}

void print_leaky_relu_f32(const void* call, CallWriter& w) {
  const LeakyReluF32Call& c = *static_cast<const LeakyReluF32Call*>(call);
  w.begin();
  w.f32(c.alpha);
  w.i32(c.count);
  w.end();
}

// Element i is read, then written: the output may lie on the input.
void access_leaky_relu_s8(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const LeakyReluS8Call*>(call)->count, 1, 1, 1, a);
}

void access_leaky_relu_f32(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const LeakyReluF32Call*>(call)->count, 4, 4, 1, a);
}
#endif

const KernelDef kLeakyReluS8 = {eval_leaky_relu_s8,
                                sizeof(LeakyReluS8Call)
                                    KILN_NN_EMIT("LeakyReluS8Call", "eval_leaky_relu_s8", "nn/leaky_relu.h",
                                                 print_leaky_relu_s8, access_leaky_relu_s8)};
const KernelDef kLeakyReluF32 = {
    eval_leaky_relu_f32,
    sizeof(LeakyReluF32Call) KILN_NN_EMIT("LeakyReluF32Call", "eval_leaky_relu_f32", "nn/leaky_relu.h",
                                          print_leaky_relu_f32, access_leaky_relu_f32)};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements) return kShapeMismatch;
  bool bad = false;
  const Table& o = p.options();
  const float alpha = o.valid() ? o.f32(tflite::fields::LeakyReluOptions::kAlpha, 0.0f, &bad) : 0.0f;
  if (bad) return kBadFlatbuffer;
  if (!(alpha > -1e6f && alpha < 1e6f)) return kBadOperator;  // NaN or absurd: no multiplier to derive
  if (in.type == kTypeInt8) {
    leaky_relu_s8_params(in.scale, in.zero_point, out.scale, out.zero_point, alpha, in.elements,
                         use_kernel<LeakyReluS8Call>(p, kLeakyReluS8));
  } else {
    LeakyReluF32Call* c = use_kernel<LeakyReluF32Call>(p, kLeakyReluF32);
    c->alpha = alpha;
    c->count = in.elements;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kLeakyReluOp = {tflite::kOpLeakyRelu, "LEAKY_RELU", tflite::kLeakyReluOptions, prepare,
                                   false};

}  // namespace nn
}  // namespace kiln
