// The .tflite reader treats the bytes as untrusted: every truncated prefix and thousands of seeded random
// byte mutations of every shared model must give an error code or a model that plans and runs; never a crash
// or an out-of-bounds read. Each candidate sits in a buffer of exactly its size, so the sanitizer variant
// (test_nn_robustness_asan) catches any read past the end.
#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "nn/fully_connected.h"
#include "nn/quant_math.h"
#include "nn/simd_int8.h"
#include "nn_test_util.h"

using namespace kiln_nn_test;
namespace nn = kiln::nn;

// The sanitizer build names its suites differently, so ctest lists both variants.
#ifndef KILN_NN_ROBUSTNESS
#define KILN_NN_ROBUSTNESS Robustness
#endif

namespace {

struct Rng {
  uint32_t x;
  uint32_t next() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  }
};

int iterations() {
  const char* env = std::getenv("KILN_NN_FUZZ_ITERATIONS");
  return env ? std::atoi(env) : 2000;
}

// Loads, plans and (if the arena is modest) runs once with zero input. Returns the load status.
nn::Status exercise(const uint8_t* data, size_t size, bool run) {
  std::unique_ptr<uint8_t[]> exact(new uint8_t[size ? size : 1]);
  if (size) std::memcpy(exact.get(), data, size);
  nn::Model model;
  nn::Status s = nn::model_load(&model, exact.get(), size);
  if (s != nn::kOk) return s;
  std::vector<uint8_t> scratch(nn::plan_scratch_bytes(model));
  size_t need = 0;
  nn::Status p = nn::arena_bytes_needed(model, scratch.data(), scratch.size(), &need);
  EXPECT_EQ(p, nn::kOk) << "a loaded model must plan";
  if (p != nn::kOk || !run || need > (size_t(4) << 20)) return s;
  std::vector<uint64_t> arena(need / 8 + 1);
  nn::Interpreter interp;
  EXPECT_EQ(nn::interpreter_init(&interp, &model, arena.data(), need), nn::kOk);
  EXPECT_EQ(nn::interpreter_invoke(&interp), nn::kOk) << "a loaded model must run";
  return s;
}

class KILN_NN_ROBUSTNESS : public ::testing::TestWithParam<std::string> {};

TEST_P(KILN_NN_ROBUSTNESS, TruncatedFilesAreRejected) {
  const std::vector<uint8_t> bytes = read_file(GetParam());
  ASSERT_FALSE(bytes.empty());
  // Every length up to 4 KiB, then 256 lengths spread over the rest of the file.
  std::vector<size_t> lengths;
  for (size_t n = 0; n < bytes.size() && n <= 4096; ++n) lengths.push_back(n);
  for (int k = 1; k <= 256; ++k) {
    const size_t n = 4096 + (bytes.size() > 4096 ? (bytes.size() - 4096) * k / 257 : 0);
    if (n < bytes.size()) lengths.push_back(n);
  }
  for (size_t n : lengths) {
    const nn::Status s = exercise(bytes.data(), n, false);
    EXPECT_NE(s, nn::kOk) << "a " << n << "-byte prefix of " << bytes.size() << " loaded";
  }
}

TEST_P(KILN_NN_ROBUSTNESS, MutatedFilesFailCleanlyOrRun) {
  const std::vector<uint8_t> original = read_file(GetParam());
  ASSERT_FALSE(original.empty());
  Rng rng{0x9E3779B9u ^ static_cast<uint32_t>(original.size())};
  int loaded = 0, runs = 0;
  const int n = iterations();
  std::vector<uint8_t> bytes;
  for (int i = 0; i < n; ++i) {
    bytes = original;
    // 1-4 mutations; half of them aimed at the first 4 KiB where the structure (vtables, offsets) lives.
    const int count = 1 + rng.next() % 4;
    for (int k = 0; k < count; ++k) {
      const size_t span = (rng.next() & 1) ? bytes.size() : std::min<size_t>(bytes.size(), 4096);
      const size_t at = rng.next() % span;
      switch (rng.next() % 3) {
        case 0:
          bytes[at] ^= static_cast<uint8_t>(1u << (rng.next() % 8));
          break;
        case 1:
          bytes[at] = static_cast<uint8_t>(rng.next());
          break;
        default:
          bytes[at] = (rng.next() & 1) ? 0xFF : 0x00;
          break;
      }
    }
    const bool run = runs < 25;
    const nn::Status s = exercise(bytes.data(), bytes.size(), run);
    if (s == nn::kOk) {
      ++loaded;
      if (run) ++runs;
    }
  }
  std::printf("%s: %d of %d mutants loaded\n", GetParam().c_str(), loaded, n);
}

std::vector<std::string> models() {
  if (!shared_available()) return {};
  return all_model_files();
}

INSTANTIATE_TEST_SUITE_P(Models, KILN_NN_ROBUSTNESS, ::testing::ValuesIn(models()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(info.param.find_last_of('/') + 1);
                           name = name.substr(0, name.size() - 7);
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KILN_NN_ROBUSTNESS);

TEST(KILN_NN_ROBUSTNESS, EmptyAndTinyInputs) {
  nn::Model m;
  EXPECT_EQ(nn::model_load(&m, nullptr, 0), nn::kNullArgument);
  const uint8_t zeros[64] = {};
  for (size_t n = 0; n <= sizeof zeros; ++n) EXPECT_NE(exercise(zeros, n, true), nn::kOk);
  uint8_t ones[64];
  std::memset(ones, 0xFF, sizeof ones);
  for (size_t n = 0; n <= sizeof ones; ++n) EXPECT_NE(exercise(ones, n, true), nn::kOk);
}

}  // namespace

// A fuzzed model (fuzz_tflite_reader) had scales that made the requantization multiplier 2^66: the left shift
// and the output offset's addition overflowed (undefined behaviour, caught by UBSan in the sanitizer variant
// of this suite). The multiplier now saturates at 2^30 as TFLite's does, and the offset is added in 64 bits.
TEST(KILN_NN_ROBUSTNESS, ExtremeRequantizationIsDefined) {
  int32_t multiplier = 0;
  int shift = 0;
  nn::quantize_multiplier(std::ldexp(1.0, 66), &multiplier, &shift);
  EXPECT_EQ(shift, 30);
  EXPECT_EQ(multiplier, INT32_MAX);
  nn::quantize_multiplier(std::ldexp(1.0, -40), &multiplier, &shift);
  EXPECT_EQ(multiplier, 0);
  nn::quantize_multiplier(std::ldexp(1.0, 66), &multiplier, &shift);
  // acc << 30 keeps acc's two low bits: 1 gives +2^30 (127 after the clamp), -1 and INT32_MAX give -2^30
  // (-128), INT32_MIN and 0 give 0 (the offset, clamped).
  for (int32_t offset : {-128, 127}) {
    EXPECT_EQ(nn::requantize_s8(1, multiplier, shift, offset, -128, 127), 127);
    EXPECT_EQ(nn::requantize_s8(-1, multiplier, shift, offset, -128, 127), -128);
    EXPECT_EQ(nn::requantize_s8(INT32_MAX, multiplier, shift, offset, -128, 127), -128);
    EXPECT_EQ(nn::requantize_s8(INT32_MIN, multiplier, shift, offset, -128, 127), offset);
    EXPECT_EQ(nn::requantize_s8(0, multiplier, shift, offset, -128, 127), offset);
  }
}

// A fuzzed model's bias near INT32_MAX made fully_connected's accumulator overflow (undefined behaviour,
// caught by UBSan in the sanitizer variant). Accumulators wrap as the device's do, for every unit count (4-,
// 2- and 1-unit passes) and depths with and without a tail.
TEST(KILN_NN_ROBUSTNESS, AccumulatorsWrapInsteadOfOverflowing) {
  for (int32_t units : {1, 2, 4, 7}) {
    for (int32_t depth : {3, 8, 13}) {
      std::vector<int8_t> input(static_cast<size_t>(depth), 127),
          filter(static_cast<size_t>(units * depth), 127);
      std::vector<int32_t> bias(static_cast<size_t>(units), INT32_MAX - 100);
      std::vector<int8_t> output(static_cast<size_t>(units));
      const int32_t multiplier = 1 << 30;
      const int8_t shift = -10;
      const nn::QuantParams quant = {&multiplier, &shift, 1};
      const nn::QuantActivation act = {128, 0, -128, 127};  // input zero point -128: inputs count 255 each
      nn::fully_connected_s8({1, depth, units}, quant, act, 0, input.data(), filter.data(), bias.data(),
                             output.data());
      // INT32_MAX - 100 + depth * 127 * 255 wraps to a large negative accumulator: the output saturates low.
      for (int8_t o : output) EXPECT_EQ(o, -128) << units << " units, depth " << depth;
    }
  }
}

// A fuzzed model's zero or subnormal output scale made the activation range's float quotient infinite or NaN,
// and its conversion to int32 undefined: both ends are clamped now.
TEST(KILN_NN_ROBUSTNESS, ActivationRangesOfDegenerateScalesAreDefined) {
  int32_t lo = 0, hi = 0;
  nn::quantized_activation_range(3, 1e-45f, 0, -128, 127, &lo, &hi);  // RELU6: 6 / 1e-45 is infinite
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 127);
  nn::quantized_activation_range(1, 0.0f, 5, -128, 127, &lo, &hi);  // RELU: 0 / 0 is NaN, taken as 0
  EXPECT_EQ(lo, 5);
  EXPECT_EQ(hi, 127);
  nn::quantized_activation_range(2, -1e-45f, 0, -128, 127, &lo, &hi);  // RELU_N1_TO_1, negative scale
  EXPECT_EQ(lo, INT32_MAX);  // -1 / -1e-45 = +inf: an empty range, but a defined one
  EXPECT_EQ(hi, INT32_MIN);
}
