// CSV time series: timestamp column and units, frequency from the timestamps, and every kind of bad file.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "data/csv_reader.h"
#include "sample_files.h"

namespace kiln {
namespace {

using test::fresh_dir;
using test::write_text;

// Runs the reader and returns the error message ("" when it succeeds).
std::string csv_error(const std::filesystem::path& path) {
  try {
    read_csv_file(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(CsvReader, ReadsAxesAndInfersFrequencyFromMilliseconds) {
  auto dir = fresh_dir("csv-ok");
  write_text(dir / "a.csv", "timestamp,accX,accY,accZ\n0,1,2,3\n10,4,5,6\n20,7,8,9.5\n30,-1,-2,-3e2\n");
  SampleData d = read_csv_file(dir / "a.csv");
  EXPECT_EQ(d.axes, 3);
  EXPECT_DOUBLE_EQ(d.frequency, 100);
  EXPECT_EQ(d.axis_names, (std::vector<std::string>{"accX", "accY", "accZ"}));
  EXPECT_EQ(d.values, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9.5f, -1, -2, -300}));
}

TEST(CsvReader, TimestampUnitsFromTheColumnName) {
  auto dir = fresh_dir("csv-units");
  const std::pair<const char*, double> cases[] = {
      {"time", 100},   {"t", 100},     {"ms", 100},      {"time_ms", 100}, {"Timestamp (ms)", 100},
      {"time_s", 0.1}, {"t [s]", 0.1}, {"seconds", 0.1}, {"time_us", 1e5}, {"micros", 1e5},
  };
  for (const auto& [column, hz] : cases) {
    write_text(dir / "a.csv", std::string("x,") + column + "\n1,0\n2,10\n3,20\n");
    SampleData d = read_csv_file(dir / "a.csv");
    EXPECT_NEAR(d.frequency, hz, hz * 1e-12) << column;
    EXPECT_EQ(d.axis_names, std::vector<std::string>{"x"}) << column;
    EXPECT_EQ(d.values, (std::vector<float>{1, 2, 3})) << column;
  }
}

// Semicolons, tabs, quotes, CRLF line ends, a byte order mark and blank lines are all fine.
TEST(CsvReader, ToleratesCommonDialects) {
  auto dir = fresh_dir("csv-dialects");
  write_text(dir / "a.csv", "\xEF\xBB\xBF\"time\";\"v\"\r\n0;1.5\r\n\r\n20;+2\r\n40; 3 \r\n");
  SampleData d = read_csv_file(dir / "a.csv");
  EXPECT_DOUBLE_EQ(d.frequency, 50);
  EXPECT_EQ(d.values, (std::vector<float>{1.5f, 2, 3}));
  write_text(dir / "b.csv", "t\ta\tb\n0\t1\t2\n5\t3\t4\n");
  d = read_csv_file(dir / "b.csv");
  EXPECT_EQ(d.axes, 2);
  EXPECT_DOUBLE_EQ(d.frequency, 200);
}

// Timestamps rounded to whole milliseconds (30 Hz: 33 or 34 ms apart) are regular enough.
TEST(CsvReader, AcceptsRoundedTimestamps) {
  auto dir = fresh_dir("csv-rounded");
  std::string text = "timestamp,v\n";
  for (int i = 0; i < 91; ++i)
    text += std::to_string(static_cast<int>(i * 1000.0 / 30 + 0.5)) + "," + std::to_string(i) + "\n";
  write_text(dir / "a.csv", text);
  EXPECT_NEAR(read_csv_file(dir / "a.csv").frequency, 30, 1e-9);
}

TEST(CsvReader, BadFilesNameTheFileLineAndColumn) {
  auto dir = fresh_dir("csv-bad");
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty file"},
      {"\n  \n", "empty file"},
      {"timestamp,x\n", "at least two data rows"},
      {"timestamp,x\n0,1\n", "at least two data rows"},
      {"a,b\n0,1\n10,2\n", "no timestamp column"},
      {"timestamp\n0\n10\n", "no data columns"},
      {"time,t,x\n0,0,1\n", "two timestamp columns"},
      {"timestamp,x,y\n0,1,2\n10,nan,3\n", "line 3, column 2 (x): NaN"},
      {"timestamp,x,y\n0,1,2\n10,1,abc\n", "line 3, column 3 (y): 'abc' is not a number"},
      {"timestamp,x,y\n0,1,2\n10,1,2x\n", "line 3, column 3 (y): '2x' is not a number"},
      {"timestamp,x,y\n0,1,2\n10,inf,2\n", "line 3, column 2 (x): 'inf' is not a finite number"},
      {"timestamp,x,y\n0,1,2\n10,,2\n", "line 3, column 2 (x): empty cell"},
      {"timestamp,x,y\n0,1,2\n10,1\n", "line 3 has 2 columns, the header has 3"},
      {"timestamp,x,y\n0,1,2\n10,1,2,3\n", "line 3 has 4 columns, the header has 3"},
      {"timestamp,x\n0,1\n10,2\n25,3\n30,4\n40,5\n", "line 4: irregular timestamps"},
      {"timestamp,x\n0,1\n10,2\n20,3\n40,4\n50,5\n60,6\n", "line 5: irregular timestamps"},
      {"timestamp,x\n0,1\n10,2\n10,3\n", "line 4: timestamp 10 does not come after"},
      {"timestamp,x\n20,1\n10,2\n0,3\n", "line 3: timestamp 10 does not come after"},
  };
  for (const auto& [text, expected] : cases) {
    write_text(dir / "bad.csv", text);
    std::string msg = csv_error(dir / "bad.csv");
    EXPECT_NE(msg.find((dir / "bad.csv").string() + ": "), std::string::npos) << text << " -> " << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << text << " -> " << msg;
  }
}

}  // namespace
}  // namespace kiln
