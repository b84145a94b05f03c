// compute_metrics on hand-computed examples, and the metrics.json round trip.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "evaluate/metrics.h"

using namespace kiln;

namespace {

// Two classes, threshold 0.75. Expected values worked out by hand in the comments.
const std::vector<std::string> kAB = {"a", "b"};
const std::vector<int> kTruthAB = {0, 0, 0, 0, 1, 1, 1, 1};
const std::vector<float> kScoresAB = {
    0.9f,  0.1f,   // a -> a
    0.8f,  0.2f,   // a -> a
    0.2f,  0.8f,   // a -> b
    0.6f,  0.4f,   // a -> uncertain (0.6 < 0.75)
    0.1f,  0.9f,   // b -> b
    0.25f, 0.75f,  // b -> b: a top score equal to the threshold is confident
    0.85f, 0.15f,  // b -> a
    0.5f,  0.5f,   // b -> uncertain (a tie goes to a, but 0.5 < 0.75)
};

}  // namespace

TEST(Metrics, TwoClassesWithUncertainWindows) {
  Metrics m = compute_metrics(kAB, kTruthAB, kScoresAB, 0.75);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{2, 1}, {1, 2}}));
  EXPECT_EQ(m.uncertain, (std::vector<int>{1, 1}));
  EXPECT_EQ(m.total, 8);
  EXPECT_EQ(m.correct, 4);
  EXPECT_EQ(m.uncertain_total, 2);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.5);  // uncertain windows are not correct
  EXPECT_DOUBLE_EQ(m.threshold, 0.75);
  ASSERT_EQ(m.per_class.size(), 2u);
  for (const auto& c : m.per_class) {
    EXPECT_EQ(c.support, 4);                 // includes the uncertain window
    EXPECT_DOUBLE_EQ(c.precision, 2.0 / 3);  // uncertain windows are no class's prediction
    EXPECT_DOUBLE_EQ(c.recall, 0.5);
    EXPECT_NEAR(c.f1, 4.0 / 7, 1e-12);
  }
  EXPECT_EQ(m.per_class[0].label, "a");
  EXPECT_NEAR(m.macro_f1, 4.0 / 7, 1e-12);
  EXPECT_NEAR(m.weighted_f1, 4.0 / 7, 1e-12);
}

TEST(Metrics, ZeroThresholdMakesNothingUncertainAndTiesGoToTheFirstLabel) {
  Metrics m = compute_metrics(kAB, kTruthAB, kScoresAB, 0.0);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{3, 1}, {2, 2}}));
  EXPECT_EQ(m.uncertain_total, 0);
  EXPECT_EQ(m.correct, 5);
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 8);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 3.0 / 5);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 3.0 / 4);
  EXPECT_NEAR(m.per_class[0].f1, 2.0 / 3, 1e-12);
  EXPECT_NEAR(m.per_class[1].f1, 4.0 / 7, 1e-12);
  EXPECT_NEAR(m.macro_f1, 13.0 / 21, 1e-12);
}

TEST(Metrics, ThresholdEdgeIsConfident) {
  // Exactly representable scores: 0.75 at threshold 0.75 is confident, just below is uncertain.
  Metrics at = compute_metrics(kAB, {1}, {0.25f, 0.75f}, 0.75);
  EXPECT_EQ(at.uncertain_total, 0);
  EXPECT_EQ(at.correct, 1);
  Metrics below = compute_metrics(kAB, {1}, {0.25f, std::nextafter(0.75f, 0.0f)}, 0.75);
  EXPECT_EQ(below.uncertain_total, 1);
  EXPECT_EQ(below.correct, 0);
  EXPECT_DOUBLE_EQ(below.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(below.per_class[1].recall, 0.0);
  EXPECT_DOUBLE_EQ(below.per_class[1].precision, 0.0);  // 0/0 -> 0
}

TEST(Metrics, ThreeClassesOneNeverPredicted) {
  const std::vector<std::string> labels = {"x", "y", "z"};
  const std::vector<int> truth = {0, 0, 1, 1, 2, 2, 1};
  const std::vector<float> scores = {
      0.7f, 0.2f, 0.1f,  // x -> x
      0.1f, 0.8f, 0.1f,  // x -> y
      0.1f, 0.8f, 0.1f,  // y -> y
      0.2f, 0.7f, 0.1f,  // y -> y
      0.5f, 0.2f, 0.3f,  // z -> x
      0.3f, 0.4f, 0.3f,  // z -> y
      0.0f, 1.0f, 0.0f,  // y -> y
  };
  Metrics m = compute_metrics(labels, truth, scores, 0.0);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{1, 1, 0}, {0, 3, 0}, {1, 1, 0}}));
  EXPECT_EQ(m.correct, 4);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 7);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 3.0 / 5);
  EXPECT_DOUBLE_EQ(m.per_class[1].recall, 1.0);
  EXPECT_NEAR(m.per_class[1].f1, 0.75, 1e-12);
  // z: no predictions, so precision is 0/0 -> 0; recall 0/2.
  EXPECT_EQ(m.per_class[2].support, 2);
  EXPECT_DOUBLE_EQ(m.per_class[2].precision, 0.0);
  EXPECT_DOUBLE_EQ(m.per_class[2].recall, 0.0);
  EXPECT_DOUBLE_EQ(m.per_class[2].f1, 0.0);
  EXPECT_NEAR(m.macro_f1, (0.5 + 0.75 + 0.0) / 3, 1e-12);
  EXPECT_NEAR(m.weighted_f1, (0.5 * 2 + 0.75 * 3 + 0.0 * 2) / 7, 1e-12);
}

TEST(Metrics, LabelAbsentFromTruthAndPredictionsIsLeftOutOfMacroF1) {
  const std::vector<std::string> labels = {"x", "y", "w"};
  Metrics m = compute_metrics(labels, {0, 1, 1}, {0.9f, 0.1f, 0, 0.2f, 0.8f, 0, 0.6f, 0.4f, 0}, 0.0);
  // x: p 1/2, r 1 -> 2/3; y: p 1, r 1/2 -> 2/3; w: nothing, excluded.
  EXPECT_NEAR(m.macro_f1, 2.0 / 3, 1e-12);
  EXPECT_EQ(m.per_class[2].support, 0);
  EXPECT_DOUBLE_EQ(m.per_class[2].f1, 0.0);
}

TEST(Metrics, NoWindowsGivesZeros) {
  Metrics m = compute_metrics(kAB, {}, {}, 0.5);
  EXPECT_EQ(m.total, 0);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(m.macro_f1, 0.0);
  EXPECT_DOUBLE_EQ(m.weighted_f1, 0.0);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{0, 0}, {0, 0}}));
}

TEST(Metrics, BadInputThrows) {
  EXPECT_THROW(compute_metrics({}, {}, {}, 0.5), Error);
  EXPECT_THROW(compute_metrics(kAB, {0, 1}, {0.5f, 0.5f, 0.5f}, 0.5), Error);  // 3 scores for 2 x 2
  EXPECT_THROW(compute_metrics(kAB, {2}, {0.5f, 0.5f}, 0.5), Error);
  EXPECT_THROW(compute_metrics(kAB, {-1}, {0.5f, 0.5f}, 0.5), Error);
  EXPECT_THROW(compute_metrics(kAB, {0}, {NAN, 0.5f}, 0.5), Error);
  EXPECT_THROW(compute_metrics(kAB, {0}, {0.5f, INFINITY}, 0.5), Error);
  EXPECT_THROW(compute_metrics(kAB, {0}, {0.5f, 0.5f}, NAN), Error);
  try {
    compute_metrics(kAB, {0, 5}, {0.5f, 0.5f, 0.5f, 0.5f}, 0.5);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("window 1"), std::string::npos) << e.what();
  }
}

TEST(MetricsJson, RoundTripKeepsEveryField) {
  Metrics m = compute_metrics(kAB, kTruthAB, kScoresAB, 0.75);
  nlohmann::json j = metrics_to_json(m);
  EXPECT_EQ(j["accuracy"].get<double>(), 0.5);
  EXPECT_EQ(j["uncertain"].get<int>(), 2);
  EXPECT_EQ(j["confusion"][0][1].get<int>(), 1);
  EXPECT_EQ(j["per_class"][1]["label"], "b");
  Metrics back = metrics_from_json(nlohmann::json::parse(j.dump(2)));
  EXPECT_EQ(back.labels, m.labels);
  EXPECT_EQ(back.confusion, m.confusion);
  EXPECT_EQ(back.uncertain, m.uncertain);
  EXPECT_EQ(back.total, m.total);
  EXPECT_EQ(back.correct, m.correct);
  EXPECT_EQ(back.uncertain_total, m.uncertain_total);
  EXPECT_DOUBLE_EQ(back.accuracy, m.accuracy);
  EXPECT_DOUBLE_EQ(back.threshold, m.threshold);
  EXPECT_DOUBLE_EQ(back.macro_f1, m.macro_f1);
  EXPECT_DOUBLE_EQ(back.weighted_f1, m.weighted_f1);
  ASSERT_EQ(back.per_class.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back.per_class[i].label, m.per_class[i].label);
    EXPECT_DOUBLE_EQ(back.per_class[i].precision, m.per_class[i].precision);
    EXPECT_DOUBLE_EQ(back.per_class[i].recall, m.per_class[i].recall);
    EXPECT_DOUBLE_EQ(back.per_class[i].f1, m.per_class[i].f1);
    EXPECT_EQ(back.per_class[i].support, m.per_class[i].support);
  }
}

TEST(MetricsJson, BrokenFilesGiveClearErrors) {
  nlohmann::json good = metrics_to_json(compute_metrics(kAB, kTruthAB, kScoresAB, 0.75));
  auto message = [](const nlohmann::json& j) {
    try {
      metrics_from_json(j);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  nlohmann::json missing = good;
  missing.erase("macro_f1");
  EXPECT_NE(message(missing).find("'macro_f1'"), std::string::npos) << message(missing);
  nlohmann::json wrong_type = good;
  wrong_type["total"] = "eight";
  EXPECT_NE(message(wrong_type).find("metrics.json"), std::string::npos) << message(wrong_type);
  nlohmann::json ragged = good;
  ragged["confusion"][1] = {1};
  EXPECT_NE(message(ragged).find("do not match"), std::string::npos) << message(ragged);
  EXPECT_NE(message(nlohmann::json::array()).find("missing field"), std::string::npos);
  nlohmann::json bad_class = good;
  bad_class["per_class"][0].erase("recall");
  EXPECT_NE(message(bad_class).find("'recall'"), std::string::npos);
}
