// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_add(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("add", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln add: not implemented yet"); });
}

}  // namespace kiln::cli
