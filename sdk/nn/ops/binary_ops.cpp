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

// The float32 kernels of both operators take the same call structs.
void use_f32(OpPrepare& p, bool flat, const BroadcastShape& shape, int32_t count, Activation act,
             const KernelDef& flat_kernel, const KernelDef& broadcast_kernel) {
  if (flat) {
    BinaryF32Call* c = use_kernel<BinaryF32Call>(p, flat_kernel);
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->count = count;
  } else {
    BinaryF32BroadcastCall* c = use_kernel<BinaryF32BroadcastCall>(p, broadcast_kernel);
    float_activation_range(act, &c->act.act_min, &c->act.act_max);
    c->shape = shape;
  }
}

Status prepare_add(OpPrepare& p) {
  int32_t ai, bi, oi;
  TensorView a, b, out;
  Activation act = kActNone;
  bool flat = false;
  BroadcastShape shape;
  Status s = check(p, &ai, &a, &bi, &b, &oi, &out, &act, &flat, &shape);
  if (s != kOk) return s;
  if (out.type == kTypeInt8) {
    AddParams params;
    add_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &params);
    if (flat) {
      AddS8Call* c = use_kernel<AddS8Call>(p, kAddS8);
      c->params = params;
      c->count = out.elements;
    } else {
      AddS8BroadcastCall* c = use_kernel<AddS8BroadcastCall>(p, kAddS8Broadcast);
      c->params = params;
      c->shape = shape;
    }
  } else {
    use_f32(p, flat, shape, out.elements, act, kAddF32, kAddF32Broadcast);
  }
  p.bind_input(ai);
  p.bind_input(bi);
  p.bind_output(oi);
  return kOk;
}

Status prepare_mul(OpPrepare& p) {
  int32_t ai, bi, oi;
  TensorView a, b, out;
  Activation act = kActNone;
  bool flat = false;
  BroadcastShape shape;
  Status s = check(p, &ai, &a, &bi, &b, &oi, &out, &act, &flat, &shape);
  if (s != kOk) return s;
  if (out.type == kTypeInt8) {
    MulParams params;
    mul_s8_params(a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point, act, &params);
    if (flat) {
      MulS8Call* c = use_kernel<MulS8Call>(p, kMulS8);
      c->params = params;
      c->count = out.elements;
    } else {
      MulS8BroadcastCall* c = use_kernel<MulS8BroadcastCall>(p, kMulS8Broadcast);
      c->params = params;
      c->shape = shape;
    }
  } else {
    use_f32(p, flat, shape, out.elements, act, kMulF32, kMulF32Broadcast);
  }
  p.bind_input(ai);
  p.bind_input(bi);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kAddOp = {tflite::kOpAdd, "ADD", tflite::kAddOptions, prepare_add, false};
extern const OpDef kMulOp = {tflite::kOpMul, "MUL", tflite::kMulOptions, prepare_mul, false};

}  // namespace nn
}  // namespace kiln
