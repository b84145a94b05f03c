// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_features(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("features", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln features: not implemented yet"); });
}

}  // namespace kiln::cli
