#include "core/escape.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace kiln {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  return utf8_char(s, i).length;
}

// U+FFFD REPLACEMENT CHARACTER, for what a format cannot carry.
constexpr const char* kReplacement = "\xEF\xBF\xBD";

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

bool is_ascii_punctuation(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// Calls on_char(sequence) for every valid UTF-8 character of `text` and on_invalid(byte) for every byte that
// does not start one.
template <typename OnChar, typename OnInvalid>
void for_each_utf8(std::string_view text, OnChar on_char, OnInvalid on_invalid) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      on_invalid(static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      on_char(text.substr(i, n));
      i += n;
    }
  }
}

void append_hex(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", c);
  out += buf;
}

// Shared by html_text and html_attribute.
std::string html(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        switch (ch[0]) {
          case '&':
            out += "&amp;";
            break;
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '"':
            out += "&quot;";
            break;
          case '\'':
            out += "&#39;";
            break;
          case '\t':
            out += attribute ? "&#9;" : "\t";
            break;
          case '\n':
            out += attribute ? "&#10;" : "\n";
            break;
          case '\r':
            out += attribute ? "&#13;" : "\r";
            break;
          default:
            out += is_control(static_cast<unsigned char>(ch[0])) ? std::string_view(kReplacement) : ch;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

}  // namespace

std::string terminal_line(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const Utf8Char ch = utf8_char(text, i);
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (ch.length == 0) {
      append_hex(out, c);  // a byte that is not UTF-8
      ++i;
      continue;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (ch.length == 1 && is_control_character(ch.code_point)) {
      append_hex(out, c);
    } else if (is_control_character(ch.code_point)) {
      // C1, line separators, bidirectional formatting: shown, not obeyed.
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(ch.code_point));
      out += buf;
    } else {
      out.append(text.substr(i, ch.length));
    }
    i += ch.length;
  }
  if (out.size() <= max_bytes || max_bytes < 16) return out;
  // Cut on character boundaries (never inside a UTF-8 sequence or an escape's bytes matter less).
  std::size_t head = max_bytes / 2, tail = out.size() - (max_bytes - head - 5);
  while (head > 0 && (static_cast<unsigned char>(out[head]) & 0xC0) == 0x80) --head;
  while (tail < out.size() && (static_cast<unsigned char>(out[tail]) & 0xC0) == 0x80) ++tail;
  return out.substr(0, head) + " ... " + out.substr(tail);
}

std::string c_string_literal(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c == '?') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (is_control(c) || c >= 0x80) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string c_comment(std::string_view text) {
  std::string out;
  // Appends one character, first separating it from the previous one when the pair would mean something.
  const auto put = [&](char c) {
    const char prev = out.empty() ? '\0' : out.back();
    if ((prev == '*' && c == '/') || (prev == '/' && c == '*') || (prev == '?' && c == '?')) out += '\\';
    out += c;
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence(text, i);
    if (n > 1) {
      out.append(text.substr(i, n));
    } else if (n == 0 || is_control(c)) {
      append_hex(out, c);
    } else if (c == '\\') {
      const bool space_after = i + 1 == text.size() || text[i + 1] == ' ';
      if (space_after) {
        append_hex(out, c);
      } else {
        out += '\\';
      }
    } else {
      put(static_cast<char>(c));
    }
    i += n == 0 ? 1 : n;
  }
  return out;
}

std::string html_text(std::string_view text) {
  return html(text, false);
}

std::string html_attribute(std::string_view text) {
  return html(text, true);
}

std::string json_text(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string cmake_quoted_argument(std::string_view text) {
  std::string out = "\"";
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        const char c = ch[0];
        if (c == '\\' || c == '"' || c == '$' || c == '@' || c == ';') {
          out += '\\';
          out += c;
        } else if (c == '\n') {
          out += "\\n";
        } else if (c == '\t') {
          out += "\\t";
        } else if (c == '\r') {
          out += "\\r";
        } else if (is_control(static_cast<unsigned char>(c))) {
          out += kReplacement;
        } else {
          out += ch;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out + "\"";
}

std::string arduino_property_value(std::string_view text) {
  std::string out;
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        out += is_control(static_cast<unsigned char>(ch[0])) ? std::string_view(" ") : ch;
      },
      [&](unsigned char) { out += kReplacement; });
  const std::size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string arduino_library_name(std::string_view text) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::string out;
  const auto add = [&](char c) {
    if (out.empty() && !alnum(c)) return;  // the name starts with a letter or a digit
    if (out.size() < 63) out += c;
  };
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        const char c = ch[0];
        add(ch.size() == 1 && (alnum(c) || c == ' ' || c == '_' || c == '-' || c == '.') ? c : '_');
      },
      [&](unsigned char) { add('_'); });
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? "kiln_impulse" : out;
}

std::string makefile_text(std::string_view text) {
  std::string out;
  std::size_t backslashes = 0;  // the run of backslashes just written
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        const char c = ch[0];
        if (c == '#') {
          out.append(backslashes + 1, '\\');  // make halves a run of backslashes before '#'
        }
        if (c == '$') {
          out += "$$";
        } else if (c != '\t' && is_control(static_cast<unsigned char>(c))) {
          out += kReplacement;
        } else {
          out += ch;
        }
        backslashes = c == '\\' ? backslashes + 1 : 0;
      },
      [&](unsigned char) {
        out += kReplacement;
        backslashes = 0;
      });
  if (backslashes > 0) out += "$()";
  if (!out.empty() && (out[0] == ' ' || out[0] == '\t')) out.insert(0, "$()");
  return out;
}

std::string markdown_text(std::string_view text) {
  std::string out;
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        const unsigned char c = static_cast<unsigned char>(ch[0]);
        if (is_control(c)) {
          out += ' ';
        } else {
          if (is_ascii_punctuation(c)) out += '\\';
          out += ch;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for_each_utf8(
      text,
      [&](std::string_view ch) {
        const unsigned char c = static_cast<unsigned char>(ch[0]);
        if (c == '"' || c == '\\') {
          out += '\\';
          out += ch;
        } else if (c < 0x20 || c == 0x7F) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04X", c);
          out += escape;
        } else {
          out += ch;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out + "\"";
}

}  // namespace kiln
