// Placeholder: replaced by the real command.
#include "cli/commands.h"
#include "core/error.h"

namespace kiln::cli {

void register_dsp(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("dsp", "(not implemented yet)");
  cmd->callback([] { throw Error("kiln dsp: not implemented yet"); });
}

}  // namespace kiln::cli
