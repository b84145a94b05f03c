// Overlap safety of the compiled engine's arena plan: overlap_distance(d) is exact for the sdk kernels. Each
// kernel runs with its output placed d bytes below its input inside one buffer and must give the same bytes
// as with separate buffers; with d - 1 the depthwise and pointwise convolutions must go wrong (so a d that is
// too small would be caught). Also: the planner's plans are valid and use the overlaps.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include "deploy/overlap_plan.h"
#include "nn/activation.h"
#include "nn/call_recorder.h"
#include "nn/conv2d.h"
#include "nn/depthwise_conv2d.h"
#include "nn/dequantize.h"
#include "nn/fully_connected.h"
#include "nn/logistic.h"
#include "nn/max_pool2d.h"
#include "nn/quantize.h"
#include "nn/softmax.h"

namespace nn = kiln::nn;
using kiln::deploy::overlap_distance;

namespace {

std::vector<int8_t> random_s8(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(rng() % 256 - 128);
  return v;
}

// Runs kernel(input, output) with separate buffers, and with the output at (input - shift) in one buffer.
// Returns true when both give the same output bytes.
bool same_with_shift(const std::vector<int8_t>& input, size_t out_bytes, int64_t shift,
                     const std::function<void(const void*, void*)>& kernel) {
  std::vector<int8_t> in_copy = input, reference(out_bytes);
  kernel(in_copy.data(), reference.data());
  const size_t base = 64;
  std::vector<int8_t> shared(base + input.size() + out_bytes + 64 +
                             static_cast<size_t>(shift > 0 ? shift : 0));
  int8_t* in = shared.data() + base + (shift > 0 ? shift : 0);
  int8_t* out = in - shift;
  std::memcpy(in, input.data(), input.size());
  kernel(in, out);
  return std::memcmp(out, reference.data(), out_bytes) == 0;
}

nn::KernelCall blank(nn::RecordedKernel kind) {
  nn::KernelCall k;
  std::memset(&k, 0, sizeof k);
  k.kernel = kind;
  k.num_inputs = 3;
  k.inputs[0] = 0;
  k.inputs[1] = 1;
  k.inputs[2] = -1;
  return k;
}

const int32_t kMult[1] = {1518500250};
const int32_t kShift[1] = {-10};  // small enough that outputs rarely saturate
const nn::QuantParams kQuant = {kMult, kShift, 1};
const nn::QuantActivation kAct = {3, -5, -128, 127};

TEST(OverlapDistance, DepthwiseThreeByThreeSame) {
  // 3x3 stride 1, SAME padding, C = 64, W = 5: output (y, x) needs input rows from y - 1 on, so the output
  // can trail the input by one row plus one pixel: d = W * C + C.
  nn::KernelCall k = blank(nn::kRecDepthwiseConv2dS8);
  k.input_dims = {1, 6, 5, 64};
  k.filter_dims = {1, 3, 3, 64};
  k.output_dims = {1, 6, 5, 64};
  k.depthwise = {1, 1, 1, 1, 1, 1, 1};
  const auto d = overlap_distance(k, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 5 * 64 + 64);
  EXPECT_FALSE(overlap_distance(k, 1).has_value());  // weights are never overlapped

  const std::vector<int8_t> input = random_s8(6 * 5 * 64, 1), filter = random_s8(9 * 64, 2);
  auto run = [&](const void* in, void* out) {
    nn::depthwise_conv2d_s8(k.depthwise, kQuant, kAct, k.input_dims, static_cast<const int8_t*>(in),
                            k.filter_dims, filter.data(), nullptr, k.output_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(input, input.size(), *d, run));
  EXPECT_TRUE(same_with_shift(input, input.size(), *d + 100, run));
  EXPECT_FALSE(same_with_shift(input, input.size(), *d - 1, run)) << "d is not the smallest safe distance";
}

TEST(OverlapDistance, PointwiseConv) {
  // 1x1 conv 16 -> 8 channels over 4x4: pixel p reads input [16p, 16p + 16), writes output [8p, 8p + 8).
  nn::KernelCall k = blank(nn::kRecConv2dS8);
  k.input_dims = {1, 4, 4, 16};
  k.filter_dims = {8, 1, 1, 16};
  k.output_dims = {1, 4, 4, 8};
  k.conv = {1, 1, 1, 1, 0, 0};
  const auto d = overlap_distance(k, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 7);  // within pixel 0, channels 0..6 are written before channel 7 reads input byte 0
  const std::vector<int8_t> input = random_s8(4 * 4 * 16, 21), filter = random_s8(8 * 16, 22);
  auto run = [&](const void* in, void* out) {
    nn::conv2d_s8(k.conv, kQuant, kAct, k.input_dims, static_cast<const int8_t*>(in), k.filter_dims,
                  filter.data(), nullptr, k.output_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(input, 4 * 4 * 8, *d, run));
  // d follows the reference loop order (overlap_plan.cpp); the optimized conv2d_s8 reads a pixel pair's whole
  // windows before writing it, so d is safe but no longer tight (d - 1 may work too).

  // Expanding 8 -> 16 channels: the output outruns the input, d grows with the pixel index.
  k.input_dims = {1, 4, 4, 8};
  k.filter_dims = {16, 1, 1, 8};
  k.output_dims = {1, 4, 4, 16};
  const auto d2 = overlap_distance(k, 0);
  ASSERT_TRUE(d2.has_value());
  EXPECT_EQ(*d2, 15 * 16 + 15 - 15 * 8);
  const std::vector<int8_t> in2 = random_s8(4 * 4 * 8, 5), f2 = random_s8(16 * 8, 6);
  auto run2 = [&](const void* in, void* out) {
    nn::conv2d_s8(k.conv, kQuant, kAct, k.input_dims, static_cast<const int8_t*>(in), k.filter_dims,
                  f2.data(), nullptr, k.output_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(in2, 4 * 4 * 16, *d2, run2));
  // (d2 conservative for the optimized kernel, as above.)
}

TEST(OverlapDistance, StridedConvPoolFcSoftmaxDequantize) {
  // Strided 3x3 conv with padding and a 2x2 max pool: safe at d.
  nn::KernelCall k = blank(nn::kRecConv2dS8);
  k.input_dims = {1, 9, 7, 6};
  k.filter_dims = {10, 3, 3, 6};
  k.output_dims = {1, 5, 4, 10};
  k.conv = {2, 2, 1, 1, 1, 1};
  auto d = overlap_distance(k, 0);
  ASSERT_TRUE(d.has_value());
  const std::vector<int8_t> input = random_s8(9 * 7 * 6, 7), filter = random_s8(10 * 9 * 6, 8);
  EXPECT_TRUE(same_with_shift(input, 5 * 4 * 10, *d, [&](const void* in, void* out) {
    nn::conv2d_s8(k.conv, kQuant, kAct, k.input_dims, static_cast<const int8_t*>(in), k.filter_dims,
                  filter.data(), nullptr, k.output_dims, static_cast<int8_t*>(out));
  }));

  nn::KernelCall p = blank(nn::kRecMaxPool2dS8);
  p.input_dims = {1, 8, 8, 5};
  p.output_dims = {1, 4, 4, 5};
  p.pool = {2, 2, 2, 2, 0, 0};
  d = overlap_distance(p, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 0);  // a pool never reads behind what it writes
  const std::vector<int8_t> pin = random_s8(8 * 8 * 5, 9);
  EXPECT_TRUE(same_with_shift(pin, 4 * 4 * 5, *d, [&](const void* in, void* out) {
    nn::max_pool2d_s8(p.pool, -128, 127, p.input_dims, static_cast<const int8_t*>(in), p.output_dims,
                      static_cast<int8_t*>(out));
  }));

  // FULLY_CONNECTED reads its whole input for every output: no useful overlap.
  nn::KernelCall f = blank(nn::kRecFullyConnectedS8);
  f.fully_connected = {1, 32, 10};
  d = overlap_distance(f, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 9);
  const std::vector<int8_t> fin = random_s8(32, 10), fw = random_s8(320, 11);
  auto fc = [&](const void* in, void* out) {
    nn::fully_connected_s8(f.fully_connected, kQuant, kAct, 0, static_cast<const int8_t*>(in), fw.data(),
                           nullptr, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(fin, 10, *d, fc));
  // d follows the reference order and is safe; the optimized fully_connected_s8 need not fail at d - 1.

  // SOFTMAX works in place.
  nn::KernelCall s = blank(nn::kRecSoftmaxS8);
  s.num_inputs = 1;
  s.rows = 3;
  s.depth = 12;
  d = overlap_distance(s, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 0);
  nn::SoftmaxParams sp;
  nn::softmax_s8_params(1.0f, 0.1f, &sp);
  EXPECT_TRUE(same_with_shift(random_s8(36, 12), 36, 0, [&](const void* in, void* out) {
    nn::softmax_s8(sp, 3, 12, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
  }));

  // DEQUANTIZE widens int8 to float: the output must start 3 bytes per element earlier.
  nn::KernelCall q = blank(nn::kRecDequantizeS8F32);
  q.num_inputs = 1;
  q.count = 20;
  d = overlap_distance(q, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 4 * 19 - 19);
  auto deq = [&](const void* in, void* out) {
    nn::dequantize_s8_f32(0.5f, 3, 20, static_cast<const int8_t*>(in), static_cast<float*>(out));
  };
  EXPECT_TRUE(same_with_shift(random_s8(20, 13), 80, *d, deq));
  EXPECT_FALSE(same_with_shift(random_s8(20, 13), 80, *d - 1, deq));

  // Kernels with memcpy or accumulation into the output are never overlapped.
  EXPECT_FALSE(overlap_distance(blank(nn::kRecPad), 0).has_value());
  EXPECT_FALSE(overlap_distance(blank(nn::kRecConcatenation), 0).has_value());
  EXPECT_FALSE(overlap_distance(blank(nn::kRecMeanF32), 0).has_value());
}

TEST(OverlapDistance, LogisticActivationQuantizeInPlace) {
  // The remaining elementwise kernels read element i before writing element i: with equal element sizes the
  // output may lie exactly on the input (d = 0) but not one byte above it; float -> int8 narrows (d = 0).
  const int n = 40;
  std::vector<int8_t> floats(4 * n);
  {
    std::mt19937 rng(3);
    for (int i = 0; i < n; ++i) {
      const float v = static_cast<float>(static_cast<int>(rng() % 321) - 160) / 8.0f;
      std::memcpy(&floats[4 * i], &v, 4);
    }
  }
  nn::LogisticParams lp;
  nn::logistic_s8_params(0.06f, 3, &lp);
  nn::ActivationParams ap;
  nn::activation_s8_params(nn::kActRelu6, 0.05f, 7, 6.0f / 255, -128, &ap);
  nn::RequantizeParams rp;
  nn::requantize_params(0.05f, 9, 0.031f, -20, &rp);
  struct Case {
    nn::RecordedKernel kind;
    int in_es, out_es;
    std::function<void(const void*, void*)> run;
  };
  const std::vector<Case> cases = {
      {nn::kRecLogisticS8, 1, 1,
       [&](const void* in, void* out) {
         nn::logistic_s8(lp, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {nn::kRecLogisticF32, 4, 4,
       [&](const void* in, void* out) {
         nn::logistic_f32(n, static_cast<const float*>(in), static_cast<float*>(out));
       }},
      {nn::kRecActivationS8, 1, 1,
       [&](const void* in, void* out) {
         nn::activation_s8(ap, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {nn::kRecActivationF32, 4, 4,
       [&](const void* in, void* out) {
         nn::activation_f32(nn::kActReluN1To1, n, static_cast<const float*>(in), static_cast<float*>(out));
       }},
      {nn::kRecRequantizeS8S8, 1, 1,
       [&](const void* in, void* out) {
         nn::requantize_s8_s8(rp, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {nn::kRecQuantizeF32S8, 4, 1,
       [&](const void* in, void* out) {
         nn::quantize_f32_s8(0.25f, -5, n, static_cast<const float*>(in), static_cast<int8_t*>(out));
       }},
  };
  for (const Case& c : cases) {
    nn::KernelCall k = blank(c.kind);
    k.num_inputs = 1;
    k.count = n;
    const auto d = overlap_distance(k, 0);
    ASSERT_TRUE(d.has_value()) << c.kind;
    EXPECT_EQ(*d, 0) << c.kind;
    const std::vector<int8_t> input = c.in_es == 4 ? floats : random_s8(n, 4);
    EXPECT_TRUE(same_with_shift(input, size_t(n) * c.out_es, 0, c.run)) << c.kind;
    if (c.in_es == c.out_es) {
      EXPECT_FALSE(same_with_shift(input, size_t(n) * c.out_es, -c.in_es, c.run))
          << c.kind << ": one element above the input must go wrong";
    }
  }
}

TEST(OverlapPlan, ChainUsesOverlapsAndIsValid) {
  using kiln::deploy::PlanBuffer;
  using kiln::deploy::PlanOverlap;
  // input(-1..0) -> A(0..1) -> B(1..2) -> C(2..3, model output)
  std::vector<PlanBuffer> buffers = {{1000, -1, 0}, {1000, 0, 1}, {1000, 1, 2}, {100, 2, 3}};
  const auto without = kiln::deploy::plan_arena(buffers, {});
  EXPECT_EQ(without.arena_bytes, 2000u);
  std::vector<PlanOverlap> overlaps = {{1, 0, 64}, {2, 1, 0}, {3, 2, 10}};
  const auto with = kiln::deploy::plan_arena(buffers, overlaps);
  EXPECT_EQ(kiln::deploy::check_plan(buffers, overlaps, with), "");
  EXPECT_EQ(with.arena_bytes, 1076u);  // input at 76, A at 12, B at 12, C at 0 (4-byte aligned)
  // The checker rejects a plan that violates a distance.
  kiln::deploy::ArenaPlan bad;
  bad.offsets = {0, 0, 0, 0};
  bad.arena_bytes = 1000;
  EXPECT_NE(kiln::deploy::check_plan(buffers, overlaps, bad), "");
}

TEST(OverlapPlan, RandomGraphsGiveValidPlans) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<kiln::deploy::PlanBuffer> buffers;
    std::vector<kiln::deploy::PlanOverlap> overlaps;
    const int n = 3 + static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      const int first = static_cast<int>(rng() % 20) - 1;
      buffers.push_back({1 + rng() % 500, first, first + static_cast<int>(rng() % 4)});
    }
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j && buffers[i].first == buffers[j].last && rng() % 2)
          overlaps.push_back({i, j, static_cast<int64_t>(rng() % 300)});
    const auto plan = kiln::deploy::plan_arena(buffers, overlaps);
    EXPECT_EQ(kiln::deploy::check_plan(buffers, overlaps, plan), "") << "round " << round;
  }
}

}  // namespace
