// Host-side error type. Everything under src/ throws kiln::Error for problems a user can fix (bad input file,
// bad kiln.toml, missing project); the CLI turns it into one message on stderr and a non-zero exit code.
// Messages name the file and the problem, e.g. "alarm.wav: not a readable audio file (unknown format)".
#pragma once

#include <stdexcept>
#include <string>

namespace kiln {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kiln
