#include "data/ei_json_reader.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"

namespace kiln {
namespace {

float number(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number()) throw Error(where + " is not a number");
  float f = v.get<float>();
  if (!std::isfinite(f)) throw Error(where + " is outside the float range");
  return f;
}

}  // namespace

SampleData read_ei_json_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ..."; keep the readable
    // part.
    std::string what = e.what();
    std::size_t at = what.find("] ");
    throw Error(name + ": malformed JSON (" + (at == std::string::npos ? what : what.substr(at + 2)) + ")");
  }
  if (!doc.is_object() || !doc.contains("payload") || !doc["payload"].is_object()) {
    throw Error(name + ": not an Edge Impulse data file (no \"payload\" object)");
  }
  const nlohmann::json& payload = doc["payload"];
  if (!payload.contains("values")) throw Error(name + ": missing payload.values");
  if (!payload.contains("interval_ms")) throw Error(name + ": missing payload.interval_ms");
  const nlohmann::json& values = payload["values"];
  const nlohmann::json& interval = payload["interval_ms"];
  if (!values.is_array()) throw Error(name + ": payload.values is not an array");
  if (values.empty()) throw Error(name + ": payload.values is empty");
  if (!interval.is_number() || !(interval.get<double>() > 0)) {
    throw Error(name + ": payload.interval_ms must be a positive number");
  }

  SampleData out;
  out.frequency = 1000.0 / interval.get<double>();
  const bool flat = !values[0].is_array();
  if (payload.contains("sensors")) {
    const nlohmann::json& sensors = payload["sensors"];
    if (!sensors.is_array() || sensors.empty())
      throw Error(name + ": payload.sensors must be a non-empty array");
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      const nlohmann::json& s = sensors[i];
      if (!s.is_object() || !s.contains("name") || !s["name"].is_string()) {
        throw Error(name + ": payload.sensors[" + std::to_string(i) + "] has no \"name\"");
      }
      out.axis_names.push_back(s["name"].get<std::string>());
    }
    out.axes = static_cast<int>(sensors.size());
  } else {
    out.axes = flat ? 1 : static_cast<int>(values[0].size());
    if (out.axes < 1) throw Error(name + ": payload.values[0] is empty");
    for (int a = 0; a < out.axes; ++a) out.axis_names.push_back("axis" + std::to_string(a));
  }
  if (flat && out.axes != 1) {
    throw Error(name + ": payload.values is a flat list, but payload.sensors names " +
                std::to_string(out.axes) + " sensors (expected one array of " + std::to_string(out.axes) +
                " numbers per sample)");
  }

  const std::size_t axes = static_cast<std::size_t>(out.axes);
  out.values.reserve(values.size() * axes);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const nlohmann::json& row = values[i];
    const std::string where = name + ": payload.values[" + std::to_string(i) + "]";
    if (flat) {
      out.values.push_back(number(row, where));
      continue;
    }
    if (!row.is_array() || row.size() != axes) {
      throw Error(where + " is not an array of " + std::to_string(axes) + " numbers (one per sensor)");
    }
    for (std::size_t a = 0; a < axes; ++a) {
      out.values.push_back(number(row[a], where + "[" + std::to_string(a) + "]"));
    }
  }
  return out;
}

}  // namespace kiln
