// core/escape.h terminal_line: whatever a message quotes (a label, a file name, a file's bytes), it prints as
// one line of plain text of bounded length.
#include <gtest/gtest.h>

#include <string>

#include "core/escape.h"

using kiln::terminal_line;

TEST(TerminalLine, ControlCharactersAreShownNotObeyed) {
  EXPECT_EQ(terminal_line("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(terminal_line(std::string("nul\0bell\x07"
                                      "esc\x1b[2J",
                                      16)),
            "nul\\x00bell\\x07esc\\x1B[2J");
  EXPECT_EQ(terminal_line("del\x7f"), "del\\x7F");
  // C1 (here NEL, CSI), the line separator and a right-to-left override, as \uXXXX.
  EXPECT_EQ(terminal_line("x\xC2\x85y\xC2\x9B"
                          "z"),
            "x\\u0085y\\u009Bz");
  EXPECT_EQ(terminal_line("line\xE2\x80\xA8sep"), "line\\u2028sep");
  EXPECT_EQ(terminal_line("file\xE2\x80\xAEgpj.exe"), "file\\u202Egpj.exe");
}

TEST(TerminalLine, TextStaysAsItIsAndInvalidBytesAreHex) {
  EXPECT_EQ(terminal_line("café ☕ 猫"), "café ☕ 猫");
  EXPECT_EQ(terminal_line("caf\xE9"), "caf\\xE9");              // Latin-1
  EXPECT_EQ(terminal_line("\xC0\xAF"), "\\xC0\\xAF");           // an overlong '/'
  EXPECT_EQ(terminal_line("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // a surrogate
}

TEST(TerminalLine, LongTextIsCutInTheMiddleOnACharacterBoundary) {
  std::string long_text = "start-";
  for (int i = 0; i < 2000; ++i) long_text += "é";
  long_text += "-end";
  const std::string line = terminal_line(long_text, 100);
  EXPECT_LE(line.size(), 100u);
  EXPECT_EQ(line.rfind("start-", 0), 0u);
  EXPECT_EQ(line.substr(line.size() - 4), "-end");
  EXPECT_NE(line.find(" ... "), std::string::npos);
  EXPECT_EQ(terminal_line(line, 1000), line);  // still valid UTF-8: nothing to escape
}
