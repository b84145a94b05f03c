// Integer arithmetic of the TFLite int8 quantization spec: the rounding multiply used to requantize int32
// accumulators, the conversion of a real scale to a (multiplier, shift) pair, and the few gemmlowp-style
// fixed-point functions that softmax and logistic need. Everything here must round exactly as TFLite does,
// because conformance is byte-for-byte.
#ifndef KILN_NN_QUANT_MATH_H
#define KILN_NN_QUANT_MATH_H

#include <stdint.h>

namespace kiln {
namespace nn {

static const int32_t kInt32Min = -2147483647 - 1;
static const int32_t kInt32Max = 2147483647;

// round(a * b / 2^31) with round-half-away-from-zero, saturating the single overflow case (min * min).
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == kInt32Min && b == kInt32Min) return kInt32Max;
  int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31].
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^shift, the TFLite requantization step (double rounding, as TFLM's reference kernels).
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

// The (multiplier, shift) pair for a real multiplier, as TFLite's QuantizeMultiplier: frexp, round the
// mantissa to Q31, renormalize when it rounds up to 1.0, flush to zero below 2^-31, saturate above 2^30
// (shift stays in [-31, 30]).
void quantize_multiplier(double real_multiplier, int32_t* multiplier, int* shift);

// Activation clamp bounds in the quantized domain of an output with (scale, zero_point), for the TFLite
// fused activations (0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6), intersected with [qmin, qmax].
void quantized_activation_range(int activation, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                                int32_t* act_min, int32_t* act_max);
void float_activation_range(int activation, float* act_min, float* act_max);

// Fixed-point helpers (gemmlowp semantics) on raw int32 values; "q<N>" = N integer bits.
int32_t fixed_exp_on_negative_values(int32_t a, int integer_bits);  // exp(a), a <= 0, result Q0.31
int32_t fixed_one_over_one_plus_x_for_x_in_0_1(int32_t a);          // 1/(1+a), Q0.31 in and out
int32_t fixed_logistic(int32_t a, int integer_bits);                // logistic(a), result Q0.31
int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent);

// floor of the largest input (in input units) whose rescaled value still fits, as TFLite's
// CalculateInputRadius.
int32_t calculate_input_radius(int input_integer_bits, int input_left_shift, int total_signed_bits);

inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// a + b with two's-complement wrap-around, as the device's ADD does. A model's weights and biases are
// untrusted input: a crafted one can overflow an int32 accumulator, which C++ leaves undefined. Compiles to a
// plain add.
inline int32_t wrap_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// x / n (n > 0) rounded half away from zero, as TFLite's average pool and mean; in 64 bits so that x near the
// int32 limits cannot overflow.
inline int32_t rounded_divide(int32_t x, int32_t n) {
  const int64_t v = x;
  return static_cast<int32_t>(v > 0 ? (v + n / 2) / n : (v - n / 2) / n);
}

// value + offset clamped to [lo, hi], the sum taken in 64 bits: a requantized value at the int32 limits (only
// a crafted model's scales give one) plus a zero point would overflow. Otherwise the int32 sum, as TFLite.
inline int32_t add_clamped(int32_t value, int32_t offset, int32_t lo, int32_t hi) {
  const int64_t v = static_cast<int64_t>(value) + offset;
  return v < lo ? lo : (v > hi ? hi : static_cast<int32_t>(v));
}
inline float clamp_f32(float v, float lo, float hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_QUANT_MATH_H
