// User content inside error messages. A message is one line on a terminal (and a string in JSON output), so
// whatever a file contributes to it (a CSV header, a TOML key, a parser's excerpt, the file's own name) is
// escaped and cut short with core/escape.h's terminal_line: a 100,000-column header or a key holding a
// newline must not turn into a megabyte or several lines of error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace kiln {

// terminal_line(s, max_bytes) between single quotes: 'accX', 'Beschleunigung_\xE9', 'kkkk ... kkkk'.
std::string quote(std::string_view s, std::size_t max_bytes = 60);

// A file path for messages: escaped like terminal_line but never cut (the path is how the user finds the
// file).
std::string display_path(const std::filesystem::path& path);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): what JSON
// output, SQLite text and the HTML report need.
bool is_valid_utf8(std::string_view s);

}  // namespace kiln
