// The escape functions of core/escape.h for generated files, with hostile strings: trigraphs, quotes,
// backslashes, line breaks, comment ends, make/CMake/shell expansions, template placeholders, HTML, Unicode,
// invalid UTF-8, NUL bytes and a 10,000-character string. The C, CMake and Makefile rules are checked by the
// real tools: what g++ (-std=c++11 -trigraphs -Werror), cmake -P and make read back must be the input.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <toml++/toml.h>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/escape.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

// Every byte value once, then printable ASCII up to 10,000 characters.
std::string long_string() {
  std::string s;
  for (int c = 0; c < 256; ++c) s += static_cast<char>(c);
  while (s.size() < 10000) s += static_cast<char>(' ' + s.size() % 95);
  return s;
}

const std::vector<std::string> kHostile = {
    "plain",
    "",
    "?\?/",
    "a?\?/",
    "?\?=define X 1",
    "?\?( ?\?) ?\?< ?\?> ?\?' ?\?! ?\?- ?\?\?/",
    "\"; leaked_token; \"",
    "back\\slash\\",
    "\\",
    "\\ ",
    "?",
    "?\?",
    "line\nleaked_token",
    "cr\rleaked_token",
    "\r\n",
    "tab\there",
    "*/ leaked_token /*",
    "/* nested",
    "*/",
    "/",
    "*",
    "// line",
    "$(shell touch pwned)",
    "${x} $ENV{HOME} $$",
    "@NAME@ @PROJECT@",
    "a;b;c",
    "#not a comment",
    "\\#",
    "\\\\#",
    "<script>alert(1)</script>",
    "& &amp; ' \"",
    "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x94\xA5",
    "\xFF\xFE\x80 invalid \xC3",
    "\xED\xA0\x80 surrogate",
    "nul\0byte"s,
    "octal\0011 digit after an escape"s,
    "[link](javascript:alert(1)) *em* _em_ `code` # heading",
    "   leading and trailing   ",
    long_string(),
};

using kiln::test::TempDir;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const fs::path& path) {
  return kiln::test::read_bytes(path);
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

// What a format that carries valid UTF-8 only makes of `s`: invalid bytes become U+FFFD, and so do control
// characters for which `keep` says no.
template <typename Keep>
std::string replaced(const std::string& s, Keep keep) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c < 0x80) {
      n = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
    }
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n == 3) {
      const unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6);
      ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok && n == 4) {
      const unsigned cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12);
      ok = cp >= 0x10000 && cp <= 0x10FFFF;
    }
    if (!ok) {
      out += kReplacement;
      ++i;
    } else if (n == 1 && (c < 0x20 || c == 0x7F) && !keep(static_cast<char>(c))) {
      out += kReplacement;
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

// --- C and C++ ---

TEST(Escape, CStringLiteralExamples) {
  EXPECT_EQ(kiln::c_string_literal("plain"), "\"plain\"");
  EXPECT_EQ(kiln::c_string_literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(kiln::c_string_literal("?\?/"), "\"\\?\\?/\"");
  EXPECT_EQ(kiln::c_string_literal("\n\t\r"), "\"\\n\\t\\r\"");
  // Octal escapes have 3 digits, so a digit after one stays a digit.
  EXPECT_EQ(kiln::c_string_literal("\x01"
                                   "1"),
            "\"\\0011\"");
  EXPECT_EQ(kiln::c_string_literal("caf\xC3\xA9"), "\"caf\\303\\251\"");
  EXPECT_EQ(kiln::c_string_literal("nul\0x"s), "\"nul\\000x\"");
  for (const std::string& s : kHostile) {
    const std::string lit = kiln::c_string_literal(s);
    EXPECT_EQ(lit.find("??"), std::string::npos) << lit;
    EXPECT_EQ(lit.find('\n'), std::string::npos);
    for (unsigned char c : lit) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << int(c);
  }
}

TEST(Escape, CCommentExamples) {
  EXPECT_EQ(kiln::c_comment("model.tflite"), "model.tflite");
  EXPECT_EQ(kiln::c_comment("*/"), "*\\/");
  EXPECT_EQ(kiln::c_comment("/*"), "/\\*");
  EXPECT_EQ(kiln::c_comment("?\?/"), "?\\?/");
  EXPECT_EQ(kiln::c_comment("a\nb"), "a\\x0Ab");
  EXPECT_EQ(kiln::c_comment("C:\\models\\m"), "C:\\models\\m");
  EXPECT_EQ(kiln::c_comment("end\\"), "end\\x5C");
  EXPECT_EQ(kiln::c_comment("a\\ b"), "a\\x5C b");
  EXPECT_EQ(kiln::c_comment("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(kiln::c_comment("\xFF"), "\\xFF");
  for (const std::string& s : kHostile) {
    const std::string c = kiln::c_comment(s);
    for (const char* bad : {"*/", "/*", "?\?", "\n", "\r"}) EXPECT_EQ(c.find(bad), std::string::npos) << bad;
    EXPECT_TRUE(c.empty() || c.back() != '\\');
    EXPECT_EQ(c.find("\\ "), std::string::npos);
  }
}

// The compiler is the judge: every hostile string as a literal reads back byte for byte, and in a `//` and a
// `/* */` comment it leaves the code after it alone (a leak would expose `leaked_token`, an undeclared name,
// or swallow the declaration the program uses). Trigraphs on, every warning an error.
TEST(Escape, CStringLiteralAndCommentSurviveTheCompiler) {
  TempDir tmp;
  std::ostringstream src;
  src << "#include <stdio.h>\n";
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    src << "static const char s" << i << "[] = " << kiln::c_string_literal(kHostile[i]) << ";\n";
    src << "// " << kiln::c_comment(kHostile[i]) << "\n";
    src << "static const int line" << i << " = " << i << ";\n";
    src << "/* " << kiln::c_comment(kHostile[i]) << " */ static const int block" << i << " = " << i << ";\n";
  }
  src << "static void put(const char* s, unsigned long n) {\n"
         "  for (unsigned long i = 0; i < n; ++i) printf(\"%02x\", (unsigned)(unsigned char)s[i]);\n"
         "  printf(\"\\n\");\n}\n"
         "int main() {\n  int sum = 0;\n";
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    src << "  put(s" << i << ", sizeof s" << i << " - 1);\n  sum += line" << i << " + block" << i << ";\n";
  }
  src << "  printf(\"%d\\n\", sum);\n  return 0;\n}\n";
  write_file(tmp.path() / "t.cpp", src.str());
  const std::string build = std::string(KILN_HOST_CXX) +
                            " -std=c++11 -trigraphs -Wall -Wextra -Werror -Wtrigraphs -Wcomment '" +
                            (tmp.path() / "t.cpp").string() + "' -o '" + (tmp.path() / "t").string() +
                            "' 2> '" + (tmp.path() / "log").string() + "'";
  ASSERT_EQ(std::system(build.c_str()), 0) << read_file(tmp.path() / "log");
  const std::string run = "'" + (tmp.path() / "t").string() + "' > '" + (tmp.path() / "out").string() + "'";
  ASSERT_EQ(std::system(run.c_str()), 0);
  std::istringstream out(read_file(tmp.path() / "out"));
  std::string line;
  int sum = 0;
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    ASSERT_TRUE(std::getline(out, line));
    EXPECT_EQ(line, hex(kHostile[i])) << "string " << i;
    sum += 2 * static_cast<int>(i);
  }
  ASSERT_TRUE(std::getline(out, line));
  EXPECT_EQ(line, std::to_string(sum));
}

// --- HTML ---

TEST(Escape, HtmlTextAndAttribute) {
  EXPECT_EQ(kiln::html_text("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(kiln::html_text("a\nb\tc"), "a\nb\tc");
  EXPECT_EQ(kiln::html_attribute("a\nb\tc\rd"), "a&#10;b&#9;c&#13;d");
  EXPECT_EQ(kiln::html_text("nul\0\x1B"s), "nul" + kReplacement + kReplacement);
  EXPECT_EQ(kiln::html_text("caf\xC3\xA9 \xFF"), "caf\xC3\xA9 " + kReplacement);
  for (const std::string& s : kHostile) {
    for (const std::string& h : {kiln::html_text(s), kiln::html_attribute(s)}) {
      for (char bad : {'<', '>', '"', '\''}) EXPECT_EQ(h.find(bad), std::string::npos) << bad;
      // Every & starts one of our entities.
      for (std::size_t at = h.find('&'); at != std::string::npos; at = h.find('&', at + 1)) {
        const std::string rest = h.substr(at, 6);
        EXPECT_TRUE(rest.rfind("&amp;", 0) == 0 || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0 ||
                    rest.rfind("&quot;", 0) == 0 || rest.rfind("&#", 0) == 0)
            << rest;
      }
      EXPECT_EQ(h, replaced(h, [](char) { return true; })) << "not valid UTF-8";
    }
    EXPECT_EQ(kiln::html_attribute(s).find('\n'), std::string::npos);
  }
}

// --- JSON ---

TEST(Escape, JsonNeverThrowsAndRoundTrips) {
  for (const std::string& s : kHostile) {
    nlohmann::json j = {{"label", s}, {s, 1}};
    std::string text;
    ASSERT_NO_THROW(text = kiln::json_text(j));
    const nlohmann::json back = nlohmann::json::parse(text);
    const std::string want = replaced(s, [](char) { return true; });
    EXPECT_EQ(back.at("label").get<std::string>(), want);
    EXPECT_TRUE(back.contains(want));
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_NO_THROW(kiln::json_text(j, 2));
  }
}

// --- TOML (kiln.toml) ---

TEST(Escape, TomlStringReadsBack) {
  for (const std::string& s : kHostile) {
    const std::string text = "v = " + kiln::toml_string(s) + "\n";
    EXPECT_EQ(text.find('\n'), text.size() - 1) << "one line";
    toml::table t;
    ASSERT_NO_THROW(t = toml::parse(text)) << text;
    const std::string want = replaced(s, [](char) { return true; });
    EXPECT_EQ(t["v"].value_or(std::string("(missing)")), want);
  }
}

// --- CMake ---

TEST(Escape, CMakeQuotedArgumentReadsBack) {
  EXPECT_EQ(kiln::cmake_quoted_argument("a\"b\\c${x}@N@;\n"), "\"a\\\"b\\\\c\\${x}\\@N\\@\\;\\n\"");
  TempDir tmp;
  std::string script;
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    script += "set(V " + kiln::cmake_quoted_argument(kHostile[i]) + ")\nfile(WRITE \"" +
              (tmp.path() / std::to_string(i)).string() + "\" \"${V}\")\n";
  }
  write_file(tmp.path() / "t.cmake", script);
  const std::string run = std::string(KILN_CMAKE) + " -P '" + (tmp.path() / "t.cmake").string() + "' > '" +
                          (tmp.path() / "log").string() + "' 2>&1";
  ASSERT_EQ(std::system(run.c_str()), 0) << read_file(tmp.path() / "log");
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    std::string want = replaced(kHostile[i], [](char c) { return c == '\n' || c == '\t' || c == '\r'; });
    for (std::size_t at = want.find(';'); at != std::string::npos; at = want.find(';', at + 2)) {
      want.insert(at, "\\");  // CMake keeps \; as written: one list element
    }
    EXPECT_EQ(read_file(tmp.path() / std::to_string(i)), want) << "string " << i;
  }
  EXPECT_FALSE(fs::exists(tmp.path() / "pwned"));
}

// --- Arduino library.properties ---

TEST(Escape, ArduinoPropertyValueIsOneTrimmedLine) {
  EXPECT_EQ(kiln::arduino_property_value("fire alarm"), "fire alarm");
  EXPECT_EQ(kiln::arduino_property_value("x\nname=evil"), "x name=evil");
  EXPECT_EQ(kiln::arduino_property_value("  padded \t"), "padded");
  for (const std::string& s : kHostile) {
    const std::string v = kiln::arduino_property_value(s);
    for (unsigned char c : v) EXPECT_FALSE(c < 0x20 || c == 0x7F) << int(c);
    EXPECT_TRUE(v.empty() || (v.front() != ' ' && v.back() != ' '));
    EXPECT_EQ(v, replaced(v, [](char) { return false; }));
  }
}

TEST(Escape, ArduinoLibraryNameFollowsArduinoRules) {
  EXPECT_EQ(kiln::arduino_library_name("fire-alarm"), "fire-alarm");
  EXPECT_EQ(kiln::arduino_library_name("My Lib 2.0_x"), "My Lib 2.0_x");
  EXPECT_EQ(kiln::arduino_library_name("-.x"), "x");
  EXPECT_EQ(kiln::arduino_library_name("caf\xC3\xA9!"), "caf__");
  EXPECT_EQ(kiln::arduino_library_name("a\nname=evil"), "a_name_evil");
  EXPECT_EQ(kiln::arduino_library_name(""), "kiln_impulse");
  EXPECT_EQ(kiln::arduino_library_name("?\?\?"), "kiln_impulse");
  for (const std::string& s : kHostile) {
    const std::string n = kiln::arduino_library_name(s);
    ASSERT_FALSE(n.empty());
    EXPECT_LE(n.size(), 63u);
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(n[0]))) << n;
    EXPECT_NE(n.back(), ' ');
    for (char c : n) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || std::strchr(" _-.", c)) << n;
  }
}

// --- Makefile ---

TEST(Escape, MakefileTextReadsBack) {
  EXPECT_EQ(kiln::makefile_text("a$b"), "a$$b");
  EXPECT_EQ(kiln::makefile_text("a#b"), "a\\#b");
  EXPECT_EQ(kiln::makefile_text("a\\#b"), "a\\\\\\#b");
  EXPECT_EQ(kiln::makefile_text("end\\"), "end\\$()");
  EXPECT_EQ(kiln::makefile_text(" x"), "$() x");
  TempDir tmp;
  std::string makefile;
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    makefile += "V" + std::to_string(i) + " := " + kiln::makefile_text(kHostile[i]) + "\n";
  }
  makefile += "show:\n";
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    makefile +=
        "\t$(file >" + (tmp.path() / std::to_string(i)).string() + ",$(V" + std::to_string(i) + "))\n";
  }
  write_file(tmp.path() / "Makefile", makefile);
  const std::string run =
      "make -s -C '" + tmp.path().string() + "' show > '" + (tmp.path() / "log").string() + "' 2>&1";
  ASSERT_EQ(std::system(run.c_str()), 0) << read_file(tmp.path() / "log");
  for (std::size_t i = 0; i < kHostile.size(); ++i) {
    // $(file >F,TEXT) adds a newline after TEXT.
    const std::string want = replaced(kHostile[i], [](char c) { return c == '\t'; }) + "\n";
    EXPECT_EQ(read_file(tmp.path() / std::to_string(i)), want) << "string " << i;
  }
  EXPECT_FALSE(fs::exists(tmp.path() / "pwned"));
}

// --- Markdown ---

TEST(Escape, MarkdownTextHasNoMarkup) {
  EXPECT_EQ(kiln::markdown_text("fire alarm"), "fire alarm");
  EXPECT_EQ(kiln::markdown_text("<script>"), "\\<script\\>");
  EXPECT_EQ(kiln::markdown_text("*em* [a](b)"), "\\*em\\* \\[a\\]\\(b\\)");
  EXPECT_EQ(kiln::markdown_text("a\nb"), "a b");
  for (const std::string& s : kHostile) {
    const std::string m = kiln::markdown_text(s);
    EXPECT_EQ(m.find('\n'), std::string::npos);
    EXPECT_EQ(m.find('\r'), std::string::npos);
    // Every ASCII punctuation character is preceded by a backslash that is not itself escaped.
    for (std::size_t i = 0; i < m.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(m[i]);
      if (c < 0x80 && std::ispunct(c)) {
        ASSERT_EQ(m[i], '\\') << m.substr(0, i + 1);
        ASSERT_LT(i + 1, m.size());
        ASSERT_TRUE(std::ispunct(static_cast<unsigned char>(m[i + 1])));
        ++i;
      }
    }
    EXPECT_EQ(m, replaced(m, [](char) { return false; }));
  }
}

}  // namespace
