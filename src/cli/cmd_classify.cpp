// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_classify(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("classify", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln classify: not implemented yet"); });
}

}  // namespace kiln::cli
