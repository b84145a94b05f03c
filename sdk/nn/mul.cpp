#include "nn/mul.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void mul_s8_params(float input1_scale, int32_t input1_zp, float input2_scale, int32_t input2_zp,
                   float output_scale, int32_t output_zp, Activation activation, MulParams* p) {
  p->input1_offset = -input1_zp;
  p->input2_offset = -input2_zp;
  p->output_offset = output_zp;
  const double real_multiplier = static_cast<double>(input1_scale) * static_cast<double>(input2_scale) /
                                 static_cast<double>(output_scale);
  int shift = 0;
  quantize_multiplier(real_multiplier, &p->output_multiplier, &shift);
  p->output_shift = shift;
  quantized_activation_range(activation, output_scale, output_zp, -128, 127, &p->act_min, &p->act_max);
}

namespace {

inline int8_t mul_one(const MulParams& p, int32_t a, int32_t b) {
  const int32_t product = (p.input1_offset + a) * (p.input2_offset + b);
  const int32_t raw = multiply_by_quantized_multiplier(product, p.output_multiplier, p.output_shift);
  return static_cast<int8_t>(add_clamped(raw, p.output_offset, p.act_min, p.act_max));
}

inline int64_t at(const int32_t* stride, int32_t i0, int32_t i1, int32_t i2, int32_t i3) {
  return int64_t(i0) * stride[0] + int64_t(i1) * stride[1] + int64_t(i2) * stride[2] +
         int64_t(i3) * stride[3];
}

}  // namespace

void mul_s8(const MulParams& params, int32_t count, const int8_t* input1, const int8_t* input2,
            int8_t* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = mul_one(params, input1[i], input2[i]);
}

void mul_s8_broadcast(const MulParams& params, const BroadcastShape& s, const int8_t* input1,
                      const int8_t* input2, int8_t* output) {
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < s.out[0]; ++i0)
    for (int32_t i1 = 0; i1 < s.out[1]; ++i1)
      for (int32_t i2 = 0; i2 < s.out[2]; ++i2)
        for (int32_t i3 = 0; i3 < s.out[3]; ++i3)
          output[o++] =
              mul_one(params, input1[at(s.stride1, i0, i1, i2, i3)], input2[at(s.stride2, i0, i1, i2, i3)]);
}

void mul_f32(const FloatActivation& act, int32_t count, const float* input1, const float* input2,
             float* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = clamp_f32(input1[i] * input2[i], act.act_min, act.act_max);
}

void mul_f32_broadcast(const FloatActivation& act, const BroadcastShape& s, const float* input1,
                       const float* input2, float* output) {
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < s.out[0]; ++i0)
    for (int32_t i1 = 0; i1 < s.out[1]; ++i1)
      for (int32_t i2 = 0; i2 < s.out[2]; ++i2)
        for (int32_t i3 = 0; i3 < s.out[3]; ++i3)
          output[o++] =
              clamp_f32(input1[at(s.stride1, i0, i1, i2, i3)] * input2[at(s.stride2, i0, i1, i2, i3)],
                        act.act_min, act.act_max);
}

void eval_mul_s8(const void* call, const void* const* in, void* const* out) {
  const MulS8Call& c = *static_cast<const MulS8Call*>(call);
  mul_s8(c.params, c.count, static_cast<const int8_t*>(in[0]), static_cast<const int8_t*>(in[1]),
         static_cast<int8_t*>(out[0]));
}

void eval_mul_s8_broadcast(const void* call, const void* const* in, void* const* out) {
  const MulS8BroadcastCall& c = *static_cast<const MulS8BroadcastCall*>(call);
  mul_s8_broadcast(c.params, c.shape, static_cast<const int8_t*>(in[0]), static_cast<const int8_t*>(in[1]),
                   static_cast<int8_t*>(out[0]));
}

void eval_mul_f32(const void* call, const void* const* in, void* const* out) {
  const BinaryF32Call& c = *static_cast<const BinaryF32Call*>(call);
  mul_f32(c.act, c.count, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]),
          static_cast<float*>(out[0]));
}

void eval_mul_f32_broadcast(const void* call, const void* const* in, void* const* out) {
  const BinaryF32BroadcastCall& c = *static_cast<const BinaryF32BroadcastCall*>(call);
  mul_f32_broadcast(c.act, c.shape, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]),
                    static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
