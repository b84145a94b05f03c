// Training and float inference (train/classifier.h): learning a synthetic problem, determinism, Keras
// semantics of the layers checked against hand-computed values, and errors for degenerate input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "support/error_of.h"
#include "train/classifier.h"
#include "train_test_data.h"

namespace kiln {
namespace {

using test::identity_output;
using test::labels_for;
using test::logit_differences;
using test::make_layer;
using test::synthetic_features;

TrainSettings quick_settings(int epochs) {
  TrainSettings s;
  s.epochs = epochs;
  s.learning_rate = 0.005;
  s.batch_size = 32;
  s.validation_split = 0.2;
  s.seed = 7;
  s.threads = 1;
  return s;
}

bool same_weights(const ClassifierModel& a, const ClassifierModel& b) {
  if (a.weights.size() != b.weights.size()) return false;
  for (size_t i = 0; i < a.weights.size(); ++i) {
    const LayerWeights &x = a.weights[i], &y = b.weights[i];
    if (x.name != y.name || x.shape != y.shape || x.values.size() != y.values.size()) return false;
    if (std::memcmp(x.values.data(), y.values.data(), x.values.size() * sizeof(float)) != 0) return false;
  }
  return true;
}

using test::error_of;

TEST(Classifier, DefaultNetworkLearnsASyntheticProblem) {
  FeatureSet train = synthetic_features(300, 3, 1);
  FeatureSet test = synthetic_features(150, 3, 2);
  std::vector<EpochStats> epochs;
  ClassifierModel model = train_classifier(train, labels_for(3), default_audio_network(), quick_settings(30),
                                           [&](const EpochStats& e) { epochs.push_back(e); });
  EXPECT_GT(test::accuracy(model, test), 0.95);

  ASSERT_EQ(epochs.size(), 30u);
  double best = 1e300;
  int best_epoch = 0;
  for (size_t i = 0; i < epochs.size(); ++i) {
    EXPECT_EQ(epochs[i].epoch, static_cast<int>(i + 1));
    EXPECT_TRUE(std::isfinite(epochs[i].val_loss));
    if (epochs[i].val_loss < best) best = epochs[i].val_loss, best_epoch = epochs[i].epoch;
  }
  EXPECT_EQ(model.metadata.at("best_epoch").get<int>(), best_epoch);
  EXPECT_EQ(model.metadata.at("validation").at("windows").get<int>(), 60);  // 20% of 100 per class
  EXPECT_EQ(model.metadata.at("train_windows").get<int>(), 240);
  EXPECT_EQ(model.metadata.at("history").size(), 30u);
  EXPECT_EQ(model.layers.size(), 8u);
  EXPECT_EQ(model.input_shape, (std::vector<int>{16, 6}));
  // The restored weights are those of the best epoch: their validation loss is the best one.
  EXPECT_LT(epochs[best_epoch - 1].val_loss, epochs.front().val_loss);
}

TEST(Classifier, EveryLayerTypeTrains) {
  LayerSpec reshape = make_layer("reshape");
  reshape.shape = {16, 6, 1};
  LayerSpec conv2d = make_layer("conv2d");
  conv2d.filters = 6;
  LayerSpec depthwise = make_layer("depthwise_conv2d");
  depthwise.depth_multiplier = 2;
  depthwise.activation = "relu6";
  LayerSpec avg2d = make_layer("avg_pool2d");
  avg2d.strides = 0;
  LayerSpec max2d = make_layer("max_pool2d");
  max2d.strides = 0;
  max2d.padding = "valid";
  LayerSpec back_to_1d = make_layer("reshape");
  back_to_1d.shape = {4, -1};
  LayerSpec conv1d = make_layer("conv1d");
  conv1d.filters = 8;
  conv1d.activation = "relu";
  LayerSpec avg1d = make_layer("avg_pool1d");
  avg1d.strides = 0;
  avg1d.pool_size = 3;
  LayerSpec hidden = make_layer("dense");
  hidden.units = 16;
  hidden.activation = "relu";
  std::vector<LayerSpec> layers = {reshape,
                                   conv2d,
                                   make_layer("batch_norm"),
                                   depthwise,
                                   avg2d,
                                   max2d,
                                   back_to_1d,
                                   conv1d,
                                   avg1d,
                                   make_layer("flatten"),
                                   hidden,
                                   make_layer("dropout")};
  FeatureSet train = synthetic_features(300, 3, 3);
  FeatureSet test = synthetic_features(150, 3, 4);
  ClassifierModel model = train_classifier(train, labels_for(3), layers, quick_settings(30), nullptr);
  EXPECT_GT(test::accuracy(model, test), 0.9);
  // The batch-norm statistics moved away from their initial values while training.
  const LayerWeights& mean = layer_weights(model, 2, "moving_mean");
  ASSERT_EQ(mean.values.size(), 6u);
  EXPECT_NE(mean.values[0], 0.0f);
  EXPECT_NE(layer_weights(model, 2, "moving_variance").values[0], 1.0f);
}

TEST(Classifier, SameSeedGivesBitIdenticalWeights) {
  FeatureSet train = synthetic_features(120, 2, 5);
  TrainSettings s = quick_settings(4);
  ClassifierModel a = train_classifier(train, labels_for(2), default_audio_network(), s, nullptr);
  ClassifierModel b = train_classifier(train, labels_for(2), default_audio_network(), s, nullptr);
  EXPECT_TRUE(same_weights(a, b));
  EXPECT_EQ(a.metadata.dump(), b.metadata.dump());
  s.seed = 8;
  ClassifierModel c = train_classifier(train, labels_for(2), default_audio_network(), s, nullptr);
  EXPECT_FALSE(same_weights(a, c));
}

// Windows of one sample overlap, so validation takes whole samples: 13 samples of 8 windows per class and a
// 20% share (20.8 windows) put 3 whole samples (24 windows) of each class in validation, where a split of
// windows would take 21.
TEST(Classifier, ValidationKeepsTheWindowsOfASampleTogether) {
  FeatureSet train = synthetic_features(208, 2, 3);
  for (std::size_t i = 0; i < train.count(); ++i) {
    train.group.push_back(static_cast<std::int64_t>(train.y[i]) * 1000 +
                          static_cast<std::int64_t>(i / 2 / 8));
  }
  ClassifierModel model =
      train_classifier(train, labels_for(2), default_audio_network(), quick_settings(1), nullptr);
  EXPECT_EQ(model.metadata.at("validation").at("windows").get<int>(), 48);
  EXPECT_EQ(model.metadata.at("validation").at("samples").get<int>(), 6);

  train.group.pop_back();
  EXPECT_NE(error_of([&] {
              train_classifier(train, labels_for(2), default_audio_network(), quick_settings(1), nullptr);
            }).find("sample ids"),
            std::string::npos);
}

TEST(Classifier, TrainsWithoutValidationWhenTooFewWindows) {
  FeatureSet train = synthetic_features(2, 2, 6);  // one window per class: none can be held out
  std::vector<EpochStats> epochs;
  ClassifierModel model = train_classifier(train, labels_for(2), default_audio_network(), quick_settings(3),
                                           [&](const EpochStats& e) { epochs.push_back(e); });
  ASSERT_EQ(epochs.size(), 3u);
  EXPECT_TRUE(std::isnan(epochs[0].val_loss));
  EXPECT_EQ(model.metadata.at("validation").at("method"), "none");
  EXPECT_EQ(model.metadata.at("validation").at("windows").get<int>(), 0);
  EXPECT_EQ(model.metadata.at("best_epoch").get<int>(), 3);  // the last epoch

  TrainSettings s = quick_settings(2);
  s.validation_split = 0;
  model = train_classifier(synthetic_features(40, 2, 6), labels_for(2), default_audio_network(), s, nullptr);
  EXPECT_EQ(model.metadata.at("validation").at("reason"), "validation_split is 0");
}

TEST(Classifier, LabelsWithoutTrainingWindowsStillGetAnOutput) {
  FeatureSet train = synthetic_features(40, 2, 9);
  ClassifierModel model =
      train_classifier(train, labels_for(3), default_audio_network(), quick_settings(2), nullptr);
  EXPECT_EQ(predict(model, train.x.data(), 1).size(), 3u);
}

TEST(Classifier, DegenerateInputIsRejected) {
  FeatureSet train = synthetic_features(20, 2, 10);
  auto net = default_audio_network();
  TrainSettings s = quick_settings(1);
  EXPECT_NE(error_of([&] { train_classifier(train, {"only"}, net, s, nullptr); }).find("at least 2 labels"),
            std::string::npos);
  FeatureSet empty;
  empty.shape = {16, 6};
  EXPECT_EQ(error_of([&] { train_classifier(empty, labels_for(2), net, s, nullptr); }),
            "the training set is empty");
  FeatureSet short_x = train;
  short_x.x.pop_back();
  EXPECT_NE(error_of([&] { train_classifier(short_x, labels_for(2), net, s, nullptr); }).find("need 1920"),
            std::string::npos);
  FeatureSet bad_label = train;
  bad_label.y[3] = 2;
  EXPECT_NE(error_of([&] {
              train_classifier(bad_label, labels_for(2), net, s, nullptr);
            }).find("training window 3 has class index 2"),
            std::string::npos);
  FeatureSet nan = train;
  nan.x[100] = std::nanf("");
  EXPECT_NE(error_of([&] {
              train_classifier(nan, labels_for(2), net, s, nullptr);
            }).find("training window 1 has a NaN"),
            std::string::npos);
  TrainSettings bad = s;
  bad.epochs = 0;
  EXPECT_NE(error_of([&] { train_classifier(train, labels_for(2), net, bad, nullptr); }).find("epochs"),
            std::string::npos);
  bad = s;
  bad.validation_split = 1.0;
  EXPECT_NE(
      error_of([&] { train_classifier(train, labels_for(2), net, bad, nullptr); }).find("validation_split"),
      std::string::npos);
  bad = s;
  bad.batch_size = 0;
  EXPECT_NE(error_of([&] { train_classifier(train, labels_for(2), net, bad, nullptr); }).find("batch_size"),
            std::string::npos);
  LayerSpec conv2d = make_layer("conv2d");
  conv2d.filters = 2;
  EXPECT_EQ(error_of([&] { train_classifier(train, labels_for(2), {conv2d}, s, nullptr); }),
            "layer 1 (conv2d): expects a 3-D input [h, w, c], got [16, 6]");
}

TEST(Classifier, DivergedTrainingIsAnError) {
  FeatureSet train = synthetic_features(40, 2, 11);
  for (float& v : train.x) v = v > 0 ? 3e38f : -3e38f;  // finite features whose sums overflow
  std::string e = error_of([&] { train_classifier(train, labels_for(2), {}, quick_settings(2), nullptr); });
  EXPECT_NE(e.find("diverged"), std::string::npos) << e;
}

// ---- Keras semantics, checked through predict() on hand-built models with hand-computed outputs ----

ClassifierModel hand_model(std::vector<int> input_shape, std::vector<LayerSpec> layers,
                           std::vector<LayerWeights> weights, int classes) {
  ClassifierModel m;
  m.labels = labels_for(classes);
  m.input_shape = std::move(input_shape);
  m.layers = std::move(layers);
  m.weights = std::move(weights);
  return m;
}

LayerSpec output_dense(int n) {
  LayerSpec l = make_layer("dense");
  l.units = n;
  l.activation = "softmax";
  return l;
}

void expect_logit_differences(const ClassifierModel& m, const std::vector<float>& x,
                              const std::vector<double>& values) {
  std::vector<float> scores = predict(m, x.data(), 1);
  std::vector<double> d = logit_differences(scores, values.size());
  for (size_t c = 0; c < values.size(); ++c) {
    EXPECT_NEAR(d[c], values[c] - values[0], 1e-5) << "class " << c;
  }
}

TEST(KerasSemantics, SameMaxPoolOnOddLength) {
  // [5 steps, 1 channel] -> max_pool1d(2, 2, same) -> 3 steps; the last window holds only x[4]. All values
  // are negative, so a zero pad would win the last max if the padding took part.
  LayerSpec pool = make_layer("max_pool1d");
  pool.strides = 2;
  std::vector<LayerWeights> w = identity_output(2, 3);
  ClassifierModel m = hand_model({5, 1}, {pool, make_layer("flatten"), output_dense(3)}, w, 3);
  expect_logit_differences(m, {-1, -5, -2, -7, -3}, {-1, -2, -3});
}

TEST(KerasSemantics, SameAvgPoolAveragesRealElementsOnly) {
  LayerSpec pool = make_layer("avg_pool1d");
  pool.strides = 0;  // = pool_size
  ClassifierModel m =
      hand_model({5, 1}, {pool, make_layer("flatten"), output_dense(3)}, identity_output(2, 3), 3);
  expect_logit_differences(m, {-1, -5, -2, -7, -3}, {-3, -4.5, -3});
}

TEST(KerasSemantics, FlattenIsChannelsLast) {
  // Input [2 steps][3 channels] = {1 2 3 | 4 5 6}. Keras flattens to 1 2 3 4 5 6: element 3 is step 1 channel
  // 0 (4), element 1 is step 0 channel 1 (2). (A channels-first flatten, 1 4 2 5 3 6, would give 5 and 4.)
  std::vector<float> kernel(12, 0.0f);
  kernel[3] = 1.0f;      // output 0 <- flat element 3
  kernel[6 + 1] = 1.0f;  // output 1 <- flat element 1
  ClassifierModel m = hand_model({2, 3}, {make_layer("flatten"), output_dense(2)},
                                 {{"layer2.kernel", {2, 6}, kernel}, {"layer2.bias", {2}, {0, 0}}}, 2);
  expect_logit_differences(m, {1, 2, 3, 4, 5, 6}, {4, 2});
}

TEST(KerasSemantics, FlattenAfterConvIsChannelsLast) {
  // x [3 steps][1 channel] = 0.1 0.2 0.3; conv1d with 2 filters of kernel 1: filter 0 = x, filter 1 = 10 x.
  // Keras flattens [step][filter]: 0.1 1.0 0.2 2.0 0.3 3.0, so flat element 1 is 1.0 and element 2 is 0.2.
  // (A [filter][step] flatten, 0.1 0.2 0.3 1.0 2.0 3.0, would give 0.2 and 0.3.)
  LayerSpec conv = make_layer("conv1d");
  conv.filters = 2;
  conv.kernel_size = 1;
  std::vector<float> kernel(12, 0.0f);
  kernel[1] = 1.0f;      // output 0 <- flat element 1
  kernel[6 + 2] = 1.0f;  // output 1 <- flat element 2
  ClassifierModel m = hand_model({3, 1}, {conv, make_layer("flatten"), output_dense(2)},
                                 {{"layer1.kernel", {2, 1, 1, 1}, {1.0f, 10.0f}},
                                  {"layer1.bias", {2}, {0, 0}},
                                  {"layer3.kernel", {2, 6}, kernel},
                                  {"layer3.bias", {2}, {0, 0}}},
                                 2);
  expect_logit_differences(m, {0.1f, 0.2f, 0.3f}, {1.0, 0.2});
}

TEST(KerasSemantics, Conv1dKernelLayoutIsOhwi) {
  // x [3 steps][2 channels] = (1,2) (3,4) (5,6); kernel [1 filter][1][3 taps][2 channels]; same padding = one
  // zero step each side; bias 0.1.
  //   out0 = 0.1 + tap1.(1,2) + tap2.(3,4)            = 0.1 + 0.25 + 1.5   = 1.85
  //   out1 = 0.1 + tap0.(1,2) + tap1.(3,4) + tap2.(5,6) = 0.1 + 0 + 0.625 + 2 = 2.725
  //   out2 = 0.1 + tap0.(3,4) + tap1.(5,6)            = 0.1 + 0.5 + 1.0    = 1.6
  LayerSpec conv = make_layer("conv1d");
  conv.filters = 1;
  conv.kernel_size = 3;
  std::vector<LayerWeights> w = {
      {"layer1.kernel", {1, 1, 3, 2}, {0.5f, -0.25f, 0.125f, 0.0625f, -0.5f, 0.75f}},
      {"layer1.bias", {1}, {0.1f}}};
  for (auto& o : identity_output(2, 3)) w.push_back(o);
  ClassifierModel m = hand_model({3, 2}, {conv, make_layer("flatten"), output_dense(3)}, w, 3);
  expect_logit_differences(m, {1, 2, 3, 4, 5, 6}, {1.85, 2.725, 1.6});
}

TEST(KerasSemantics, Conv2dKernelLayoutIsOhwi) {
  // x [2][2][1] = 1 2 / 3 4; kernel [1][2][2][1] = 0.1 0.2 / 0.3 0.4, bias -0.5, valid: one output
  // 0.1 + 0.4 + 0.9 + 1.6 - 0.5 = 2.5 (a transposed kernel would give 2.4).
  LayerSpec conv = make_layer("conv2d");
  conv.filters = 1;
  conv.kernel_size = 2;
  conv.padding = "valid";
  ClassifierModel m = hand_model({2, 2, 1}, {conv, make_layer("flatten"), output_dense(2)},
                                 {{"layer1.kernel", {1, 2, 2, 1}, {0.1f, 0.2f, 0.3f, 0.4f}},
                                  {"layer1.bias", {1}, {-0.5f}},
                                  {"layer3.kernel", {2, 1}, {1.0f, 0.0f}},
                                  {"layer3.bias", {2}, {0.0f, 0.0f}}},
                                 2);
  expect_logit_differences(m, {1, 2, 3, 4}, {2.5, 0});
}

TEST(KerasSemantics, DepthwiseOutputChannelIsInputTimesMultiplierPlusM) {
  // x [1][1][2] = (1, 2); multiplier 2; kernel [1][1][1][4] = 0.1 0.2 0.3 0.4: outputs
  // channel 0*2+0 = 0.1*1, 0*2+1 = 0.2*1, 1*2+0 = 0.3*2, 1*2+1 = 0.4*2.
  LayerSpec dw = make_layer("depthwise_conv2d");
  dw.kernel_size = 1;
  dw.depth_multiplier = 2;
  std::vector<LayerWeights> w = {{"layer1.kernel", {1, 1, 1, 4}, {0.1f, 0.2f, 0.3f, 0.4f}},
                                 {"layer1.bias", {4}, {0, 0, 0, 0}}};
  for (auto& o : identity_output(2, 4)) w.push_back(o);
  ClassifierModel m = hand_model({1, 1, 2}, {dw, make_layer("flatten"), output_dense(4)}, w, 4);
  expect_logit_differences(m, {1, 2}, {0.1, 0.2, 0.6, 0.8});
}

TEST(KerasSemantics, BatchNormInferenceUsesMovingStatistics) {
  // (x - mean) / sqrt(var + 1e-3) * gamma + beta with var + 1e-3 = 4: (5 - 1) / 2 * 1 + 0 = 2 and
  // (1 + 1) / 2 * 0.5 + 0.25 = 0.75.
  std::vector<LayerWeights> w = {{"layer1.gamma", {2}, {1.0f, 0.5f}},
                                 {"layer1.beta", {2}, {0.0f, 0.25f}},
                                 {"layer1.moving_mean", {2}, {1.0f, -1.0f}},
                                 {"layer1.moving_variance", {2}, {3.999f, 3.999f}}};
  for (auto& o : identity_output(1, 2)) w.push_back(o);
  ClassifierModel m = hand_model({2}, {make_layer("batch_norm"), output_dense(2)}, w, 2);
  expect_logit_differences(m, {5, 1}, {2, 0.75});
}

TEST(KerasSemantics, DropoutIsOffAtInference) {
  LayerSpec drop = make_layer("dropout");
  drop.rate = 0.9;
  ClassifierModel m = hand_model({3}, {drop, output_dense(3)}, identity_output(1, 3), 3);
  expect_logit_differences(m, {0.5, 1, 2}, {0.5, 1, 2});
}

TEST(KerasSemantics, PredictRejectsAnInconsistentModel) {
  ClassifierModel m = hand_model({3}, {output_dense(3)}, identity_output(0, 3), 3);
  m.weights[0].shape = {3, 2};
  float x[3] = {0, 0, 0};
  EXPECT_NE(error_of([&] { predict(m, x, 1); }).find("weights 'layer1.kernel' have shape [3, 2]"),
            std::string::npos);
  m = hand_model({3}, {make_layer("flatten")}, {}, 3);
  EXPECT_NE(error_of([&] { predict(m, x, 1); }).find("does not end in its output layer"), std::string::npos);
}

}  // namespace
}  // namespace kiln
