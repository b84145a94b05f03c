#include "evaluate/metrics.h"

#include <cmath>

#include "core/error.h"

namespace kiln {
namespace {

double ratio(double num, double den) {
  return den > 0 ? num / den : 0.0;
}

}  // namespace

Metrics compute_metrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                        const std::vector<float>& scores, double uncertain_threshold) {
  const std::size_t classes = labels.size();
  if (classes == 0) throw Error("metrics: no labels");
  if (scores.size() != truth.size() * classes) {
    throw Error("metrics: " + std::to_string(scores.size()) + " scores for " + std::to_string(truth.size()) +
                " windows of " + std::to_string(classes) + " classes (expected " +
                std::to_string(truth.size() * classes) + ")");
  }
  if (!std::isfinite(uncertain_threshold)) throw Error("metrics: the uncertain threshold is not a number");

  Metrics m;
  m.labels = labels;
  m.threshold = uncertain_threshold;
  m.confusion.assign(classes, std::vector<int>(classes, 0));
  m.uncertain.assign(classes, 0);
  m.total = static_cast<int>(truth.size());

  for (std::size_t i = 0; i < truth.size(); ++i) {
    const int t = truth[i];
    if (t < 0 || static_cast<std::size_t>(t) >= classes) {
      throw Error("metrics: window " + std::to_string(i) + " has true class " + std::to_string(t) +
                  ", outside 0.." + std::to_string(classes - 1));
    }
    const float* row = scores.data() + i * classes;
    std::size_t top = 0;
    for (std::size_t c = 0; c < classes; ++c) {
      if (!std::isfinite(row[c])) {
        throw Error("metrics: window " + std::to_string(i) + " has a non-finite score (the model diverged?)");
      }
      if (row[c] > row[top]) top = c;  // strict: ties go to the first label
    }
    if (static_cast<double>(row[top]) < uncertain_threshold) {
      m.uncertain[t]++;
      m.uncertain_total++;
      continue;
    }
    m.confusion[t][top]++;
    if (static_cast<int>(top) == t) m.correct++;
  }
  m.accuracy = ratio(m.correct, m.total);

  int averaged = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    ClassMetrics cm;
    cm.label = labels[c];
    int predicted = 0;
    for (std::size_t t = 0; t < classes; ++t) predicted += m.confusion[t][c];
    for (std::size_t p = 0; p < classes; ++p) cm.support += m.confusion[c][p];
    cm.support += m.uncertain[c];
    const int tp = m.confusion[c][c];
    cm.precision = ratio(tp, predicted);
    cm.recall = ratio(tp, cm.support);
    cm.f1 = ratio(2 * cm.precision * cm.recall, cm.precision + cm.recall);
    if (cm.support > 0 || predicted > 0) {
      m.macro_f1 += cm.f1;
      averaged++;
    }
    m.weighted_f1 += cm.f1 * cm.support;
    m.per_class.push_back(cm);
  }
  m.macro_f1 = ratio(m.macro_f1, averaged);
  m.weighted_f1 = ratio(m.weighted_f1, m.total);
  return m;
}

nlohmann::json metrics_to_json(const Metrics& m) {
  nlohmann::json per_class = nlohmann::json::array();
  for (const auto& c : m.per_class) {
    per_class.push_back({{"label", c.label},
                         {"precision", c.precision},
                         {"recall", c.recall},
                         {"f1", c.f1},
                         {"support", c.support}});
  }
  return {
      {"labels", m.labels},
      {"total", m.total},
      {"correct", m.correct},
      {"uncertain", m.uncertain_total},
      {"uncertain_threshold", m.threshold},
      {"accuracy", m.accuracy},
      {"accuracy_note", "uncertain windows count as not correct"},
      {"confusion", m.confusion},
      {"confusion_layout", "rows: true label, columns: predicted label (confident windows only)"},
      {"uncertain_per_class", m.uncertain},
      {"per_class", per_class},
      {"macro_f1", m.macro_f1},
      {"weighted_f1", m.weighted_f1},
  };
}

Metrics metrics_from_json(const nlohmann::json& j) {
  // Every field is checked, so a hand-edited or truncated metrics.json gives one clear message.
  auto field = [&](const nlohmann::json& obj, const char* key) -> const nlohmann::json& {
    if (!obj.is_object() || !obj.contains(key))
      throw Error(std::string("metrics.json: missing field '") + key + "'");
    return obj.at(key);
  };
  try {
    Metrics m;
    m.labels = field(j, "labels").get<std::vector<std::string>>();
    m.total = field(j, "total").get<int>();
    m.correct = field(j, "correct").get<int>();
    m.uncertain_total = field(j, "uncertain").get<int>();
    m.threshold = field(j, "uncertain_threshold").get<double>();
    m.accuracy = field(j, "accuracy").get<double>();
    m.confusion = field(j, "confusion").get<std::vector<std::vector<int>>>();
    m.uncertain = field(j, "uncertain_per_class").get<std::vector<int>>();
    for (const auto& c : field(j, "per_class")) {
      m.per_class.push_back({field(c, "label").get<std::string>(), field(c, "precision").get<double>(),
                             field(c, "recall").get<double>(), field(c, "f1").get<double>(),
                             field(c, "support").get<int>()});
    }
    m.macro_f1 = field(j, "macro_f1").get<double>();
    m.weighted_f1 = field(j, "weighted_f1").get<double>();
    const std::size_t n = m.labels.size();
    bool square = m.confusion.size() == n;
    for (const auto& row : m.confusion) square = square && row.size() == n;
    if (!square || m.uncertain.size() != n || m.per_class.size() != n) {
      throw Error("metrics.json: confusion, uncertain_per_class and per_class do not match the " +
                  std::to_string(n) + " labels");
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("metrics.json: a field has the wrong type (") + e.what() + ")");
  }
}

}  // namespace kiln
