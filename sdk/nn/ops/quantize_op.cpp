// QUANTIZE: to int8, from float32 (quantize) or from int8 / int16 (requantize).
#include "nn/ops/op_checks.h"
#include "nn/quantize.h"

namespace kiln {
namespace nn {

namespace {

#ifdef KILN_NN_RECORDER
void print_quantize(const void* call, CallWriter& w) {
  const QuantizeF32S8Call& c = *static_cast<const QuantizeF32S8Call*>(call);
  w.begin();
  w.f32(c.scale);
  w.i32(c.zero_point);
  w.i32(c.count);
  w.end();
}

void print_requantize(const void* call, CallWriter& w) {
  const RequantizeCall& c = *static_cast<const RequantizeCall*>(call);
  const RequantizeParams& p = c.params;
  w.begin();
  const int32_t v[4] = {p.input_zero_point, p.output_zero_point, p.multiplier, p.shift};
  print_i32s(w, v, 4);
  w.i32(c.count);
  w.end();
}

void access_quantize(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const QuantizeF32S8Call*>(call)->count, 4, 1, 1, a);
}

template <int InBytes>
void access_requantize(const void* call, KernelAccess* a) {
  elementwise_access(static_cast<const RequantizeCall*>(call)->count, InBytes, 1, 1, a);
}
#endif

const KernelDef kQuantizeF32S8 = {eval_quantize_f32_s8,
                                  sizeof(QuantizeF32S8Call)
                                      KILN_NN_EMIT("QuantizeF32S8Call", "eval_quantize_f32_s8",
                                                   "nn/quantize.h", print_quantize, access_quantize)};
const KernelDef kRequantizeS8S8 = {eval_requantize_s8_s8,
                                   sizeof(RequantizeCall)
                                       KILN_NN_EMIT("RequantizeCall", "eval_requantize_s8_s8",
                                                    "nn/quantize.h", print_requantize, access_requantize<1>)};
const KernelDef kRequantizeS16S8 = {
    eval_requantize_s16_s8,
    sizeof(RequantizeCall) KILN_NN_EMIT("RequantizeCall", "eval_requantize_s16_s8", "nn/quantize.h",
                                        print_requantize, access_requantize<2>)};

Status prepare(OpPrepare& p) {
  int32_t ii, oi;
  TensorView in, out;
  Status s;
  if ((s = unary(p, &ii, &in, &oi, &out)) != kOk) return s;
  if (out.type != kTypeInt8) return kBadType;
  if (in.type != kTypeFloat32 && in.type != kTypeInt8 && in.type != kTypeInt16) return kBadType;
  if (!quantized(out) || (in.type != kTypeFloat32 && !quantized(in))) return kBadQuantization;
  if (in.elements != out.elements) return kShapeMismatch;
  if (in.type == kTypeFloat32) {
    QuantizeF32S8Call* c = use_kernel<QuantizeF32S8Call>(p, kQuantizeF32S8);
    c->scale = out.scale;
    c->zero_point = out.zero_point;
    c->count = in.elements;
  } else {
    RequantizeCall* c =
        use_kernel<RequantizeCall>(p, in.type == kTypeInt8 ? kRequantizeS8S8 : kRequantizeS16S8);
    requantize_params(in.scale, in.zero_point, out.scale, out.zero_point, &c->params);
    c->count = in.elements;
  }
  p.bind_input(ii);
  p.bind_output(oi);
  return kOk;
}

}  // namespace

extern const OpDef kQuantizeOp = {tflite::kOpQuantize, "QUANTIZE", tflite::kOptionsNone, prepare, false};

}  // namespace nn
}  // namespace kiln
