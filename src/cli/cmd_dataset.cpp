// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_dataset(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("dataset", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln dataset: not implemented yet"); });
}

}  // namespace kiln::cli
