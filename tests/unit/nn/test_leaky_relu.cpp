// LEAKY_RELU through the whole runtime: a one-operator model written by Kiln's own .tflite writer
// (src/tflite), loaded, prepared and run by the sdk/nn interpreter, against the formulas TFLite defines:
//   float32: y = x > 0 ? x : alpha * x (bit for bit);
//   int8:    the reference kernel's integer arithmetic, written out here independently of sdk/nn (exact), and
//            the real-valued function it approximates (within one output step).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kiln/nn.h"
#include "tflite/tflite_model.h"

namespace nn = kiln::nn;
namespace tf = kiln::tflite;

namespace {

// Input [1, 4, 8, 8] -> LEAKY_RELU(alpha) -> output, int8 (scales > 0) or float32.
std::vector<uint8_t> leaky_relu_model(float alpha, float in_scale, int in_zp, float out_scale, int out_zp) {
  const bool int8 = in_scale > 0.0f;
  tf::Model m;
  for (int i = 0; i < 2; ++i) {
    tf::Tensor t;
    t.name = i == 0 ? "input" : "output";
    t.shape = {1, 4, 8, 8};
    t.type = int8 ? tf::kTypeInt8 : tf::kTypeFloat32;
    if (int8)
      t.quantization = tf::Quantization{{i == 0 ? in_scale : out_scale}, {i == 0 ? in_zp : out_zp}, 0};
    m.tensors.push_back(t);
  }
  tf::Operator op;
  op.code = tf::kOpLeakyRelu;
  op.inputs = {0};
  op.outputs = {1};
  op.alpha = alpha;
  m.operators.push_back(op);
  m.inputs = {0};
  m.outputs = {1};
  m.description = "leaky relu test";
  return tf::serialize(m);
}

struct OneOpModel {
  std::vector<uint8_t> bytes;
  nn::Model model{};
  std::vector<uint64_t> arena;
  nn::Interpreter interp{};

  explicit OneOpModel(std::vector<uint8_t> b) : bytes(std::move(b)) {
    EXPECT_EQ(nn::model_load(&model, bytes.data(), bytes.size()), nn::kOk);
    std::vector<uint8_t> scratch(nn::plan_scratch_bytes(model));
    size_t need = 0;
    EXPECT_EQ(nn::arena_bytes_needed(model, scratch.data(), scratch.size(), &need), nn::kOk);
    arena.assign(need / 8 + 1, 0);
    EXPECT_EQ(nn::interpreter_init(&interp, &model, arena.data(), need), nn::kOk);
  }
  template <typename T>
  std::vector<T> invoke(const std::vector<T>& input) {
    std::memcpy(nn::interpreter_input(&interp, 0), input.data(), input.size() * sizeof(T));
    EXPECT_EQ(nn::interpreter_invoke(&interp), nn::kOk);
    std::vector<T> out(input.size());
    std::memcpy(out.data(), nn::interpreter_output(&interp, 0), out.size() * sizeof(T));
    return out;
  }
};

// TFLite's integer requantization (QuantizeMultiplier, MultiplyByQuantizedMultiplier with its rounding
// doubling high multiply and rounding right shift), written from the definitions.
void reference_multiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real, shift);
  int64_t fixed = std::llround(q * 2147483648.0);
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++*shift;
  }
  *multiplier = static_cast<int32_t>(fixed);
}

int32_t reference_requantize(int32_t x, int32_t multiplier, int shift) {
  const int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << (shift > 0 ? shift : 0));
  const int64_t ab = shifted * multiplier;
  const int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  const int32_t high = static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
  const int right = shift > 0 ? 0 : -shift;
  if (right == 0) return high;
  const int32_t mask = (1 << right) - 1, remainder = high & mask;
  const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> right) + (remainder > threshold ? 1 : 0);
}

void check_int8(float alpha, float in_scale, int in_zp, float out_scale, int out_zp) {
  SCOPED_TRACE(testing::Message() << "alpha " << alpha << ", input " << in_scale << "/" << in_zp
                                  << ", output " << out_scale << "/" << out_zp);
  OneOpModel run(leaky_relu_model(alpha, in_scale, in_zp, out_scale, out_zp));
  std::vector<int8_t> input(256);
  for (int i = 0; i < 256; ++i) input[static_cast<size_t>(i)] = static_cast<int8_t>(i - 128);  // every value
  const std::vector<int8_t> output = run.invoke(input);

  int32_t identity_multiplier, alpha_multiplier;
  int identity_shift, alpha_shift;
  reference_multiplier(static_cast<double>(in_scale / out_scale), &identity_multiplier, &identity_shift);
  reference_multiplier(static_cast<double>(in_scale * alpha / out_scale), &alpha_multiplier, &alpha_shift);
  for (size_t i = 0; i < input.size(); ++i) {
    const int32_t x = input[i] - in_zp;
    const int32_t y = x >= 0 ? reference_requantize(x, identity_multiplier, identity_shift)
                             : reference_requantize(x, alpha_multiplier, alpha_shift);
    const int32_t want = std::min(127, std::max(-128, y + out_zp));
    EXPECT_EQ(output[i], want) << "input " << int(input[i]);
    // The real function it quantizes: within one output step (the reference rounds twice, in the doubling
    // high multiply and in the shift, which moves some results by one: in the first case input -128 gives -35
    // for -34.33).
    const double real = in_scale * static_cast<double>(x);
    const double q = std::round((real > 0 ? real : alpha * real) / out_scale) + out_zp;
    EXPECT_LE(std::fabs(output[i] - std::min(127.0, std::max(-128.0, q))), 1.0) << "input " << int(input[i]);
  }
}

TEST(LeakyRelu, Int8MatchesTheReferenceKernelOnEveryInput) {
  check_int8(0.2f, 0.05f, -10, 0.03f, 5);
  check_int8(0.01f, 0.1f, 0, 0.1f, 0);       // the common case: same quantization on both sides
  check_int8(1.5f, 0.02f, 30, 0.05f, -40);   // alpha > 1: the negative side grows
  check_int8(-0.5f, 0.04f, 0, 0.02f, -128);  // a negative alpha mirrors the negative side
}

TEST(LeakyRelu, Float32IsExactlyTheFormula) {
  const float alpha = 0.3f;
  OneOpModel run(leaky_relu_model(alpha, 0.0f, 0, 0.0f, 0));
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-50.0f, 50.0f);
  std::vector<float> input(256);
  for (float& x : input) x = u(rng);
  input[0] = 0.0f;
  input[1] = -0.0f;
  input[2] = std::numeric_limits<float>::denorm_min();
  input[3] = -std::numeric_limits<float>::max();
  const std::vector<float> output = run.invoke(input);
  for (size_t i = 0; i < input.size(); ++i) {
    const float x = input[i], want = x > 0.0f ? x : x * alpha;
    EXPECT_EQ(std::memcmp(&output[i], &want, 4), 0) << "input " << x << ": " << output[i] << " vs " << want;
  }
}

TEST(LeakyRelu, ModelsItCannotRunAreRejectedAtLoad) {
  // int8 input with a float output: the operator's type check runs when the model loads.
  tf::Model m;
  tf::Tensor in, out;
  in.name = "input";
  in.shape = {4};
  in.type = tf::kTypeInt8;
  in.quantization = tf::Quantization{{0.1f}, {0}, 0};
  out.name = "output";
  out.shape = {4};
  out.type = tf::kTypeFloat32;
  m.tensors = {in, out};
  tf::Operator op;
  op.code = tf::kOpLeakyRelu;
  op.inputs = {0};
  op.outputs = {1};
  m.operators = {op};
  m.inputs = {0};
  m.outputs = {1};
  const std::vector<uint8_t> bytes = tf::serialize(m);
  nn::Model model;
  EXPECT_EQ(nn::model_load(&model, bytes.data(), bytes.size()), nn::kBadType);
  EXPECT_STREQ(nn::builtin_operator_name(tf::kOpLeakyRelu), "LEAKY_RELU");
}

}  // namespace
