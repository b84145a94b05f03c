// Host adapter impulse/dsp_block.h: names, versions, parameter checking with useful messages, shapes, and
// that running through it is exactly the SDK.
#include "impulse/impulse_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "core/error.h"
#include "dsp/mfe.h"
#include "nn/quantize.h"
#include "support/error_of.h"

namespace {

using kiln::Error;
using Params = std::map<std::string, double>;

using kiln::test::error_of;

#define EXPECT_ERROR_CONTAINS(expr, text)                          \
  EXPECT_NE(error_of([&] { expr; }).find(text), std::string::npos) \
      << "message: '" << error_of([&] { expr; }) << "'"

TEST(DspBlock, MfeDefaultsAreStudios) {
  const Params expected = {{"frame_length", 0.02}, {"frame_stride", 0.01}, {"num_filters", 40},
                           {"fft_length", 256},    {"low_frequency", 0},   {"high_frequency", 0},
                           {"noise_floor_db", -52}};
  EXPECT_EQ(kiln::dsp_default_params("mfe"), expected);
  EXPECT_EQ(kiln::dsp_block_versions("mfe"), std::vector<std::string>{"ei-4"});
  EXPECT_NO_THROW(kiln::validate_dsp_params("mfe", "ei-4", expected, 16000, 1));
  EXPECT_NO_THROW(kiln::validate_dsp_params("mfe", "ei-4", {}, 16000, 1));  // missing = defaults
}

TEST(DspBlock, UnknownBlockVersionAndParameterAreNamedWithSuggestions) {
  EXPECT_ERROR_CONTAINS(kiln::dsp_default_params("mfee"), "unknown DSP block 'mfee' (did you mean 'mfe'?)");
  EXPECT_ERROR_CONTAINS(kiln::validate_dsp_params("mfe", "ei-3", {}, 16000, 1), "unknown version 'ei-3'");
  EXPECT_ERROR_CONTAINS(kiln::validate_dsp_params("mfe", "ei-4", {{"fft_lenght", 512}}, 16000, 1),
                        "unknown parameter 'fft_lenght' (did you mean 'fft_length'?)");
}

TEST(DspBlock, MfeAcceptsAndIgnoresTheLegacyWinSize) {
  // win_size (the v1/v2 normalisation window) appears in Edge Impulse parameter sets; v4 ignores it.
  EXPECT_NO_THROW(kiln::validate_dsp_params("mfe", "ei-4", {{"win_size", 101}}, 16000, 1));
  EXPECT_ERROR_CONTAINS(kiln::validate_dsp_params("mfe", "ei-4", {{"win_size", 10.5}}, 16000, 1),
                        "win_size must be a whole number");
  std::vector<float> x(8000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7919) % 20001) - 10000.0f;
  EXPECT_EQ(kiln::run_dsp_block("mfe", "ei-4", {{"win_size", 31}}, 16000, 1, x),
            kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 1, x));
}

TEST(DspBlock, OutOfRangeValuesAreRejectedWithTheParameterName) {
  auto check = [](const Params& p) { kiln::validate_dsp_params("mfe", "ei-4", p, 16000, 1); };
  EXPECT_ERROR_CONTAINS(check({{"fft_length", 300}}),
                        "fft_length must be a power of two from 32 to 4096 (got 300)");
  EXPECT_ERROR_CONTAINS(check({{"fft_length", 8192}}), "fft_length");
  EXPECT_ERROR_CONTAINS(check({{"fft_length", 16}}), "fft_length");
  EXPECT_ERROR_CONTAINS(check({{"fft_length", 1e300}}), "fft_length");
  EXPECT_ERROR_CONTAINS(check({{"num_filters", 40.5}}), "num_filters must be a whole number (got 40.5)");
  EXPECT_ERROR_CONTAINS(check({{"num_filters", 1}}), "num_filters must be from 2");
  EXPECT_ERROR_CONTAINS(check({{"frame_length", 0}}), "frame_length");
  EXPECT_ERROR_CONTAINS(check({{"frame_stride", -0.01}}), "frame_stride");
  EXPECT_ERROR_CONTAINS(check({{"high_frequency", 9000}}), "high_frequency");
  EXPECT_ERROR_CONTAINS(check({{"low_frequency", 8000}}), "low_frequency");
  EXPECT_ERROR_CONTAINS(check({{"noise_floor_db", 12}}), "noise_floor_db");
  EXPECT_ERROR_CONTAINS(check({{"num_filters", 128}}), "num_filters 128 is too many for fft_length 256");
  EXPECT_ERROR_CONTAINS(check({{"num_filters", 128}}), "at most 58 filters fit");
  EXPECT_ERROR_CONTAINS(check({{"noise_floor_db", NAN}}), "noise_floor_db must be a finite number");
  EXPECT_ERROR_CONTAINS(kiln::validate_dsp_params("mfe", "ei-4", {}, 0, 1), "sampling frequency");
  EXPECT_ERROR_CONTAINS(kiln::validate_dsp_params("mfe", "ei-4", {}, 16000, 3), "one axis");
  EXPECT_NO_THROW(check({{"fft_length", 32}, {"num_filters", 8}}));
  EXPECT_NO_THROW(check({{"fft_length", 4096}}));
}

TEST(DspBlock, FrameLongerThanTheWindowIsRejected) {
  EXPECT_ERROR_CONTAINS(
      kiln::validate_dsp_params("mfe", "ei-4", {{"frame_length", 0.5}}, 16000, 1, 4000),
      "frame_length 0.5 s is 8000 samples at 16000 Hz, longer than the window (4000 samples)");
  EXPECT_ERROR_CONTAINS(kiln::dsp_output_shape("mfe", {}, 16000, 1, 100), "longer than the window");
  EXPECT_ERROR_CONTAINS(kiln::dsp_output_shape("mfe", {}, 16000, 1, 0), "empty");
}

TEST(DspBlock, ShapeFollowsTheSdkIncludingFractionalFrequencies) {
  EXPECT_EQ(kiln::dsp_output_shape("mfe", {}, 16000, 1, 16000).frames, 99);
  EXPECT_EQ(kiln::dsp_output_shape("mfe", {}, 16000, 1, 32000).frames, 199);
  EXPECT_EQ(kiln::dsp_output_shape("mfe", {{"num_filters", 32}}, 16000, 1, 16000).values, 32);
  const kiln::DspShape s = kiln::dsp_output_shape("mfe", {}, 11025.5, 1, 11025);
  EXPECT_EQ(s.frames, 98);
  EXPECT_EQ(s.values, 40);
}

TEST(DspBlock, RunIsExactlyTheSdk) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> pcm(-20000, 20000);
  std::vector<float> x(16000);
  for (float& v : x) v = static_cast<float>(pcm(rng));
  const Params params = {{"fft_length", 512}, {"frame_length", 0.032}, {"frame_stride", 0.016}};
  const std::vector<float> host = kiln::run_dsp_block("mfe", "ei-4", params, 16000, 1, x);

  kiln::dsp::MfeParams p = kiln::dsp::mfe_default_params(16000);
  p.fft_length = 512;
  p.frame_length = 0.032;
  p.frame_stride = 0.016;
  std::vector<unsigned char> scratch(kiln::dsp::mfe_scratch_bytes(p));
  std::vector<float> sdk(61 * 40);
  kiln_float_array array = {x.data(), x.size()};
  ASSERT_EQ(kiln::dsp::mfe_run(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(), sdk.data(),
                               sdk.size()),
            kiln::dsp::kOk);
  EXPECT_EQ(host, sdk);
}

// kiln classify quantises the host's features with nn::quantize_s8; the device runs mfe_run_s8. Same int8
// tensor.
TEST(DspBlock, HostFeaturesQuantisedEqualMfeRunS8) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pcm(-12000, 12000);
  std::vector<float> x(32000);  // the fire-alarm window: 2 s at 16 kHz
  for (float& v : x) v = static_cast<float>(pcm(rng)) * (&v - x.data() < 16000 ? 0.01f : 1.0f);
  for (float& v : x) v = std::round(v);
  const std::vector<float> host = kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 1, x);
  const kiln::dsp::MfeParams p = kiln::dsp::mfe_default_params(16000);
  std::vector<unsigned char> scratch(kiln::dsp::mfe_s8_scratch_bytes(p));
  std::vector<std::int8_t> device(199 * 40);
  ASSERT_EQ(host.size(), device.size());
  kiln_float_array array = {x.data(), x.size()};
  ASSERT_EQ(kiln::dsp::mfe_run_s8(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(),
                                  1.0f / 256.0f, -128, device.data(), device.size()),
            kiln::dsp::kOk);
  for (std::size_t i = 0; i < host.size(); ++i)
    ASSERT_EQ(kiln::nn::quantize_s8(host[i], 1.0f / 256.0f, -128), device[i]) << "value " << i;
}

TEST(DspBlock, RunRejectsBadInput) {
  std::vector<float> x(16000, 1.0f);
  x[77] = NAN;
  EXPECT_ERROR_CONTAINS(kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 1, x), "input value 77 is NaN");
  x[77] = INFINITY;
  EXPECT_ERROR_CONTAINS(kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 1, x), "input value 77 is infinite");
  std::vector<float> odd(16001, 1.0f);
  EXPECT_ERROR_CONTAINS(kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 2, odd), "not a multiple of 2 axes");
  EXPECT_ERROR_CONTAINS(kiln::run_dsp_block("mfe", "ei-4", {}, 16000, 1, std::vector<float>(100, 0.0f)),
                        "longer than the window");
}

// A value out of range is named with its Edge Impulse name, what was given, and what the block would accept
// with the other settings as they are (asked of the block itself, so it cannot drift from its checks).
TEST(DspBlock, OutOfRangeMessagesNameTheParameterAndTheAllowedValues) {
  const std::vector<float> audio(16000, 0.0f), motion(375, 0.0f);
  EXPECT_ERROR_CONTAINS(
      kiln::run_dsp_block("mfcc", "ei-4", {{"fft_length", 100}}, 16000, 1, audio),
      "mfcc: fft_length: FFT length must be a power of two in the supported range (got 100); "
      "allowed with the other settings: a power of two from ");
  EXPECT_ERROR_CONTAINS(
      kiln::run_dsp_block("spectral-analysis", "ei-4", {{"filter-type", 1}, {"filter-order", 3}}, 62.5, 3,
                          motion),
      "filter-order: filter order out of range (got 3); allowed with the other settings: one of 0, "
      "2, 4, 6, 8");
  EXPECT_ERROR_CONTAINS(
      kiln::run_dsp_block("spectral-analysis", "ei-4", {{"filter-type", 1}, {"filter-cutoff", 40}}, 62.5, 3,
                          motion),
      "filter-cutoff: filter cut-off must be above 0 and below half the sampling frequency (got "
      "40 at 62.5 Hz)");
  EXPECT_ERROR_CONTAINS(
      kiln::run_dsp_block("mfcc", "ei-4", {{"num_cepstral", 0}}, 16000, 1, audio),
      "num_cepstral: number of cepstral coefficients must be between 1 and the number of filters "
      "(got 0); allowed with the other settings: from 1 to 32");
  // An irregular set gets only the rule.
  const std::string odd = kiln::test::error_of([&] {
    kiln::run_dsp_block("mfcc", "ei-4", {{"win_size", 4}}, 16000, 1, audio);
  });
  EXPECT_NE(odd.find("win_size: CMVN window size must be 0 or an odd number of frames (got 4)"),
            std::string::npos)
      << odd;
  EXPECT_EQ(odd.find("allowed"), std::string::npos) << odd;
}

}  // namespace
