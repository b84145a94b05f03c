// Options shared by every subcommand.
#pragma once

#include <filesystem>
#include <string>

namespace kiln::cli {

struct Context {
  std::filesystem::path project_dir = ".";  // -C / --project: the project directory (holds kiln.toml)
  bool json = false;                        // --json: machine-readable output on stdout, nothing else there
  bool quiet = false;                       // -q: no progress output
};

}  // namespace kiln::cli
