// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_train(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("train", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln train: not implemented yet"); });
}

}  // namespace kiln::cli
