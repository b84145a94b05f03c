// DEQUANTIZE: int8 to float32.
#include "nn/dequantize.h"
#include "nn/ops/op_checks.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_dequantize(const void* call, CallWriter& w) {
  const DequantizeS8F32Call& c = *static_cast<const DequantizeS8F32Call*>(call);
  w.begin();
  w.f32(c.scale);
  w.i32(c.zero_point);
  w.i32(c.count);
  w.end();
}

void access_dequantize(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const DequantizeS8F32Call*>(call)->count, 1, 4, 1, a);
}
#endif

const KernelDef kDequantizeS8F32 = {eval_dequantize_s8_f32,
                                    sizeof(DequantizeS8F32Call)
                                        KILN_NN_EMIT("DequantizeS8F32Call", "eval_dequantize_s8_f32",
                                                     "nn/dequantize.h", print_dequantize, access_dequantize)};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if (in.type != kTypeInt8 || out.type != kTypeFloat32) return kBadType;
  if (!quantized(in)) return kBadQuantization;
  if (in.elements != out.elements) return kShapeMismatch;
  DequantizeS8F32Call* c = use_kernel<DequantizeS8F32Call>(p, kDequantizeS8F32);
  c->scale = in.scale;
  c->zero_point = in.zero_point;
  c->count = in.elements;
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kDequantizeOp = {tflite::kOpDequantize, "DEQUANTIZE", tflite::kOptionsNone, prepare,
                                    false};

}  // namespace nn
}  // namespace kiln
