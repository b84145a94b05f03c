// Overlap safety of the compiled engine's arena plan: overlap_distance(d) is exact for the sdk kernels, as
// their KernelAccess describes them (built here with the helpers the operators use, sdk/nn/kernel_emit.h).
// Each kernel runs with its output placed d bytes below its input inside one buffer and must give the same
// bytes as with separate buffers; with d - 1 the depthwise and pointwise convolutions must go wrong (so a d
// that is too small would be caught). Also: the planner's plans are valid and use the overlaps.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include "deploy/overlap_plan.h"
#include "nn/activation.h"
#include "nn/conv2d.h"
#include "nn/depthwise_conv2d.h"
#include "nn/dequantize.h"
#include "nn/fully_connected.h"
#include "nn/kernel_emit.h"
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

// The access patterns of the kernels, as their operators describe them (sdk/nn/ops/*.cpp).
nn::KernelAccess conv_access(const nn::Dims& in, const nn::Dims& f, const nn::Dims& out,
                             const nn::ConvParams& g) {
  nn::KernelAccess a{};
  nn::window_access(in, out, f.h, f.w, g, out.c / (in.c / f.c), f.c, 1, &a);
  return a;
}

nn::KernelAccess depthwise_access(const nn::Dims& in, const nn::Dims& f, const nn::Dims& out,
                                  const nn::DepthwiseParams& d) {
  nn::KernelAccess a{};
  const nn::ConvParams g = {d.stride_h, d.stride_w, d.dilation_h, d.dilation_w, d.pad_h, d.pad_w};
  nn::window_access(in, out, f.h, f.w, g, d.depth_multiplier, 1, 1, &a);
  return a;
}

nn::KernelAccess pool_access(const nn::Dims& in, const nn::Dims& out, const nn::PoolParams& p) {
  nn::KernelAccess a{};
  const nn::ConvParams g = {p.stride_h, p.stride_w, 1, 1, p.pad_h, p.pad_w};
  nn::window_access(in, out, p.filter_h, p.filter_w, g, 1, 1, 1, &a);
  return a;
}

nn::KernelAccess elementwise(int32_t count, int32_t in_bytes, int32_t out_bytes) {
  nn::KernelAccess a{};
  nn::elementwise_access(count, in_bytes, out_bytes, 1, &a);
  return a;
}

const int32_t kMult[1] = {1518500250};
const int8_t kShift[1] = {-10};  // small enough that outputs rarely saturate
const nn::QuantParams kQuant = {kMult, kShift, 1};
const nn::QuantActivation kAct = {3, -5, -128, 127};

TEST(OverlapDistance, DepthwiseThreeByThreeSame) {
  // 3x3 stride 1, SAME padding, C = 64, W = 5: output (y, x) needs input rows from y - 1 on, so the output
  // can trail the input by one row plus one pixel: d = W * C + C.
  const nn::Dims in_dims = {1, 6, 5, 64}, filter_dims = {1, 3, 3, 64}, out_dims = {1, 6, 5, 64};
  const nn::DepthwiseParams dw = {1, 1, 1, 1, 1, 1, 1};
  const nn::KernelAccess k = depthwise_access(in_dims, filter_dims, out_dims, dw);
  const auto d = overlap_distance(k, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 5 * 64 + 64);
  EXPECT_FALSE(overlap_distance(k, 1).has_value());  // weights are never overlapped

  const std::vector<int8_t> input = random_s8(6 * 5 * 64, 1), filter = random_s8(9 * 64, 2);
  auto run = [&](const void* in, void* out) {
    nn::depthwise_conv2d_s8(dw, kQuant, kAct, in_dims, static_cast<const int8_t*>(in), filter_dims,
                            filter.data(), nullptr, out_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(input, input.size(), *d, run));
  EXPECT_TRUE(same_with_shift(input, input.size(), *d + 100, run));
  EXPECT_FALSE(same_with_shift(input, input.size(), *d - 1, run)) << "d is not the smallest safe distance";
}

TEST(OverlapDistance, PointwiseConv) {
  // 1x1 conv 16 -> 8 channels over 4x4: pixel p reads input [16p, 16p + 16), writes output [8p, 8p + 8).
  nn::Dims in_dims = {1, 4, 4, 16}, filter_dims = {8, 1, 1, 16}, out_dims = {1, 4, 4, 8};
  const nn::ConvParams conv = {1, 1, 1, 1, 0, 0};
  const auto d = overlap_distance(conv_access(in_dims, filter_dims, out_dims, conv), 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 7);  // within pixel 0, channels 0..6 are written before channel 7 reads input byte 0
  const std::vector<int8_t> input = random_s8(4 * 4 * 16, 21), filter = random_s8(8 * 16, 22);
  auto run = [&](const void* in, void* out) {
    nn::conv2d_s8(conv, kQuant, kAct, in_dims, static_cast<const int8_t*>(in), filter_dims, filter.data(),
                  nullptr, out_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(input, 4 * 4 * 8, *d, run));
  // d follows the reference loop order (overlap_plan.cpp); the optimized conv2d_s8 reads a pixel pair's whole
  // windows before writing it, so d is safe but no longer tight (d - 1 may work too).

  // Expanding 8 -> 16 channels: the output outruns the input, d grows with the pixel index.
  in_dims = {1, 4, 4, 8};
  filter_dims = {16, 1, 1, 8};
  out_dims = {1, 4, 4, 16};
  const auto d2 = overlap_distance(conv_access(in_dims, filter_dims, out_dims, conv), 0);
  ASSERT_TRUE(d2.has_value());
  EXPECT_EQ(*d2, 15 * 16 + 15 - 15 * 8);
  const std::vector<int8_t> in2 = random_s8(4 * 4 * 8, 5), f2 = random_s8(16 * 8, 6);
  auto run2 = [&](const void* in, void* out) {
    nn::conv2d_s8(conv, kQuant, kAct, in_dims, static_cast<const int8_t*>(in), filter_dims, f2.data(),
                  nullptr, out_dims, static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(in2, 4 * 4 * 16, *d2, run2));
  // (d2 conservative for the optimized kernel, as above.)
}

TEST(OverlapDistance, StridedConvPoolFcSoftmaxDequantize) {
  // Strided 3x3 conv with padding and a 2x2 max pool: safe at d.
  const nn::Dims in_dims = {1, 9, 7, 6}, filter_dims = {10, 3, 3, 6}, out_dims = {1, 5, 4, 10};
  const nn::ConvParams conv = {2, 2, 1, 1, 1, 1};
  auto d = overlap_distance(conv_access(in_dims, filter_dims, out_dims, conv), 0);
  ASSERT_TRUE(d.has_value());
  const std::vector<int8_t> input = random_s8(9 * 7 * 6, 7), filter = random_s8(10 * 9 * 6, 8);
  EXPECT_TRUE(same_with_shift(input, 5 * 4 * 10, *d, [&](const void* in, void* out) {
    nn::conv2d_s8(conv, kQuant, kAct, in_dims, static_cast<const int8_t*>(in), filter_dims, filter.data(),
                  nullptr, out_dims, static_cast<int8_t*>(out));
  }));

  const nn::Dims pool_in = {1, 8, 8, 5}, pool_out = {1, 4, 4, 5};
  const nn::PoolParams pool = {2, 2, 2, 2, 0, 0};
  d = overlap_distance(pool_access(pool_in, pool_out, pool), 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 0);  // a pool never reads behind what it writes
  const std::vector<int8_t> pin = random_s8(8 * 8 * 5, 9);
  EXPECT_TRUE(same_with_shift(pin, 4 * 4 * 5, *d, [&](const void* in, void* out) {
    nn::max_pool2d_s8(pool, -128, 127, pool_in, static_cast<const int8_t*>(in), pool_out,
                      static_cast<int8_t*>(out));
  }));

  // FULLY_CONNECTED reads its whole input for every output: no useful overlap.
  const nn::FullyConnectedDims fc_dims = {1, 32, 10};
  nn::KernelAccess f{};
  f.pattern = nn::KernelAccess::kMatrix;
  f.in_bytes = f.out_bytes = 1;
  f.data_inputs = 1;
  f.rows = fc_dims.batches;
  f.depth = fc_dims.depth;
  f.units = fc_dims.units;
  d = overlap_distance(f, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 9);
  const std::vector<int8_t> fin = random_s8(32, 10), fw = random_s8(320, 11);
  auto fc = [&](const void* in, void* out) {
    nn::fully_connected_s8(fc_dims, kQuant, kAct, 0, static_cast<const int8_t*>(in), fw.data(), nullptr,
                           static_cast<int8_t*>(out));
  };
  EXPECT_TRUE(same_with_shift(fin, 10, *d, fc));
  // d follows the reference order and is safe; the optimized fully_connected_s8 need not fail at d - 1.

  // SOFTMAX works in place.
  nn::KernelAccess s{};
  s.pattern = nn::KernelAccess::kRows;
  s.in_bytes = s.out_bytes = 1;
  s.data_inputs = 1;
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
  d = overlap_distance(elementwise(20, 1, 4), 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 4 * 19 - 19);
  auto deq = [&](const void* in, void* out) {
    nn::dequantize_s8_f32(0.5f, 3, 20, static_cast<const int8_t*>(in), static_cast<float*>(out));
  };
  EXPECT_TRUE(same_with_shift(random_s8(20, 13), 80, *d, deq));
  EXPECT_FALSE(same_with_shift(random_s8(20, 13), 80, *d - 1, deq));

  // Kernels with memcpy or accumulation into the output are never overlapped.
  // (Their operators give no access function: the pattern stays kUnknown.)
  EXPECT_FALSE(overlap_distance(nn::KernelAccess{}, 0).has_value());
  // Only data inputs: the filter of a convolution, the second input of an elementwise kernel with one.
  EXPECT_FALSE(overlap_distance(conv_access(in_dims, filter_dims, out_dims, conv), 1).has_value());
  EXPECT_FALSE(overlap_distance(elementwise(20, 1, 4), 1).has_value());
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
    const char* kind;
    int in_es, out_es;
    std::function<void(const void*, void*)> run;
  };
  const std::vector<Case> cases = {
      {"LogisticS8", 1, 1,
       [&](const void* in, void* out) {
         nn::logistic_s8(lp, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {"LogisticF32", 4, 4,
       [&](const void* in, void* out) {
         nn::logistic_f32(n, static_cast<const float*>(in), static_cast<float*>(out));
       }},
      {"ActivationS8", 1, 1,
       [&](const void* in, void* out) {
         nn::activation_s8(ap, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {"ActivationF32", 4, 4,
       [&](const void* in, void* out) {
         nn::activation_f32(nn::kActReluN1To1, n, static_cast<const float*>(in), static_cast<float*>(out));
       }},
      {"RequantizeS8S8", 1, 1,
       [&](const void* in, void* out) {
         nn::requantize_s8_s8(rp, n, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
       }},
      {"QuantizeF32S8", 4, 1,
       [&](const void* in, void* out) {
         nn::quantize_f32_s8(0.25f, -5, n, static_cast<const float*>(in), static_cast<int8_t*>(out));
       }},
  };
  for (const Case& c : cases) {
    const auto d = overlap_distance(elementwise(n, c.in_es, c.out_es), 0);
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
