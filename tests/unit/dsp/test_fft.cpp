// The SDK's real FFT against FFTW (double precision, so the reference error is negligible).
// Tolerance: max_k |X[k] - X_fftw[k]| <= 1e-5 * max_k |X_fftw[k]|, i.e. relative to the spectrum's largest
// magnitude (a per-bin relative error is meaningless for bins that are zero in theory); an all-zero input
// must give an exactly zero spectrum.
#include "dsp/no_fp_contract.h"  // the reference below must not fuse multiply-adds either

#include <fftw3.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dsp/fft.h"

namespace {

using kiln::dsp::RfftPlan;

const double kTolerance = 1e-5;

class Fft {
 public:
  explicit Fft(int n) : memory_(kiln::dsp::rfft_scratch_bytes(n)) {
    status_ = kiln::dsp::rfft_init(&plan_, n, memory_.data(), memory_.size());
  }
  kiln::dsp::Status status() const { return status_; }
  std::vector<float> run(const std::vector<float>& x) const {
    std::vector<float> out(x.size() + 2, -12345.0f);
    kiln::dsp::rfft(plan_, x.data(), out.data());
    return out;
  }

 private:
  std::vector<unsigned char> memory_;
  RfftPlan plan_{};
  kiln::dsp::Status status_;
};

std::vector<std::complex<double>> fftw_reference(const std::vector<float>& x) {
  const int n = static_cast<int>(x.size());
  std::vector<double> in(x.begin(), x.end());
  std::vector<std::complex<double>> out(static_cast<std::size_t>(n / 2 + 1));
  fftw_plan plan =
      fftw_plan_dft_r2c_1d(n, in.data(), reinterpret_cast<fftw_complex*>(out.data()), FFTW_ESTIMATE);
  fftw_execute(plan);
  fftw_destroy_plan(plan);
  return out;
}

// Relative error of our transform of x against FFTW (0 means exact), -1 when the imaginary parts of DC and
// Nyquist are not exactly zero.
double relative_error(const std::vector<float>& x) {
  const int n = static_cast<int>(x.size());
  Fft fft(n);
  EXPECT_EQ(fft.status(), kiln::dsp::kOk);
  const std::vector<float> ours = fft.run(x);
  const std::vector<std::complex<double>> ref = fftw_reference(x);
  if (ours[1] != 0.0f || ours[static_cast<std::size_t>(n) + 1] != 0.0f) return -1;
  double max_ref = 0, max_err = 0;
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> mine(ours[2 * static_cast<std::size_t>(k)],
                              ours[2 * static_cast<std::size_t>(k) + 1]);
    max_ref = std::max(max_ref, std::abs(ref[static_cast<std::size_t>(k)]));
    max_err = std::max(max_err, std::abs(mine - ref[static_cast<std::size_t>(k)]));
  }
  if (max_ref == 0) return max_err == 0 ? 0 : 1;
  return max_err / max_ref;
}

std::vector<int> sizes(int from, int to) {
  std::vector<int> out;
  for (int n = from; n <= to; n *= 2) out.push_back(n);
  return out;
}

std::vector<std::pair<std::string, std::vector<float>>> test_signals(int n) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const double pi = 3.14159265358979323846;
  std::vector<std::pair<std::string, std::vector<float>>> s;
  auto add = [&](const std::string& name, auto f) {
    std::vector<float> x(static_cast<std::size_t>(n));
    for (int t = 0; t < n; ++t) x[static_cast<std::size_t>(t)] = f(t);
    s.emplace_back(name, std::move(x));
  };
  add("uniform random", [&](int) { return uniform(rng); });
  add("normal random + offset", [&](int) { return 3.0f + normal(rng); });
  add("int16-like audio", [&](int) { return std::round(uniform(rng) * 32767.0f); });
  add("zeros", [](int) { return 0.0f; });
  add("DC", [](int) { return 0.7f; });
  add("Nyquist", [](int t) { return t % 2 ? -1.0f : 1.0f; });
  add("impulse at 0", [](int t) { return t == 0 ? 1.0f : 0.0f; });
  add("impulse at n/3", [n](int t) { return t == n / 3 ? -2.5f : 0.0f; });
  for (int k : {1, n / 4, n / 2 - 1}) {
    add("cos bin " + std::to_string(k),
        [=](int t) { return static_cast<float>(std::cos(2 * pi * k * t / n)); });
    add("sin bin " + std::to_string(k),
        [=](int t) { return static_cast<float>(std::sin(2 * pi * k * t / n)); });
  }
  add("large values", [&](int) { return uniform(rng) * 1e30f; });
  add("tiny values", [&](int) { return uniform(rng) * 1e-20f; });
  add("loud tone + quiet noise",
      [&](int t) { return static_cast<float>(30000 * std::sin(2 * pi * 37.25 * t / n)) + uniform(rng); });
  return s;
}

void expect_all_signals_match(int n) {
  for (const auto& [name, x] : test_signals(n)) {
    const double err = relative_error(x);
    EXPECT_GE(err, 0) << name << ", n=" << n << ": imaginary part of DC or Nyquist not exactly 0";
    EXPECT_LE(err, kTolerance) << name << ", n=" << n;
  }
}

TEST(DspFft, MatchesFftwForEverySizeFrom32To4096) {
  for (int n : sizes(32, 4096)) expect_all_signals_match(n);
}

TEST(DspFft, MatchesFftwForSmallAndLargestSizes) {
  for (int n : sizes(2, 16)) expect_all_signals_match(n);
  expect_all_signals_match(8192);
}

TEST(DspFft, ErrorIsFarBelowTheToleranceOnRandomInput) {
  // Float32 rounding should leave the result near 1e-7 of the peak; 1e-6 would mean a twiddle or stage is
  // off.
  for (int n : sizes(32, 4096)) {
    std::mt19937 rng(42 + static_cast<unsigned>(n));
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(static_cast<std::size_t>(n));
    for (float& v : x) v = uniform(rng);
    EXPECT_LE(relative_error(x), 1e-6) << "n=" << n;
  }
}

TEST(DspFft, ZerosGiveExactZeros) {
  Fft fft(256);
  for (float v : fft.run(std::vector<float>(256, 0.0f))) EXPECT_EQ(v, 0.0f);
}

TEST(DspFft, InPlaceEqualsOutOfPlace) {
  for (int n : sizes(2, 8192)) {
    std::mt19937 rng(static_cast<unsigned>(n) * 7u);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(static_cast<std::size_t>(n));
    for (float& v : x) v = uniform(rng);
    std::vector<unsigned char> memory(kiln::dsp::rfft_scratch_bytes(n));
    RfftPlan plan;
    ASSERT_EQ(kiln::dsp::rfft_init(&plan, n, memory.data(), memory.size()), kiln::dsp::kOk);
    std::vector<float> out(x.size() + 2);
    kiln::dsp::rfft(plan, x.data(), out.data());
    std::vector<float> inplace = x;
    inplace.resize(x.size() + 2);
    kiln::dsp::rfft(plan, inplace.data(), inplace.data());
    EXPECT_EQ(out, inplace) << "n=" << n;
  }
}

// The twiddles come from the SDK's own sin/cos series (no libm); each must be the correctly rounded float of
// cos / -sin of 2*pi*k/n (reference in long double), for every supported length.
TEST(DspFft, TwiddlesAreCorrectlyRoundedForEverySize) {
  const long double pi = 3.141592653589793238462643383279502884L;
  for (int n = kiln::dsp::kFftMinLength; n <= kiln::dsp::kFftMaxLength; n *= 2) {
    SCOPED_TRACE(n);
    std::vector<unsigned char> memory(kiln::dsp::rfft_scratch_bytes(n));
    RfftPlan plan{};
    ASSERT_EQ(kiln::dsp::rfft_init(&plan, n, memory.data(), memory.size()), kiln::dsp::kOk);
    int wrong = 0;
    for (int k = 0; k < n / 2; ++k) {
      const long double angle = 2.0L * pi * k / n;
      if (4 * k == n) {  // on the axis: exactly (0, -1); cosl of the rounded pi/2 is about 1e-20
        if (plan.twiddles[2 * k] != 0.0f || plan.twiddles[2 * k + 1] != -1.0f) ++wrong;
        continue;
      }
      if (plan.twiddles[2 * k] != static_cast<float>(std::cos(angle))) ++wrong;
      if (plan.twiddles[2 * k + 1] != static_cast<float>(-std::sin(angle))) ++wrong;
    }
    EXPECT_EQ(wrong, 0);
  }
}

// The textbook algorithm the SDK's FFT started as: bit reversal by a reversed counter, one radix-2
// decimation-in-time pass per span with the plan's twiddles, then the real-to-complex split. The SDK fuses
// passes (radix 4) and uses a swap table, which must change no bit of the result: MFE features stay the same.
void reference_rfft(const RfftPlan& plan, const std::vector<float>& in, std::vector<float>& out) {
  const int n = plan.length, h = n / 2;
  out.assign(in.begin(), in.end());
  out.resize(static_cast<std::size_t>(n) + 2);
  float* z = out.data();
  for (int i = 0, j = 0; i + 1 < h; ++i) {
    if (i < j) {
      std::swap(z[2 * i], z[2 * j]);
      std::swap(z[2 * i + 1], z[2 * j + 1]);
    }
    int bit = h >> 1;
    while (j & bit) {
      j ^= bit;
      bit >>= 1;
    }
    j |= bit;
  }
  for (int span = 2; span <= h; span <<= 1) {
    const int half = span / 2, step = 2 * (n / span);
    for (int start = 0; start < h; start += span) {
      float* a = z + 2 * start;
      float* b = a + 2 * half;
      for (int j = 0; j < half; ++j) {
        const float wr = plan.twiddles[j * step], wi = plan.twiddles[j * step + 1];
        const float xr = b[2 * j], xi = b[2 * j + 1];
        const float br = xr * wr - xi * wi, bi = xr * wi + xi * wr;
        b[2 * j] = a[2 * j] - br;
        b[2 * j + 1] = a[2 * j + 1] - bi;
        a[2 * j] += br;
        a[2 * j + 1] += bi;
      }
    }
  }
  const float r0 = z[0], i0 = z[1];
  z[0] = r0 + i0;
  z[1] = 0.0f;
  z[n] = r0 - i0;
  z[n + 1] = 0.0f;
  for (int k = 1; 2 * k <= h; ++k) {
    const int m = h - k;
    const float ar = z[2 * k], ai = z[2 * k + 1], cr = z[2 * m], ci = z[2 * m + 1];
    const float er = 0.5f * (ar + cr), ei = 0.5f * (ai - ci);
    const float odd_r = 0.5f * (ai + ci), odd_i = 0.5f * (cr - ar);
    const float wr = plan.twiddles[2 * k], wi = plan.twiddles[2 * k + 1];
    const float tr = wr * odd_r - wi * odd_i, ti = wr * odd_i + wi * odd_r;
    z[2 * k] = er + tr;
    z[2 * k + 1] = ei + ti;
    z[2 * m] = er - tr;
    z[2 * m + 1] = ti - ei;
  }
}

TEST(DspFft, EqualsTheRadix2AlgorithmBitForBit) {
  for (int n : sizes(2, 8192)) {
    std::vector<unsigned char> memory(kiln::dsp::rfft_scratch_bytes(n));
    RfftPlan plan{};
    ASSERT_EQ(kiln::dsp::rfft_init(&plan, n, memory.data(), memory.size()), kiln::dsp::kOk);
    int differ = 0;
    for (const auto& [name, x] : test_signals(n)) {
      std::vector<float> ours(x.size() + 2), ref;
      kiln::dsp::rfft(plan, x.data(), ours.data());
      reference_rfft(plan, x, ref);
      for (std::size_t i = 0; i < ours.size(); ++i) {
        // == rather than the bits: the sign of a zero may differ (no magnitude downstream depends on it)
        if (!(ours[i] == ref[i]) && !(std::isnan(ours[i]) && std::isnan(ref[i]))) ++differ;
      }
    }
    EXPECT_EQ(differ, 0) << "n=" << n;
  }
}

TEST(DspFft, RejectsUnsupportedSizes) {
  for (int n : {-256, -1, 0, 1, 3, 6, 48, 100, 255, 257, 1000, 16384, 1 << 30}) {
    EXPECT_FALSE(kiln::dsp::rfft_length_supported(n)) << n;
    EXPECT_EQ(kiln::dsp::rfft_scratch_bytes(n), 0u) << n;
    unsigned char memory[64];
    RfftPlan plan;
    EXPECT_EQ(kiln::dsp::rfft_init(&plan, n, memory, sizeof memory), kiln::dsp::kBadFftLength) << n;
  }
  for (int n : sizes(2, 8192)) EXPECT_TRUE(kiln::dsp::rfft_length_supported(n)) << n;
}

TEST(DspFft, RejectsTooLittleScratchAndNullArguments) {
  const std::size_t need = kiln::dsp::rfft_scratch_bytes(512);
  ASSERT_GT(need, 512u * sizeof(float) - 1);
  std::vector<unsigned char> memory(need);
  RfftPlan plan;
  EXPECT_EQ(kiln::dsp::rfft_init(&plan, 512, memory.data(), 512 * sizeof(float) / 2),
            kiln::dsp::kScratchTooSmall);
  EXPECT_EQ(kiln::dsp::rfft_init(&plan, 512, nullptr, need), kiln::dsp::kNullArgument);
  EXPECT_EQ(kiln::dsp::rfft_init(nullptr, 512, memory.data(), need), kiln::dsp::kNullArgument);
  // Any alignment of the caller's block works with the queried size.
  for (std::size_t offset = 0; offset < 8; ++offset) {
    std::vector<unsigned char> big(need + 8);
    EXPECT_EQ(kiln::dsp::rfft_init(&plan, 512, big.data() + offset, need), kiln::dsp::kOk) << offset;
  }
}

}  // namespace
