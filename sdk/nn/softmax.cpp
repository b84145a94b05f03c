#include "nn/softmax.h"

#include <math.h>

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {
const int kScaledDiffIntegerBits = 5;
const int kAccumulationIntegerBits = 12;

inline int count_leading_zeros(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

inline int32_t rescaled_diff(const SoftmaxParams& p, int32_t input_diff) {
  // MultiplyByQuantizedMultiplierGreaterThanOne: the left shift is exact, diff_min keeps it in range.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(input_diff) << p.input_left_shift);
  return saturating_rounding_doubling_high_mul(shifted, p.input_multiplier);
}
}  // namespace

void softmax_s8_params(float beta, float input_scale, SoftmaxParams* p) {
  const double max_real = static_cast<double>((int64_t(1) << 31) - 1);
  double real = static_cast<double>(beta) * static_cast<double>(input_scale) *
                static_cast<double>(int64_t(1) << (31 - kScaledDiffIntegerBits));
  if (real > max_real) real = max_real;
  int shift = 0;
  quantize_multiplier(real, &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  p->diff_min = -calculate_input_radius(kScaledDiffIntegerBits, shift, 31);
}

void softmax_s8(const SoftmaxParams& p, int32_t rows, int32_t depth, const int8_t* input, int8_t* output) {
  for (int32_t r = 0; r < rows; ++r) {
    const int8_t* in = input + static_cast<int64_t>(r) * depth;
    int8_t* out = output + static_cast<int64_t>(r) * depth;
    int32_t max_in_row = -128;
    for (int32_t c = 0; c < depth; ++c)
      if (in[c] > max_in_row) max_in_row = in[c];

    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t e = fixed_exp_on_negative_values(rescaled_diff(p, diff), kScaledDiffIntegerBits);
        sum_of_exps += saturating_rounding_multiply_by_pot(e, -kAccumulationIntegerBits);
      }
    }

    // Reciprocal of the sum: normalize it into [1, 2) and compute 1 / (1 + x) for the fraction x.
    const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(sum_of_exps));
    const int num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        static_cast<int32_t>((static_cast<uint32_t>(sum_of_exps) << headroom_plus_one) - (uint32_t(1) << 31));
    const int32_t shifted_scale = fixed_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);

    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t e = fixed_exp_on_negative_values(rescaled_diff(p, diff), kScaledDiffIntegerBits);
        const int32_t unsat = rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted_scale, e),
                                                     num_bits_over_unit + 31 - 8);
        out[c] = static_cast<int8_t>(clamp_i32(unsat - 128, -128, 127));
      } else {
        out[c] = -128;
      }
    }
  }
}

void softmax_f32(float beta, int32_t rows, int32_t depth, const float* input, float* output) {
  for (int32_t r = 0; r < rows; ++r) {
    const float* in = input + static_cast<int64_t>(r) * depth;
    float* out = output + static_cast<int64_t>(r) * depth;
    float max_in_row = in[0];
    for (int32_t c = 1; c < depth; ++c)
      if (in[c] > max_in_row) max_in_row = in[c];
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) sum += expf((in[c] - max_in_row) * beta);
    for (int32_t c = 0; c < depth; ++c) out[c] = expf((in[c] - max_in_row) * beta) / sum;
  }
}

void eval_softmax_s8(const void* call, const void* const* in, void* const* out) {
  const SoftmaxS8Call& c = *static_cast<const SoftmaxS8Call*>(call);
  softmax_s8(c.params, c.rows, c.depth, static_cast<const int8_t*>(in[0]), static_cast<int8_t*>(out[0]));
}

void eval_softmax_f32(const void* call, const void* const* in, void* const* out) {
  const SoftmaxF32Call& c = *static_cast<const SoftmaxF32Call*>(call);
  softmax_f32(c.beta, c.rows, c.depth, static_cast<const float*>(in[0]), static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
