// kiln train: features of the training split -> the learning block, trained with libtorch. Keeps the epoch
// with the best validation loss and saves out/model.kmodel plus out/training-history.json.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/project_model.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/escape.h"
#include "data/label_balance.h"
#include "project/fingerprint.h"
#include "project/impulse_toml.h"
#include "tflite/nn_runner.h"
#include "quantize/quantizer.h"
#include "train/classifier.h"

namespace kiln::cli {

namespace {

// The float32 .tflite must compute what libtorch computes. Checked once here, where libtorch is loaded, on up
// to 1000 evenly spaced training windows; `kiln test` reports the recorded figure without loading libtorch
// (the .tflite's SHA-256, recorded with the model, says the file is still the one checked).
nlohmann::json float32_check(const ClassifierModel& model, const std::vector<std::uint8_t>& float32,
                             const FeatureSet& fs) {
  const std::size_t row = fs.x.size() / fs.count(), n = std::min<std::size_t>(fs.count(), 1000);
  std::vector<float> x;
  x.reserve(n * row);
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = fs.x.data() + (i * fs.count() / n) * row;
    x.insert(x.end(), r, r + row);
  }
  const std::vector<float> tflite = NnRunner(float32, "model-f32.tflite").predict(x.data(), n);
  const std::vector<float> torch = predict(model, x.data(), n);
  double max_difference = 0;
  for (std::size_t i = 0; i < tflite.size(); ++i)
    max_difference = std::max(max_difference, std::fabs(static_cast<double>(tflite[i]) - torch[i]));
  if (max_difference > 1e-3) {
    throw Error("model-f32.tflite: its scores differ from libtorch's by up to " +
                std::to_string(max_difference) + " (a bug in Kiln's .tflite export: please report it)");
  }
  return {{"windows", n}, {"max_difference_from_libtorch", max_difference}};
}

// Windows per label of the training set, for the imbalance warning.
std::map<std::string, double> windows_per_label(const FeatureTable& t,
                                                const std::vector<std::string>& labels) {
  std::map<std::string, double> n;
  for (const auto& l : labels) n[l] = 0;
  for (const auto& w : t.windows) n[w.label] += 1;
  return n;
}

}  // namespace

nlohmann::json run_train(const Context& ctx) {
  WriteSession s = open_write_session(ctx, "train");
  // Labels: every label in the dataset, sorted, so test-only labels still get an output (and show up as
  // errors).
  std::vector<std::string> labels = s.dataset.labels();
  if (labels.size() < 2) {
    throw Error(s.paths.data().string() + ": a classifier needs samples of at least 2 labels (found " +
                std::to_string(labels.size()) + "; add samples with `kiln add --label L`)");
  }
  // The layer stack is checked before any work, so a mistake in kiln.toml costs nothing and changes nothing.
  std::vector<LayerSpec> layers = s.impulse.learn.layers;
  const std::vector<int> feature_shape = window_feature_shape(s.impulse);
  if (layers.empty()) layers = default_network(feature_shape);
  try {
    check_layers(layers, feature_shape, static_cast<int>(labels.size()));
  } catch (const Error& e) {
    throw Error(s.paths.toml().string() + ": [learn] " + e.what());
  }

  FeatureTable t = split_features(s, "train", ctx);
  if (t.windows.empty()) {
    throw Error(s.paths.data().string() + ": no training windows (add samples with `kiln add`)");
  }

  FeatureSet fs;
  fs.shape = t.shape;
  fs.x = t.values;
  for (const auto& w : t.windows) {
    fs.y.push_back(static_cast<int>(std::find(labels.begin(), labels.end(), w.label) - labels.begin()));
    fs.group.push_back(w.sample_id);
  }

  if (s.impulse.train.class_weights != "balanced") {
    if (const auto warning = imbalance_warning(windows_per_label(t, labels))) {
      std::fprintf(stderr, "kiln: warning: training windows: %s\n", warning->c_str());
    }
  }
  if (!ctx.json) {
    std::printf("Training on %zu windows (%zu labels: ", t.windows.size(), labels.size());
    for (size_t i = 0; i < labels.size(); ++i) std::printf("%s%s", i ? ", " : "", labels[i].c_str());
    std::printf("), features %s, %d epochs\n", shape_text(t.shape).c_str(), s.impulse.train.epochs);
  }
  auto start = std::chrono::steady_clock::now();
  nlohmann::json history = nlohmann::json::array();
  ClassifierModel model = train_classifier(fs, labels, layers, s.impulse.train, [&](const EpochStats& e) {
    history.push_back({{"epoch", e.epoch},
                       {"loss", e.loss},
                       {"accuracy", e.accuracy},
                       {"val_loss", e.val_loss},
                       {"val_accuracy", e.val_accuracy}});
    if (!ctx.json && !ctx.quiet) {
      std::printf("epoch %3d/%d  loss %.4f  acc %5.1f%%  val_loss %.4f  val_acc %5.1f%%\n", e.epoch,
                  s.impulse.train.epochs, e.loss, 100 * e.accuracy, e.val_loss, 100 * e.val_accuracy);
      std::fflush(stdout);
    }
  });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // What the model was made from: enough to tell whether it is stale and to reproduce it.
  model.metadata["dataset_hash"] = s.dataset.content_hash();
  model.metadata["impulse_toml"] = impulse_to_toml(s.impulse);
  model.metadata["fingerprint"] = model_fingerprint(s.impulse, labels);
  model.metadata["feature_shape"] = t.shape;
  model.metadata["training_windows"] = t.windows.size();
  model.metadata["training"] = {{"epochs", s.impulse.train.epochs},
                                {"learning_rate", s.impulse.train.learning_rate},
                                {"batch_size", s.impulse.train.batch_size},
                                {"validation_split", s.impulse.train.validation_split},
                                {"seed", s.impulse.train.seed},
                                {"threads", s.impulse.train.threads},
                                {"class_weights", s.impulse.train.class_weights}};
  // Quantization is cheap next to training: both .tflite files are written with the model (calibrated on the
  // same training features), so `kiln test` can compare float32 and int8 on the device kernels.
  TfliteModels tflite = export_tflite(model, fs);
  record_tflite_hashes(model, tflite.float32, tflite.int8);
  model.metadata["float32_check"] = float32_check(model, tflite.float32, fs);
  // One generation: the model, its .tflite files, the history and the features computed on the way appear
  // together or not at all. The project's own model is the learning block again: an imported one is not.
  Generation& gen = *s.generation;
  save_model(gen.stage(s.paths.model()), model);
  gen.write(s.paths.history(), json_text(history, 2) + "\n");
  write_tflite(gen, s.paths.out(), tflite);
  gen.remove(s.paths.out() / "imported.json");
  gen.publish();

  nlohmann::json summary = {{"model", s.paths.model().string()},
                            {"labels", labels},
                            {"windows", t.windows.size()},
                            {"epochs", s.impulse.train.epochs},
                            {"best_epoch", model.metadata.value("best_epoch", 0)},
                            {"seconds", seconds},
                            {"tflite",
                             {{"float32", float_tflite_path(s.paths.out()).string()},
                              {"int8", int8_tflite_path(s.paths.out()).string()},
                              {"int8_bytes", tflite.int8.size()}}},
                            {"history", history}};
  if (!ctx.json) {
    std::printf("Best epoch %d (lowest validation loss). Trained in %.1f s. Saved %s\n",
                model.metadata.value("best_epoch", 0), seconds, s.paths.model().string().c_str());
    std::printf("Quantized (int8, per-channel, calibrated on %zu windows): %s (%zu bytes), %s\n",
                tflite.calibration_windows, int8_tflite_path(s.paths.out()).string().c_str(),
                tflite.int8.size(), float_tflite_path(s.paths.out()).string().c_str());
  }
  return summary;
}

void register_train(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("train", "Train the learning block on the training split");
  cmd->footer(
      "\nSettings come from [learn] and [train] in kiln.toml. Training is deterministic: the same data, "
      "kiln.toml\n"
      "and seed give a bit-identical model. Prints loss and accuracy (train and validation) per epoch.");
  cmd->callback([&ctx] {
    nlohmann::json j = run_train(ctx);
    if (ctx.json) std::printf("%s\n", json_text(j, 2).c_str());
  });
}

}  // namespace kiln::cli
