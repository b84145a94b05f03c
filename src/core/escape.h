// Every way Kiln writes a user's string (a label, a project name, a file name, a file's content quoted in a
// message) into something else is one function here, one per target language, so each escape rule exists
// once and is tested with hostile strings (tests/unit/core/test_escape.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln {

// A message for a terminal: one line, control characters and invalid UTF-8 shown as \n, \t, \xNN, and at
// most `max_bytes` long (cut in the middle with "...", so both the start and the end stay readable).
std::string terminal_line(std::string_view text, std::size_t max_bytes = 1000);

}  // namespace kiln
