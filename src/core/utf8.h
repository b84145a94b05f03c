// UTF-8, decoded in one place for the name rules (core/names.h) and the escapes (core/escape.h).
#pragma once

#include <cstddef>
#include <string_view>

namespace kiln {

struct Utf8Char {
  std::size_t length;   // bytes; 0 when s[i] starts no valid sequence
  char32_t code_point;  // valid when length > 0
};

// The character starting at s[i] (i < s.size()). Overlong forms, surrogates and values above U+10FFFF are
// invalid.
Utf8Char utf8_char(std::string_view s, std::size_t i);

// Characters that are not text: they move the cursor, end a line or reorder what follows. C0 (U+0000-U+001F),
// DEL and C1 (U+007F-U+009F), the line and paragraph separators U+2028/U+2029 and the bidirectional
// formatting characters (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
bool is_control_character(char32_t c);

}  // namespace kiln
