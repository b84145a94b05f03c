// ADD and MUL: two inputs of the output's type (float32, or int8 each with its own quantization), equal
// shapes (a flat loop) or shapes that broadcast up to 4-D; a fused activation.
#include "nn/add.h"
#include "nn/mul.h"
#include "nn/ops/op_checks.h"
#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_params(CallWriter& w, const AddParams& p) {
  const int32_t v[12] = {p.input1_offset,     p.input2_offset, p.output_offset,     p.left_shift,
                         p.input1_multiplier, p.input1_shift,  p.input2_multiplier, p.input2_shift,
                         p.output_multiplier, p.output_shift,  p.act_min,           p.act_max};
  print_i32s(w, v, 12);
}

void print_params(CallWriter& w, const MulParams& p) {
  const int32_t v[7] = {p.input1_offset, p.input2_offset, p.output_offset, p.output_multiplier,
                        p.output_shift,  p.act_min,       p.act_max};
  print_i32s(w, v, 7);
}

template <typename Call>
void print_flat(const void* call, CallWriter& w) {
  const Call& c = *static_cast<const Call*>(call);
  w.begin();
  print_params(w, c.params);
  w.i32(c.count);
  w.end();
}

template <typename Call>
void print_broadcast(const void* call, CallWriter& w) {
  const Call& c = *static_cast<const Call*>(call);
  w.begin();
  print_params(w, c.params);
  print(w, c.shape);
  w.end();
}

void print_f32(const void* call, CallWriter& w) {
  const BinaryF32Call& c = *static_cast<const BinaryF32Call*>(call);
  w.begin();
  print(w, c.act);
  w.i32(c.count);
  w.end();
}

void print_f32_broadcast(const void* call, CallWriter& w) {
  const BinaryF32BroadcastCall& c = *static_cast<const BinaryF32BroadcastCall*>(call);
  w.begin();
  print(w, c.act);
  print(w, c.shape);
  w.end();
}

// Flat: element i of both inputs, then output i. Broadcast: the loops over the output shape.
template <typename Call, int Bytes>
void access_flat(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const Call*>(call)->count, Bytes, Bytes, 2, a);
}

void broadcast_access(const BroadcastShape& shape, int32_t bytes, KernelAccess* a) {
  a->pattern = KernelAccess::kBroadcast;
  a->in_bytes = a->out_bytes = bytes;
  a->data_inputs = 2;
  a->broadcast = shape;
}

template <typename Call, int Bytes>
void access_broadcast(const void* call, KernelAccess* a) {
  broadcast_access(static_cast<const Call*>(call)->shape, Bytes, a);
}
#endif

const KernelDef kAddS8 = {
    eval_add_s8, sizeof(AddS8Call) KILN_NN_EMIT("AddS8Call", "eval_add_s8", "nn/add.h", print_flat<AddS8Call>,
                                                (access_flat<AddS8Call, 1>))};
const KernelDef kAddS8Broadcast = {eval_add_s8_broadcast, sizeof(AddS8BroadcastCall) KILN_NN_EMIT(
                                                              "AddS8BroadcastCall", "eval_add_s8_broadcast",
                                                              "nn/add.h", print_broadcast<AddS8BroadcastCall>,
                                                              (access_broadcast<AddS8BroadcastCall, 1>))};
const KernelDef kAddF32 = {
    eval_add_f32, sizeof(BinaryF32Call) KILN_NN_EMIT("BinaryF32Call", "eval_add_f32", "nn/add.h", print_f32,
                                                     (access_flat<BinaryF32Call, 4>))};
const KernelDef kAddF32Broadcast = {eval_add_f32_broadcast,
                                    sizeof(BinaryF32BroadcastCall) KILN_NN_EMIT(
                                        "BinaryF32BroadcastCall", "eval_add_f32_broadcast", "nn/add.h",
                                        print_f32_broadcast, (access_broadcast<BinaryF32BroadcastCall, 4>))};
const KernelDef kMulS8 = {
    eval_mul_s8, sizeof(MulS8Call) KILN_NN_EMIT("MulS8Call", "eval_mul_s8", "nn/mul.h", print_flat<MulS8Call>,
                                                (access_flat<MulS8Call, 1>))};
const KernelDef kMulS8Broadcast = {eval_mul_s8_broadcast, sizeof(MulS8BroadcastCall) KILN_NN_EMIT(
                                                              "MulS8BroadcastCall", "eval_mul_s8_broadcast",
                                                              "nn/mul.h", print_broadcast<MulS8BroadcastCall>,
                                                              (access_broadcast<MulS8BroadcastCall, 1>))};
const KernelDef kMulF32 = {
    eval_mul_f32, sizeof(BinaryF32Call) KILN_NN_EMIT("BinaryF32Call", "eval_mul_f32", "nn/mul.h", print_f32,
                                                     (access_flat<BinaryF32Call, 4>))};
const KernelDef kMulF32Broadcast = {eval_mul_f32_broadcast,
                                    sizeof(BinaryF32BroadcastCall) KILN_NN_EMIT(
                                        "BinaryF32BroadcastCall", "eval_mul_f32_broadcast", "nn/mul.h",
                                        print_f32_broadcast, (access_broadcast<BinaryF32BroadcastCall, 4>))};

// The shape checks of both operators; *flat when the inputs have equal shapes.
Status check(OpPrepare& p, int32_t* ai, TensorView* a, int32_t* bi, TensorView* b, int32_t* oi,
             TensorView* out, Activation* act, bool* flat, BroadcastShape* shape) {
  if (p.num_inputs() < 2 || p.num_outputs() < 1) return kBadOperator;
  Status s;
  if ((s = p.input(0, a, ai)) != kOk || (s = p.input(1, b, bi)) != kOk || (s = p.output(0, out, oi)) != kOk)
    return s;
  if ((s = float_or_int8(*a, *out)) != kOk || (s = float_or_int8(*b, *out)) != kOk) return s;
  // ADD and MUL both keep the activation in field 0.
  if ((s = read_activation(p.options(), tflite::fields::AddOptions::kFusedActivationFunction, act)) != kOk)
    return s;
  *flat = same_shape(*a, *b);
  if (*flat) return a->elements == out->elements ? kOk : kShapeMismatch;
  if (!make_broadcast_shape(a->rank, a->dims, b->rank, b->dims, shape)) return kShapeMismatch;
  const int64_t n = int64_t(shape->out[0]) * shape->out[1] * shape->out[2] * shape->out[3];
  return n == out->elements ? kOk : kShapeMismatch;
}

// ADD and MUL prepare alike: only their int8 parameters (Params, derived by s8_params) and kernels differ;
// their float32 kernels take the same call structs.
template <typename Params, typename S8Call, typename S8BroadcastCall>
Status prepare_binary(OpPrepare& p,
                      void (*s8_params)(float, int32_t, float, int32_t, float, int32_t, Activation, Params*),
                      const KernelDef& s8_flat, const KernelDef& s8_broadcast, const KernelDef& f32_flat,
                      const KernelDef& f32_broadcast) {
  int32_t ai, bi, oi;
  TensorView a, b, out;
  Activation act = kActNone;
  bool flat = false;
  BroadcastShape shape;
  Status s = check(p, &ai, &a, &bi, &b, &oi, &out, &act, &flat, &shape);
  if (s != kOk) return s;
  if (out.type == kTypeInt8) {
    Params params;
    s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &params);
    if (flat) {
      S8Call* c = use_kernel<S8Call>(p, s8_flat);
      c->params = params;
      c->count = out.elements;
    } else {
      S8BroadcastCall* c = use_kernel<S8BroadcastCall>(p, s8_broadcast);
      c->params = params;
      c->shape = shape;
    }
  } else if (flat) {
    BinaryF32Call* c = use_kernel<BinaryF32Call>(p, f32_flat);
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->count = out.elements;
  } else {
    BinaryF32BroadcastCall* c = use_kernel<BinaryF32BroadcastCall>(p, f32_broadcast);
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->shape = shape;
  }
  p.bind_input(ai);
  p.bind_input(bi);
  p.bind_output(oi);
  return kOk;
}

Status prepare_add(OpPrepare& p) {
  return prepare_binary<AddParams, AddS8Call, AddS8BroadcastCall>(p, add_s8_params, kAddS8, kAddS8Broadcast,
                                                                  kAddF32, kAddF32Broadcast);
}

Status prepare_mul(OpPrepare& p) {
  return prepare_binary<MulParams, MulS8Call, MulS8BroadcastCall>(p, mul_s8_params, kMulS8, kMulS8Broadcast,
                                                                  kMulF32, kMulF32Broadcast);
}

}  // namespace

extern const OpDef kAddOp = {tflite::kOpAdd, "ADD", tflite::kAddOptions, prepare_add, false};
extern const OpDef kMulOp = {tflite::kOpMul, "MUL", tflite::kMulOptions, prepare_mul, false};

}  // namespace nn
}  // namespace kiln
