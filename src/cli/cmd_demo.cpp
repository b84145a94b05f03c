// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_demo(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("demo", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln demo: not implemented yet"); });
}

}  // namespace kiln::cli
