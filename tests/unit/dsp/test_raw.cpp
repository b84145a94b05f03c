// Raw block (sdk/dsp/raw.h): every golden case exact or within one float32 ulp of expected.f32 (README),
// bit-exact against float64 products whenever the scale is a float32, at most one ulp otherwise, and the
// parameter, memory and signal contracts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "dsp/raw.h"
#include "golden_cases.h"
#include "nn/quantize.h"

namespace {

using namespace kiln::dsp;

// Distance in float32 ulps (same sign assumed, which scaling by one factor keeps).
std::int64_t ulps(float a, float b) {
  std::int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  return std::llabs(static_cast<std::int64_t>(ia) - ib);
}

std::vector<float> run(const RawParams& p, int axes, const std::vector<float>& x) {
  std::vector<float> out(x.size(), NAN);
  kiln_float_array array = {x.data(), x.size()};
  EXPECT_EQ(raw_run(p, 100, axes, kiln_signal_from_array(&array), nullptr, 0, out.data(), out.size()), kOk);
  return out;
}

TEST(DspRawGolden, EveryRawCaseWithinOneUlp) {
  if (!kiln::test::golden_available()) GTEST_SKIP() << "no golden vectors";
  const auto cases = kiln::test::load_golden_cases("raw");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(c.version, 1);
    RawParams p = raw_default_params();
    p.scale_axes = c.params.value("scale-axes", 1.0);
    FeatureShape shape{};
    ASSERT_EQ(raw_output_shape(p, c.frequency, c.axes, c.samples_per_axis, &shape), kOk);
    EXPECT_EQ(shape.frames, 1);
    ASSERT_EQ(static_cast<std::size_t>(shape.values), c.expected.size());
    const std::vector<float> out = run(p, c.axes, c.input);
    std::int64_t worst = 0;
    int exact = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      worst = std::max(worst, ulps(out[i], c.expected[i]));
      exact += out[i] == c.expected[i];
    }
    std::printf("%s: %zu values, %d bit-exact, max %lld ulp\n", c.id.c_str(), out.size(), exact,
                static_cast<long long>(worst));
    EXPECT_LE(worst, 1);
  }
}

TEST(DspRaw, ExactWhenTheScaleIsAFloatElseOneUlp) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0, 1000);
  std::vector<float> x(3000);
  for (float& v : x) v = normal(rng);
  for (double scale : {1.0, 0.5, 3.0, -0.25, 1.5, 0.1, 1.0 / 3, 9.81, 1e-6}) {
    RawParams p = raw_default_params();
    p.scale_axes = scale;
    const std::vector<float> out = run(p, 3, x);
    const bool is_float = static_cast<double>(static_cast<float>(scale)) == scale;
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float ref = static_cast<float>(static_cast<double>(x[i]) * scale);  // the reference's rounding
      worst = std::max(worst, ulps(out[i], ref));
    }
    EXPECT_LE(worst, is_float ? 0 : 1) << scale;
  }
}

TEST(DspRaw, InterleavedOrderKept) {
  RawParams p = raw_default_params();
  p.scale_axes = 2;
  EXPECT_EQ(run(p, 2, {1, -1, 2, -2, 3, -3}), (std::vector<float>{2, -2, 4, -4, 6, -6}));
  EXPECT_EQ(run(raw_default_params(), 1, {7}), (std::vector<float>{7}));  // one sample
}

TEST(DspRawParams, Validation) {
  RawParams p = raw_default_params();
  EXPECT_EQ(p.scale_axes, 1.0);
  EXPECT_EQ(raw_validate(p, 100, 1), kOk);
  EXPECT_EQ(raw_validate(p, 100, 0), kBadAxes);
  p.scale_axes = NAN;
  EXPECT_EQ(raw_validate(p, 100, 1), kBadScale);
  p.scale_axes = -INFINITY;
  EXPECT_EQ(raw_validate(p, 100, 1), kBadScale);
  p.scale_axes = 1e39;  // beyond float32
  EXPECT_EQ(raw_validate(p, 100, 1), kBadScale);
  FeatureShape shape{};
  p = raw_default_params();
  EXPECT_EQ(raw_output_shape(p, 100, 3, 0, &shape), kSignalTooShort);
  EXPECT_EQ(raw_output_shape(p, 100, 3, std::size_t{1} << 30, &shape), kSignalTooLong);
  ASSERT_EQ(raw_output_shape(p, 100, 3, 125, &shape), kOk);
  EXPECT_EQ(shape.frames, 1);
  EXPECT_EQ(shape.values, 375);
  EXPECT_EQ(raw_scratch_bytes(p, 100, 3, 125), 0u);
}

int failing_read(void*, std::size_t, std::size_t, float*) {
  return -1;
}

TEST(DspRaw, MemoryAndSignalContracts) {
  const RawParams p = raw_default_params();
  std::vector<float> x(30, 1.0f), out(30);
  std::vector<int8_t> q(30);
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  EXPECT_EQ(raw_run(p, 50, 3, signal, nullptr, 0, out.data(), 29), kOutputTooSmall);
  EXPECT_EQ(raw_run(p, 50, 3, signal, nullptr, 0, nullptr, 30), kNullArgument);
  EXPECT_EQ(raw_run(p, 50, 4, signal, nullptr, 0, out.data(), 30), kSignalLengthMismatch);
  const kiln_signal broken = {30, failing_read, nullptr};
  EXPECT_EQ(raw_run(p, 50, 3, broken, nullptr, 0, out.data(), 30), kSignalReadFailed);
  EXPECT_EQ(raw_run_s8(p, 50, 3, broken, nullptr, 0, 1.0f, 0, q.data(), 30), kSignalReadFailed);
  EXPECT_EQ(raw_run_s8(p, 50, 3, signal, nullptr, 0, 1.0f, 0, q.data(), 29), kOutputTooSmall);
  kiln_float_array empty = {x.data(), 0};
  EXPECT_EQ(raw_run(p, 50, 3, kiln_signal_from_array(&empty), nullptr, 0, out.data(), 30), kSignalTooShort);
}

TEST(DspRaw, Int8OutputIsTheQuantizedFloatOutput) {
  std::vector<float> x(1000);  // more than one 64-value chunk, not a multiple of it
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::sin(0.1 * i) * 9.0);
  RawParams p = raw_default_params();
  p.scale_axes = 0.3;
  const std::vector<float> out = run(p, 2, x);
  std::vector<int8_t> q(x.size());
  kiln_float_array array = {x.data(), x.size()};
  ASSERT_EQ(raw_run_s8(p, 100, 2, kiln_signal_from_array(&array), nullptr, 0, 0.02f, 4, q.data(), q.size()),
            kOk);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(q[i], kiln::nn::quantize_s8(out[i], 0.02f, 4)) << i;
}

}  // namespace
