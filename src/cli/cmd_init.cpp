// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_init(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("init", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln init: not implemented yet"); });
}

}  // namespace kiln::cli
