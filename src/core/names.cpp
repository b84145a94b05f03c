#include "core/names.h"

#include <cstdio>
#include <vector>

#include "core/error.h"
#include "core/escape.h"
#include "core/utf8.h"

namespace kiln {
namespace {

// The code points of `s`, or nullopt when it is not valid UTF-8.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Char c = utf8_char(s, i);
    if (c.length == 0) return std::nullopt;
    out.push_back(c.code_point);
    i += c.length;
  }
  return out;
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
    if (is_control_character(c)) {
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
