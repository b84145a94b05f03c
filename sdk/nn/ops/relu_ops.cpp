// RELU, RELU6 and RELU_N1_TO_1 as operators (not fused): elementwise clamps; float32, or int8 with a
// requantization from the input's to the output's quantization.
#include "nn/activation.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_activation_s8(const void* call, CallWriter& w) {
  const ActivationS8Call& c = *static_cast<const ActivationS8Call*>(call);
  const ActivationParams& p = c.params;
  w.begin();
  const int32_t v[6] = {p.input_zero_point, p.output_zero_point, p.multiplier, p.shift, p.act_min, p.act_max};
  print_i32s(w, v, 6);
  w.i32(c.count);
  w.end();
}

void print_activation_f32(const void* call, CallWriter& w) {
  const ActivationF32Call& c = *static_cast<const ActivationF32Call*>(call);
  w.begin();
  w.i32(c.activation);
  w.i32(c.count);
  w.end();
}

void access_activation_s8(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const ActivationS8Call*>(call)->count, 1, 1, 1, a);
}

void access_activation_f32(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const ActivationF32Call*>(call)->count, 4, 4, 1, a);
}
#endif

const KernelDef kActivationS8 = {eval_activation_s8,
                                 sizeof(ActivationS8Call)
                                     KILN_NN_EMIT("ActivationS8Call", "eval_activation_s8", "nn/activation.h",
                                                  print_activation_s8, access_activation_s8)};
const KernelDef kActivationF32 = {
    eval_activation_f32,
    sizeof(ActivationF32Call) KILN_NN_EMIT("ActivationF32Call", "eval_activation_f32", "nn/activation.h",
                                           print_activation_f32, access_activation_f32)};

Status prepare(OpPrepare& p, Activation act) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if ((s = float_or_int8(in, out)) != kOk) return s;
  if (in.elements != out.elements) return kShapeMismatch;
  if (in.type == kTypeInt8) {
    ActivationS8Call* c = use_kernel<ActivationS8Call>(p, kActivationS8);
    activation_s8_params(act, in.scale, in.zero_point, out.scale, out.zero_point, &c->params);
    c->count = in.elements;
  } else {
    ActivationF32Call* c = use_kernel<ActivationF32Call>(p, kActivationF32);
    c->activation = act;
    c->count = in.elements;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

Status prepare_relu(OpPrepare& p) {
  return prepare(p, kActRelu);
}
Status prepare_relu6(OpPrepare& p) {
  return prepare(p, kActRelu6);
}
Status prepare_relu_n1_to_1(OpPrepare& p) {
  return prepare(p, kActReluN1To1);
}

}  // namespace

extern const OpDef kReluOp = {tflite::kOpRelu, "RELU", tflite::kOptionsNone, prepare_relu, false};
extern const OpDef kRelu6Op = {tflite::kOpRelu6, "RELU6", tflite::kOptionsNone, prepare_relu6, false};
extern const OpDef kReluN1To1Op = {tflite::kOpReluN1To1, "RELU_N1_TO_1", tflite::kOptionsNone,
                                   prepare_relu_n1_to_1, false};

}  // namespace nn
}  // namespace kiln
