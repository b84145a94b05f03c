// Each `kiln` subcommand lives in its own cmd_<name>.cpp and registers itself on the root app here.
// A command's callback does its work and throws kiln::Error on a problem the user can fix; main() prints the
// message ("kiln: error: ...") and exits 1. The steps the demo chains (train, test) are also callable
// directly.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/context.h"

namespace kiln::cli {

void register_init(CLI::App& app, Context& ctx);
void register_add(CLI::App& app, Context& ctx);
void register_dataset(CLI::App& app, Context& ctx);
void register_features(CLI::App& app, Context& ctx);
void register_train(CLI::App& app, Context& ctx);
void register_test(CLI::App& app, Context& ctx);
void register_classify(CLI::App& app, Context& ctx);
void register_dsp(CLI::App& app, Context& ctx);
void register_demo(CLI::App& app, Context& ctx);
void register_quantize(CLI::App& app, Context& ctx);
void register_inspect(CLI::App& app, Context& ctx);
void register_invoke(CLI::App& app, Context& ctx);
void register_import(CLI::App& app, Context& ctx);
void register_deploy(CLI::App& app, Context& ctx);
void register_profile(CLI::App& app, Context& ctx);

// `kiln train` and `kiln test` as functions: print as the commands do (unless ctx.json) and return the JSON
// summary the command prints with --json.
nlohmann::json run_train(const Context& ctx);
nlohmann::json run_test(const Context& ctx);

// `kiln deploy` as a function (the demo's last step).
struct DeployOptions {
  std::string out;
  std::string format = "cpp";
  std::string engine = "compiled";
  std::string model = "int8";
  bool measure = true;  // cross-compile and run both engines under QEMU for the footprint table
};
nlohmann::json run_deploy(const Context& ctx, const DeployOptions& options);

}  // namespace kiln::cli
