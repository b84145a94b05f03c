// Spectral Analysis v4 (sdk/dsp/spectral_analysis.h): the golden vectors of shared/reference/dsp within the
// README's tolerance (max error printed per case) and with their labels; the output layout with
// extra-low-freq; decimation in stages; every bad parameter's Status; the scratch/output/signal contracts;
// the int8 variant.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "dsp/iir_filter.h"
#include "dsp/spectral_analysis.h"
#include "golden_cases.h"
#include "nn/quantize.h"
#include "spectral_params_json.h"

namespace {

using namespace kiln;
using dsp::SpectralAnalysisParams;

std::vector<float> run(const SpectralAnalysisParams& p, double fs, int axes, const std::vector<float>& x,
                       dsp::Status expect = dsp::kOk) {
  const std::size_t samples = x.size() / static_cast<std::size_t>(axes);
  dsp::FeatureShape shape{};
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, fs, axes, samples, &shape), expect);
  if (expect != dsp::kOk) return {};
  std::vector<unsigned char> scratch(dsp::spectral_analysis_scratch_bytes(p, fs, axes, samples));
  std::vector<float> out(static_cast<std::size_t>(shape.values));
  kiln_float_array array = {x.data(), x.size()};
  EXPECT_EQ(dsp::spectral_analysis_run(p, fs, axes, kiln_signal_from_array(&array), scratch.data(),
                                       scratch.size(), out.data(), out.size()),
            dsp::kOk);
  return out;
}

std::vector<float> sine_axes(int axes, std::size_t n, double fs) {
  std::vector<float> x(static_cast<std::size_t>(axes) * n);
  for (std::size_t t = 0; t < n; ++t) {
    for (int a = 0; a < axes; ++a) {
      const double f = 1.0 + 2.5 * a;
      x[t * axes + a] =
          static_cast<float>(std::sin(2 * M_PI * f * t / fs) + 0.3 * std::sin(0.37 * t * (a + 1)) + 0.5 * a);
    }
  }
  return x;
}

TEST(DspSpectralGolden, EverySpectralCaseWithinTolerance) {
  if (!test::golden_available()) GTEST_SKIP() << "no golden vectors at " << test::golden_dir();
  const std::vector<test::GoldenCase> cases = test::load_golden_cases("spectral_analysis");
  ASSERT_EQ(cases.size(), 3u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(c.version, 4);
    ASSERT_FALSE(c.expected_f64.empty());
    const SpectralAnalysisParams p = test::spectral_params_of(c.params);
    const std::vector<float> out = run(p, c.frequency, c.axes, c.input);
    ASSERT_EQ(out.size(), c.expected_f64.size());
    ASSERT_EQ(static_cast<int>(out.size()), c.shape.at(0));
    const test::SpectralComparison r =
        test::compare_spectral(p, c.frequency, c.axes, out, c.expected_f64, c.labels);
    std::printf("%-30s %3zu values  max abs %.3g  max rel %.3g  worst err/tolerance %.3g (%s)\n",
                c.id.c_str(), out.size(), r.max_abs, r.max_rel, r.worst_ratio, r.worst.c_str());
    EXPECT_EQ(r.failures, 0) << r.first_failure;

    ASSERT_EQ(dsp::spectral_analysis_label_count(p, c.frequency), static_cast<int>(c.labels.size()));
    for (std::size_t i = 0; i < c.labels.size(); ++i) {
      char label[dsp::kSpectralMaxLabelLength];
      ASSERT_EQ(dsp::spectral_analysis_label(p, c.frequency, static_cast<int>(i), label, sizeof(label)),
                dsp::kOk);
      EXPECT_EQ(std::string(label), c.labels[i]);
    }
  }
}

TEST(DspSpectral, DefaultsAndShapes) {
  const SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  EXPECT_EQ(p.input_decimation_ratio, 1);
  EXPECT_EQ(p.filter_type, dsp::kSpectralFilterNone);
  EXPECT_EQ(p.filter_order, 6);
  EXPECT_EQ(p.fft_length, 16);
  EXPECT_TRUE(p.do_log);
  EXPECT_TRUE(p.do_fft_overlap);
  EXPECT_FALSE(p.extra_low_freq);
  EXPECT_EQ(p.wavelet, dsp::kWaveletDb4);
  dsp::FeatureShape s{};
  ASSERT_EQ(dsp::spectral_analysis_output_shape(p, 62.5, 3, 125, &s), dsp::kOk);
  EXPECT_EQ(s.frames, 1);
  EXPECT_EQ(s.values, 3 * (5 + 8));
  // Low-pass 5 Hz at 33.33 Hz (100 / 3), FFT 32: bins 1 .. int(5*32/33.33 + 0.5) = 5.
  SpectralAnalysisParams q = p;
  q.input_decimation_ratio = 3;
  q.filter_type = dsp::kSpectralFilterLow;
  q.filter_cutoff = 5;
  q.filter_order = 4;
  q.fft_length = 32;
  ASSERT_EQ(dsp::spectral_analysis_output_shape(q, 100, 3, 300, &s), dsp::kOk);
  EXPECT_EQ(s.values, 30);
  // High-pass 10 Hz at 100 Hz, FFT 32: b = 3.2, bins int(2.7)+1 = 3 .. 16.
  q.input_decimation_ratio = 1;
  q.filter_type = dsp::kSpectralFilterHigh;
  q.filter_cutoff = 10;
  ASSERT_EQ(dsp::spectral_analysis_output_shape(q, 100, 2, 300, &s), dsp::kOk);
  EXPECT_EQ(s.values, 2 * (5 + 14));
  // Extra low frequencies: the LF cut-off 10 Hz is capped at 5 Hz (fs 10): b = 16, one bin (16).
  q.extra_low_freq = true;
  ASSERT_EQ(dsp::spectral_analysis_output_shape(q, 100, 2, 300, &s), dsp::kOk);
  EXPECT_EQ(s.values, 2 * (5 + 14) + 2 * (5 + 1));
  // Wavelet: 14 features per array, level + 1 arrays.
  q = p;
  q.analysis_type = dsp::kSpectralAnalysisWavelet;
  q.wavelet_level = 2;
  ASSERT_EQ(dsp::spectral_analysis_output_shape(q, 100, 3, 128, &s), dsp::kOk);
  EXPECT_EQ(s.values, 3 * 3 * 14);
}

TEST(DspSpectral, ExtraLowFreqLayoutAndLabels) {
  // Output = [axis 0 main][axis 1 main][axis 0 LF][axis 1 LF]; each axis's main block equals the block run on
  // that axis alone, and so does its LF block.
  SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  p.extra_low_freq = true;
  p.fft_length = 32;
  const double fs = 100;
  const std::size_t n = 400;
  const std::vector<float> x = sine_axes(2, n, fs);
  const std::vector<float> both = run(p, fs, 2, x);
  const int main = 5 + 16, low = 5 + 16;
  ASSERT_EQ(both.size(), static_cast<std::size_t>(2 * (main + low)));
  for (int a = 0; a < 2; ++a) {
    std::vector<float> single(n);
    for (std::size_t t = 0; t < n; ++t) single[t] = x[t * 2 + a];
    const std::vector<float> alone = run(p, fs, 1, single);
    ASSERT_EQ(alone.size(), static_cast<std::size_t>(main + low));
    for (int i = 0; i < main; ++i) EXPECT_EQ(both[a * main + i], alone[i]) << a << " " << i;
    for (int i = 0; i < low; ++i) EXPECT_EQ(both[2 * main + a * low + i], alone[main + i]) << a << " " << i;
  }
  char label[dsp::kSpectralMaxLabelLength];
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, 0, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "RMS");
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, main, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "RMS LF");
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, main + 4, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "Spectral Kurtosis LF");
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, main + 5, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "Spectral Power 0.16 - 0.47 Hz");  // fs 10, bin 1 of 32: 0.3125 +- 0.15625
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, 5, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "Spectral Power 1.56 - 4.69 Hz");
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, main + low, label, sizeof(label)), dsp::kBadFrameIndex);
  ASSERT_EQ(dsp::spectral_analysis_label(p, fs, 0, label, 3), dsp::kOutputTooSmall);
  int axis = -1, index = -1;
  ASSERT_EQ(dsp::spectral_analysis_feature_label(p, fs, 2, 2 * main + low + 3, &axis, &index), dsp::kOk);
  EXPECT_EQ(axis, 1);
  EXPECT_EQ(index, main + 3);
  EXPECT_EQ(dsp::spectral_analysis_feature_label(p, fs, 2, 2 * (main + low), &axis, &index),
            dsp::kBadFrameIndex);
}

TEST(DspSpectral, BandLabelsRoundLikePython) {
  // str(round(x, 2)): exact binary halves go to even (0.125 -> 0.12, 0.375 -> 0.38, 0.0625 -> 0.06), the
  // shortest form is printed (2.6, not 2.60).
  SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  const struct {
    double fs;
    int fft;
    const char* labels[3];
  } cases[] = {{4, 16, {"0.12 - 0.38", "0.38 - 0.62", "0.62 - 0.88"}},
               {2, 16, {"0.06 - 0.19", "0.19 - 0.31", "0.31 - 0.44"}},
               {1000.0 / 3.0, 64, {"2.6 - 7.81", "7.81 - 13.02", "13.02 - 18.23"}}};
  for (const auto& c : cases) {
    p.fft_length = c.fft;
    for (int k = 0; k < 3; ++k) {
      char label[dsp::kSpectralMaxLabelLength];
      ASSERT_EQ(dsp::spectral_analysis_label(p, c.fs, 5 + k, label, sizeof(label)), dsp::kOk);
      EXPECT_EQ(std::string(label), std::string("Spectral Power ") + c.labels[k] + " Hz");
    }
  }
  p.analysis_type = dsp::kSpectralAnalysisWavelet;
  p.wavelet_level = 11;
  char label[dsp::kSpectralMaxLabelLength];
  ASSERT_EQ(dsp::spectral_analysis_label(p, 100, 14 * 11 + 13, label, sizeof(label)), dsp::kOk);
  EXPECT_STREQ(label, "L11-kurtosis");
}

TEST(DspSpectral, DecimationRunsInStages) {
  // Ratio 30 is a decimation by 3 then by 10: running the block with ratio 30 gives what running it with
  // ratio 10 on the signal already decimated by 3 (the SDK's own Chebyshev stage, float32, zi * x[0]) gives.
  const double fs = 3000;
  const std::size_t n = 6000;
  std::vector<float> x(n);
  for (std::size_t t = 0; t < n; ++t)
    x[t] = static_cast<float>(std::sin(2 * M_PI * 7 * t / fs) + 0.2 * std::sin(2 * M_PI * 31 * t / fs) + 0.1);
  dsp::SosSection s[dsp::kIirMaxSections];
  const int count = dsp::chebyshev1_lowpass_design(8, 0.05, 0.8 / 3, s);
  ASSERT_EQ(count, 4);
  double zi[2 * dsp::kIirMaxSections];
  dsp::sos_steady_state(s, count, zi);
  dsp::SosSectionF32 f[dsp::kIirMaxSections];
  dsp::sos_to_f32(s, count, f);
  float z[2 * dsp::kIirMaxSections];
  for (int k = 0; k < 2 * count; ++k) z[k] = static_cast<float>(zi[k] * x[0]);
  std::vector<float> y = x;
  dsp::sos_filter_f32(f, count, z, y.data(), y.size());
  std::vector<float> by3;
  for (std::size_t t = 0; t < n; t += 3) by3.push_back(y[t]);

  SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  p.fft_length = 64;
  p.input_decimation_ratio = 30;
  const std::vector<float> staged = run(p, fs, 1, x);
  p.input_decimation_ratio = 10;
  const std::vector<float> second = run(p, fs / 3, 1, by3);
  ASSERT_EQ(staged.size(), second.size());
  // (Not bit for bit: the block takes the first sample off before its stages, which is exact in arithmetic
  // but rounds differently.) A stage order 10 then 3, or one stage, would differ by far more.
  for (std::size_t i = 0; i < staged.size(); ++i)
    EXPECT_NEAR(staged[i], second[i], 1e-5 + 1e-4 * std::abs(second[i])) << i;
  // 7 Hz at fs 100 with FFT 64: the peak is bin round(7 * 64 / 100) = 4 (feature 5 + 3).
  int peak = 0;
  for (int k = 1; k < 32; ++k) peak = staged[5 + k] > staged[5 + peak] ? k : peak;
  EXPECT_EQ(peak + 1, 4);
}

TEST(DspSpectral, EveryBadParameterHasItsStatus) {
  const SpectralAnalysisParams ok = dsp::spectral_analysis_default_params();
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, 62.5, 3), dsp::kOk);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, 0, 3), dsp::kBadSamplingFrequency);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, -1, 3), dsp::kBadSamplingFrequency);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, NAN, 3), dsp::kBadSamplingFrequency);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, INFINITY, 3), dsp::kBadSamplingFrequency);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, 100, 0), dsp::kBadAxes);
  EXPECT_EQ(dsp::spectral_analysis_validate(ok, 100, dsp::kSpectralMaxAxes + 1), dsp::kBadAxes);
  SpectralAnalysisParams p = ok;
  p.scale_axes = NAN;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadScale);
  p.scale_axes = 1e300;  // not a float32
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadScale);
  for (int ratio : {0, 2, 5, 20, 300, 10000, -3}) {
    p = ok;
    p.input_decimation_ratio = ratio;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadDecimationRatio) << ratio;
  }
  for (int ratio : {1, 3, 10, 30, 100, 1000}) {
    p = ok;
    p.input_decimation_ratio = ratio;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100000, 1), dsp::kOk) << ratio;
  }
  p = ok;
  p.filter_type = static_cast<dsp::SpectralFilterType>(7);
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadFilterType);
  p = ok;
  p.analysis_type = static_cast<dsp::SpectralAnalysisType>(2);
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadAnalysisType);
  for (int length : {0, 1, 3, 12, 100, 16384, -16}) {
    p = ok;
    p.fft_length = length;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadFftLength) << length;
  }
  p = ok;
  p.fft_length = 8192;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kOk);
  // Filter order: 0 (mask only) and even 2..8; odd, negative or above 8 refused.
  p = ok;
  p.filter_type = dsp::kSpectralFilterLow;
  p.filter_cutoff = 10;  // b = 10 * 16 / 100 = 1.6: bins 1..2 (3 Hz would mask every bin of FFT 16)
  for (int order : {0, 2, 4, 6, 8}) {
    p.filter_order = order;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kOk) << order;
  }
  for (int order : {1, 3, 7, 9, 10, -2}) {
    p.filter_order = order;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadFilterOrder) << order;
  }
  // Cut-off: at or above Nyquist, zero, negative, NaN.
  p = ok;
  p.filter_type = dsp::kSpectralFilterHigh;
  for (double cutoff : {50.0, 60.0, 0.0, -1.0, static_cast<double>(NAN)}) {
    p.filter_cutoff = cutoff;
    EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadFilterCutoff) << cutoff;
  }
  p.filter_cutoff = 49.9;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kOk);
  // A cut-off so close to 0 that the reference's float32 stability check fails.
  p.filter_type = dsp::kSpectralFilterLow;
  p.filter_cutoff = 1e-7;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadFilterCutoff);
  // Low-pass masking every bin (order 0, cut-off below half a bin).
  p = ok;
  p.filter_type = dsp::kSpectralFilterLow;
  p.filter_order = 0;
  p.filter_cutoff = 1.0;  // b = 1 * 16 / 62.5 = 0.256: int(0.756) = 0 bins
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 62.5, 1), dsp::kBadFilterCutoff);
  p.filter_cutoff = 2.0;  // b = 0.512: one bin
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 62.5, 1), dsp::kOk);
  // Cut-off above 0.9 of the decimated Nyquist: the reference says the decimation ratio is too high.
  p = ok;
  p.filter_type = dsp::kSpectralFilterLow;
  p.input_decimation_ratio = 10;
  p.filter_cutoff = 4.6;  // fs 100 / 10: Nyquist 5, limit 4.5
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadDecimationRatio);
  p.filter_cutoff = 4.4;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kOk);
  // Wavelet name and level.
  p = ok;
  p.analysis_type = dsp::kSpectralAnalysisWavelet;
  p.wavelet = dsp::kWaveletCount;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadWavelet);
  p.wavelet = dsp::kWaveletSym10;
  p.wavelet_level = -1;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadWaveletLevel);
  p.wavelet_level = dsp::kSpectralMaxWaveletLevel + 1;
  EXPECT_EQ(dsp::spectral_analysis_validate(p, 100, 1), dsp::kBadWaveletLevel);
  // Too deep for the signal: 32 * 2^level samples per axis (after decimation) are needed.
  p.wavelet_level = 2;
  dsp::FeatureShape s{};
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 127, &s), dsp::kBadWaveletLevel);
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 128, &s), dsp::kOk);
  p.input_decimation_ratio = 3;
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 381, &s),
            dsp::kBadWaveletLevel);                                              // ceil(381/3) = 127
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 382, &s), dsp::kOk);  // 128
  EXPECT_EQ(dsp::spectral_analysis_scratch_bytes(p, 100, 1, 380), 0u);
  // Extra low frequencies need fft_length / 2 samples after the decimation by 10.
  p = ok;
  p.extra_low_freq = true;
  p.fft_length = 32;
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 150, &s), dsp::kSignalTooShort);  // 15 < 16
  EXPECT_EQ(dsp::spectral_analysis_output_shape(p, 100, 1, 151, &s), dsp::kOk);              // 16
  EXPECT_EQ(dsp::spectral_analysis_output_shape(ok, 100, 1, 0, &s), dsp::kSignalTooShort);
  EXPECT_EQ(dsp::spectral_analysis_output_shape(ok, 100, 1, 10, nullptr), dsp::kNullArgument);
  EXPECT_EQ(dsp::spectral_analysis_scratch_bytes(ok, 100, 0, 10), 0u);
  EXPECT_EQ(dsp::spectral_analysis_label_count(ok, -5), 0);
}

int failing_read(void*, std::size_t, std::size_t, float*) {
  return 1;
}

TEST(DspSpectral, ScratchOutputAndSignalContracts) {
  for (int mode = 0; mode < 2; ++mode) {
    SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
    if (mode == 1) p.analysis_type = dsp::kSpectralAnalysisWavelet;
    const std::vector<float> x = sine_axes(3, 200, 50);
    const std::size_t need = dsp::spectral_analysis_scratch_bytes(p, 50, 3, 200);
    ASSERT_GT(need, 0u);
    dsp::FeatureShape s{};
    ASSERT_EQ(dsp::spectral_analysis_output_shape(p, 50, 3, 200, &s), dsp::kOk);
    std::vector<unsigned char> scratch(need);
    std::vector<float> out(static_cast<std::size_t>(s.values));
    kiln_float_array array = {x.data(), x.size()};
    const kiln_signal signal = kiln_signal_from_array(&array);
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, signal, scratch.data(), need - 1, out.data(), out.size()),
              dsp::kScratchTooSmall);
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, signal, scratch.data(), need, out.data(), out.size() - 1),
              dsp::kOutputTooSmall);
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, signal, nullptr, need, out.data(), out.size()),
              dsp::kNullArgument);
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, signal, scratch.data(), need, nullptr, out.size()),
              dsp::kNullArgument);
    kiln_signal bad = signal;
    bad.get_data = failing_read;
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, bad, scratch.data(), need, out.data(), out.size()),
              dsp::kSignalReadFailed);
    kiln_signal odd = signal;
    odd.total_length = x.size() - 1;  // not a multiple of the axes
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, odd, scratch.data(), need, out.data(), out.size()),
              dsp::kSignalLengthMismatch);
    // The exact scratch size works, whatever the alignment of the block.
    std::vector<unsigned char> shifted(need + 1);
    EXPECT_EQ(dsp::spectral_analysis_run(p, 50, 3, signal, shifted.data() + 1, need, out.data(), out.size()),
              dsp::kOk);
    for (float v : out) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(DspSpectral, MinimalAndDegenerateSignals) {
  SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  // One sample per axis: a single window, everything 0 after the mean is removed (log10(1e-10) = -10).
  std::vector<float> one = run(p, 62.5, 2, {1.0f, -3.0f});
  ASSERT_EQ(one.size(), 2u * 13u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(one[i], 0.0f);
  for (int i = 5; i < 13; ++i) EXPECT_FLOAT_EQ(one[i], -10.0f);
  // A constant axis (an unused sensor): RMS 0, and skewness/kurtosis 0 where scipy would give NaN.
  std::vector<float> constant(64, 9.81f);
  std::vector<float> c = run(p, 62.5, 1, constant);
  for (float v : c) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(c[0], 0.0f);
  EXPECT_EQ(c[1], 0.0f);
  EXPECT_EQ(c[2], 0.0f);
  // Wavelet mode on zeros: every feature finite, entropy of one full bin is 0.
  p.analysis_type = dsp::kSpectralAnalysisWavelet;
  p.wavelet_level = 0;
  std::vector<float> w = run(p, 100, 1, std::vector<float>(32, 0.0f));
  ASSERT_EQ(w.size(), 14u);
  for (float v : w) EXPECT_EQ(v, 0.0f);
  run(p, 100, 1, std::vector<float>(31, 0.0f), dsp::kBadWaveletLevel);
}

TEST(DspSpectral, ManyConfigurationsStayInsideTheirMemory) {
  // Valid parameter sets of every kind on random lengths: the run succeeds with exactly the scratch the query
  // gives, writes exactly shape.values outputs, touches nothing past either block (canaries), and every
  // feature is finite.
  std::mt19937 rng(1234);
  const int ratios[] = {1, 3, 10, 30, 100, 1000};
  const int ffts[] = {2, 4, 16, 64, 256, 1024};
  int runs = 0;
  for (int trial = 0; trial < 400; ++trial) {
    SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
    const int axes = 1 + static_cast<int>(rng() % 3);
    const double fs = 10.0 + static_cast<double>(rng() % 20000);
    p.input_decimation_ratio = ratios[rng() % 6];
    p.filter_type = static_cast<dsp::SpectralFilterType>(rng() % 3);
    p.filter_order = 2 * static_cast<int>(rng() % 5);
    p.filter_cutoff = (0.05 + 0.8 * (rng() % 1000) / 1000.0) * fs / 2 / p.input_decimation_ratio;
    p.analysis_type = static_cast<dsp::SpectralAnalysisType>(rng() % 2);
    p.fft_length = ffts[rng() % 6];
    p.do_log = rng() % 2;
    p.do_fft_overlap = rng() % 2;
    p.extra_low_freq = rng() % 2;
    p.wavelet = static_cast<dsp::Wavelet>(rng() % dsp::kWaveletCount);
    p.wavelet_level = static_cast<int>(rng() % 4);
    p.scale_axes = 0.5 + (rng() % 100) / 10.0;
    const std::size_t samples = 1 + rng() % 5000;
    dsp::FeatureShape shape{};
    if (dsp::spectral_analysis_output_shape(p, fs, axes, samples, &shape) != dsp::kOk) continue;
    std::vector<float> x(samples * static_cast<std::size_t>(axes));
    for (float& v : x) v = static_cast<float>(static_cast<int>(rng() % 2001) - 1000) / 100.0f;
    const std::size_t need = dsp::spectral_analysis_scratch_bytes(p, fs, axes, samples);
    ASSERT_GT(need, 0u);
    const std::size_t guard = 64;
    std::vector<unsigned char> scratch(need + guard, 0xA5);
    std::vector<float> out(static_cast<std::size_t>(shape.values) + guard, 12345.0f);
    kiln_float_array array = {x.data(), x.size()};
    ASSERT_EQ(dsp::spectral_analysis_run(p, fs, axes, kiln_signal_from_array(&array), scratch.data(), need,
                                         out.data(), static_cast<std::size_t>(shape.values)),
              dsp::kOk)
        << "trial " << trial;
    for (std::size_t i = need; i < scratch.size(); ++i) ASSERT_EQ(scratch[i], 0xA5) << "trial " << trial;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (i < static_cast<std::size_t>(shape.values)) {
        ASSERT_TRUE(std::isfinite(out[i])) << "trial " << trial << " value " << i;
      } else {
        ASSERT_EQ(out[i], 12345.0f) << "trial " << trial;
      }
    }
    ++runs;
  }
  EXPECT_GT(runs, 100);
}

TEST(DspSpectral, Int8VariantQuantizesEachFeature) {
  SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  p.extra_low_freq = true;
  const std::vector<float> x = sine_axes(3, 400, 62.5);
  const std::vector<float> f = run(p, 62.5, 3, x);
  const std::size_t need = dsp::spectral_analysis_s8_scratch_bytes(p, 62.5, 3, 400);
  ASSERT_GT(need, dsp::spectral_analysis_scratch_bytes(p, 62.5, 3, 400));
  std::vector<unsigned char> scratch(need);
  std::vector<int8_t> q(f.size());
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  const float scale = 0.05f;
  const int32_t zero_point = -3;
  ASSERT_EQ(dsp::spectral_analysis_run_s8(p, 62.5, 3, signal, scratch.data(), need, scale, zero_point,
                                          q.data(), q.size()),
            dsp::kOk);
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(q[i], nn::quantize_s8(f[i], scale, zero_point)) << i;
  EXPECT_EQ(dsp::spectral_analysis_run_s8(p, 62.5, 3, signal, scratch.data(), need - 1, scale, zero_point,
                                          q.data(), q.size()),
            dsp::kScratchTooSmall);
  EXPECT_EQ(dsp::spectral_analysis_run_s8(p, 62.5, 3, signal, scratch.data(), need, scale, zero_point,
                                          q.data(), q.size() - 1),
            dsp::kOutputTooSmall);
}

}  // namespace
