#include "nn/add.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void add_s8_params(float input1_scale, int32_t input1_zp, float input2_scale, int32_t input2_zp,
                   float output_scale, int32_t output_zp, Activation activation, AddParams* p) {
  p->input1_offset = -input1_zp;
  p->input2_offset = -input2_zp;
  p->output_offset = output_zp;
  p->left_shift = 20;
  const double twice_max_input_scale =
      2.0 * static_cast<double>(input1_scale > input2_scale ? input1_scale : input2_scale);
  const double real_input1_multiplier = static_cast<double>(input1_scale) / twice_max_input_scale;
  const double real_input2_multiplier = static_cast<double>(input2_scale) / twice_max_input_scale;
  const double real_output_multiplier =
      twice_max_input_scale / (static_cast<double>(1 << p->left_shift) * static_cast<double>(output_scale));
  int shift = 0;
  quantize_multiplier(real_input1_multiplier, &p->input1_multiplier, &shift);
  p->input1_shift = shift;
  quantize_multiplier(real_input2_multiplier, &p->input2_multiplier, &shift);
  p->input2_shift = shift;
  quantize_multiplier(real_output_multiplier, &p->output_multiplier, &shift);
  p->output_shift = shift;
  quantized_activation_range(activation, output_scale, output_zp, -128, 127, &p->act_min, &p->act_max);
}

namespace {

inline int8_t add_one(const AddParams& p, int32_t a, int32_t b) {
  const int32_t shifted1 = (p.input1_offset + a) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + b) * (1 << p.left_shift);
  const int32_t scaled1 = multiply_by_quantized_multiplier(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 = multiply_by_quantized_multiplier(shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw =
      multiply_by_quantized_multiplier(wrap_add(scaled1, scaled2), p.output_multiplier, p.output_shift);
  return static_cast<int8_t>(add_clamped(raw, p.output_offset, p.act_min, p.act_max));
}

}  // namespace

void add_s8(const AddParams& params, int32_t count, const int8_t* input1, const int8_t* input2,
            int8_t* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = add_one(params, input1[i], input2[i]);
}

void add_s8_broadcast(const AddParams& params, const BroadcastShape& s, const int8_t* input1,
                      const int8_t* input2, int8_t* output) {
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < s.out[0]; ++i0)
    for (int32_t i1 = 0; i1 < s.out[1]; ++i1)
      for (int32_t i2 = 0; i2 < s.out[2]; ++i2)
        for (int32_t i3 = 0; i3 < s.out[3]; ++i3) {
          const int64_t a = int64_t(i0) * s.stride1[0] + int64_t(i1) * s.stride1[1] +
                            int64_t(i2) * s.stride1[2] + int64_t(i3) * s.stride1[3];
          const int64_t b = int64_t(i0) * s.stride2[0] + int64_t(i1) * s.stride2[1] +
                            int64_t(i2) * s.stride2[2] + int64_t(i3) * s.stride2[3];
          output[o++] = add_one(params, input1[a], input2[b]);
        }
}

void add_f32(const FloatActivation& act, int32_t count, const float* input1, const float* input2,
             float* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = clamp_f32(input1[i] + input2[i], act.act_min, act.act_max);
}

void add_f32_broadcast(const FloatActivation& act, const BroadcastShape& s, const float* input1,
                       const float* input2, float* output) {
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < s.out[0]; ++i0)
    for (int32_t i1 = 0; i1 < s.out[1]; ++i1)
      for (int32_t i2 = 0; i2 < s.out[2]; ++i2)
        for (int32_t i3 = 0; i3 < s.out[3]; ++i3) {
          const int64_t a = int64_t(i0) * s.stride1[0] + int64_t(i1) * s.stride1[1] +
                            int64_t(i2) * s.stride1[2] + int64_t(i3) * s.stride1[3];
          const int64_t b = int64_t(i0) * s.stride2[0] + int64_t(i1) * s.stride2[1] +
                            int64_t(i2) * s.stride2[2] + int64_t(i3) * s.stride2[3];
          output[o++] = clamp_f32(input1[a] + input2[b], act.act_min, act.act_max);
        }
}

void eval_add_s8(const void* call, const void* const* in, void* const* out) {
  const AddS8Call& c = *static_cast<const AddS8Call*>(call);
  add_s8(c.params, c.count, static_cast<const int8_t*>(in[0]), static_cast<const int8_t*>(in[1]),
         static_cast<int8_t*>(out[0]));
}

void eval_add_s8_broadcast(const void* call, const void* const* in, void* const* out) {
  const AddS8BroadcastCall& c = *static_cast<const AddS8BroadcastCall*>(call);
  add_s8_broadcast(c.params, c.shape, static_cast<const int8_t*>(in[0]), static_cast<const int8_t*>(in[1]),
                   static_cast<int8_t*>(out[0]));
}

void eval_add_f32(const void* call, const void* const* in, void* const* out) {
  const BinaryF32Call& c = *static_cast<const BinaryF32Call*>(call);
  add_f32(c.act, c.count, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]),
          static_cast<float*>(out[0]));
}

void eval_add_f32_broadcast(const void* call, const void* const* in, void* const* out) {
  const BinaryF32BroadcastCall& c = *static_cast<const BinaryF32BroadcastCall*>(call);
  add_f32_broadcast(c.act, c.shape, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]),
                    static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
