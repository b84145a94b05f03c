#include "core/names.h"

#include <cstdio>
#include <vector>

#include "core/error.h"
#include "core/escape.h"

namespace kiln {
namespace {

// The code points of `s`, or nullopt when it is not valid UTF-8 (overlong forms, surrogates and values above
// U+10FFFF are invalid).
std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n;
    char32_t cp;
    if (c < 0x80) {
      n = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + n > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Characters that are not text: they move the cursor, end the line or reorder what follows.
bool is_control(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// Unicode's White_Space property.
bool is_whitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

void check(std::string_view name, const char* what) {
  const std::optional<std::string> problem = name_problem(name);
  if (!problem) return;
  if (name.empty()) throw Error(std::string("a ") + what + " cannot be empty");
  // Cut long names: the message stays one readable line.
  throw Error(std::string("the ") + what + " '" + terminal_line(name, 200) + "' " + *problem);
}

}  // namespace

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  const std::optional<std::vector<char32_t>> chars = decode_utf8(name);
  if (!chars) return "is not valid UTF-8";
  for (char32_t c : *chars) {
    if (is_control(c)) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "contains a control character (U+%04X)", static_cast<unsigned>(c));
      return buf;
    }
  }
  if (name.size() > kMaxNameBytes) {
    return "is " + std::to_string(name.size()) + " bytes long, more than " + std::to_string(kMaxNameBytes);
  }
  if (name == "." || name == "..") return "is not a possible folder name";
  if (name.find('/') != std::string_view::npos) return "contains '/' (it must be usable as a folder name)";
  if (name.find('\\') != std::string_view::npos) return "contains '\\' (it must be usable as a folder name)";
  if (is_whitespace(chars->front())) return "starts with whitespace";
  if (is_whitespace(chars->back())) return "ends with whitespace";
  return std::nullopt;
}

void check_label(std::string_view label) {
  check(label, "label");
}

void check_project_name(std::string_view name) {
  check(name, "project name");
}

}  // namespace kiln
