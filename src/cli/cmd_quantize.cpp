// kiln quantize: out/model.kmodel -> out/model-f32.tflite and out/model-int8.tflite, calibrated on the
// training features (`kiln train` does the same right after training).
#include <cstdio>

#include "cli/commands.h"
#include "cli/project_model.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/escape.h"
#include "quantize/quantizer.h"
#include "train/classifier.h"

namespace kiln::cli {

nlohmann::json run_quantize(const Context& ctx, bool per_tensor) {
  WriteSession s = open_write_session(ctx, "quantize");
  if (!std::filesystem::exists(s.paths.model())) {
    throw Error(s.paths.model().string() + ": no trained model (run `kiln train` first)");
  }
  // Calibrating on features the model was not trained for would give a wrong int8 model.
  ClassifierModel model = *load_project_model(s.paths, s.impulse, s.dataset).trained;
  FeatureTable t = split_features(s, "train", ctx);
  if (t.windows.empty()) {
    throw Error(s.paths.data().string() +
                ": no training windows to calibrate the int8 model on (add samples with `kiln add`)");
  }
  if (model.input_shape != t.shape) {
    throw Error(s.paths.model().string() +
                ": the model was trained on features of another shape than kiln.toml now gives (retrain with "
                "`kiln train`)");
  }
  FeatureSet fs;
  fs.shape = t.shape;
  fs.x = std::move(t.values);
  fs.y.assign(t.windows.size(), 0);
  QuantizeOptions options;
  options.per_channel = !per_tensor;
  TfliteModels models = export_tflite(model, fs, options);
  // The model records which .tflite files belong to it: it is rewritten with them, as one generation.
  // The float32 file is exported again from the same weights, so it is the file `kiln train` checked against
  // libtorch; should it ever differ, that check no longer speaks for it.
  const std::string checked =
      model.metadata.value("tflite_sha256", nlohmann::json::object()).value("float32", "");
  record_tflite_hashes(model, models.float32, models.int8);
  if (model.metadata["tflite_sha256"].value("float32", "") != checked) model.metadata.erase("float32_check");
  save_model(s.generation->stage(s.paths.model()), model);
  write_tflite(*s.generation, s.paths.out(), models);
  s.generation->publish();
  nlohmann::json summary = {{"float32", float_tflite_path(s.paths.out()).string()},
                            {"int8", int8_tflite_path(s.paths.out()).string()},
                            {"float32_bytes", models.float32.size()},
                            {"int8_bytes", models.int8.size()},
                            {"calibration_windows", models.calibration_windows},
                            {"weights", per_tensor ? "per-tensor" : "per-channel"}};
  if (!ctx.json) {
    std::printf("Quantized on %zu training windows (%s weights): %s (%zu bytes), %s (%zu bytes)\n",
                models.calibration_windows, per_tensor ? "per-tensor" : "per-channel",
                int8_tflite_path(s.paths.out()).string().c_str(), models.int8.size(),
                float_tflite_path(s.paths.out()).string().c_str(), models.float32.size());
  }
  return summary;
}

void register_quantize(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("quantize", "Write the int8 and float32 .tflite models from out/model.kmodel");
  static bool per_tensor = false;
  cmd->add_flag("--per-tensor", per_tensor,
                "One weight scale per tensor instead of per output channel (Keras's "
                "disable_per_channel_quantization)");
  cmd->footer(
      "\nPost-training quantization (TFLite int8 scheme): int8 input and output, activation ranges "
      "calibrated "
      "by\nrunning the float model through sdk/nn over the training features (at most 10000 windows, evenly "
      "spaced).\n`kiln train` writes both files too; run this after changing kiln.toml's features or to "
      "switch --per-tensor.");
  cmd->callback([&ctx] {
    nlohmann::json j = run_quantize(ctx, per_tensor);
    if (ctx.json) std::printf("%s\n", json_text(j, 2).c_str());
  });
}

}  // namespace kiln::cli
