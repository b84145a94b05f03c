// Runs the built kiln binary (KILN_BINARY) the way a user would: arguments, exit status, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace kiln::test {

struct RunResult {
  int status = -1;  // exit status; 128 when the process did not exit normally
  std::string out;
  std::string err;
};

RunResult run_kiln(const std::vector<std::string>& args);

}  // namespace kiln::test
