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

#include "nn/kernel_types.h"
#include "nn/quant_math.h"

// The Arm paths use GCC-style inline assembly (GCC, clang, armclang); another Arm compiler (IAR, Arm
// Compiler 5) gets the portable loops, as does -DKILN_NN_SIMD=0 anywhere.
#ifndef KILN_NN_SIMD
#if (defined(__ARM_FEATURE_DSP) && defined(__GNUC__)) || !defined(__arm__)
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
// a + sxtb16(x), a + sxtb16_odd(x), lane by lane (wrapping): widening and offsetting in one instruction.
inline int32_t sxtab16(int32_t a, int32_t x) {
  return __sxtab16(a, x);
}
inline int32_t sxtab16_odd(int32_t a, int32_t x) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
// x saturated to [-128, 127]
inline int32_t ssat8(int32_t x) {
  return __ssat(x, 8);
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
inline int32_t sxtab16(int32_t a, int32_t x) {
  return sadd16(a, sxtb16(x));
}
inline int32_t sxtab16_odd(int32_t a, int32_t x) {
  return sadd16(a, sxtb16_odd(x));
}
inline int32_t ssat8(int32_t x) {
  return x < -128 ? -128 : (x > 127 ? 127 : x);
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
      add_clamped(requantize_multiply(acc, multiplier, shift), output_offset, act_min, act_max));
}

// Requantization with per-channel constants: both roundings of multiply_by_quantized_multiplier (the doubling
// high multiply's floor((ab + 2^30) / 2^31), then rounding_divide_by_pot by e = -shift >= 1, ties away from
// zero) and the output offset in one 64-bit floor division. For e >= 1, rounding_divide_by_pot(h, e) =
// floor((h + 2^(e-1) - [h < 0]) / 2^e), and floor(floor(y / 2^31) + c) / 2^e) = floor((y + c 2^31) /
// 2^(31+e)) for integer c, so the result plus the offset is
//   floor((ab + 2^30 + (2 off + 1) 2^(30+e) - [h < 0] 2^31) / 2^(31+e)).
// With a multiplier >= 0, [h < 0] may be replaced by [x < 0]: they differ only for x < 0 with ab in
// [-2^30, 0], where h = 0 and both forms give 0 + off (the numerator stays in [0, 2^(31+e)) + off 2^(31+e)).
// Bounds: |ab| < 2^62 and |(2 off + 1) 2^(30+e)| <= 2^61 for |off| <= 255 and e <= 22, so nothing
// overflows, and the high word of the sum is an int32. The shift (31 + e) >= 32 leaves the high word shifted
// by e - 1. On Cortex-M: AND, ADDS, ADC, SMLAL, ASR per output; channel setup: MVN, LSL, ORR, ASR.
// requant_fast_ok() checks these preconditions once per op; other ops use requantize_s8.
struct ChannelRequant {
  int32_t multiplier;
  int32_t s;      // e - 1
  uint32_t k_lo;  // low and high words of 2^30 + (2 off + 1) 2^(30+e)
  int32_t k_hi;
};

inline bool requant_fast_ok(const int32_t* multiplier, const int8_t* shift, int32_t count,
                            int32_t output_offset) {
  if (output_offset < -255 || output_offset > 255) return false;
  for (int32_t i = 0; i < count; ++i) {
    if (multiplier[i] < 0 || shift[i] > -1 || shift[i] < -22) return false;
  }
  return true;
}

inline ChannelRequant channel_requant(int32_t multiplier, int32_t shift, int32_t output_offset) {
  ChannelRequant c;
  c.multiplier = multiplier;
  c.s = ~shift;  // -shift - 1
  // v = (2 off + 1) 2^s, |v| < 2^30; the constant is 2^30 + v 2^31.
  const uint32_t v = static_cast<uint32_t>(2 * output_offset + 1) << c.s;
  c.k_lo = 0x40000000u | (v << 31);
  c.k_hi = static_cast<int32_t>(v) >> 1;
  return c;
}

// requantize_multiply(acc, multiplier, shift) + output_offset, for constants from channel_requant.
inline int32_t requant_apply(int32_t acc, const ChannelRequant& c) {
#if KILN_NN_SIMD && defined(__ARM_FEATURE_DSP)
  uint32_t lo = static_cast<uint32_t>(acc) & 0x80000000u;
  int32_t hi;
  __asm__("adds %0, %0, %2\n\tadc %1, %3, %4, asr #31\n\tsmlal %0, %1, %4, %5"
          : "+&r"(lo), "=&r"(hi)
          : "r"(c.k_lo), "r"(c.k_hi), "r"(acc), "r"(c.multiplier)
          : "cc");
  return hi >> c.s;
#else
  const int64_t k =
      static_cast<int64_t>((static_cast<uint64_t>(static_cast<uint32_t>(c.k_hi)) << 32) | c.k_lo);
  const int64_t neg = acc < 0 ? -(int64_t(1) << 31) : 0;
  const int64_t sum = static_cast<int64_t>(acc) * c.multiplier + k + neg;
  return static_cast<int32_t>(sum >> 32) >> c.s;
#endif
}

// An op's requantization (QuantParams + QuantActivation): channel constants for the fast path when
// requant_fast_ok holds for the whole op (fast), else the reference-equivalent requantize_s8 (slow).
struct OpRequant {
  const int32_t* multiplier;
  const int8_t* shift;
  bool per_channel, fast;
  bool sat8;  // the clamp is [-128, 127]: one SSAT
  int32_t output_offset, act_min, act_max;
  ChannelRequant tensor;  // the single pair's constants when !per_channel

  OpRequant(const QuantParams& quant, const QuantActivation& act)
      : multiplier(quant.multiplier),
        shift(quant.shift),
        per_channel(quant.count > 1),
        fast(requant_fast_ok(quant.multiplier, quant.shift, quant.count > 1 ? quant.count : 1,
                             act.output_offset)),
        sat8(act.act_min == -128 && act.act_max == 127),
        output_offset(act.output_offset),
        act_min(act.act_min),
        act_max(act.act_max),
        tensor() {
    if (fast) tensor = channel_requant(multiplier[0], shift[0], output_offset);
  }
  ChannelRequant channel(int32_t oc) const {
    return per_channel ? channel_requant(multiplier[oc], shift[oc], output_offset) : tensor;
  }
  int8_t apply(int32_t acc, const ChannelRequant& c) const {
    return static_cast<int8_t>(clamp_i32(requant_apply(acc, c), act_min, act_max));
  }
  template <bool kSat8>
  int8_t apply_t(int32_t acc, const ChannelRequant& c) const {
    return kSat8 ? static_cast<int8_t>(simd::ssat8(requant_apply(acc, c))) : apply(acc, c);
  }
  // Four consecutive channels' outputs (oc .. oc + 3), in increasing address order.
  void store4(int8_t* out, int32_t oc, int32_t a0, int32_t a1, int32_t a2, int32_t a3) const {
    if (!fast) {
      out[0] = slow(a0, oc);
      out[1] = slow(a1, oc + 1);
      out[2] = slow(a2, oc + 2);
      out[3] = slow(a3, oc + 3);
    } else if (sat8) {
      out[0] = apply_t<true>(a0, channel(oc));
      out[1] = apply_t<true>(a1, channel(oc + 1));
      out[2] = apply_t<true>(a2, channel(oc + 2));
      out[3] = apply_t<true>(a3, channel(oc + 3));
    } else {
      out[0] = apply(a0, channel(oc));
      out[1] = apply(a1, channel(oc + 1));
      out[2] = apply(a2, channel(oc + 2));
      out[3] = apply(a3, channel(oc + 3));
    }
  }
  int8_t one(int32_t acc, int32_t oc) const {
    return !fast ? slow(acc, oc) : sat8 ? apply_t<true>(acc, channel(oc)) : apply(acc, channel(oc));
  }
  int8_t slow(int32_t acc, int32_t oc) const {
    const int32_t q = per_channel ? oc : 0;
    return requantize_s8(acc, multiplier[q], shift[q], output_offset, act_min, act_max);
  }
};

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_SIMD_INT8_H
