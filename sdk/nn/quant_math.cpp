#include "nn/quant_math.h"

#include <math.h>
#include <stdint.h>

namespace kiln {
namespace nn {

void quantize_multiplier(double real_multiplier, int32_t* multiplier, int* shift) {
  if (real_multiplier == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = frexp(real_multiplier, &exponent);
  int64_t q_fixed = static_cast<int64_t>(round(q * static_cast<double>(int64_t(1) << 31)));
  if (q_fixed == (int64_t(1) << 31)) {
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q_fixed = 0;
  }
  // Above 2^30 the requantization's left shift would overflow (undefined behaviour for shifts of 32 and
  // more): saturate, as TFLite does. Only a nonsensical (crafted) model gets here.
  if (exponent > 30) {
    exponent = 30;
    q_fixed = (int64_t(1) << 31) - 1;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

void quantized_activation_range(int activation, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                                int32_t* act_min, int32_t* act_max) {
  // zero_point + round(f / scale), in float as TFLite does. A crafted model's scale can make the quotient
  // infinite or NaN, or the sum leave int32: both ends are clamped (and NaN counts as 0) instead of being the
  // undefined conversion, so the result only differs where TFLite's is undefined.
  struct Q {
    static int32_t at(float f, float s, int32_t zp) {
      const float r = roundf(f / s);
      const double q = (r != r ? 0.0 : static_cast<double>(r)) + zp;
      return q <= -2147483648.0 ? INT32_MIN : (q >= 2147483647.0 ? INT32_MAX : static_cast<int32_t>(q));
    }
  };
  int32_t lo = qmin, hi = qmax;
  if (activation == 1) {
    int32_t z = Q::at(0.0f, scale, zero_point);
    lo = z > qmin ? z : qmin;
  } else if (activation == 3) {
    int32_t z = Q::at(0.0f, scale, zero_point), s = Q::at(6.0f, scale, zero_point);
    lo = z > qmin ? z : qmin;
    hi = s < qmax ? s : qmax;
  } else if (activation == 2) {
    int32_t m = Q::at(-1.0f, scale, zero_point), p = Q::at(1.0f, scale, zero_point);
    lo = m > qmin ? m : qmin;
    hi = p < qmax ? p : qmax;
  }
  *act_min = lo;
  *act_max = hi;
}

void float_activation_range(int activation, float* act_min, float* act_max) {
  const float inf = HUGE_VALF;
  *act_min = -inf;
  *act_max = inf;
  if (activation == 1) {
    *act_min = 0.0f;
  } else if (activation == 3) {
    *act_min = 0.0f;
    *act_max = 6.0f;
  } else if (activation == 2) {
    *act_min = -1.0f;
    *act_max = 1.0f;
  }
}

int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((int64_t(1) << (31 - exponent)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

namespace {

inline int32_t fx_mul(int32_t a, int32_t b) {
  return saturating_rounding_doubling_high_mul(a, b);
}
inline int32_t fx_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t fx_sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a in [-1/4, 0), Q0.31: Taylor expansion around -1/8.
int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t constant_term = 1895147668;     // exp(-1/8)
  const int32_t constant_1_over_3 = 715827883;  // 1/3
  const int32_t x = fx_add(a, int32_t(1) << 28);
  const int32_t x2 = fx_mul(x, x);
  const int32_t x3 = fx_mul(x2, x);
  const int32_t x4 = fx_mul(x2, x2);
  const int32_t x4_over_4 = saturating_rounding_multiply_by_pot(x4, -2);
  const int32_t poly =
      saturating_rounding_multiply_by_pot(fx_add(fx_mul(fx_add(x4_over_4, x3), constant_1_over_3), x2), -1);
  return fx_add(constant_term, fx_mul(constant_term, fx_add(x, poly)));
}

}  // namespace

int32_t fixed_exp_on_negative_values(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = int32_t(1) << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = fx_sub(a & mask, one_quarter);
  // Rescale from integer_bits to 0 integer bits.
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      saturating_rounding_multiply_by_pot(a_mod_quarter_minus_one_quarter, integer_bits));
  const int32_t remainder = fx_sub(a_mod_quarter_minus_one_quarter, a);
  // exp(-2^k) for k = -2 .. 4 in Q0.31.
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  for (int i = 0; i < 7; ++i) {
    const int exponent = i - 2;
    if (integer_bits > exponent) {
      const int shift_amount = fractional_bits + exponent;
      if (remainder & (int32_t(1) << shift_amount)) result = fx_mul(result, kMultipliers[i]);
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -(int32_t(1) << (36 - integer_bits));  // -32.0
    if (a < clamp) result = 0;
  }
  if (a == 0) result = kInt32Max;
  return result;
}

int32_t fixed_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  // Newton-Raphson division in Q2.29 with the 48/17, 32/17 initial estimate.
  const int32_t half_denominator = rounding_half_sum(a, kInt32Max);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  const int32_t one_q2 = int32_t(1) << 29;
  int32_t x = fx_add(constant_48_over_17, fx_mul(half_denominator, constant_neg_32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = fx_mul(half_denominator, x);
    const int32_t one_minus = fx_sub(one_q2, half_denominator_times_x);
    x = fx_add(x, saturating_rounding_multiply_by_pot(fx_mul(x, one_minus), 2));
  }
  // ExactMulByPot<-1> gives Q1.30; rescale to Q0.31 is a saturating left shift by 1.
  return saturating_rounding_multiply_by_pot(x, 1);
}

int32_t fixed_logistic(int32_t a, int integer_bits) {
  if (a == 0) return int32_t(1) << 30;
  const bool positive = a > 0;
  const int32_t abs_input = positive ? a : static_cast<int32_t>(0u - static_cast<uint32_t>(a));
  const int32_t neg = static_cast<int32_t>(0u - static_cast<uint32_t>(abs_input));
  const int32_t result_if_positive =
      fixed_one_over_one_plus_x_for_x_in_0_1(fixed_exp_on_negative_values(neg, integer_bits));
  return positive ? result_if_positive : fx_sub(kInt32Max, result_if_positive);
}

int32_t calculate_input_radius(int input_integer_bits, int input_left_shift, int total_signed_bits) {
  const double max_input_rescaled =
      1.0 * ((1 << input_integer_bits) - 1) *
      static_cast<double>(int64_t(1) << (total_signed_bits - input_integer_bits)) /
      static_cast<double>(int64_t(1) << input_left_shift);
  return static_cast<int32_t>(floor(max_input_rescaled));
}

}  // namespace nn
}  // namespace kiln
