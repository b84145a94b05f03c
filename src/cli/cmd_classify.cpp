// kiln classify FILE: slide the impulse's window over a recording of any length and print, per window, the
// time, the top label and every label's score.
//
// The scores come from the exported .tflite model run through sdk/nn, the device's runtime, on features from
// sdk/dsp quantised with the SDK's nn::quantize_s8: exactly what `kiln deploy`'s library computes on the
// device, so the int8 scores ("scores_q" in --json) match the device's bit for bit. --model int8 (default)
// runs out/model-int8.tflite, --model float32 out/model-f32.tflite; an imported model (out/imported.json, no
// model.kmodel trained since) runs that file, as `kiln test` does.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "cli/commands.h"
#include "cli/project_model.h"
#include "cli/session.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "data/sample_reader.h"
#include "impulse/features.h"
#include "nn/quantize.h"
#include "project/project.h"
#include "quantize/nn_runner.h"
#include "quantize/quantizer.h"
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
    FeatureTable t = signal_features(data.values, imp, file);
    if (runner.input_elements() != t.row_size() || runner.output_elements() != model.labels.size()) {
      throw Error(tflite.path.string() +
                  ": the model does not fit the features kiln.toml now gives or its labels (retrain with "
                  "`kiln train`)");
    }
    const nn::TensorInfo& in_info = runner.input_info();
    const nn::TensorInfo& out_info = runner.output_info();
    const bool int8_in = in_info.type == nn::kTypeInt8;
    const bool int8_out = out_info.type == nn::kTypeInt8;
    const std::size_t classes = model.labels.size();

    // Per window: the input tensor (features quantised by the SDK for an int8 model), the raw output, the
    // dequantised scores.
    std::vector<std::int8_t> input_q(int8_in ? t.row_size() : 0);
    std::vector<float> output_f(classes);
    std::vector<std::int8_t> output_q(classes);
    std::vector<float> scores(t.windows.size() * classes);
    std::vector<std::int8_t> scores_q(int8_out ? t.windows.size() * classes : 0);
    for (std::size_t w = 0; w < t.windows.size(); ++w) {
      const float* row = t.row(w);
      const void* input = row;
      if (int8_in) {
        for (std::size_t i = 0; i < input_q.size(); ++i)
          input_q[i] = nn::quantize_s8(row[i], in_info.scale, in_info.zero_point);
        input = input_q.data();
      }
      float* sc = scores.data() + w * classes;
      if (int8_out) {
        runner.invoke_raw(input, output_q.data());
        std::copy(output_q.begin(), output_q.end(),
                  scores_q.begin() + static_cast<std::ptrdiff_t>(w * classes));
        for (std::size_t c = 0; c < classes; ++c)
          sc[c] = static_cast<float>(output_q[c] - out_info.zero_point) * out_info.scale;
      } else {
        runner.invoke_raw(input, sc);
      }
    }

    nlohmann::json windows = nlohmann::json::array();
    if (!ctx.json) {
      std::printf("%8s  %-14s", "time", "top");
      for (const auto& l : model.labels) std::printf("  %10s", l.substr(0, 10).c_str());
      std::printf("\n");
    }
    for (std::size_t i = 0; i < t.windows.size(); ++i) {
      const float* sc = scores.data() + i * classes;
      std::size_t top = std::max_element(sc, sc + classes) - sc;
      bool uncertain = sc[top] < imp.test.uncertain_threshold;
      std::string top_label = uncertain ? "uncertain" : model.labels[top];
      if (ctx.json) {
        nlohmann::json s, q;
        for (std::size_t c = 0; c < classes; ++c) s[model.labels[c]] = sc[c];
        nlohmann::json win = {{"start_s", t.windows[i].start_s}, {"top", top_label}, {"scores", s}};
        if (int8_out) {
          for (std::size_t c = 0; c < classes; ++c)
            q[model.labels[c]] = static_cast<int>(scores_q[i * classes + c]);
          win["scores_q"] = q;
        }
        windows.push_back(win);
      } else {
        std::printf("%7.2fs  %-14s", t.windows[i].start_s, top_label.c_str());
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
                          {"padded", !t.windows.empty() && t.windows[0].padded},
                          {"windows", windows}};
      if (int8_out)
        j["output_quantization"] = {{"scale", out_info.scale}, {"zero_point", out_info.zero_point}};
      std::printf("%s\n", json_text(j, 2).c_str());
    } else if (!t.windows.empty() && t.windows[0].padded) {
      std::printf("(the recording is shorter than one window and was zero-padded)\n");
    }
  });
}

}  // namespace kiln::cli
