// Packed 16-bit helpers for the int8 kernels (conv2d, depthwise_conv2d, fully_connected).
//
// KILN_NN_SIMD selects the kernels' packed code paths: on cores with the DSP extension (Cortex-M4/M7/M33...)
// they map to the ACLE intrinsics (one instruction each); on hosts (not __arm__) they are emulated in plain
// C, so the host tests run exactly the algorithm the device runs; on ARM cores without DSP (Cortex-M0+) the
// kernels use their scalar paths. -DKILN_NN_SIMD=0 forces the scalar paths (to test them on a host).
//
// Every value is an int32_t holding two int16 lanes (bottom = bits 0..15, top = bits 16..31), as ACLE's
// int16x2_t. All arithmetic is int32 two's complement (wrapping, like the instructions), so any summation
// order gives the same accumulator bits.
#ifndef KILN_NN_SIMD_INT8_H
#define KILN_NN_SIMD_INT8_H

#include <stdint.h>
#include <string.h>

#include "nn/quant_math.h"

#ifndef KILN_NN_SIMD
#if defined(__ARM_FEATURE_DSP) || !defined(__arm__)
#define KILN_NN_SIMD 1
#else
#define KILN_NN_SIMD 0
#endif
#endif

#if KILN_NN_SIMD && defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

namespace kiln {
namespace nn {
namespace simd {

// Unaligned 32-bit load/store (LDR/STR allow unaligned access on M3 and up; memcpy keeps it well defined).
inline int32_t read4(const void* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}
inline void write4(void* p, int32_t v) {
  memcpy(p, &v, 4);
}

inline int32_t pack16(int32_t bottom, int32_t top) {
  return static_cast<int32_t>((static_cast<uint32_t>(bottom) & 0xFFFFu) | (static_cast<uint32_t>(top) << 16));
}

#if KILN_NN_SIMD && defined(__ARM_FEATURE_DSP)

// Bytes 0 and 2 sign-extended into the two lanes.
inline int32_t sxtb16(int32_t x) {
  return __sxtb16(x);
}
// Bytes 1 and 3 sign-extended into the two lanes: SXTB16 with its built-in ROR #8 (GCC does not fold a
// separate rotate into the instruction, and the rotate would cost one instruction per word).
inline int32_t sxtb16_odd(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
inline int32_t sadd16(int32_t a, int32_t b) {
  return __sadd16(a, b);
}
// acc + a.bottom * b.bottom + a.top * b.top
inline int32_t smlad(int32_t a, int32_t b, int32_t acc) {
  return __smlad(a, b, acc);
}
inline int32_t smlabb(int32_t a, int32_t b, int32_t acc) {
  return __smlabb(a, b, acc);
}
inline int32_t smlatt(int32_t a, int32_t b, int32_t acc) {
  return __smlatt(a, b, acc);
}

#else

inline int32_t bottom16(int32_t x) {
  return static_cast<int16_t>(static_cast<uint32_t>(x) & 0xFFFFu);
}
inline int32_t top16(int32_t x) {
  return static_cast<int16_t>(static_cast<uint32_t>(x) >> 16);
}
inline int32_t wrap_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t sxtb16(int32_t x) {
  const uint32_t u = static_cast<uint32_t>(x);
  return pack16(static_cast<int8_t>(u & 0xFFu), static_cast<int8_t>((u >> 16) & 0xFFu));
}
inline int32_t sxtb16_odd(int32_t x) {
  const uint32_t u = static_cast<uint32_t>(x);
  return pack16(static_cast<int8_t>((u >> 8) & 0xFFu), static_cast<int8_t>(u >> 24));
}
inline int32_t sadd16(int32_t a, int32_t b) {
  return pack16(bottom16(a) + bottom16(b), top16(a) + top16(b));
}
inline int32_t smlad(int32_t a, int32_t b, int32_t acc) {
  return wrap_add(wrap_add(acc, bottom16(a) * bottom16(b)), top16(a) * top16(b));
}
inline int32_t smlabb(int32_t a, int32_t b, int32_t acc) {
  return wrap_add(acc, bottom16(a) * bottom16(b));
}
inline int32_t smlatt(int32_t a, int32_t b, int32_t acc) {
  return wrap_add(acc, top16(a) * top16(b));
}

#endif

}  // namespace simd

// multiply_by_quantized_multiplier (quant_math.h), bit for bit, in fewer instructions: the doubling high
// multiply's "(ab + nudge) / 2^31, truncated toward zero" with nudge = 2^30 for ab >= 0 and 1 - 2^30 for ab <
// 0 equals floor((ab + 2^30) / 2^31) in both cases (for ab < 0: ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 1
// - 2^30 + 2^31 - 1) / 2^31)), i.e. one 64-bit add and an arithmetic shift (SMULL, ADDS, ADC, and a funnel
// shift on Cortex-M) instead of sign-dependent nudging and a truncating division. The single saturating case
// (both operands INT32_MIN) is kept; the final rounding shift is quant_math.h's own.
inline int32_t requantize_multiply(int32_t x, int32_t multiplier, int32_t shift) {
  const int left_shift = shift > 0 ? static_cast<int>(shift) : 0;
  const int right_shift = shift > 0 ? 0 : static_cast<int>(-shift);
  const int32_t a = static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
  int32_t high;
  if (a == kInt32Min && multiplier == kInt32Min) {
    high = kInt32Max;
  } else {
    const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(multiplier);
    high = static_cast<int32_t>((ab + (int64_t(1) << 30)) >> 31);
  }
  return rounding_divide_by_pot(high, right_shift);
}

// The int8 output of an int32 accumulator: requantize, add the output zero point, clamp (as the reference).
inline int8_t requantize_s8(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                            int32_t act_min, int32_t act_max) {
  return static_cast<int8_t>(
      clamp_i32(requantize_multiply(acc, multiplier, shift) + output_offset, act_min, act_max));
}

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_SIMD_INT8_H
