// kiln inspect: print a .tflite model's graph (operators, tensor shapes, types, quantization), its MACs per
// layer and the arena sdk/nn plans for it. Outside any project.
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/commands.h"
#include "core/escape.h"
#include "tflite/model_summary.h"

namespace kiln::cli {

void register_inspect(CLI::App& app, Context& ctx) {
  static std::string model_path;
  auto* cmd = app.add_subcommand(
      "inspect", "Print a .tflite model's operators, tensors, quantization, MACs per layer and arena size");
  cmd->add_option("model", model_path, "The .tflite model file")->required();
  cmd->footer(
      "\nMACs are counted for CONV_2D (output elements x filter height x width x input channels),\n"
      "DEPTHWISE_CONV_2D (output elements x filter height x width) and FULLY_CONNECTED (output elements x\n"
      "input depth). The arena is what sdk/nn needs to run the model (activations and bookkeeping).");
  cmd->callback([&ctx] {
    const tflite::ModelFile file(model_path);
    const tflite::ModelSummary summary = tflite::summarize(file);
    if (ctx.json) {
      std::printf("%s\n", json_text(tflite::summary_json(summary, model_path), 2).c_str());
    } else {
      std::fputs(tflite::format_summary(summary, model_path).c_str(), stdout);
    }
  });
}

}  // namespace kiln::cli
