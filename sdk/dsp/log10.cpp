#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/log10.h"

#include <math.h>  // HUGE_VALF and NAN only (macros, no libm call)
#include <stdint.h>
#include <string.h>

// Method. x = 2^e * m with m in [sqrt(1/2), sqrt(2)), so that for e != 0 the two parts of
// log10(x) = e*log10(2) + log10(m) never cancel. With f = m - 1 (exact: Sterbenz) and s = f / (2 + f),
// ln(m) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ..., |s| <= 0.1716, and since 2s = f - f*f/2 + s*f*f/2:
//   ln(m) = f - c,  c = h - s*(h + R),  h = f*f/2,  R = 2s^2/3 + 2s^4/5 + 2s^6/7 + 2s^8/9
// (the next term is below 2^-28 relative). f is exact and c is at most a fifth of f, so the rounding errors
// of the series reach the result only scaled down. The big products are made exact by splitting: f = fh + fl
// with fh holding f's top 12 significant bits, 1/ln(10) = ivh + ivl and log10(2) = l2h + l2l with 12-bit
// heads, so fh*ivh (12 x 12 bits) and e*l2h (|e| <= 152: 8 x 12 bits) are exact; their sum is split into the
// rounded sum and its exact error (Fast2Sum, |e*l2h| >= |fh*ivh| whenever e != 0) and every small term is
// added to that error before the single final rounding. Measured over every float mantissa and a sweep of all
// exponents (tests/unit/dsp/test_log10.cpp): below 1 ulp, monotonic, exact at powers of ten.

namespace kiln {
namespace dsp {
namespace {

const float kInvLn10Head = 0.4342041015625f;         // 1/ln(10) with 12 significant bits
const float kInvLn10Tail = 9.038033749675378e-05f;   // 1/ln(10) - head, to float
const float kLog10TwoHead = 0.301025390625f;         // log10(2) with 12 significant bits
const float kLog10TwoTail = 4.605039066518657e-06f;  // log10(2) - head, to float
const float kTwoPow25 = 33554432.0f;                 // scales subnormals into the normal range, exactly

// Series coefficients 2/3, 2/5, 2/7, 2/9 rounded to float.
const float kC1 = 0.666666686534881591796875f;
const float kC2 = 0.4000000059604644775390625f;
const float kC3 = 0.2857142984867095947265625f;
const float kC4 = 0.2222222238779067993164062f;

const uint32_t kSmallestNormal = 0x00800000u;  // bits of 2^-126
const uint32_t kMantissaMask = 0x007fffffu;
const uint32_t kSqrtTwoMantissa = 0x003504f3u;  // mantissa bits of float(sqrt(2)) = 1.41421354
const uint32_t kExponentOfOne = 0x3f800000u;    // biased exponent of [1, 2)
const uint32_t kExponentOfHalf = 0x3f000000u;   // biased exponent of [0.5, 1)

uint32_t bits_of(float x) {
  uint32_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

float float_of(uint32_t b) {
  float x;
  memcpy(&x, &b, sizeof x);
  return x;
}

// x with the low 12 of its 24 significand bits cleared: the 12-bit head of x (exact, x - head is exact too).
float head12(float x) {
  return float_of(bits_of(x) & 0xfffff000u);
}

}  // namespace

float log10_f32(float x) {
  if (!(x > 0.0f)) return x == 0.0f ? -HUGE_VALF : NAN;  // negative or NaN: NaN
  if (x - x != 0.0f) return x;                           // +infinity
  int e = 0;
  uint32_t b = bits_of(x);
  if (b < kSmallestNormal) {  // subnormal: below 2^-126
    b = bits_of(x * kTwoPow25);
    e = -25;
  }
  const uint32_t mantissa = b & kMantissaMask;
  e += static_cast<int>(b >> 23) - 127;
  float m;
  if (mantissa >= kSqrtTwoMantissa) {  // [sqrt(2), 2) -> [sqrt(2)/2, 1)
    m = float_of(mantissa | kExponentOfHalf);
    ++e;
  } else {
    m = float_of(mantissa | kExponentOfOne);
  }

  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s;
  const float r = z * (kC1 + z * (kC2 + z * (kC3 + z * kC4)));
  const float h = 0.5f * f * f;
  const float c = h - s * (h + r);  // ln(m) = f - c
  const float fh = head12(f);
  const float lo = (f - fh) - c;  // ln(m) = fh + lo

  const float ef = static_cast<float>(e);
  const float big_a = ef * kLog10TwoHead;  // exact
  const float big_b = fh * kInvLn10Head;   // exact
  const float sum = big_a + big_b;
  const float sum_error = (big_a - sum) + big_b;  // exact (Fast2Sum)
  const float small = ef * kLog10TwoTail + ((fh + lo) * kInvLn10Tail + lo * kInvLn10Head);
  return sum + (sum_error + small);
}

}  // namespace dsp
}  // namespace kiln
