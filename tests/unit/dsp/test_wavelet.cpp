// Wavelets (sdk/dsp/wavelet.h): every tabulated filter is orthonormal (sum h = sqrt(2), sum h^2 = 1,
// even-shift autocorrelation 0), the filter bank reconstructs perfectly, names round-trip, and one level of
// dwt matches pywt.dwt(x, 'db2', mode='symmetric') on 0..9 (values from PyWavelets 1.1.1).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "dsp/wavelet.h"

namespace {

using namespace kiln::dsp;

TEST(DspWavelet, FiltersAreOrthonormal) {
  for (int w = 0; w < kWaveletCount; ++w) {
    const Wavelet wavelet = static_cast<Wavelet>(w);
    SCOPED_TRACE(wavelet_name(wavelet));
    const double* h = wavelet_scaling_filter(wavelet);
    const int L = wavelet_filter_length(wavelet);
    ASSERT_NE(h, nullptr);
    ASSERT_GE(L, 2);
    ASSERT_LE(L, kWaveletMaxFilterLength);
    double sum = 0, energy = 0;
    for (int j = 0; j < L; ++j) {
      sum += h[j];
      energy += h[j] * h[j];
    }
    // The published Symlet tables carry fewer digits than double precision (sym3's energy is 1 + 5e-12).
    EXPECT_NEAR(sum, std::sqrt(2.0), 1e-10);
    EXPECT_NEAR(energy, 1.0, 1e-10);
    for (int shift = 2; shift < L; shift += 2) {
      double c = 0;
      for (int j = 0; j + shift < L; ++j) c += h[j] * h[j + shift];
      EXPECT_NEAR(c, 0.0, 1e-10) << "shift " << shift;
    }
    Wavelet back;
    ASSERT_TRUE(wavelet_from_name(wavelet_name(wavelet), &back));
    EXPECT_EQ(back, wavelet);
  }
  EXPECT_EQ(wavelet_filter_length(kWaveletHaar), 2);
  EXPECT_EQ(wavelet_filter_length(kWaveletDb10), 20);
  EXPECT_EQ(wavelet_filter_length(kWaveletSym10), 20);
  EXPECT_EQ(wavelet_filter_length(kWaveletCoif3), 18);
  Wavelet w;
  EXPECT_FALSE(wavelet_from_name("bior2.2", &w));
  EXPECT_FALSE(wavelet_from_name("db11", &w));
  EXPECT_FALSE(wavelet_from_name("DB4", &w));
  EXPECT_FALSE(wavelet_from_name(nullptr, &w));
  EXPECT_EQ(wavelet_name(kWaveletCount), nullptr);
  EXPECT_EQ(wavelet_scaling_filter(kWaveletCount), nullptr);
  WaveletFilters f;
  EXPECT_FALSE(wavelet_filters(kWaveletCount, &f));
}

TEST(DspWavelet, DwtMatchesPywtOnARamp) {
  // pywt.dwt(np.arange(10.0), 'db2', 'symmetric')
  const double approx[6] = {0.35355339059327373, 0.8965754721680536, 3.725002596914316,
                            6.553429721660576,   9.381856846406837,  12.374368670764582};
  const double detail[6] = {-0.6123724356957946, 0, 0, 0, 0, 0.6123724356957946};
  WaveletFilters f;
  ASSERT_TRUE(wavelet_filters(kWaveletDb2, &f));
  float x[10];
  for (int i = 0; i < 10; ++i) x[i] = static_cast<float>(i);
  ASSERT_EQ(dwt_output_length(10, f.length), 6u);
  float a[6], d[6];
  dwt_f32(f, x, 10, a, d);
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR(a[k], approx[k], 2e-6);
    EXPECT_NEAR(d[k], detail[k], 2e-6);
  }
}

// Orthogonal synthesis of one level (upsample, filter with rec_lo = h and rec_hi[j] = (-1)^j h[L-1-j]); with
// the symmetric extension the outputs are over-complete, and the samples L-2 .. L-2+n-1 of the synthesis
// give back x (pywt.idwt's 'symmetric' trimming).
std::vector<double> idwt(Wavelet wavelet, const std::vector<float>& a, const std::vector<float>& d,
                         std::size_t n) {
  const double* h = wavelet_scaling_filter(wavelet);
  const int L = wavelet_filter_length(wavelet);
  const std::size_t full = 2 * a.size() + L - 2;
  std::vector<double> y(full + L, 0.0);
  for (std::size_t k = 0; k < a.size(); ++k) {
    for (int j = 0; j < L; ++j) {
      const double hi = (j % 2 == 0 ? 1.0 : -1.0) * h[L - 1 - j];
      y[2 * k + j] += h[j] * a[k] + hi * d[k];
    }
  }
  return std::vector<double>(y.begin() + (L - 2), y.begin() + (L - 2) + static_cast<std::ptrdiff_t>(n));
}

TEST(DspWavelet, PerfectReconstruction) {
  for (int w = 0; w < kWaveletCount; ++w) {
    const Wavelet wavelet = static_cast<Wavelet>(w);
    SCOPED_TRACE(wavelet_name(wavelet));
    WaveletFilters f;
    ASSERT_TRUE(wavelet_filters(wavelet, &f));
    for (std::size_t n : {64u, 65u, 100u}) {
      std::vector<float> x(n);
      for (std::size_t t = 0; t < n; ++t) x[t] = static_cast<float>(std::sin(0.3 * t) + 0.01 * t * t / n);
      const std::size_t m = dwt_output_length(n, f.length);
      std::vector<float> a(m), d(m);
      dwt_f32(f, x.data(), n, a.data(), d.data());
      const std::vector<double> back = idwt(wavelet, a, d, n);
      double max_err = 0;
      for (std::size_t t = 0; t < n; ++t) max_err = std::max(max_err, std::abs(back[t] - x[t]));
      EXPECT_LT(max_err, 2e-5) << "n " << n;
      // Energy of an orthogonal transform: the detail of a smooth signal is small, the approximation carries
      // it.
      double ex = 0, ea = 0;
      for (float v : x) ex += v * v;
      for (float v : a) ea += v * v;
      EXPECT_GT(ea, 0.9 * ex);
    }
  }
}

}  // namespace
