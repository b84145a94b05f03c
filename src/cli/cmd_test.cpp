// kiln test: classify every window of the test split with the trained model; accuracy, per-class
// precision/recall/F1, a confusion matrix, out/metrics.json and a self-contained HTML report.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "cli/commands.h"
#include "cli/project_model.h"
#include "cli/session.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "evaluate/metrics.h"
#include "tflite/nn_runner.h"
#include "quantize/quantizer.h"
#include "report/html_report.h"
#include "train/classifier.h"

namespace kiln::cli {
namespace {

constexpr int kExamplesPerLabel = 3;
constexpr size_t kMaxMisclassified = 40;

std::vector<ReportInput::DatasetRow> dataset_rows(const WriteSession& s, const FeatureTable& train,
                                                  const FeatureTable& test) {
  std::map<std::pair<std::string, std::string>, ReportInput::DatasetRow> rows;
  for (const auto& r : s.dataset.list()) {
    auto& row = rows[{r.label, r.category}];
    row.label = r.label;
    row.category = r.category;
    row.samples++;
    row.seconds += static_cast<double>(r.length) / r.frequency;
  }
  for (const FeatureTable* t : {&train, &test}) {
    for (const auto& w : t->windows) rows[{w.label, w.category}].windows++;
  }
  std::vector<ReportInput::DatasetRow> out;
  for (auto& [key, row] : rows) out.push_back(row);
  return out;
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

// What every report holds: the impulse, the dataset, example spectrograms per label.
ReportInput report_base(const WriteSession& s, const FeatureTable& train, const FeatureTable& test) {
  ReportInput in;
  in.project_name = s.impulse.name;
  in.generated_at = now_utc();
  const InputSettings& input = s.impulse.input;
  in.impulse_summary = {
      {"Input", input.is_image()
                    ? "image, " + std::to_string(input.width) + " x " + std::to_string(input.height) +
                          " pixels (resize: " + input.resize_mode + ")"
                    : input.type + ", " + std::to_string(static_cast<int>(input.frequency)) + " Hz"},
      {"Window", input.is_image() ? std::string("one image")
                                  : std::to_string(input.window_size_ms) + " ms, increase " +
                                        std::to_string(input.window_increase_ms) + " ms" +
                                        (input.zero_pad ? ", zero-padded" : "")},
      {"Processing block", s.impulse.dsp.block + " (" + s.impulse.dsp.version + ")"},
      {"Features per window", shape_text(test.shape)},
  };
  for (const auto& [k, v] : s.impulse.dsp.params) in.impulse_summary["dsp." + k] = v;
  in.dataset = dataset_rows(s, train, test);
  std::map<std::string, int> shown;
  for (std::size_t i = 0; i < train.windows.size(); ++i) {
    const WindowInfo& w = train.windows[i];
    if (shown[w.label]++ >= kExamplesPerLabel) continue;
    in.examples.push_back({w.label, w.sample_name + " @ " + std::to_string(w.start_s).substr(0, 4) + " s",
                           train.shape[0], static_cast<int>(train.row_size()) / train.shape[0],
                           std::vector<float>(train.row(i), train.row(i) + train.row_size())});
  }
  return in;
}

// The first kMaxMisclassified test windows whose top score is not their label.
void add_misclassified(ReportInput& in, const FeatureTable& test, const std::vector<int>& truth,
                       const std::vector<float>& scores, const std::vector<std::string>& labels) {
  const std::size_t classes = labels.size();
  for (std::size_t i = 0; i < test.windows.size() && in.misclassified.size() < kMaxMisclassified; ++i) {
    const float* sc = scores.data() + i * classes;
    std::size_t top = std::max_element(sc, sc + classes) - sc;
    if (static_cast<int>(top) == truth[i]) continue;
    in.misclassified.push_back({test.windows[i].sample_name, test.windows[i].start_s, test.windows[i].label,
                                labels[top], std::vector<float>(sc, sc + classes), test.shape[0],
                                static_cast<int>(test.row_size()) / test.shape[0],
                                std::vector<float>(test.row(i), test.row(i) + test.row_size())});
  }
}

// An imported model (`kiln import`, out/imported.json): just that .tflite file, labels from imported.json;
// the report and metrics hold one model.
nlohmann::json run_test_imported(WriteSession& s, const Context& ctx, const ProjectModel& pm) {
  const std::filesystem::path record_path = s.paths.out() / "imported.json";
  const nlohmann::json& record = pm.imported;
  const std::vector<std::string>& labels = pm.labels;
  if (record.value("raw_output", false) || labels.empty()) {
    throw Error(record_path.string() +
                ": the imported model has raw outputs, not one score per label; kiln test needs labels "
                "(import it again with --labels)");
  }
  const TfliteFile model_file = model_tflite(s.paths, pm, "");
  const std::filesystem::path& file = model_file.path;
  FeatureTable test = split_features(s, "test", ctx);
  if (test.windows.empty()) {
    throw Error(s.paths.data().string() +
                ": no test windows (add samples with `kiln add --category test`, or `--category split`)");
  }
  std::vector<int> truth;
  for (const auto& w : test.windows) {
    auto it = std::find(labels.begin(), labels.end(), w.label);
    if (it == labels.end()) {
      throw Error(record_path.string() + ": test label '" + w.label +
                  "' is not among the imported model's labels");
    }
    truth.push_back(static_cast<int>(it - labels.begin()));
  }
  const std::vector<std::uint8_t>& bytes = model_file.bytes;
  NnRunner runner(bytes, file.string());
  if (runner.input_elements() != test.row_size() || runner.output_elements() != labels.size()) {
    throw Error(file.string() +
                ": does not fit the impulse's features or the labels (run `kiln import` again)");
  }
  const std::size_t n = test.windows.size();
  const std::vector<float> scores = runner.predict(test.values.data(), n);
  const std::string title = record.value("input_type", "imported");
  Metrics m = compute_metrics(labels, truth, scores, s.impulse.test.uncertain_threshold);
  nlohmann::json metrics = metrics_to_json(m);
  metrics["model"] = {
      {"file", file.filename().string()},     {"imported", true},    {"source", record.value("source", "")},
      {"sha256", record.value("sha256", "")}, {"input_type", title}, {"bytes", bytes.size()},
      {"arena_bytes", runner.arena_bytes()}};
  s.generation->write(s.paths.metrics(), json_text(metrics, 2) + "\n");

  FeatureTable train = split_features(s, "train", ctx);
  ReportInput in = report_base(s, train, test);
  in.impulse_summary["Learning block"] =
      "imported " + file.filename().string() + " (from " + record.value("source", "") + ")";
  in.impulse_summary["Model"] =
      std::to_string(bytes.size()) + " bytes, arena " + std::to_string(runner.arena_bytes()) + " bytes";
  in.metrics = m;
  in.metrics_title = title + " (imported)";
  add_misclassified(in, test, truth, scores, labels);
  s.generation->write(s.paths.report(), render_html_report(in));
  s.generation->publish();

  if (!ctx.json) {
    const bool color = ::isatty(STDOUT_FILENO) != 0;
    std::printf("\n%s, imported (sdk/nn)\n%s\n", title.c_str(), confusion_table(m, color).c_str());
    std::printf("Accuracy %s %.2f%% on %d test windows (uncertain below %.2f: %d)\n", title.c_str(),
                100 * m.accuracy, m.total, m.threshold, m.uncertain_total);
    std::printf("Metrics: %s\nReport:  %s\n", s.paths.metrics().string().c_str(),
                s.paths.report().string().c_str());
  }
  metrics["report"] = s.paths.report().string();
  return metrics;
}

}  // namespace

nlohmann::json run_test(const Context& ctx) {
  WriteSession s = open_write_session(ctx, "test");
  // Before any work: a model that no longer fits the project is refused, and nothing is computed.
  const ProjectModel pm = load_project_model(s.paths, s.impulse, s.dataset);
  if (!pm.imported.is_null()) return run_test_imported(s, ctx, pm);
  const ClassifierModel& model = *pm.trained;
  const TfliteFile f32_file = model_tflite(s.paths, pm, "float32");
  const TfliteFile i8_file = model_tflite(s.paths, pm, "int8");
  FeatureTable test = split_features(s, "test", ctx);
  if (test.windows.empty()) {
    throw Error(s.paths.data().string() +
                ": no test windows (add samples with `kiln add --category test`, or " +
                "`--category split`)");
  }
  std::vector<int> truth;
  for (const auto& w : test.windows) {
    auto it = std::find(model.labels.begin(), model.labels.end(), w.label);
    truth.push_back(
        static_cast<int>(it - model.labels.begin()));  // the fingerprint check ensures it is there
  }
  // Both models run on sdk/nn, the kernels the device runs.
  NnRunner f32(f32_file.bytes, f32_file.path.string());
  NnRunner i8(i8_file.bytes, i8_file.path.string());
  for (const NnRunner* r : {&f32, &i8}) {
    if (r->input_elements() != test.row_size() || r->output_elements() != model.labels.size()) {
      throw Error(s.paths.out().string() + ": the .tflite models do not fit " + s.paths.model().string() +
                  " (run `kiln quantize`)");
    }
  }
  const std::size_t n = test.windows.size();
  std::vector<float> scores = f32.predict(test.values.data(), n);
  std::vector<float> scores_int8 = i8.predict(test.values.data(), n);
  // How far the float32 file is from libtorch was measured when it was written (kiln train), so this command
  // needs no libtorch; its SHA-256 (checked above) says it is still that file.
  const nlohmann::json float32_check = model.metadata.value("float32_check", nlohmann::json::object());
  Metrics m = compute_metrics(model.labels, truth, scores, s.impulse.test.uncertain_threshold);
  Metrics m8 = compute_metrics(model.labels, truth, scores_int8, s.impulse.test.uncertain_threshold);

  nlohmann::json metrics = metrics_to_json(m);
  metrics["model"] = {{"dataset_hash", model.metadata.value("dataset_hash", "")},
                      {"best_epoch", model.metadata.value("best_epoch", 0)},
                      {"float32_file", f32_file.path.filename().string()},
                      {"float32_max_difference_from_libtorch",
                       float32_check.value("max_difference_from_libtorch", nlohmann::json())},
                      {"float32_checked_on_training_windows", float32_check.value("windows", 0)}};
  metrics["int8"] = metrics_to_json(m8);
  metrics["int8"]["model"] = {{"file", i8_file.path.filename().string()},
                              {"bytes", i8_file.bytes.size()},
                              {"arena_bytes", i8.arena_bytes()}};
  s.generation->write(s.paths.metrics(), json_text(metrics, 2) + "\n");

  // The report: dataset summary, examples, training curves, confusion matrix, misclassified windows.
  FeatureTable train = split_features(s, "train", ctx);
  ReportInput in = report_base(s, train, test);
  in.impulse_summary["Learning block"] =
      s.impulse.learn.block + ", " + std::to_string(model.layers.size()) + " layers";
  if (std::filesystem::exists(s.paths.history())) {
    try {
      for (const auto& e : nlohmann::json::parse(read_file(s.paths.history()))) {
        in.history.push_back({e.at("epoch").get<int>(), e.at("loss").get<double>(),
                              e.at("accuracy").get<double>(),
                              e["val_loss"].is_number() ? e["val_loss"].get<double>() : NAN,
                              e["val_accuracy"].is_number() ? e["val_accuracy"].get<double>() : NAN});
      }
    } catch (const nlohmann::json::exception&) {
      throw Error(s.paths.history().string() + ": unreadable training history (run `kiln train` again)");
    }
  }
  in.impulse_summary["int8 model"] =
      std::to_string(i8_file.bytes.size()) + " bytes, arena " + std::to_string(i8.arena_bytes()) + " bytes";
  in.metrics = m;
  in.metrics_title = "float32";
  in.compared = {{"int8", m8}};
  add_misclassified(in, test, truth, scores, model.labels);
  s.generation->write(s.paths.report(), render_html_report(in));
  s.generation->publish();

  if (!ctx.json) {
    const bool color = ::isatty(STDOUT_FILENO) != 0;
    std::printf("\nfloat32 (sdk/nn)\n%s\n", confusion_table(m, color).c_str());
    std::printf("int8 (sdk/nn)\n%s\n", confusion_table(m8, color).c_str());
    std::printf(
        "Accuracy float32 %.2f%%, int8 %.2f%% on %d test windows (uncertain below %.2f: %d float32, %d "
        "int8)\n",
        100 * m.accuracy, 100 * m8.accuracy, m.total, m.threshold, m.uncertain_total, m8.uncertain_total);
    std::printf("Metrics: %s\nReport:  %s\n", s.paths.metrics().string().c_str(),
                s.paths.report().string().c_str());
  }
  metrics["report"] = s.paths.report().string();
  return metrics;
}

void register_test(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("test", "Classify the test split: accuracy, F1, confusion matrix, HTML report");
  cmd->footer(
      "\nWrites out/metrics.json and out/report.html (self-contained: open it in any browser). Windows whose "
      "top\n"
      "score is below [test].uncertain_threshold are counted as uncertain.");
  cmd->callback([&ctx] {
    nlohmann::json j = run_test(ctx);
    if (ctx.json) std::printf("%s\n", json_text(j, 2).c_str());
  });
}

}  // namespace kiln::cli
