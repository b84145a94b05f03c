// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_test(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("test", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln test: not implemented yet"); });
}

}  // namespace kiln::cli
