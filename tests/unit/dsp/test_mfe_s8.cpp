// dsp::mfe_run_s8 (MFE straight into an int8 input tensor) against mfe_run followed by nn::quantize_s8 on
// every value, on random audio and on the golden set's recordings, plus its scratch size and argument checks.
// Prints the RAM it saves for the fire-alarm impulse (2 s at 16 kHz: 199 frames x 40 filters).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "dsp/mfe.h"
#include "golden_cases.h"
#include "nn/quantize.h"

namespace {

using namespace kiln;

struct Quantisation {
  float scale;
  std::int32_t zero_point;
};

// The usual input quantisation of an MFE model ([0, 1] on the whole int8 range), and a few others that make
// rounding, clamping and positive zero points happen.
const Quantisation kQuantisations[] = {
    {1.0f / 256.0f, -128}, {0.00390625f, -128}, {0.0039215689f, -128},
    {0.0071f, -3},         {0.011f, 0},         {0.002f, -100},
};

std::vector<std::int8_t> reference_s8(const dsp::MfeParams& p, const std::vector<float>& x, Quantisation q) {
  dsp::MfeShape shape;
  EXPECT_EQ(dsp::mfe_output_shape(p, x.size(), &shape), dsp::kOk);
  std::vector<unsigned char> scratch(dsp::mfe_scratch_bytes(p));
  std::vector<float> features(static_cast<std::size_t>(shape.frames) *
                              static_cast<std::size_t>(shape.values));
  kiln_float_array array = {x.data(), x.size()};
  EXPECT_EQ(dsp::mfe_run(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(), features.data(),
                         features.size()),
            dsp::kOk);
  std::vector<std::int8_t> out(features.size());
  for (std::size_t i = 0; i < features.size(); ++i)
    out[i] = nn::quantize_s8(features[i], q.scale, q.zero_point);
  return out;
}

std::vector<std::int8_t> run_s8(const dsp::MfeParams& p, const std::vector<float>& x, Quantisation q) {
  dsp::MfeShape shape;
  EXPECT_EQ(dsp::mfe_output_shape(p, x.size(), &shape), dsp::kOk);
  std::vector<unsigned char> scratch(dsp::mfe_s8_scratch_bytes(p));
  std::vector<std::int8_t> out(
      static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values),
      static_cast<std::int8_t>(0x55));
  kiln_float_array array = {x.data(), x.size()};
  EXPECT_EQ(dsp::mfe_run_s8(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(), q.scale,
                            q.zero_point, out.data(), out.size()),
            dsp::kOk);
  return out;
}

void expect_equal_s8(const dsp::MfeParams& p, const std::vector<float>& x) {
  for (const Quantisation& q : kQuantisations) {
    SCOPED_TRACE(testing::Message() << "scale " << q.scale << ", zero point " << q.zero_point);
    const std::vector<std::int8_t> want = reference_s8(p, x, q);
    const std::vector<std::int8_t> got = run_s8(p, x, q);
    ASSERT_EQ(got.size(), want.size());
    int differing = 0;
    for (std::size_t i = 0; i < got.size(); ++i) differing += got[i] != want[i];
    EXPECT_EQ(differing, 0) << "of " << got.size();
  }
}

std::vector<float> random_audio(std::size_t n, unsigned seed, float amplitude) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, amplitude);
  std::vector<float> x(n);
  for (float& v : x) {
    float s = noise(rng);
    if (s > 32767.0f) s = 32767.0f;
    if (s < -32768.0f) s = -32768.0f;
    v = static_cast<float>(static_cast<int>(s));  // int16 PCM values, as the block expects
  }
  return x;
}

TEST(DspMfeS8, EqualsMfeRunThenQuantizeOnRandomAudio) {
  const dsp::MfeParams p = dsp::mfe_default_params(16000.0);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    for (float amplitude : {30.0f, 1000.0f, 20000.0f}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << ", amplitude " << amplitude);
      expect_equal_s8(p, random_audio(32000, seed, amplitude));
    }
  }
  dsp::MfeParams other = dsp::mfe_default_params(11025.0);
  other.num_filters = 32;
  other.fft_length = 512;
  other.frame_length = 0.025;
  other.noise_floor_db = -70.0;
  expect_equal_s8(other, random_audio(11025, 7, 3000.0f));
}

TEST(DspMfeS8, EqualsMfeRunThenQuantizeOnRecordings) {
  if (!test::golden_available()) GTEST_SKIP() << "no golden vectors at " << test::golden_dir();
  const std::vector<test::MfeGoldenCase> cases = test::load_mfe_golden_cases();
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    expect_equal_s8(test::mfe_params_of(c), c.input);
  }
}

TEST(DspMfeS8, SavesTheFloatFeatureBuffer) {
  // The fire-alarm impulse: 2 s at 16 kHz, default MFE (20 ms frames every 10 ms, 40 filters, FFT 256).
  const dsp::MfeParams p = dsp::mfe_default_params(16000.0);
  dsp::MfeShape shape;
  ASSERT_EQ(dsp::mfe_output_shape(p, 32000, &shape), dsp::kOk);
  ASSERT_EQ(shape.frames, 199);
  ASSERT_EQ(shape.values, 40);
  const std::size_t values = static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values);
  const std::size_t float_path = dsp::mfe_scratch_bytes(p) + values * sizeof(float);  // + the int8 tensor
  const std::size_t s8_path = dsp::mfe_s8_scratch_bytes(p);                           // + the int8 tensor
  EXPECT_EQ(dsp::mfe_s8_scratch_bytes(p) - dsp::mfe_scratch_bytes(p),
            40 * sizeof(float) + alignof(float) - 1);
  std::printf(
      "fire-alarm MFE (199 x 40): mfe_run needs %zu scratch + %zu feature bytes, mfe_run_s8 %zu scratch "
      "bytes: %zu bytes saved (besides the %zu-byte int8 input tensor both fill)\n",
      dsp::mfe_scratch_bytes(p), values * sizeof(float), s8_path, float_path - s8_path, values);
  EXPECT_GT(float_path - s8_path, 31000u);
}

TEST(DspMfeS8, ChecksScratchOutputAndArguments) {
  const dsp::MfeParams p = dsp::mfe_default_params(16000.0);
  const std::vector<float> x = random_audio(16000, 3, 500.0f);
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  dsp::MfeShape shape;
  ASSERT_EQ(dsp::mfe_output_shape(p, x.size(), &shape), dsp::kOk);
  const std::size_t values = static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values);
  std::vector<unsigned char> scratch(dsp::mfe_s8_scratch_bytes(p));
  std::vector<std::int8_t> out(values);
  const float scale = 1.0f / 256.0f;
  // mfe_scratch_bytes is not enough: the frame buffer comes on top.
  EXPECT_EQ(dsp::mfe_run_s8(p, signal, scratch.data(), dsp::mfe_scratch_bytes(p), scale, -128, out.data(),
                            out.size()),
            dsp::kScratchTooSmall);
  EXPECT_EQ(dsp::mfe_run_s8(p, signal, scratch.data(), 3, scale, -128, out.data(), out.size()),
            dsp::kScratchTooSmall);
  EXPECT_EQ(dsp::mfe_run_s8(p, signal, scratch.data(), scratch.size(), scale, -128, out.data(), values - 1),
            dsp::kOutputTooSmall);
  EXPECT_EQ(dsp::mfe_run_s8(p, signal, nullptr, scratch.size(), scale, -128, out.data(), out.size()),
            dsp::kNullArgument);
  EXPECT_EQ(dsp::mfe_run_s8(p, signal, scratch.data(), scratch.size(), scale, -128, nullptr, out.size()),
            dsp::kNullArgument);
  dsp::MfeParams bad = p;
  bad.num_filters = 1;
  EXPECT_EQ(dsp::mfe_s8_scratch_bytes(bad), 0u);
  EXPECT_EQ(dsp::mfe_run_s8(bad, signal, scratch.data(), scratch.size(), scale, -128, out.data(), out.size()),
            dsp::kBadNumFilters);
  // Unaligned scratch works when it is as large as the query says.
  std::vector<unsigned char> bigger(scratch.size() + 1);
  EXPECT_EQ(
      dsp::mfe_run_s8(p, signal, bigger.data() + 1, scratch.size(), scale, -128, out.data(), out.size()),
      dsp::kOk);
}

TEST(DspQuantizeS8, RoundsHalfAwayFromZeroAndClamps) {
  EXPECT_EQ(nn::quantize_s8(0.5f, 1.0f, 0), 1);
  EXPECT_EQ(nn::quantize_s8(-0.5f, 1.0f, 0), -1);
  EXPECT_EQ(nn::quantize_s8(1.5f, 1.0f, 0), 2);
  EXPECT_EQ(nn::quantize_s8(2.5f, 1.0f, 0), 3);
  EXPECT_EQ(nn::quantize_s8(0.49f, 1.0f, 0), 0);
  EXPECT_EQ(nn::quantize_s8(0.0f, 1.0f / 256.0f, -128), -128);
  EXPECT_EQ(nn::quantize_s8(1.0f, 1.0f / 256.0f, -128), 127);  // 256 - 128 clamps to 127
  EXPECT_EQ(nn::quantize_s8(128.0f / 256.0f, 1.0f / 256.0f, -128), 0);
  EXPECT_EQ(nn::quantize_s8(1e30f, 0.1f, 0), 127);
  EXPECT_EQ(nn::quantize_s8(-1e30f, 0.1f, 0), -128);
  EXPECT_EQ(nn::quantize_s8(std::numeric_limits<float>::quiet_NaN(), 0.1f, 0), -128);
  float in[3] = {0.25f, -3.0f, 0.75f};
  std::int8_t out[3];
  nn::quantize_f32_s8(0.5f, 10, 3, in, out);  // the QUANTIZE kernel uses the same function
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i], nn::quantize_s8(in[i], 0.5f, 10));
}

}  // namespace
