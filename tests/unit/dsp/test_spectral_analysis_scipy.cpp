// Spectral Analysis v4 against cases computed with numpy/scipy/PyWavelets (gen_spectral_scipy_cases.py, the
// reference's library versions): every decimation ratio (3, 10, 30 = 3 then 10, 100, 1000), low/high-pass of
// orders 2..8 and order 0 (bins masked only), extra-low-freq (with high-pass, decimation, scale), FFT longer
// than the signal, and the long wavelets db10, sym10, coif3, level 0 and level 4. Within the README's
// tolerance, with the labels; prints the max error per case (the float32 error measurement).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dsp/spectral_analysis.h"
#include "spectral_params_json.h"

namespace {

using namespace kiln;

struct ScipyCase {
  const char* id;
  double fs;
  int samples;
  int axes;
  unsigned seed;
  int noise_range;  // LCG noise in [-noise_range, noise_range]
  std::vector<int> periods, amplitudes, offsets;
  const char* params;
  std::vector<double> expected;
  std::vector<std::string> labels;
};

const ScipyCase kCases[] = {
#define KILN_SPECTRAL_SCIPY_CASES
#include "spectral_scipy_cases.inc"
};

// The generator's signal: (triangle(t, P, A) + offset + noise) / 256, LCG noise, all exact.
std::vector<float> make_signal(const ScipyCase& c) {
  std::vector<float> x(static_cast<std::size_t>(c.samples) * static_cast<std::size_t>(c.axes));
  unsigned long long state = c.seed;
  for (int t = 0; t < c.samples; ++t) {
    for (int a = 0; a < c.axes; ++a) {
      state = (state * 1103515245ULL + 12345ULL) % 2147483648ULL;
      const long long range = c.noise_range;
      const long long noise =
          static_cast<long long>((state >> 8) % static_cast<unsigned long long>(2 * range + 1)) - range;
      const long long period = c.periods[a], amplitude = c.amplitudes[a];
      const long long tri = (std::llabs(2 * (t % period) - period) * 2 * amplitude) / period - amplitude;
      x[static_cast<std::size_t>(t) * c.axes + a] = static_cast<float>(tri + c.offsets[a] + noise) / 256.0f;
    }
  }
  return x;
}

TEST(DspSpectralScipy, EveryCaseWithinTolerance) {
  for (const ScipyCase& c : kCases) {
    SCOPED_TRACE(c.id);
    const dsp::SpectralAnalysisParams p = test::spectral_params_of(nlohmann::json::parse(c.params));
    const std::vector<float> x = make_signal(c);
    dsp::FeatureShape shape{};
    ASSERT_EQ(
        dsp::spectral_analysis_output_shape(p, c.fs, c.axes, static_cast<std::size_t>(c.samples), &shape),
        dsp::kOk);
    ASSERT_EQ(static_cast<std::size_t>(shape.values), c.expected.size());
    std::vector<unsigned char> scratch(
        dsp::spectral_analysis_scratch_bytes(p, c.fs, c.axes, static_cast<std::size_t>(c.samples)));
    std::vector<float> out(c.expected.size());
    kiln_float_array array = {x.data(), x.size()};
    ASSERT_EQ(dsp::spectral_analysis_run(p, c.fs, c.axes, kiln_signal_from_array(&array), scratch.data(),
                                         scratch.size(), out.data(), out.size()),
              dsp::kOk);
    const test::SpectralComparison r = test::compare_spectral(p, c.fs, c.axes, out, c.expected, c.labels);
    std::printf(
        "%-26s %3zu values  max abs %.3g  max rel %.3g  worst err/tolerance %.3g (%s)  scratch %zu B\n", c.id,
        out.size(), r.max_abs, r.max_rel, r.worst_ratio, r.worst.c_str(), scratch.size());
    EXPECT_EQ(r.failures, 0) << r.first_failure;

    ASSERT_EQ(dsp::spectral_analysis_label_count(p, c.fs), static_cast<int>(c.labels.size()));
    for (std::size_t i = 0; i < c.labels.size(); ++i) {
      char label[dsp::kSpectralMaxLabelLength];
      ASSERT_EQ(dsp::spectral_analysis_label(p, c.fs, static_cast<int>(i), label, sizeof(label)), dsp::kOk);
      EXPECT_EQ(std::string(label), c.labels[i]) << "label " << i;
    }
  }
}

}  // namespace
