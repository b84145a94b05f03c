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

}  // namespace
}  // namespace kiln
