// The test report: one self-contained HTML file (inline CSS, images as data: URIs, charts as inline SVG, no
// scripts, nothing fetched from the network) that a person can open, read, mail or archive.
// Sections: impulse summary, dataset, example spectrograms per label, training curves, test results
// (confusion matrix and per-class metrics for each model tested), misclassified windows.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluate/metrics.h"

namespace kiln {

// Test metrics of one model under a title, e.g. {"int8", m}.
struct TitledMetrics {
  std::string title;
  Metrics metrics;
};

struct ReportInput {
  std::string project_name;
  // Free-form key/values shown as the impulse summary: strings and numbers as text, an array as a list (e.g.
  // the network's layers), an object as a nested table.
  nlohmann::json impulse_summary;

  struct DatasetRow {
    std::string label, category;  // category: "train", "test" (others are shown too)
    int samples = 0;
    int windows = 0;
    double seconds = 0;
  };
  std::vector<DatasetRow> dataset;

  // Feature matrices [frames][bins] with values in [0,1], drawn as spectrograms (at most 8 per label are
  // shown).
  struct Example {
    std::string label;
    std::string caption;
    int frames = 0, bins = 0;
    std::vector<float> features;
  };
  std::vector<Example> examples;

  struct Epoch {
    int epoch = 0;
    double loss = NAN, accuracy = NAN;
    double val_loss = NAN, val_accuracy = NAN;  // NaN when there was no validation set
  };
  std::vector<Epoch> history;

  Metrics metrics;                        // the model under test
  std::string metrics_title = "float32";  // its name in the results section
  std::vector<TitledMetrics> compared;    // more models on the same test windows (e.g. int8), shown beside it

  // Windows whose top-scoring label is not the true one; scores are in metrics.labels order. At most 50 are
  // shown.
  struct Misclassified {
    std::string sample;
    double start_s = 0;
    std::string truth, predicted;
    std::vector<float> scores;
    int frames = 0, bins = 0;
    std::vector<float> features;
  };
  std::vector<Misclassified> misclassified;
  int misclassified_total =
      0;  // how many there were in all, when `misclassified` was capped (0 = all listed)

  std::string generated_at;  // shown as is; passed in so the same input gives the same bytes
};

// Throws kiln::Error when an example or misclassified window has a feature count other than frames * bins.
std::string render_html_report(const ReportInput& in);

}  // namespace kiln
