// Each `kiln` subcommand lives in its own cmd_<name>.cpp and registers itself on the root app here.
// A command's callback does its work and throws kiln::Error on a problem the user can fix; main() prints the
// message ("kiln: error: ...") and exits 1.
#pragma once

#include <CLI/CLI.hpp>

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

}  // namespace kiln::cli
