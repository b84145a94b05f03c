// dsp::log10_f32, the libm-independent log10 of the MFE block: error in ulps against the double-precision
// log10 over every float mantissa and a sweep of all exponents, monotonicity, exact powers of ten, and the
// special values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

#include "dsp/log10.h"

namespace {

using kiln::dsp::log10_f32;

float float_of(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

std::uint32_t bits_of(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// |got - exact| in units of the last place of the float nearest `exact` (the spacing of floats at |exact|).
double ulp_error(float got, double exact) {
  if (exact == 0.0) return got == 0.0f ? 0.0 : std::numeric_limits<double>::infinity();
  int exponent = 0;
  std::frexp(exact, &exponent);  // |exact| in [2^(exponent-1), 2^exponent)
  const double ulp = std::ldexp(1.0, exponent - 24);
  return std::fabs(static_cast<double>(got) - exact) / ulp;
}

struct Sweep {
  double max_ulp = 0.0;
  float worst_x = 0.0f;
  long long monotonic_breaks = 0;
  long long count = 0;
};

// Every `stride`-th float from bits `first` to bits `last` (positive floats: bits order = value order).
Sweep sweep(std::uint32_t first, std::uint32_t last, std::uint32_t stride) {
  Sweep s;
  float previous = -std::numeric_limits<float>::infinity();
  for (std::uint64_t b = first; b <= last; b += stride) {
    const float x = float_of(static_cast<std::uint32_t>(b));
    const float got = log10_f32(x);
    const double e = ulp_error(got, std::log10(static_cast<double>(x)));
    if (e > s.max_ulp) {
      s.max_ulp = e;
      s.worst_x = x;
    }
    if (got < previous) ++s.monotonic_breaks;
    previous = got;
    ++s.count;
  }
  return s;
}

TEST(DspLog10, EveryMantissaWithinOneUlpAndMonotonic) {
  // [0.5, 2): every mantissa on both sides of the sqrt(2) split, with exponents -1 and 0 (e = 0 has no
  // e*log10(2) term, the hardest case for relative accuracy near x = 1).
  const Sweep s = sweep(bits_of(0.5f), bits_of(2.0f), 1);
  std::printf("log10_f32 on [0.5, 2]: %lld floats, max error %.4f ulp at x = %.9g\n", s.count, s.max_ulp,
              static_cast<double>(s.worst_x));
  EXPECT_LT(s.max_ulp, 1.0) << "at x = " << s.worst_x;
  EXPECT_EQ(s.monotonic_breaks, 0);
}

TEST(DspLog10, EveryExponentWithinOneUlpAndMonotonic) {
  // The MFE block's range starts at kMinEnergy = 1e-30; sweep all positive finite floats, subnormals
  // included, with a stride prime to the mantissa width so every exponent sees many different mantissas.
  const Sweep s = sweep(1u, bits_of(std::numeric_limits<float>::max()), 61);
  std::printf("log10_f32 on all positive floats (every 61st): %lld floats, max error %.4f ulp at x = %.9g\n",
              s.count, s.max_ulp, static_cast<double>(s.worst_x));
  EXPECT_LT(s.max_ulp, 1.0) << "at x = " << s.worst_x;
  EXPECT_EQ(s.monotonic_breaks, 0);
  // Dense around the ends of the MFE range and a few decades in between: consecutive floats.
  for (float centre : {1e-30f, 1e-10f, 1e-3f, 10.0f, 1e10f}) {
    const Sweep d = sweep(bits_of(centre) - (1u << 21), bits_of(centre) + (1u << 21), 1);
    EXPECT_LT(d.max_ulp, 1.0) << "near " << centre << ", at x = " << d.worst_x;
    EXPECT_EQ(d.monotonic_breaks, 0) << "near " << centre;
  }
}

TEST(DspLog10, ExactAtPowersOfTen) {
  // 10^0 .. 10^10 are exact floats; for the others the float nearest 10^k is within 2^-24 relative, so the
  // correctly rounded log10 is still exactly k.
  for (int k = -38; k <= 38; ++k) {
    const float x = static_cast<float>(std::pow(10.0, k));
    EXPECT_EQ(log10_f32(x), static_cast<float>(k)) << "10^" << k;
  }
  EXPECT_EQ(log10_f32(1.0f), 0.0f);
  EXPECT_FALSE(std::signbit(log10_f32(1.0f)));
}

TEST(DspLog10, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(log10_f32(0.0f), -inf);
  EXPECT_EQ(log10_f32(-0.0f), -inf);
  EXPECT_TRUE(std::isnan(log10_f32(-1.0f)));
  EXPECT_TRUE(std::isnan(log10_f32(-inf)));
  EXPECT_TRUE(std::isnan(log10_f32(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_EQ(log10_f32(inf), inf);
  const float smallest = std::numeric_limits<float>::denorm_min();  // 2^-149
  EXPECT_LT(ulp_error(log10_f32(smallest), -149.0 * std::log10(2.0)), 1.0);
  EXPECT_LT(ulp_error(log10_f32(std::numeric_limits<float>::max()),
                      std::log10(static_cast<double>(std::numeric_limits<float>::max()))),
            1.0);
}

}  // namespace
