// Test metrics of a classifier: confusion matrix, accuracy, per-class precision/recall/F1, with an
// "uncertain" outcome for windows whose top score is below a threshold.
//
// How uncertain windows count (the same as Edge Impulse):
//  - A window is uncertain when its top score is strictly below the threshold (top == threshold is
//  confident).
//    Ties for the top score go to the first label.
//  - Uncertain windows are not correct: accuracy = correct / total over ALL windows.
//  - They are an extra "uncertain" prediction that belongs to no class: they lower the recall of their true
//  class
//    (recall = true positives / support, support counting every window of the class) and do not enter any
//    class's precision (precision = true positives / confident predictions of that class).
//  - A zero division gives 0. macro_f1 averages the classes that occur in the truth or in the confident
//    predictions (a label absent from both says nothing about the model); weighted_f1 weights by support.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"  // thrown for bad input; callers catch it

namespace kiln {

struct ClassMetrics {
  std::string label;
  double precision = 0, recall = 0, f1 = 0;
  int support = 0;  // test windows whose true label is this one
};

struct Metrics {
  std::vector<std::string> labels;
  std::vector<std::vector<int>> confusion;  // [true][predicted], confident windows only
  std::vector<int> uncertain;               // [true]: windows whose top score < threshold
  int total = 0;                            // windows tested
  int correct = 0;                          // confident and right
  int uncertain_total = 0;
  double accuracy = 0;  // correct / total (uncertain windows count as wrong)
  double threshold = 0;
  std::vector<ClassMetrics> per_class;  // in label order
  double macro_f1 = 0, weighted_f1 = 0;
};

// `truth[i]` indexes `labels`; `scores` holds truth.size() rows of labels.size() scores (softmax outputs).
// Throws kiln::Error on inconsistent sizes, out-of-range truth, non-finite scores or threshold.
Metrics compute_metrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                        const std::vector<float>& scores, double uncertain_threshold);

// The layout of out/metrics.json; metrics_from_json reads it back (throws kiln::Error naming the bad field).
nlohmann::json metrics_to_json(const Metrics& m);
Metrics metrics_from_json(const nlohmann::json& j);

// Terminal table: rows are true labels, columns predicted labels plus "uncertain", each cell "row% (count)",
// then an F1 row. Columns line up for any label length (widths count UTF-8 code points). `color` adds ANSI
// colours (green diagonal, red confusions) without changing the layout.
std::string confusion_table(const Metrics& m, bool color);

}  // namespace kiln
