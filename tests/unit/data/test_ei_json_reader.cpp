// Edge Impulse data-acquisition JSON: nested and flat values, sensors, and bad files.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "data/ei_json_reader.h"
#include "sample_files.h"

namespace kiln {
namespace {

using test::fresh_dir;
using test::write_text;

std::string json_error(const std::filesystem::path& path) {
  try {
    read_ei_json_file(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(EiJsonReader, ReadsSensorsAndValues) {
  auto dir = fresh_dir("json-ok");
  write_text(dir / "a.json", R"({"protected": {"ver": "v1", "alg": "none"}, "signature": "0",
    "payload": {"device_type": "TEST", "interval_ms": 16,
      "sensors": [{"name": "accX", "units": "m/s2"}, {"name": "accY", "units": "m/s2"}],
      "values": [[1, 2], [3.5, -4], [5, 6e1]]}})");
  SampleData d = read_ei_json_file(dir / "a.json");
  EXPECT_EQ(d.axes, 2);
  EXPECT_DOUBLE_EQ(d.frequency, 62.5);
  EXPECT_EQ(d.axis_names, (std::vector<std::string>{"accX", "accY"}));
  EXPECT_EQ(d.values, (std::vector<float>{1, 2, 3.5f, -4, 5, 60}));
}

// One axis as a flat list (how Edge Impulse stores audio), and without "sensors".
TEST(EiJsonReader, FlatValuesAndNoSensors) {
  auto dir = fresh_dir("json-flat");
  write_text(dir / "a.json",
             R"({"payload": {"interval_ms": 0.0625, "sensors": [{"name": "audio", "units": "wav"}],
                                  "values": [1, -2, 3]}})");
  SampleData d = read_ei_json_file(dir / "a.json");
  EXPECT_EQ(d.axes, 1);
  EXPECT_DOUBLE_EQ(d.frequency, 16000);
  EXPECT_EQ(d.values, (std::vector<float>{1, -2, 3}));
  write_text(dir / "b.json", R"({"payload": {"interval_ms": 10, "values": [[1, 2, 3], [4, 5, 6]]}})");
  d = read_ei_json_file(dir / "b.json");
  EXPECT_EQ(d.axes, 3);
  EXPECT_EQ(d.axis_names, (std::vector<std::string>{"axis0", "axis1", "axis2"}));
}

TEST(EiJsonReader, BadFilesNameTheFileAndTheProblem) {
  auto dir = fresh_dir("json-bad");
  const std::pair<const char*, const char*> cases[] = {
      {"{\"payload\": {\"interval_ms\": 10,\n \"values\": [1, 2,, 3]}}",
       "malformed JSON (parse error at line 2, column 18"},
      {"{\"payload\": ", "malformed JSON"},
      {"[1, 2]", "no \"payload\" object"},
      {R"({"values": [1]})", "no \"payload\" object"},
      {R"({"payload": {"interval_ms": 10}})", "missing payload.values"},
      {R"({"payload": {"values": [1, 2]}})", "missing payload.interval_ms"},
      {R"({"payload": {"interval_ms": 0, "values": [1]}})", "interval_ms must be a positive number"},
      {R"({"payload": {"interval_ms": "10", "values": [1]}})", "interval_ms must be a positive number"},
      {R"({"payload": {"interval_ms": 10, "values": {}}})", "payload.values is not an array"},
      {R"({"payload": {"interval_ms": 10, "values": []}})", "payload.values is empty"},
      {R"({"payload": {"interval_ms": 10, "values": [1, "x"]}})", "payload.values[1] is not a number"},
      {R"({"payload": {"interval_ms": 10, "values": [1, null]}})", "payload.values[1] is not a number"},
      {R"({"payload": {"interval_ms": 10, "values": [[1, 2], [3]]}})",
       "payload.values[1] is not an array of 2"},
      {R"({"payload": {"interval_ms": 10, "values": [[1, 2], [3, true]]}})",
       "payload.values[1][1] is not a number"},
      {R"({"payload": {"interval_ms": 10, "values": [[1e300]]}})", "outside the float range"},
      {R"({"payload": {"interval_ms": 10, "sensors": [{"name": "a"}, {"name": "b"}], "values": [1, 2]}})",
       "flat list, but payload.sensors names 2"},
      {R"({"payload": {"interval_ms": 10, "sensors": [{"units": "g"}], "values": [1]}})",
       "payload.sensors[0] has no \"name\""},
  };
  for (const auto& [text, expected] : cases) {
    write_text(dir / "bad.json", text);
    std::string msg = json_error(dir / "bad.json");
    EXPECT_EQ(msg.rfind((dir / "bad.json").string() + ": ", 0), 0u) << text << " -> " << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << text << " -> " << msg;
  }
}

// A number beyond the double range used to escape as nlohmann's out_of_range exception (an internal error,
// exit 3, no file named); now it is one line with the file and the position.
TEST(EiJsonReader, NumberOverflowNamesTheFileAndPosition) {
  auto dir = fresh_dir("json-overflow");
  write_text(dir / "a.json", "{\"payload\": {\"interval_ms\": 10,\n  \"values\": [1, 2, 1e400]}}");
  EXPECT_EQ(
      json_error(dir / "a.json"),
      (dir / "a.json").string() + ": malformed JSON (at line 2, column 24: number overflow parsing '1e400')");
  write_text(dir / "b.json", "{\"payload\": {\"interval_ms\": 1e999, \"values\": [1]}}");
  EXPECT_NE(json_error(dir / "b.json").find("b.json: malformed JSON (at line 1, column 33: number overflow"),
            std::string::npos)
      << json_error(dir / "b.json");
}

// Values beyond the float range are refused before the conversion (a double above FLT_MAX converted to
// float is undefined behaviour), and an interval too small for a finite frequency is refused.
TEST(EiJsonReader, RangesAreCheckedBeforeConverting) {
  auto dir = fresh_dir("json-range");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"payload": {"interval_ms": 10, "values": [3.5e38]}})",
       "payload.values[0] is outside the float range"},
      {R"({"payload": {"interval_ms": 10, "values": [-3.5e38]}})",
       "payload.values[0] is outside the float range"},
      {R"({"payload": {"interval_ms": 10, "values": [1, 18446744073709551615e30]}})",
       "payload.values[1] is outside"},
      {R"({"payload": {"interval_ms": 1e-320, "values": [1]}})", "gives no usable sampling frequency"},
  };
  for (const auto& [text, expected] : cases) {
    write_text(dir / "bad.json", text);
    std::string msg = json_error(dir / "bad.json");
    EXPECT_EQ(msg.rfind((dir / "bad.json").string() + ": ", 0), 0u) << text << " -> " << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << text << " -> " << msg;
  }
  write_text(dir / "max.json",
             R"({"payload": {"interval_ms": 10, "values": [3.4028234663852886e38, -1e-50]}})");
  EXPECT_EQ(read_ei_json_file(dir / "max.json").values, (std::vector<float>{3.4028234663852886e38f, -0.0f}));
}

// A parser's excerpt of the file is escaped and cut: one short line.
TEST(EiJsonReader, ParseErrorsAreOneShortLine) {
  auto dir = fresh_dir("json-long");
  write_text(dir / "a.json", "{\"payload\": " + std::string(100000, '7') + "x}");
  std::string msg = json_error(dir / "a.json");
  EXPECT_EQ(msg.rfind((dir / "a.json").string() + ": malformed JSON (", 0), 0u) << msg;
  EXPECT_LT(msg.size(), (dir / "a.json").string().size() + 300) << msg;
  write_text(dir / "b.json", "{\"payload\":\n\x01}");
  msg = json_error(dir / "b.json");
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\x01'), std::string::npos) << msg;
}

}  // namespace
}  // namespace kiln
