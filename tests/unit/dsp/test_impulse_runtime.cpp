// The SDK's impulse runtime (sdk/impulse/impulse.h) on its own: prepare's checks, the int8 glue between block
// and network (quantize in, dequantize out, top), and every failure it reports. The network here is a small
// fake engine (it copies the first input values to the output), so each expected number can be worked out by
// hand; the real engines are covered by DeployBlock (device) and the classify tests (host).
#include "impulse/impulse.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "impulse/block_table.h"
#include "impulse/mfe_block.h"
#include "impulse/raw_block.h"

namespace rt = kiln::impulse;

namespace {

struct FakeEngine {
  std::vector<int8_t> input = std::vector<int8_t>(4, 0);
  std::vector<int8_t> output = std::vector<int8_t>(2, 0);
  bool fail = false;
  int invokes = 0;
};

void* input_of(void* c) {
  return static_cast<FakeEngine*>(c)->input.data();
}
const void* output_of(void* c) {
  return static_cast<FakeEngine*>(c)->output.data();
}
bool invoke(void* c) {
  FakeEngine* e = static_cast<FakeEngine*>(c);
  ++e->invokes;
  e->output[0] = e->input[0];
  e->output[1] = e->input[1];
  return !e->fail;
}

// int8 in (scale 0.5, zero point -1), int8 out (scale 0.25, zero point 0).
rt::Network fake_network(FakeEngine* e) {
  return {{rt::kTensorInt8, 4, 0.5f, -1}, {rt::kTensorInt8, 2, 0.25f, 0}, e, input_of, output_of, invoke};
}

// The raw block, scale-axes 1, over windows of 4 samples of 1 axis.
rt::Config raw_config(const double* scale) {
  return {&rt::kRawBlock, scale, 100.0, 1, 4};
}

int failing_read(void*, size_t, size_t, float*) {
  return 1;
}

}  // namespace

TEST(ImpulseRuntime, EveryBlockStructFitsTheRuntime) {
  int count = 0;
  const rt::BlockSpec* const* all = rt::all_blocks(&count);
  ASSERT_GT(count, 0);
  for (int i = 0; i < count; ++i) EXPECT_LE(all[i]->params_bytes, rt::kMaxParamsBytes) << all[i]->name;
}

TEST(ImpulseRuntime, QuantizesFeaturesRunsTheNetworkAndDequantizesScores) {
  FakeEngine engine;
  const rt::Network net = fake_network(&engine);
  const double scale[] = {2.0};
  rt::Impulse imp;
  ASSERT_EQ(rt::prepare(raw_config(scale), &net, nullptr, 0, &imp), rt::kOk);
  EXPECT_EQ(imp.shape.frames * imp.shape.values, 4);
  std::vector<unsigned char> scratch(rt::scratch_bytes(imp) + 1);
  ASSERT_EQ(rt::prepare(raw_config(scale), &net, scratch.data(), scratch.size(), &imp), rt::kOk);

  // Features 2x: {1, -2.5, 3.2, 100} * 2 = {2, -5, 6.4, 200}; q = round(x / 0.5) - 1, clamped.
  const float window[] = {1.0f, -2.5f, 3.2f, 100.0f};
  kiln_float_array a = {window, 4};
  float scores[2];
  int32_t scores_q[2];
  rt::Scores out = {scores, scores_q, 2, -1};
  ASSERT_EQ(rt::run(&imp, kiln_signal_from_array(&a), &out), rt::kOk);
  EXPECT_EQ(engine.input, (std::vector<int8_t>{3, -11, 12, 127}));
  EXPECT_EQ(scores_q[0], 3);
  EXPECT_EQ(scores_q[1], -11);
  EXPECT_FLOAT_EQ(scores[0], 0.75f);
  EXPECT_FLOAT_EQ(scores[1], -2.75f);
  EXPECT_EQ(out.top, 0);

  // Float features of the same window, without the network.
  float f[4];
  ASSERT_EQ(rt::features(&imp, kiln_signal_from_array(&a), f, 4), rt::kOk);
  EXPECT_FLOAT_EQ(f[2], 6.4f);
  EXPECT_EQ(engine.invokes, 1);

  // Features the caller already has take the same quantization.
  const float stored[] = {2.0f, -5.0f, 6.4f, 200.0f};
  std::fill(engine.input.begin(), engine.input.end(), 0);
  ASSERT_EQ(rt::set_features(net, stored, 4), rt::kOk);
  EXPECT_EQ(engine.input, (std::vector<int8_t>{3, -11, 12, 127}));
  EXPECT_EQ(rt::set_features(net, stored, 3), rt::kBadArgument);
}

TEST(ImpulseRuntime, TopIsTheFirstOfEqualScoresAndFloatOutputsPassThrough) {
  float in[4] = {0, 0, 0, 0};
  float outv[3] = {0.25f, 0.75f, 0.75f};
  struct Ctx {
    float* in;
    float* out;
  } ctx = {in, outv};
  const rt::Network net = {{rt::kTensorFloat32, 4, 0, 0},
                           {rt::kTensorFloat32, 3, 0, 0},
                           &ctx,
                           [](void* c) -> void* { return static_cast<Ctx*>(c)->in; },
                           [](void* c) -> const void* { return static_cast<Ctx*>(c)->out; },
                           [](void*) { return true; }};
  float scores[3];
  int32_t q[3] = {9, 9, 9};
  rt::Scores out = {scores, q, 3, -1};
  ASSERT_EQ(rt::read_scores(net, &out), rt::kOk);
  EXPECT_EQ(out.top, 1);
  EXPECT_EQ(scores[2], 0.75f);
  EXPECT_EQ(q[0], 0);
  rt::Scores small = {scores, q, 2, -1};
  EXPECT_EQ(rt::read_scores(net, &small), rt::kBadArgument);
}

TEST(ImpulseRuntime, PrepareRefusesWhatCannotWork) {
  FakeEngine engine;
  rt::Network net = fake_network(&engine);
  const double scale[] = {1.0};
  rt::Impulse imp;

  const double nan_scale[] = {std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(rt::prepare(raw_config(nan_scale), &net, nullptr, 0, &imp), rt::kDspFailed);
  EXPECT_EQ(imp.dsp_status, kiln::dsp::kBadScale);

  rt::Config five = raw_config(scale);
  five.samples_per_axis = 5;  // 5 features for a 4-value input tensor
  EXPECT_EQ(rt::prepare(five, &net, nullptr, 0, &imp), rt::kShapeMismatch);

  rt::Network bad = net;
  bad.input.scale = 0.0f;
  EXPECT_EQ(rt::prepare(raw_config(scale), &bad, nullptr, 0, &imp), rt::kBadTensorType);
  bad = net;
  bad.output.type = static_cast<rt::TensorType>(7);
  EXPECT_EQ(rt::prepare(raw_config(scale), &bad, nullptr, 0, &imp), rt::kBadTensorType);
  bad = net;
  bad.invoke = nullptr;
  EXPECT_EQ(rt::prepare(raw_config(scale), &bad, nullptr, 0, &imp), rt::kBadArgument);

  // MFE needs scratch; one byte is not enough.
  const rt::Config mfe = {&rt::kMfeBlock, nullptr, 16000.0, 1, 16000};
  unsigned char byte[8];
  EXPECT_EQ(rt::prepare(mfe, nullptr, byte, 1, &imp), rt::kScratchTooSmall);
  ASSERT_EQ(rt::prepare(mfe, nullptr, nullptr, 0, &imp), rt::kOk);
  EXPECT_GT(rt::scratch_bytes(imp), 1000u);
  std::vector<float> x(16000, 0.0f), f(static_cast<size_t>(imp.shape.frames * imp.shape.values));
  kiln_float_array a = {x.data(), x.size()};
  EXPECT_EQ(rt::features(&imp, kiln_signal_from_array(&a), f.data(), f.size()), rt::kScratchTooSmall);
}

TEST(ImpulseRuntime, RunReportsSignalAndEngineFailures) {
  FakeEngine engine;
  const rt::Network net = fake_network(&engine);
  const double scale[] = {1.0};
  rt::Impulse imp;
  unsigned char scratch[64];
  ASSERT_EQ(rt::prepare(raw_config(scale), &net, scratch, sizeof scratch, &imp), rt::kOk);
  float scores[2];
  rt::Scores out = {scores, nullptr, 2, 0};

  const float three[] = {1, 2, 3};
  kiln_float_array short_array = {three, 3};
  EXPECT_EQ(rt::run(&imp, kiln_signal_from_array(&short_array), &out), rt::kSignalLength);

  kiln_signal unreadable = {4, failing_read, nullptr};
  EXPECT_EQ(rt::run(&imp, unreadable, &out), rt::kSignalRead);
  EXPECT_EQ(imp.dsp_status, kiln::dsp::kSignalReadFailed);

  const float four[] = {1, 2, 3, 4};
  kiln_float_array ok = {four, 4};
  engine.fail = true;
  EXPECT_EQ(rt::run(&imp, kiln_signal_from_array(&ok), &out), rt::kModelFailed);
  EXPECT_STREQ(rt::status_message(rt::kModelFailed), "the network could not be run");

  rt::Impulse features_only;
  ASSERT_EQ(rt::prepare(raw_config(scale), nullptr, scratch, sizeof scratch, &features_only), rt::kOk);
  EXPECT_EQ(rt::run(&features_only, kiln_signal_from_array(&ok), &out), rt::kNoNetwork);
  EXPECT_EQ(rt::run_network(&features_only, &out), rt::kNoNetwork);
}
