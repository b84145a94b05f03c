// Spectrogram block (sdk/dsp/spectrogram.h): every golden case within the README's tolerance (5e-4), a
// float64 re-implementation of the README's description on other rates, FFT lengths and loud or silent
// signals (values above 1 stay, the noise floor clips at 0, frames cut to the FFT), the int8 variant, and the
// parameter, memory and signal contracts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "dsp/framing.h"
#include "dsp/spectrogram.h"
#include "golden_cases.h"
#include "nn/quantize.h"

namespace {

using namespace kiln::dsp;

const double kPi = 3.14159265358979323846;
const double kTolerance = 5e-4;

SpectrogramParams params_of(const nlohmann::json& j) {
  SpectrogramParams p = spectrogram_default_params();
  for (const auto& [name, v] : j.items()) {
    if (name == "frame_length")
      p.frame_length = v.get<double>();
    else if (name == "frame_stride")
      p.frame_stride = v.get<double>();
    else if (name == "fft_length")
      p.fft_length = v.get<int>();
    else if (name == "noise_floor_db")
      p.noise_floor_db = v.get<double>();
    else if (name != "show_axes")  // deprecated, display only
      ADD_FAILURE() << "unexpected Spectrogram parameter " << name;
  }
  return p;
}

Status run(const SpectrogramParams& p, double fs, const std::vector<float>& x, std::vector<float>* out,
           FeatureShape* shape_out = nullptr) {
  FeatureShape shape{};
  Status s = spectrogram_output_shape(p, fs, 1, x.size(), &shape);
  if (s != kOk) return s;
  if (shape_out) *shape_out = shape;
  out->assign(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values), NAN);
  std::vector<unsigned char> scratch(spectrogram_scratch_bytes(p, fs, 1, x.size()));
  kiln_float_array array = {x.data(), x.size()};
  return spectrogram_run(p, fs, 1, kiln_signal_from_array(&array), scratch.data(), scratch.size(),
                         out->data(), out->size());
}

// The README's description in float64 (direct DFT).
std::vector<double> reference(const SpectrogramParams& p, double fs, const std::vector<float>& x) {
  const std::size_t length = frame_seconds_to_samples(fs, p.frame_length);
  const std::size_t stride = frame_seconds_to_samples(fs, p.frame_stride);
  const int frames = static_cast<int>((x.size() - length) / stride + 1);
  const int n = p.fft_length, bins = n / 2 + 1;
  std::vector<double> cos_table(n), sin_table(n);  // exp(-2 pi i a / n), a = k t mod n
  for (int a = 0; a < n; ++a) {
    cos_table[a] = std::cos(2 * kPi * a / n);
    sin_table[a] = std::sin(2 * kPi * a / n);
  }
  std::vector<double> out;
  for (int f = 0; f < frames; ++f) {
    std::vector<double> frame(n, 0.0);
    for (std::size_t t = 0; t < std::min<std::size_t>(length, n); ++t) frame[t] = x[f * stride + t];
    for (int k = 0; k < bins; ++k) {
      double re = 0, im = 0;
      for (int t = 0; t < n; ++t) {
        const std::size_t a = static_cast<std::size_t>((static_cast<long long>(k) * t) % n);
        re += frame[t] * cos_table[a];
        im -= frame[t] * sin_table[a];
      }
      const double power = std::max((re * re + im * im) / n, 1e-30);
      out.push_back(std::max(0.0, (10 * std::log10(power) - p.noise_floor_db) / (12 - p.noise_floor_db)));
    }
  }
  return out;
}

double max_error(const std::vector<float>& out, const std::vector<double>& ref) {
  EXPECT_EQ(out.size(), ref.size());
  double e = 0;
  for (std::size_t i = 0; i < std::min(out.size(), ref.size()); ++i) {
    const double d = std::fabs(static_cast<double>(out[i]) - ref[i]);
    e = d == d ? std::max(e, d) : INFINITY;
  }
  return e;
}

std::vector<float> noisy_tones(std::size_t n, double fs, unsigned seed, double amplitude) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.02 * amplitude);
  std::vector<float> x(n);
  for (std::size_t t = 0; t < n; ++t) {
    const double s = static_cast<double>(t) / fs;
    const double v =
        amplitude * (std::sin(2 * kPi * 440 * s) + 0.3 * std::sin(2 * kPi * 0.21 * fs * s + 1)) + noise(rng);
    x[t] = static_cast<float>(std::clamp(std::round(v), -32768.0, 32767.0));
  }
  return x;
}

TEST(DspSpectrogramGolden, EveryCaseWithinTolerance) {
  if (!kiln::test::golden_available()) GTEST_SKIP() << "no golden vectors";
  const auto cases = kiln::test::load_golden_cases("spectrogram");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(c.version, 4);
    const SpectrogramParams p = params_of(c.params);
    std::vector<float> out;
    FeatureShape shape{};
    ASSERT_EQ(run(p, c.frequency, c.input, &out, &shape), kOk);
    EXPECT_EQ(shape.frames, c.shape.at(0));
    EXPECT_EQ(shape.values, c.shape.at(1));
    const std::vector<double> ref =
        c.expected_f64.empty() ? std::vector<double>(c.expected.begin(), c.expected.end()) : c.expected_f64;
    const double e = max_error(out, ref);
    std::printf("%s: max abs error %.3g (tolerance 5e-4)\n", c.id.c_str(), e);
    EXPECT_LE(e, kTolerance);
    // The float64 re-implementation used below agrees with the reference.
    EXPECT_LT(max_error(std::vector<float>(c.expected.begin(), c.expected.end()),
                        reference(p, c.frequency, c.input)),
              1e-6);
  }
}

TEST(DspSpectrogramReference, OtherRatesLengthsAndLevels) {
  struct Variant {
    const char* name;
    double fs;
    std::size_t n;
    double amplitude;
    SpectrogramParams p;
  };
  const SpectrogramParams d = spectrogram_default_params();
  const Variant variants[] = {
      {"defaults, full-scale tones (values above 1)", 16000, 16000, 20000, d},
      {"defaults, quiet (amplitude 3)", 16000, 16000, 3, d},
      {"FFT 512, 32 ms frames", 16000, 16000, 8000, {0.032, 0.016, 512, -52}},
      {"FFT 1024 longer than 25 ms frames at 44.1 kHz", 44100, 22050, 8000, {0.025, 0.01, 1024, -52}},
      {"FFT 16, 2 ms frames, floor -90", 8000, 4000, 1000, {0.002, 0.001, 16, -90}},
      {"floor +6 dB (close to the top)", 16000, 8000, 1000, {0.02, 0.01, 128, 6}},
      {"one frame", 16000, 320, 5000, d},
  };
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    const std::vector<float> x = noisy_tones(v.n, v.fs, 21, v.amplitude);
    std::vector<float> out;
    ASSERT_EQ(run(v.p, v.fs, x, &out), kOk);
    const double e = max_error(out, reference(v.p, v.fs, x));
    std::printf("%s: max abs error %.3g\n", v.name, e);
    EXPECT_LE(e, kTolerance);
    if (v.amplitude == 20000) {
      EXPECT_GT(*std::max_element(out.begin(), out.end()), 1.5f);  // no upper clip
    }
  }
}

TEST(DspSpectrogramReference, SilenceSitsAtZero) {
  // Digital silence: P = 0 is clipped to 1e-30 (-300 dB), far below any floor: every value 0.
  const SpectrogramParams p = spectrogram_default_params();
  std::vector<float> x(16000, 0.0f), out;
  ASSERT_EQ(run(p, 16000, x, &out), kOk);
  for (float v : out) ASSERT_EQ(v, 0.0f);
  // A lone impulse: a flat spectrum in the frames that hold it, 0 elsewhere.
  x[5000] = 1000;
  ASSERT_EQ(run(p, 16000, x, &out), kOk);
  EXPECT_LE(max_error(out, reference(p, 16000, x)), kTolerance);
}

TEST(DspSpectrogramS8, EqualsQuantizedFloatOutput) {
  const SpectrogramParams p = spectrogram_default_params();
  const std::vector<float> x = noisy_tones(16000, 16000, 4, 6000);
  std::vector<float> f;
  ASSERT_EQ(run(p, 16000, x, &f), kOk);
  std::vector<unsigned char> scratch(spectrogram_s8_scratch_bytes(p, 16000, 1, x.size()));
  std::vector<int8_t> q(f.size());
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  ASSERT_EQ(spectrogram_run_s8(p, 16000, 1, signal, scratch.data(), scratch.size(), 0.01f, -128, q.data(),
                               q.size()),
            kOk);
  for (std::size_t i = 0; i < f.size(); ++i) ASSERT_EQ(q[i], kiln::nn::quantize_s8(f[i], 0.01f, -128)) << i;
  EXPECT_EQ(spectrogram_run_s8(p, 16000, 1, signal, scratch.data(), scratch.size() - 1, 0.01f, -128, q.data(),
                               q.size()),
            kScratchTooSmall);
  EXPECT_EQ(spectrogram_run_s8(p, 16000, 1, signal, scratch.data(), scratch.size(), 0.01f, -128, q.data(),
                               q.size() - 1),
            kOutputTooSmall);
}

TEST(DspSpectrogramParams, ValidationNamesTheBadParameter) {
  const SpectrogramParams ok = spectrogram_default_params();
  EXPECT_EQ(spectrogram_validate(ok, 16000, 1), kOk);
  auto with = [&](auto change, double fs = 16000, int axes = 1) {
    SpectrogramParams p = ok;
    change(p);
    return spectrogram_validate(p, fs, axes);
  };
  auto same = [](SpectrogramParams&) {};
  EXPECT_EQ(with(same, 16000, 2), kBadAxes);
  EXPECT_EQ(with(same, 16000, 0), kBadAxes);
  EXPECT_EQ(with(same, -1), kBadSamplingFrequency);
  EXPECT_EQ(with(same, INFINITY), kBadSamplingFrequency);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.frame_length = 1e-9; }), kBadFrameLength);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.frame_stride = 0; }), kBadFrameStride);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.fft_length = 0; }), kBadFftLength);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.fft_length = 96; }), kBadFftLength);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.fft_length = 16384; }), kBadFftLength);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.fft_length = 8192; }), kOk);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.noise_floor_db = 12; }), kBadNoiseFloor);
  EXPECT_EQ(with([](SpectrogramParams& p) { p.noise_floor_db = NAN; }), kBadNoiseFloor);
  SpectrogramParams bad = ok;
  bad.fft_length = 3;
  EXPECT_EQ(spectrogram_scratch_bytes(bad, 16000, 1, 16000), 0u);
}

TEST(DspSpectrogramShape, FramesAndValues) {
  const SpectrogramParams p = spectrogram_default_params();
  FeatureShape s{};
  ASSERT_EQ(spectrogram_output_shape(p, 16000, 1, 16000, &s), kOk);
  EXPECT_EQ(s.frames, 99);
  EXPECT_EQ(s.values, 65);
  ASSERT_EQ(spectrogram_output_shape(p, 16000, 1, 320, &s), kOk);
  EXPECT_EQ(s.frames, 1);
  EXPECT_EQ(spectrogram_output_shape(p, 16000, 1, 319, &s), kSignalTooShort);
  EXPECT_EQ(spectrogram_scratch_bytes(p, 16000, 1, 319), 0u);
  EXPECT_EQ(spectrogram_output_shape(p, 16000, 1, 16000, nullptr), kNullArgument);
  // Independent of the signal length.
  EXPECT_EQ(spectrogram_scratch_bytes(p, 16000, 1, 16000), spectrogram_scratch_bytes(p, 16000, 1, 160000));
}

int fail_after(void* ctx, std::size_t offset, std::size_t length, float* out) {
  int* left = static_cast<int*>(ctx);
  if ((*left)-- <= 0) return -1;
  for (std::size_t i = 0; i < length; ++i) out[i] = static_cast<float>((offset + i) % 17);
  return 0;
}

TEST(DspSpectrogramMemory, ScratchOutputAndSignalContracts) {
  const SpectrogramParams p = spectrogram_default_params();
  const std::vector<float> x = noisy_tones(16000, 16000, 8, 3000);
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  const std::size_t bytes = spectrogram_scratch_bytes(p, 16000, 1, x.size());
  std::vector<unsigned char> scratch(bytes + 8);
  std::vector<float> out(99 * 65), expected;
  ASSERT_EQ(run(p, 16000, x, &expected), kOk);
  for (std::size_t offset = 0; offset < 4; ++offset) {
    ASSERT_EQ(spectrogram_run(p, 16000, 1, signal, scratch.data() + offset, bytes, out.data(), out.size()),
              kOk);
    EXPECT_EQ(out, expected);
  }
  EXPECT_EQ(spectrogram_run(p, 16000, 1, signal, scratch.data(), bytes - 1, out.data(), out.size()),
            kScratchTooSmall);
  EXPECT_EQ(spectrogram_run(p, 16000, 1, signal, scratch.data(), bytes, out.data(), out.size() - 1),
            kOutputTooSmall);
  EXPECT_EQ(spectrogram_run(p, 16000, 1, signal, nullptr, bytes, out.data(), out.size()), kNullArgument);
  EXPECT_EQ(spectrogram_run(p, 16000, 1, signal, scratch.data(), bytes, nullptr, out.size()), kNullArgument);
  EXPECT_EQ(spectrogram_run(p, 16000, 3, signal, scratch.data(), bytes, out.data(), out.size()), kBadAxes);
  for (int good_reads : {0, 50}) {
    int left = good_reads;
    kiln_signal failing = {x.size(), fail_after, &left};
    EXPECT_EQ(spectrogram_run(p, 16000, 1, failing, scratch.data(), bytes, out.data(), out.size()),
              kSignalReadFailed);
    left = good_reads;
    std::vector<int8_t> q(out.size());
    EXPECT_EQ(spectrogram_run_s8(p, 16000, 1, failing, scratch.data(), bytes, 0.1f, 0, q.data(), q.size()),
              kSignalReadFailed);
  }
  kiln_signal no_reader = {x.size(), nullptr, nullptr};
  EXPECT_EQ(spectrogram_run(p, 16000, 1, no_reader, scratch.data(), bytes, out.data(), out.size()),
            kNullArgument);
}

}  // namespace
