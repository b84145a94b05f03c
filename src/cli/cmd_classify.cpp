// kiln classify FILE: slide the impulse's window over a recording of any length and print, per window, the
// time, the top label and every label's score.
#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "core/error.h"
#include "data/sample_reader.h"
#include "impulse/features.h"
#include "project/project.h"
#include "train/classifier.h"

namespace kiln::cli {

void register_classify(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("classify", "Classify a recording window by window with the trained model");
  static std::string file;
  cmd->add_option("FILE", file, "Recording (WAV/FLAC/OGG, CSV or Edge Impulse JSON) of any length")
      ->required();
  cmd->footer(
      "\nWindows follow [input] in kiln.toml (size and increase). A recording shorter than one window is "
      "zero-padded\n"
      "when zero_pad = true, and refused otherwise.");
  cmd->callback([&ctx] {
    ProjectPaths paths{ctx.project_dir};
    Impulse imp = load_impulse(paths.dir);
    if (!std::filesystem::exists(paths.model())) {
      throw Error(paths.model().string() + ": no trained model (run `kiln train` first)");
    }
    ClassifierModel model = load_model(paths.model());
    SampleData data = read_sample_file(file, imp.input);
    FeatureTable t = signal_features(data.values, imp, file);
    if (model.input_shape != t.shape) {
      throw Error(paths.model().string() +
                  ": the model was trained on features of another shape than kiln.toml " +
                  "now gives (retrain with `kiln train`)");
    }
    std::vector<float> scores = predict(model, t.values.data(), t.windows.size());
    const std::size_t classes = model.labels.size();

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
        nlohmann::json s;
        for (std::size_t c = 0; c < classes; ++c) s[model.labels[c]] = sc[c];
        windows.push_back({{"start_s", t.windows[i].start_s}, {"top", top_label}, {"scores", s}});
      } else {
        std::printf("%7.2fs  %-14s", t.windows[i].start_s, top_label.c_str());
        for (std::size_t c = 0; c < classes; ++c) std::printf("  %10.4f", sc[c]);
        std::printf("\n");
      }
    }
    if (ctx.json) {
      nlohmann::json j = {{"file", file},
                          {"window_ms", imp.input.window_size_ms},
                          {"increase_ms", imp.input.window_increase_ms},
                          {"labels", model.labels},
                          {"padded", !t.windows.empty() && t.windows[0].padded},
                          {"windows", windows}};
      std::printf("%s\n", j.dump(2).c_str());
    } else if (!t.windows.empty() && t.windows[0].padded) {
      std::printf("(the recording is shorter than one window and was zero-padded)\n");
    }
  });
}

}  // namespace kiln::cli
