// kiln classify FILE: slide the impulse's window over a recording of any length and print, per window, the
// time, the top label and every label's score.
//
// Every window goes through the SDK's impulse runtime (sdk/impulse/impulse.h) with the exported .tflite on
// sdk/nn: the block straight into the int8 input tensor, the network, the scores — the code `kiln deploy`'s
// library runs on the device, so the int8 scores ("scores_q" in --json) match the device's bit for bit.
// --model int8 (default) runs out/model-int8.tflite, --model float32 out/model-f32.tflite; an imported model
// (out/imported.json, no model.kmodel trained since) runs that file, as `kiln test` does.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>

#include "cli/commands.h"
#include "cli/project_model.h"
#include "cli/session.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "data/sample_reader.h"
#include "impulse/features.h"
#include "impulse/impulse_runner.h"
#include "impulse/windowing.h"
#include "project/project.h"
#include "quantize/quantizer.h"
#include "tflite/nn_runner.h"
#include "train/classifier.h"

namespace kiln::cli {

void register_classify(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("classify", "Classify a recording window by window with the trained model");
  static std::string file;
  static std::string model_kind = "int8";
  cmd->add_option(
         "FILE", file,
         "Recording (WAV/FLAC/OGG, CSV or Edge Impulse JSON) of any length, or an image (image projects)")
      ->required();
  cmd->add_option("--model", model_kind,
                  "int8 (out/model-int8.tflite, what the device runs) or float32 (out/model-f32.tflite)")
      ->check(CLI::IsMember({"int8", "float32"}))
      ->default_str("int8");
  cmd->footer(
      "\nWindows follow [input] in kiln.toml (size and increase). A recording shorter than one window is "
      "zero-padded\n"
      "when zero_pad = true, and refused otherwise. The model runs on sdk/nn with features from sdk/dsp, as "
      "on "
      "the device.");
  cmd->callback([&ctx] {
    const ReadSession session = open_read_session(ctx);
    const Impulse& imp = session.impulse;
    const ProjectModel model = load_project_model(session.paths, imp, session.dataset);
    if (model.labels.empty()) {
      throw Error((session.paths.out() / "imported.json").string() +
                  ": the imported model has raw outputs, not one score per label; kiln classify needs labels "
                  "(import it again with --labels)");
    }
    const TfliteFile tflite = model_tflite(session.paths, model, model_kind);
    NnRunner runner(tflite.bytes, tflite.path.string());
    SampleData data = read_sample_file(file, imp.input);
    if (runner.output_elements() != model.labels.size()) {
      throw Error(tflite.path.string() + ": the model has " + std::to_string(runner.output_elements()) +
                  " outputs for " + std::to_string(model.labels.size()) +
                  " labels (retrain with `kiln train`)");
    }
    const nn::TensorInfo& out_info = runner.output_info();
    const bool int8_out = out_info.type == nn::kTypeInt8;
    const std::size_t classes = model.labels.size();

    std::optional<ImpulseRunner> impulse;  // prepared for the window length on the first window
    std::vector<float> scores;
    std::vector<std::int32_t> scores_q;
    const std::vector<WindowInfo> windows_at =
        for_each_signal_window(data.values, imp, file, [&](std::span<const float> window) {
          if (!impulse) {
            const std::size_t samples = window.size() / static_cast<std::size_t>(imp.input.axes);
            const DspShape shape = dsp_output_shape(imp.dsp.block, block_params(imp.input, imp.dsp),
                                                    imp.input.frequency, imp.input.axes, samples);
            if (static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values) !=
                runner.input_elements()) {
              throw Error(tflite.path.string() + ": the model takes " +
                          std::to_string(runner.input_elements()) +
                          " input values, but kiln.toml now gives " + std::to_string(shape.frames) + " x " +
                          std::to_string(shape.values) + " features (retrain with `kiln train`)");
            }
            impulse.emplace(imp.dsp.block, imp.dsp.version, block_params(imp.input, imp.dsp),
                            imp.input.frequency, imp.input.axes, samples, &runner.network());
          }
          const std::size_t at = scores.size();
          scores.resize(at + classes);
          scores_q.resize(at + classes);
          impulse::Scores s = {scores.data() + at, scores_q.data() + at, classes, 0};
          impulse->classify(window, &s);
        });
    nlohmann::json windows = nlohmann::json::array();
    if (!ctx.json) {
      std::printf("%8s  %-14s", "time", "top");
      for (const auto& l : model.labels) std::printf("  %10s", l.substr(0, 10).c_str());
      std::printf("\n");
    }
    for (std::size_t i = 0; i < windows_at.size(); ++i) {
      const float* sc = scores.data() + i * classes;
      std::size_t top = std::max_element(sc, sc + classes) - sc;
      bool uncertain = sc[top] < imp.test.uncertain_threshold;
      std::string top_label = uncertain ? "uncertain" : model.labels[top];
      if (ctx.json) {
        nlohmann::json s, q;
        for (std::size_t c = 0; c < classes; ++c) s[model.labels[c]] = sc[c];
        nlohmann::json win = {{"start_s", windows_at[i].start_s}, {"top", top_label}, {"scores", s}};
        if (int8_out) {
          for (std::size_t c = 0; c < classes; ++c)
            q[model.labels[c]] = static_cast<int>(scores_q[i * classes + c]);
          win["scores_q"] = q;
        }
        windows.push_back(win);
      } else {
        std::printf("%7.2fs  %-14s", windows_at[i].start_s, top_label.c_str());
        for (std::size_t c = 0; c < classes; ++c) std::printf("  %10.4f", sc[c]);
        std::printf("\n");
      }
    }
    if (ctx.json) {
      nlohmann::json j = {{"file", file},
                          {"model", tflite.path.filename().string()},
                          {"window_ms", imp.input.window_size_ms},
                          {"increase_ms", imp.input.window_increase_ms},
                          {"labels", model.labels},
                          {"padded", !windows_at.empty() && windows_at[0].padded},
                          {"windows", windows}};
      if (int8_out)
        j["output_quantization"] = {{"scale", out_info.scale}, {"zero_point", out_info.zero_point}};
      std::printf("%s\n", json_text(j, 2).c_str());
    } else if (!windows_at.empty() && windows_at[0].padded) {
      std::printf("(the recording is shorter than one window and was zero-padded)\n");
    }
  });
}

}  // namespace kiln::cli
