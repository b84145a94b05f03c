// The rules of labels and project names (core/names.h) with hostile strings, and the labels `kiln add`
// derives from folder and file names going through the same rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/escape.h"
#include "core/names.h"
#include "data/ingest_files.h"
#include "sample_files.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Names, GoodNames) {
  for (const char* name : {"alarm", "Smoke alarm", "caf\xC3\xA9", "\xE7\x81\xAB\xE8\xAD\xA6", "a.b", "...",
                           "x_y-z 1", "\xF0\x9F\x94\xA5", "a'b\"c"}) {
    EXPECT_EQ(name_problem(name), std::nullopt) << name;
    EXPECT_NO_THROW(check_label(name));
    EXPECT_NO_THROW(check_project_name(name));
  }
  EXPECT_NO_THROW(check_label(std::string(kMaxNameBytes, 'a')));
}

TEST(Names, HostileLabelsAreRefusedWithOneLineNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"caf\xE9", "the label 'caf\\xE9' is not valid UTF-8"},                       // Latin-1
      {"\xC0\xAF", "the label '\\xC0\\xAF' is not valid UTF-8"},                    // overlong '/'
      {"\xED\xA0\x80", "the label '\\xED\\xA0\\x80' is not valid UTF-8"},           // a surrogate
      {"\xF4\x90\x80\x80", "the label '\\xF4\\x90\\x80\\x80' is not valid UTF-8"},  // above U+10FFFF
      {"a\xE2\x82", "the label 'a\\xE2\\x82' is not valid UTF-8"},                  // cut short
      {"a\nb", "the label 'a\\nb' contains a control character (U+000A)"},
      {"a\tb", "the label 'a\\tb' contains a control character (U+0009)"},
      {std::string("a\0b", 3), "the label 'a\\x00b' contains a control character (U+0000)"},
      {"a\x1B[31mred", "the label 'a\\x1B[31mred' contains a control character (U+001B)"},
      {"del\x7F", "the label 'del\\x7F' contains a control character (U+007F)"},
      // Valid UTF-8, so shown as terminal_line shows it.
      {"c1\xC2\x85", "the label '" + terminal_line("c1\xC2\x85") + "' contains a control character (U+0085)"},
      {"c1\xC2\x9B", "the label '" + terminal_line("c1\xC2\x9B") + "' contains a control character (U+009B)"},
      {"line\xE2\x80\xA8sep",
       "the label '" + terminal_line("line\xE2\x80\xA8sep") + "' contains a control character (U+2028)"},
      {"\xE2\x80\xAEmraf",
       "the label '" + terminal_line("\xE2\x80\xAEmraf") + "' contains a control character (U+202E)"},
      {".", "the label '.' is not a possible folder name"},
      {"..", "the label '..' is not a possible folder name"},
      {"a/b", "the label 'a/b' contains '/' (it must be usable as a folder name)"},
      {"../etc", "the label '../etc' contains '/' (it must be usable as a folder name)"},
      {"a\\b", "the label 'a\\b' contains '\\' (it must be usable as a folder name)"},
      {" alarm", "the label ' alarm' starts with whitespace"},
      {"alarm ", "the label 'alarm ' ends with whitespace"},
      {"\xC2\xA0"
       "alarm",
       "the label '\xC2\xA0"
       "alarm' starts with whitespace"},                                            // no-break space
      {"alarm\xE3\x80\x80", "the label 'alarm\xE3\x80\x80' ends with whitespace"},  // ideographic space
      {std::string(129, 'a'), "the label '" + std::string(129, 'a') + "' is 129 bytes long, more than 128"},
      {"", "a label cannot be empty"},
  };
  for (const auto& [label, message] : cases) {
    SCOPED_TRACE(label);
    EXPECT_EQ(error_of([&] { check_label(label); }), message);
    EXPECT_NE(name_problem(label), std::nullopt);
    // The same rules for the project name, and the message says which name it was.
    std::string project = message;
    project.replace(0, message.rfind("a label", 0) == 0 ? 7 : 9,
                    message.rfind("a label", 0) == 0 ? "a project name" : "the project name");
    EXPECT_EQ(error_of([&] { check_project_name(label); }), project);
  }
  // 128 bytes of a multi-byte character are fine, 129 are not, and a long name is cut in the message.
  std::string long_name;
  while (long_name.size() < 300) long_name += "\xC3\xA9";
  const std::string msg = error_of([&] { check_label(long_name); });
  EXPECT_NE(msg.find("is 300 bytes long, more than 128"), std::string::npos) << msg;
  EXPECT_LT(msg.size(), 300u);
}

// A label from a folder or file name that breaks the rules names the file and where the label came from;
// --label makes the same files fine.
TEST(Names, LabelsFromFileNamesGoThroughTheRules) {
  const fs::path root = test::fresh_dir("names-derived");
  const std::string r = root.string();
  const std::vector<std::tuple<std::string, fs::path, std::string>> cases = {
      // file to create, path to add, message
      {"rec/caf\xE9/x.wav", root / "rec",
       r + "/rec/caf\\xE9/x.wav: the label 'caf\\xE9' (from the folder name) is not valid UTF-8; pass "
           "--label"},
      {"one/caf\xE9/x.wav", root / "one/caf\xE9/x.wav",
       r + "/one/caf\\xE9/x.wav: the label 'caf\\xE9' (from the folder name) is not valid UTF-8; pass "
           "--label"},
      {"two/\xE9t\xE9.01.wav", root / "two",
       r + "/two/\\xE9t\\xE9.01.wav: the label '\\xE9t\\xE9' (from the file name) is not valid UTF-8; pass "
           "--label"},
      {"three/a\nb/x.wav", root / "three",
       r + "/three/a\\nb/x.wav: the label 'a\\nb' (from the folder name) contains a control character "
           "(U+000A); "
           "pass --label"},
      {"four/alarm /x.wav", root / "four",
       r + "/four/alarm /x.wav: the label 'alarm ' (from the folder name) ends with whitespace; pass "
           "--label"},
      {"five/a\\b/x.wav", root / "five",
       r + "/five/a\\b/x.wav: the label 'a\\b' (from the folder name) contains '\\' (it must be usable as a "
           "folder name); pass --label"},
      // C1 characters are valid UTF-8: how they are shown is terminal_line's business.
      {"six/x\xC2\x9B"
       "1.01.wav",
       root / "six",
       terminal_line(r + "/six/x\xC2\x9B"
                         "1.01.wav") +
           ": the label '" +
           terminal_line("x\xC2\x9B"
                         "1") +
           "' (from the file name) contains a control character (U+009B); pass --label"},
  };
  for (const auto& [file, path, message] : cases) {
    SCOPED_TRACE(file);
    test::write_text(root / file, "x");
    EXPECT_EQ(error_of([&] { collect_ingest_files({path}, std::nullopt); }), message);
    EXPECT_EQ(collect_ingest_files({path}, std::string("ok")).at(0).label, "ok");
  }
  // Only the name the label comes from matters: rule 4 takes the folder, so an odd file name is fine.
  test::write_text(root / "seven" / "caf\xE9.wav", "x");
  EXPECT_EQ(collect_ingest_files({root / "seven" / "caf\xE9.wav"}, std::nullopt).at(0).label, "seven");
  // --label itself.
  EXPECT_EQ(error_of([&] { collect_ingest_files({root / "seven"}, std::string("a/b")); }),
            "the label 'a/b' contains '/' (it must be usable as a folder name)");
}

}  // namespace
}  // namespace kiln
