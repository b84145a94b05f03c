// Child processes for the Cortex-M tools (compiler, nm, QEMU): argv in, exit status out, output to files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiln::profile {

struct ProcessResult {
  int status = 0;          // exit status, or 128 + signal
  bool timed_out = false;  // killed after timeout_s
};

// Runs argv (argv[0] searched on PATH) with stdin from /dev/null, stdout to stdout_file and stderr to
// stderr_file (the same path: both into one file). timeout_s <= 0: no limit. Throws kiln::Error when the
// program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
                          const std::filesystem::path& stderr_file, int timeout_s = 0);

// The executable `name` in a PATH directory, if any.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

std::string read_text_file(const std::filesystem::path& path);

}  // namespace kiln::profile
