#include "core/quote.h"

#include "core/escape.h"
#include "core/utf8.h"

namespace kiln {

std::string quote(std::string_view s, std::size_t max_bytes) {
  return "'" + terminal_line(s, max_bytes) + "'";
}

std::string display_path(const std::filesystem::path& path) {
  return terminal_line(path.native(), std::string::npos);
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = utf8_char(s, i);
    if (c.length == 0) return false;
    i += c.length;
  }
  return true;
}

}  // namespace kiln
