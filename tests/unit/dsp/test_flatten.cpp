// Flatten block (sdk/dsp/flatten.h): every golden case within the README's tolerance (1e-4 |ref| + 1e-5
// against expected.f64), a float64 re-implementation on harder signals (large offsets, tiny and huge
// scales, many samples, skewed and heavy-tailed noise), the order of the enabled statistics, constant and
// one-sample axes, and the parameter, memory and signal contracts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "dsp/flatten.h"
#include "golden_cases.h"
#include "nn/quantize.h"

namespace {

using namespace kiln::dsp;

double tolerance(double ref) {
  return 1e-4 * std::fabs(ref) + 1e-5;
}

FlattenParams params_of(const nlohmann::json& j) {
  FlattenParams p = flatten_default_params();
  p.scale_axes = j.value("scale-axes", 1.0);
  p.average = j.value("average", true);
  p.minimum = j.value("minimum", true);
  p.maximum = j.value("maximum", true);
  p.rms = j.value("rms", true);
  p.stdev = j.value("stdev", true);
  p.skewness = j.value("skewness", true);
  p.kurtosis = j.value("kurtosis", true);
  return p;
}

Status run(const FlattenParams& p, int axes, const std::vector<float>& x, std::vector<float>* out) {
  FeatureShape shape{};
  Status s = flatten_output_shape(p, 100, axes, x.size() / static_cast<std::size_t>(axes), &shape);
  if (s != kOk) return s;
  out->assign(static_cast<std::size_t>(shape.values), NAN);
  std::vector<unsigned char> scratch(flatten_scratch_bytes(p, 100, axes, x.size() / axes));
  kiln_float_array array = {x.data(), x.size()};
  return flatten_run(p, 100, axes, kiln_signal_from_array(&array), scratch.data(), scratch.size(),
                     out->data(), out->size());
}

// The reference's statistics in float64 (numpy/scipy definitions) on float64(x) * scale.
std::vector<double> reference(const FlattenParams& p, int axes, const std::vector<float>& x) {
  const std::size_t n = x.size() / static_cast<std::size_t>(axes);
  std::vector<double> out;
  for (int a = 0; a < axes; ++a) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(x[i * axes + a]) * p.scale_axes;
    double mean = 0;
    for (double d : v) mean += d;
    mean /= static_cast<double>(n);
    double m2 = 0, m3 = 0, m4 = 0, sq = 0;
    for (double d : v) {
      const double c = d - mean;
      m2 += c * c;
      m3 += c * c * c;
      m4 += c * c * c * c;
      sq += d * d;
    }
    m2 /= static_cast<double>(n);
    m3 /= static_cast<double>(n);
    m4 /= static_cast<double>(n);
    sq /= static_cast<double>(n);
    if (p.average) out.push_back(mean);
    if (p.minimum) out.push_back(*std::min_element(v.begin(), v.end()));
    if (p.maximum) out.push_back(*std::max_element(v.begin(), v.end()));
    if (p.rms) out.push_back(std::sqrt(sq));
    if (p.stdev) out.push_back(std::sqrt(m2));
    if (p.skewness) out.push_back(m2 > 0 ? m3 / std::pow(m2, 1.5) : 0.0);
    if (p.kurtosis) out.push_back(m2 > 0 ? m4 / (m2 * m2) - 3.0 : 0.0);
  }
  return out;
}

// Largest |out - ref| / tolerance(ref): <= 1 passes.
double worst(const std::vector<float>& out, const std::vector<double>& ref, double* max_abs) {
  double w = 0;
  *max_abs = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double e = std::fabs(static_cast<double>(out[i]) - ref[i]);
    *max_abs = std::max(*max_abs, e);
    w = std::max(w, e / tolerance(ref[i]));
  }
  return w;
}

TEST(DspFlattenGolden, EveryFlattenCaseWithinTolerance) {
  if (!kiln::test::golden_available()) GTEST_SKIP() << "no golden vectors";
  const auto cases = kiln::test::load_golden_cases("flatten");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(c.version, 1);
    const FlattenParams p = params_of(c.params);
    FeatureShape shape{};
    ASSERT_EQ(flatten_output_shape(p, c.frequency, c.axes, c.samples_per_axis, &shape), kOk);
    ASSERT_EQ(shape.frames, 1);
    ASSERT_EQ(static_cast<std::size_t>(shape.values), c.expected_f64.size());
    ASSERT_EQ(c.shape, std::vector<int>{shape.values});
    std::vector<unsigned char> scratch(flatten_scratch_bytes(p, c.frequency, c.axes, c.samples_per_axis));
    std::vector<float> out(c.expected_f64.size());
    kiln_float_array array = {c.input.data(), c.input.size()};
    ASSERT_EQ(flatten_run(p, c.frequency, c.axes, kiln_signal_from_array(&array), scratch.data(),
                          scratch.size(), out.data(), out.size()),
              kOk);
    double max_abs = 0;
    const double w = worst(out, c.expected_f64, &max_abs);
    double max_rel = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (c.expected_f64[i] != 0)
        max_rel = std::max(max_rel, std::fabs(out[i] - c.expected_f64[i]) / std::fabs(c.expected_f64[i]));
    }
    std::printf("%s: %zu values, max abs error %.3g, max rel error %.3g, worst error / tolerance %.3g\n",
                c.id.c_str(), out.size(), max_abs, max_rel, w);
    EXPECT_LE(w, 1.0);
    // The float32 port is far better than the tolerance: keep it that way.
    EXPECT_LE(w, 0.05);
  }
}

struct Signal {
  const char* name;
  int axes;
  std::size_t samples;
  double scale;
  std::vector<float> x;
};

std::vector<Signal> hard_signals() {
  std::mt19937 rng(11);
  std::normal_distribution<double> normal(0, 1);
  std::exponential_distribution<double> expo(1);
  std::student_t_distribution<double> heavy(3);
  std::vector<Signal> s;
  auto make = [&](const char* name, int axes, std::size_t n, double scale, auto f) {
    Signal g{name, axes, n, scale, std::vector<float>(n * axes)};
    for (std::size_t i = 0; i < n; ++i)
      for (int a = 0; a < axes; ++a) g.x[i * axes + a] = static_cast<float>(f(i, a));
    s.push_back(std::move(g));
  };
  make("gravity 9.81 + 0.05 noise, 3 axes, 2000 samples", 3, 2000, 1.0,
       [&](std::size_t, int a) { return (a == 2 ? 9.81 : 0.1 * a) + 0.05 * normal(rng); });
  make("offset 1000 + skewed noise", 2, 500, 1.0, [&](std::size_t, int a) { return 1000.0 + a + expo(rng); });
  make("int16 audio-like, 16000 samples", 1, 16000, 1.0,
       [&](std::size_t i, int) { return std::round(8000 * std::sin(0.01 * i) + 300 * normal(rng)); });
  make("heavy tails, scale 0.001", 2, 3000, 0.001, [&](std::size_t, int) { return 50 + 10 * heavy(rng); });
  make("huge values 1e12, scale 3", 1, 400, 3.0,
       [&](std::size_t, int) { return 1e12 * (1 + 0.01 * expo(rng)); });
  make("tiny values 1e-15", 1, 400, 1.0, [&](std::size_t, int) { return 1e-15 * (2 + expo(rng)); });
  make("two samples", 4, 2, 1.0, [&](std::size_t i, int a) { return i == 0 ? a : -a * 0.5; });
  make("temperature 21.5 +- 0.01, 64 axes, 50 samples", 64, 50, 1.0,
       [&](std::size_t, int a) { return 21.5 + 0.1 * a + 0.01 * normal(rng); });
  return s;
}

TEST(DspFlatten, MatchesFloat64OnHardSignals) {
  for (const Signal& g : hard_signals()) {
    SCOPED_TRACE(g.name);
    FlattenParams p = flatten_default_params();
    p.scale_axes = g.scale;
    std::vector<float> out;
    ASSERT_EQ(run(p, g.axes, g.x, &out), kOk);
    double max_abs = 0;
    const double w = worst(out, reference(p, g.axes, g.x), &max_abs);
    std::printf("%s: worst error / tolerance %.3g\n", g.name, w);
    EXPECT_LE(w, 1.0);
  }
}

TEST(DspFlatten, OnlyEnabledStatisticsInOrder) {
  const std::vector<float> x = {1, 2, 3, 4, 10, 20, 30, 40};  // 2 axes, interleaved
  FlattenParams p = flatten_default_params();
  p.minimum = p.rms = p.kurtosis = false;
  std::vector<float> out;
  ASSERT_EQ(run(p, 2, x, &out), kOk);
  // Axis 0 holds 1, 3, 10, 30; axis 1 holds 2, 4, 20, 40.
  const std::vector<double> ref = reference(p, 2, x);
  ASSERT_EQ(out.size(), 8u);  // average, maximum, stdev, skewness per axis
  for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(out[i], ref[i], tolerance(ref[i])) << i;
  EXPECT_FLOAT_EQ(out[0], 11.0f);
  EXPECT_FLOAT_EQ(out[1], 30.0f);
  EXPECT_FLOAT_EQ(out[4], 16.5f);
  EXPECT_FLOAT_EQ(out[5], 40.0f);

  FlattenParams only_kurtosis = flatten_default_params();
  only_kurtosis.average = only_kurtosis.minimum = only_kurtosis.maximum = only_kurtosis.rms =
      only_kurtosis.stdev = only_kurtosis.skewness = false;
  ASSERT_EQ(run(only_kurtosis, 1, {1, 2, 3, 4}, &out), kOk);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0], -1.36, 1e-6);  // m4 / m2^2 - 3 = 2.5625 / 1.5625 - 3
}

TEST(DspFlatten, ConstantAndSingleSampleAxes) {
  std::vector<float> out;
  // A constant 9.81 (not exactly representable): mean and extremes are the value, spread and shape 0.
  ASSERT_EQ(run(flatten_default_params(), 1, std::vector<float>(777, 9.81f), &out), kOk);
  const std::vector<float> expected = {9.81f, 9.81f, 9.81f, 9.81f, 0, 0, 0};
  EXPECT_EQ(out, expected);
  ASSERT_EQ(run(flatten_default_params(), 3, {1.5f, -2, 0}, &out), kOk);  // one sample per axis
  const std::vector<float> one = {1.5f, 1.5f, 1.5f, 1.5f, 0, 0, 0, -2, -2, -2, 2,
                                  0,    0,    0,    0,    0, 0, 0, 0,  0,  0};
  EXPECT_EQ(out, one);
}

TEST(DspFlatten, ScaleMultipliesFirst) {
  FlattenParams p = flatten_default_params();
  p.scale_axes = -2;
  std::vector<float> out;
  ASSERT_EQ(run(p, 1, {1, 2, 4}, &out), kOk);
  EXPECT_FLOAT_EQ(out[0], -14.0f / 3);
  EXPECT_EQ(out[1], -8.0f);  // the minimum of the scaled values
  EXPECT_EQ(out[2], -2.0f);
  EXPECT_GT(out[4], 0.0f);  // spread is never negative
}

TEST(DspFlattenParams, ValidationNamesTheBadParameter) {
  const FlattenParams ok = flatten_default_params();
  EXPECT_EQ(flatten_validate(ok, 100, 3), kOk);
  EXPECT_EQ(flatten_validate(ok, 0, 3), kOk);  // the frequency is not used
  FlattenParams p = ok;
  p.scale_axes = NAN;
  EXPECT_EQ(flatten_validate(p, 100, 3), kBadScale);
  p.scale_axes = INFINITY;
  EXPECT_EQ(flatten_validate(p, 100, 3), kBadScale);
  p.scale_axes = 1e300;  // finite in double, infinite as a float32
  EXPECT_EQ(flatten_validate(p, 100, 3), kBadScale);
  EXPECT_EQ(flatten_scratch_bytes(p, 100, 3, 10), 0u);
  EXPECT_EQ(flatten_validate(ok, 100, 0), kBadAxes);
  EXPECT_EQ(flatten_validate(ok, 100, -1), kBadAxes);
  EXPECT_EQ(flatten_validate(ok, 100, 100000), kBadAxes);
  p = ok;
  p.average = p.minimum = p.maximum = p.rms = p.stdev = p.skewness = p.kurtosis = false;
  EXPECT_EQ(flatten_validate(p, 100, 3), kNoFeatures);
  FeatureShape shape{};
  EXPECT_EQ(flatten_output_shape(ok, 100, 3, 0, &shape), kSignalTooShort);
  EXPECT_EQ(flatten_output_shape(ok, 100, 3, 1, nullptr), kNullArgument);
  ASSERT_EQ(flatten_output_shape(ok, 100, 3, 1, &shape), kOk);
  EXPECT_EQ(shape.frames, 1);
  EXPECT_EQ(shape.values, 21);
}

int failing_read(void*, std::size_t offset, std::size_t, float* out) {
  if (offset >= 64) return 1;  // the second chunk fails
  for (int i = 0; i < 64; ++i) out[i] = 1;
  return 0;
}

TEST(DspFlatten, MemoryAndSignalContracts) {
  const FlattenParams p = flatten_default_params();
  std::vector<float> x(300, 1.0f);
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  std::vector<unsigned char> scratch(flatten_scratch_bytes(p, 50, 3, 100));
  std::vector<float> out(21);
  EXPECT_EQ(flatten_run(p, 50, 3, signal, scratch.data(), scratch.size() - 1, out.data(), 21),
            kScratchTooSmall);
  EXPECT_EQ(flatten_run(p, 50, 3, signal, nullptr, 0, out.data(), 21), kNullArgument);
  EXPECT_EQ(flatten_run(p, 50, 3, signal, scratch.data(), scratch.size(), out.data(), 20), kOutputTooSmall);
  EXPECT_EQ(flatten_run(p, 50, 3, signal, scratch.data(), scratch.size(), nullptr, 21), kNullArgument);
  EXPECT_EQ(flatten_run(p, 50, 7, signal, scratch.data(), scratch.size(), out.data(), 21),
            kSignalLengthMismatch);  // 300 values are not 7 axes
  kiln_float_array empty = {x.data(), 0};
  EXPECT_EQ(
      flatten_run(p, 50, 3, kiln_signal_from_array(&empty), scratch.data(), scratch.size(), out.data(), 21),
      kSignalTooShort);
  const kiln_signal broken = {300, failing_read, nullptr};
  EXPECT_EQ(flatten_run(p, 50, 3, broken, scratch.data(), scratch.size(), out.data(), 21), kSignalReadFailed);
  const kiln_signal no_callback = {300, nullptr, nullptr};
  EXPECT_EQ(flatten_run(p, 50, 3, no_callback, scratch.data(), scratch.size(), out.data(), 21),
            kNullArgument);
  EXPECT_EQ(flatten_run(p, 50, 3, signal, scratch.data(), scratch.size(), out.data(), 21), kOk);
}

TEST(DspFlatten, Int8OutputIsTheQuantizedFloatOutput) {
  const Signal g = hard_signals()[0];
  const FlattenParams p = flatten_default_params();
  std::vector<float> out;
  ASSERT_EQ(run(p, g.axes, g.x, &out), kOk);
  std::vector<unsigned char> scratch(flatten_scratch_bytes(p, 100, g.axes, g.samples));
  std::vector<int8_t> q(out.size());
  kiln_float_array array = {g.x.data(), g.x.size()};
  const float scale = 0.08f;
  const int zero_point = -3;
  ASSERT_EQ(flatten_run_s8(p, 100, g.axes, kiln_signal_from_array(&array), scratch.data(), scratch.size(),
                           scale, zero_point, q.data(), q.size()),
            kOk);
  for (std::size_t i = 0; i < out.size(); ++i)
    EXPECT_EQ(q[i], kiln::nn::quantize_s8(out[i], scale, zero_point));
  EXPECT_EQ(flatten_run_s8(p, 100, g.axes, kiln_signal_from_array(&array), scratch.data(), scratch.size(),
                           scale, zero_point, q.data(), q.size() - 1),
            kOutputTooSmall);
}

}  // namespace
