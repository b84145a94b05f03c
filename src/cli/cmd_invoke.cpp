// kiln invoke: one inference through sdk/nn on raw input tensor bytes, writing the raw output bytes; for
// comparing Kiln's runtime with other runtimes (TFLite Micro, TFLite) on the same model and input.
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "tflite/model_file.h"
#include "tflite/model_summary.h"

namespace kiln::cli {

void register_invoke(CLI::App& app, Context& ctx) {
  static std::string model_path, input_path, output_path;
  auto* cmd = app.add_subcommand("invoke", "Run one inference of a .tflite model on raw input bytes");
  cmd->add_option("model", model_path, "The .tflite model file")->required();
  cmd->add_option(
         "input", input_path,
         "Raw input tensor bytes (TFLite layout, little-endian), all inputs concatenated in input order")
      ->required();
  cmd->add_option("output", output_path, "Where to write the raw output bytes, all outputs concatenated")
      ->required();
  cmd->footer(
      "\nThe input must be exactly the size of the model's inputs (`kiln inspect` lists them). The output\n"
      "file is written only when the inference succeeded.");
  cmd->callback([&ctx] {
    const tflite::ModelFile file(model_path);
    std::error_code ec;
    if (!std::filesystem::exists(input_path, ec)) throw Error(input_path + ": no such file");
    if (std::filesystem::is_directory(input_path, ec)) throw Error(input_path + ": is a directory");
    const std::string input = read_file(input_path, tflite::kMaxModelFileBytes);
    const std::string output = tflite::invoke_once(file, input, input_path);
    write_file_atomic(output_path, output);
    if (ctx.json) {
      const nlohmann::json j = {{"model", model_path},           {"input", input_path},
                                {"output", output_path},         {"input_bytes", input.size()},
                                {"output_bytes", output.size()}, {"arena_bytes", file.arena_bytes()}};
      std::printf("%s\n", json_text(j, 2).c_str());
    } else if (!ctx.quiet) {
      std::printf("%s: %s bytes in, %s bytes out written to %s\n", model_path.c_str(),
                  tflite::thousands(input.size()).c_str(), tflite::thousands(output.size()).c_str(),
                  output_path.c_str());
    }
  });
}

}  // namespace kiln::cli
