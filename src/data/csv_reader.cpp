#include "data/csv_reader.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>

#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "core/quote.h"
#include "data/sample_limits.h"

namespace kiln {
namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> cells;
  for (;;) {
    std::size_t at = line.find(sep);
    cells.push_back(trim(line.substr(0, at)));
    if (at == std::string_view::npos) return cells;
    line.remove_prefix(at + 1);
  }
}

// Seconds per unit of a timestamp column, or nothing when `header` does not name a timestamp column.
std::optional<double> timestamp_unit(std::string_view header) {
  std::vector<std::string> words;
  std::string word;
  for (char c : header) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  auto unit = [](const std::string& w) -> std::optional<double> {
    if (w == "ms" || w == "msec" || w == "millis" || w == "millisecond" || w == "milliseconds") return 1e-3;
    if (w == "s" || w == "sec" || w == "secs" || w == "second" || w == "seconds") return 1.0;
    if (w == "us" || w == "usec" || w == "micros" || w == "microsecond" || w == "microseconds") return 1e-6;
    return std::nullopt;
  };
  auto is_time = [](const std::string& w) { return w == "timestamp" || w == "time" || w == "t"; };
  if (words.size() == 1 && is_time(words[0])) return 1e-3;
  if (words.size() == 1) return unit(words[0]);
  if (words.size() == 2 && is_time(words[0])) return unit(words[1]);
  return std::nullopt;
}

}  // namespace

SampleData read_csv_file(const std::filesystem::path& path) {
  const std::string name = display_path(path);
  const std::string text = read_file(path, kMaxTextSampleBytes);
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 byte order mark
  if (rest.substr(0, 2) == "\xFF\xFE" || rest.substr(0, 2) == "\xFE\xFF") {
    throw Error(name + ": the file is UTF-16 text; save it as UTF-8 (or ASCII)");
  }

  // Lines with their 1-based numbers; blank lines are skipped.
  std::vector<std::pair<int, std::string_view>> lines;
  for (int number = 1; !rest.empty(); ++number) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.emplace_back(number, line);
  }
  if (lines.empty()) throw Error(name + ": empty file (expected a CSV header row and data rows)");

  std::string_view header_line = lines[0].second;
  char sep = ',';
  std::size_t best = 0;
  for (char c : {',', ';', '\t'}) {
    std::size_t n = static_cast<std::size_t>(std::count(header_line.begin(), header_line.end(), c));
    if (n > best) best = n, sep = c;
  }
  std::vector<std::string_view> header = split(header_line, sep);
  // Column names become axis names, which end up in JSON, SQLite and HTML: they must be UTF-8 (a header
  // saved as Latin-1 is not).
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (!is_valid_utf8(header[c])) {
      throw Error(name + ": line " + std::to_string(lines[0].first) + ", column " + std::to_string(c + 1) +
                  ": the name " + quote(header[c]) +
                  " is not valid UTF-8 (Latin-1 or another legacy encoding?); save the file as UTF-8");
    }
  }
  int time_column = -1;
  double seconds_per_unit = 0;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (auto unit = timestamp_unit(header[c])) {
      if (time_column >= 0) {
        throw Error(name + ": two timestamp columns (" + quote(header[time_column]) + " and " +
                    quote(header[c]) + ")");
      }
      time_column = static_cast<int>(c);
      seconds_per_unit = *unit;
    }
  }
  if (time_column < 0) {
    throw Error(name +
                ": no timestamp column in the header (name one column timestamp, time, t, time_ms or "
                "time_s; plain 'timestamp' is in milliseconds)");
  }
  if (header.size() < 2) throw Error(name + ": no data columns besides the timestamp");
  if (lines.size() < 3) {
    throw Error(name + ": needs at least two data rows to infer the sampling frequency from the timestamps");
  }

  SampleData out;
  out.axes = static_cast<int>(header.size()) - 1;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (static_cast<int>(c) != time_column) out.axis_names.emplace_back(header[c]);
  }
  std::vector<double> times;
  times.reserve(lines.size() - 1);
  out.values.reserve((lines.size() - 1) * static_cast<std::size_t>(out.axes));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda below.
    const int number = lines[i].first;
    const std::string_view line = lines[i].second;
    std::vector<std::string_view> cells = split(line, sep);
    if (cells.size() != header.size()) {
      throw Error(name + ": line " + std::to_string(number) + " has " + std::to_string(cells.size()) +
                  " columns, the header has " + std::to_string(header.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      auto where = [&] {
        return name + ": line " + std::to_string(number) + ", column " + std::to_string(c + 1) + " (" +
               terminal_line(header[c], 40) + "): ";
      };
      std::string_view cell = cells[c];
      if (cell.empty()) throw Error(where() + "empty cell");
      std::string_view digits = cell.front() == '+' ? cell.substr(1) : cell;
      double v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        throw Error(where() + quote(cell) + " is not a number");
      }
      if (std::isnan(v)) throw Error(where() + "NaN is not a valid value");
      if (!std::isfinite(v)) throw Error(where() + quote(cell) + " is not a finite number");
      if (static_cast<int>(c) == time_column) {
        times.push_back(v);
      } else {
        // Samples are float32: a value beyond its range would become infinity (found by fuzz_csv_reader).
        if (std::abs(v) > FLT_MAX) throw Error(where() + quote(cell) + " is outside the float range");
        out.values.push_back(static_cast<float>(v));
      }
    }
  }

  const double mean = (times.back() - times.front()) / static_cast<double>(times.size() - 1);
  for (std::size_t i = 1; i < times.size(); ++i) {
    const double d = times[i] - times[i - 1];
    const int number = lines[i + 1].first;
    if (d <= 0) {
      throw Error(name + ": line " + std::to_string(number) + ": timestamp " + format_number(times[i]) +
                  " does not come after the previous row's " + format_number(times[i - 1]) +
                  " (timestamps must increase)");
    }
  }
  // Irregularity is checked only once the order is known to be right (a step back would distort the mean).
  for (std::size_t i = 1; i < times.size(); ++i) {
    const double d = times[i] - times[i - 1];
    const int number = lines[i + 1].first;
    if (std::abs(d - mean) > 0.2 * mean) {
      throw Error(name + ": line " + std::to_string(number) + ": irregular timestamps (" + format_number(d) +
                  " after the previous row, the mean interval is " + format_number(mean) +
                  "); Kiln needs a fixed sampling rate (every interval within 20% of the mean)");
    }
  }
  out.frequency = 1.0 / (mean * seconds_per_unit);
  // Timestamps near the double range's ends (1e308, 1e-320) give no usable rate.
  if (!std::isfinite(out.frequency) || !(out.frequency > 0)) {
    throw Error(name + ": the timestamps give a sampling frequency of " + format_number(out.frequency) +
                " Hz (from a mean interval of " + format_number(mean) + ")");
  }
  return out;
}

}  // namespace kiln
