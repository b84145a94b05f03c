#include "data/ei_json_reader.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "core/quote.h"
#include "data/sample_limits.h"

namespace kiln {
namespace {

float number(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number()) throw Error(where + " is not a number");
  // Range-checked as a double: converting a double beyond FLT_MAX to float is undefined behaviour.
  const double d = v.get<double>();
  if (!std::isfinite(d) || std::abs(d) > FLT_MAX) throw Error(where + " is outside the float range");
  return static_cast<float>(d);
}

// nlohmann's DOM parser throws most errors with their line and column, but some (a number beyond the double
// range, "1e400") without any position. This SAX handler builds the same document with the same parser and
// keeps the byte offset and message of the first error instead of throwing.
class DomParser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  explicit DomParser(nlohmann::json& doc) : json_sax_dom_parser(doc, false) {}
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    position_ = position;
    message_ = e.what();
    return false;
  }
  std::size_t position_ = 0;
  std::string message_;
};

// One line for a parser error: "malformed JSON (parse error at line 2, column 18: ...)".
std::string json_error(const std::string& name, std::string_view text, const DomParser& parser) {
  // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ..."; keep the readable
  // part, and add the position when it does not say it.
  std::string what = parser.message_;
  const std::size_t at = what.find("] ");
  if (at != std::string::npos) what = what.substr(at + 2);
  if (what.find(" at line ") == std::string::npos) {
    const std::size_t end = std::min(parser.position_, text.size());
    const std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
    const std::size_t column = line_start == std::string_view::npos ? end : end - line_start - 1;
    what = "at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
  }
  return name + ": malformed JSON (" + terminal_line(what, 200) + ")";
}

}  // namespace

SampleData read_ei_json_file(const std::filesystem::path& path) {
  const std::string name = display_path(path);
  const std::string text = read_file(path, kMaxTextSampleBytes);
  nlohmann::json doc;
  DomParser parser(doc);
  if (!nlohmann::json::sax_parse(text, &parser)) throw Error(json_error(name, text, parser));
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
  if (!std::isfinite(out.frequency)) {
    throw Error(name + ": payload.interval_ms " + interval.dump() + " gives no usable sampling frequency");
  }
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
