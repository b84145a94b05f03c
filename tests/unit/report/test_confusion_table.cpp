// The terminal confusion matrix: content, alignment for any label length, colour that does not move columns.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "evaluate/metrics.h"

using namespace kiln;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Two classes of 4 windows each: a -> {a:2, b:1, uncertain:1}, b -> {a:1, b:2, uncertain:1}.
Metrics example(const std::vector<std::string>& labels) {
  return compute_metrics(
      labels, {0, 0, 0, 0, 1, 1, 1, 1},
      {0.9f, 0.1f, 0.8f, 0.2f, 0.2f, 0.8f, 0.6f, 0.4f, 0.1f, 0.9f, 0.25f, 0.75f, 0.85f, 0.15f, 0.5f, 0.5f},
      0.75);
}

// Every column is right-aligned: the header's last character of each column sits above the last character of
// that column's cell in every row (')' of "(count)" in data rows, a digit in the F1 row).
void expect_columns_aligned(const std::vector<std::string>& lines, const std::vector<std::string>& headers) {
  ASSERT_GE(lines.size(), 6u);
  const std::string& head = lines[0];
  for (const auto& h : headers) {
    const std::size_t end = head.find(h);
    ASSERT_NE(end, std::string::npos) << h;
    const std::size_t last = end + h.size() - 1;
    for (std::size_t r : {2u, 3u}) {
      ASSERT_LT(last, lines[r].size());
      EXPECT_EQ(lines[r][last], ')') << "row " << r << " column " << h << "\n" << lines[r];
    }
  }
}

}  // namespace

TEST(ConfusionTable, HasLabelsCountsPercentagesAndF1) {
  std::string t = confusion_table(example({"alarm", "noise"}), false);
  auto lines = lines_of(t);
  ASSERT_EQ(lines.size(), 6u) << t;  // header, rule, 2 rows, rule, F1
  EXPECT_NE(lines[0].find("alarm"), std::string::npos);
  EXPECT_NE(lines[0].find("noise"), std::string::npos);
  EXPECT_NE(lines[0].find("uncertain"), std::string::npos);
  // alarm row: 2 of 4 right, 1 confused, 1 uncertain.
  EXPECT_EQ(lines[2].rfind("alarm", 0), 0u);
  EXPECT_NE(lines[2].find("50.0% (2)"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("25.0% (1)"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[5].rfind("F1", 0), 0u);
  EXPECT_NE(lines[5].find("0.57"), std::string::npos) << lines[5];  // 4/7
  EXPECT_EQ(t.find('\033'), std::string::npos);
  expect_columns_aligned(lines, {"alarm", "noise", "uncertain"});
}

TEST(ConfusionTable, AlignsWithLongLabels) {
  const std::string long_label = "a_label_much_longer_than_any_cell_of_the_table";
  auto lines = lines_of(confusion_table(example({long_label, "b"}), false));
  ASSERT_EQ(lines.size(), 6u);
  for (const auto& l : lines) EXPECT_EQ(l.size(), lines[0].size()) << l;
  expect_columns_aligned(lines, {long_label, "uncertain"});
  EXPECT_EQ(lines[3].rfind("b ", 0), 0u);  // row labels are left-aligned in the first column
}

TEST(ConfusionTable, CountsUtf8LabelsByCodePoint) {
  auto lines = lines_of(confusion_table(example({"Küchenwecker", "Geräusch"}), false));
  for (const auto& l : lines) EXPECT_EQ(code_points(l), code_points(lines[0])) << l;
}

TEST(ConfusionTable, ColourDoesNotChangeLayout) {
  Metrics m = example({"alarm", "noise"});
  std::string plain = confusion_table(m, false);
  std::string coloured = confusion_table(m, true);
  EXPECT_NE(coloured.find("\033[32m"), std::string::npos);  // green diagonal
  EXPECT_NE(coloured.find("\033[31m"), std::string::npos);  // red confusions
  EXPECT_EQ(std::regex_replace(coloured, std::regex("\033\\[[0-9;]*m"), ""), plain);
}

TEST(ConfusionTable, ClassWithoutWindowsShowsDash) {
  Metrics m = compute_metrics({"a", "b"}, {0}, {0.9f, 0.1f}, 0.5);
  auto lines = lines_of(confusion_table(m, false));
  EXPECT_NE(lines[3].find("- (0)"), std::string::npos) << lines[3];
}
