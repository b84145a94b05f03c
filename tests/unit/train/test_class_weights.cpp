// [train] class_weights: "balanced" weights the training loss by n / (k * n_c) (Keras/sklearn), which must
// raise the recall of a rare label; the kiln.toml key is parsed strictly and written back.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "project/impulse_toml.h"
#include "support/error_of.h"
#include "train/classifier.h"

namespace kiln {
namespace {

using test::error_of;

// Two labels of [16, 6] windows: unit Gaussian noise plus a 4-frame burst of height `amp` in the label's two
// bands. Overlapping enough that a network trained on `common` windows of label a and `rare` of label b
// gives up on b unless its windows weigh more.
FeatureSet imbalanced(int common, int rare, unsigned seed, float amp = 1.5f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_int_distribution<int> start(0, 12);
  FeatureSet fs;
  fs.shape = {16, 6};
  for (int i = 0; i < common + rare; ++i) {
    const int c = i < common ? 0 : 1;
    std::vector<float> row(16 * 6);
    for (float& v : row) v = noise(rng);
    const int t0 = start(rng);
    for (int t = t0; t < t0 + 4; ++t) {
      row[static_cast<size_t>(t * 6 + 2 * c)] += amp;
      row[static_cast<size_t>(t * 6 + 2 * c + 1)] += amp;
    }
    fs.x.insert(fs.x.end(), row.begin(), row.end());
    fs.y.push_back(c);
  }
  return fs;
}

// Share of the windows of `label` classified as `label`.
double recall(const ClassifierModel& model, const FeatureSet& fs, int label) {
  const std::vector<float> scores = predict(model, fs.x.data(), fs.count());
  int hits = 0, total = 0;
  for (size_t i = 0; i < fs.count(); ++i) {
    if (fs.y[i] != label) continue;
    ++total;
    hits += scores[i * 2 + static_cast<size_t>(label)] > scores[i * 2 + static_cast<size_t>(1 - label)];
  }
  return static_cast<double>(hits) / total;
}

TrainSettings settings(const std::string& class_weights) {
  TrainSettings s;
  s.epochs = 20;
  s.seed = 1;
  s.class_weights = class_weights;
  return s;
}

TEST(ClassWeights, BalancedRaisesTheRecallOfARareLabel) {
  const FeatureSet train = imbalanced(300, 20, 1), test = imbalanced(200, 200, 2);
  const std::vector<std::string> labels = {"common", "rare"};
  const ClassifierModel plain =
      train_classifier(train, labels, default_audio_network(), settings("none"), nullptr);
  const ClassifierModel balanced =
      train_classifier(train, labels, default_audio_network(), settings("balanced"), nullptr);
  // Measured with seed 1: rare recall 0.02 unweighted, 0.64 balanced; common 1.0 and 0.97.
  const double rare_plain = recall(plain, test, 1), rare_balanced = recall(balanced, test, 1);
  EXPECT_LT(rare_plain, 0.3);
  EXPECT_GT(rare_balanced, 0.5);
  EXPECT_GT(rare_balanced - rare_plain, 0.3);
  EXPECT_GT(recall(balanced, test, 0), 0.9);

  // The weights come from the training windows after the validation split: 240 + 16 of 300 + 20.
  const nlohmann::json& w = balanced.metadata.at("class_weights");
  EXPECT_EQ(w.at("mode"), "balanced");
  EXPECT_DOUBLE_EQ(w.at("weights").at("common").get<double>(), 256.0 / (2 * 240));
  EXPECT_DOUBLE_EQ(w.at("weights").at("rare").get<double>(), 256.0 / (2 * 16));
  EXPECT_EQ(plain.metadata.at("class_weights"), "none");
}

TEST(ClassWeights, BalancedTrainingIsDeterministic) {
  const FeatureSet train = imbalanced(100, 10, 3);
  TrainSettings s = settings("balanced");
  s.epochs = 3;
  const ClassifierModel a = train_classifier(train, {"a", "b"}, default_audio_network(), s, nullptr);
  const ClassifierModel b = train_classifier(train, {"a", "b"}, default_audio_network(), s, nullptr);
  ASSERT_EQ(a.weights.size(), b.weights.size());
  for (size_t i = 0; i < a.weights.size(); ++i) EXPECT_EQ(a.weights[i].values, b.weights[i].values);
  EXPECT_EQ(a.metadata.at("history"), b.metadata.at("history"));
}

TEST(ClassWeights, OnlyTheTrainingLossIsWeighted) {
  // One epoch at a learning rate too small to change the network: both runs evaluate the same weights, so
  // the (unweighted) validation loss agrees while the training loss is weighted in one run only.
  const FeatureSet train = imbalanced(100, 10, 4);
  TrainSettings s = settings("none");
  s.epochs = 1;
  s.learning_rate = 1e-9;
  std::vector<EpochStats> plain, balanced;
  train_classifier(train, {"a", "b"}, default_audio_network(), s,
                   [&](const EpochStats& e) { plain.push_back(e); });
  s.class_weights = "balanced";
  train_classifier(train, {"a", "b"}, default_audio_network(), s,
                   [&](const EpochStats& e) { balanced.push_back(e); });
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(balanced.size(), 1u);
  EXPECT_NEAR(plain[0].val_loss, balanced[0].val_loss, 1e-6);
  EXPECT_GT(std::abs(plain[0].loss - balanced[0].loss), 1e-3) << plain[0].loss << " " << balanced[0].loss;
}

TEST(ClassWeights, UnknownModeIsRejected) {
  TrainSettings s = settings("balance");
  s.epochs = 1;
  EXPECT_EQ(error_of([&] {
              train_classifier(imbalanced(10, 10, 5), {"a", "b"}, default_audio_network(), s, nullptr);
            }),
            "[train] class_weights must be none or balanced, got 'balance'");
}

TEST(ClassWeights, KilnTomlKey) {
  EXPECT_EQ(parse_impulse_toml("", "kiln.toml").train.class_weights, "none");
  const Impulse imp = parse_impulse_toml("[train]\nepochs = 3\nclass_weights = \"balanced\"\n", "kiln.toml");
  EXPECT_EQ(imp.train.class_weights, "balanced");
  // What `kiln init` writes reads back the same.
  EXPECT_EQ(parse_impulse_toml(impulse_to_toml(imp), "kiln.toml").train.class_weights, "balanced");
  EXPECT_EQ(
      error_of([] { parse_impulse_toml("[train]\n\nclass_weights = \"balance\"\n", "p/kiln.toml"); }),
      "p/kiln.toml:3: [train].class_weights is 'balance', expected one of: none, balanced (did you mean "
      "'balanced'?)");
  EXPECT_EQ(error_of([] { parse_impulse_toml("[train]\nclass_weights = 1\n", "kiln.toml"); }),
            "kiln.toml:2: [train].class_weights must be a string");
  EXPECT_EQ(error_of([] { parse_impulse_toml("[train]\nclass_weight = \"balanced\"\n", "kiln.toml"); }),
            "kiln.toml:2: unknown key 'class_weight' in [train] (did you mean 'class_weights'?)");
}

}  // namespace
}  // namespace kiln
