// What the file-reader fuzz targets share. The readers take a path (they check the file before reading it,
// and libsndfile opens it itself), so every input is written to a file in this process's own temporary
// directory first: the code under test is exactly what `kiln add` and `load_impulse` run.
//
// The contract checked: a reader either returns a well-formed result or throws kiln::Error whose message is
// one line of valid UTF-8 without control characters and of bounded length. Any other exception is an
// internal error (exit 3 in the CLI) and aborts, as do ASan and UBSan findings.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/quote.h"
#include "data/sample_data.h"
#include "data/sample_reader.h"

namespace kiln::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz contract violation: %s\n", what.c_str());
  std::abort();
}

// A directory of this process (libFuzzer's -jobs run several): kiln-fuzz-<pid>, on tmpfs when there is one.
// libFuzzer ends with _Exit, which runs no exit handlers, so each process removes the directories of
// processes that are gone instead.
inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("kiln-fuzz-", 0) != 0) continue;
      const std::string digits = name.substr(10);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
      if (::kill(static_cast<pid_t>(std::stol(digits)), 0) != 0 && errno == ESRCH) {
        std::filesystem::remove_all(entry.path(), ec);
      }
    }
    const std::filesystem::path mine = base / ("kiln-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(mine, ec);  // left by an earlier process with the same pid
    if (!std::filesystem::create_directory(mine, ec)) fail("cannot create " + mine.string());
    return mine;
  }();
  return dir;
}

// Writes the input to work_dir()/name and returns that path.
inline std::filesystem::path write_input(const std::string& name, const std::uint8_t* data,
                                         std::size_t size) {
  const std::filesystem::path path = work_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) fail("cannot write " + path.string());
  return path;
}

// A kiln::Error's message: one line of printable UTF-8, at most 600 bytes besides the file's path.
inline void check_message(const Error& e, const std::filesystem::path& path) {
  const std::string m = e.what();
  for (unsigned char c : m) {
    if (c < 0x20 || c == 0x7F)
      fail("control character " + std::to_string(c) + " in the message: " + quote(m, 2000));
  }
  if (!is_valid_utf8(m)) fail("message is not UTF-8: " + quote(m, 2000));
  if (m.size() > path.native().size() + 600)
    fail("message of " + std::to_string(m.size()) + " bytes: " + quote(m, 2000));
}

// A reader's result: axes, names and values consistent, names UTF-8, frequency and values finite.
inline void check_sample(const SampleData& d) {
  if (d.axes < 1) fail("axes = " + std::to_string(d.axes));
  if (d.values.empty() || d.values.size() % static_cast<std::size_t>(d.axes) != 0) {
    fail(std::to_string(d.values.size()) + " values for " + std::to_string(d.axes) + " axes");
  }
  if (d.axis_names.size() != static_cast<std::size_t>(d.axes)) fail("axis names do not match the axes");
  for (const auto& n : d.axis_names) {
    if (!is_valid_utf8(n)) fail("axis name is not UTF-8: " + quote(n));
  }
  if (!std::isfinite(d.frequency) || !(d.frequency > 0)) fail("frequency " + std::to_string(d.frequency));
  for (float v : d.values) {
    if (!std::isfinite(v)) fail("a value is not finite");
  }
}

// The CSV and JSON targets: read the file again with read_sample_file for a 100 Hz time-series impulse with
// d's axes (the axis checks and the resampler), when the resampling is small: libsamplerate's best sinc
// filter is slow, and fuzzing wants thousands of runs a second.
inline void convert_for_timeseries_impulse(const std::filesystem::path& path, const SampleData& d) {
  if (d.axes > 64) return;  // kiln.toml allows at most 64 axes
  const double frames = static_cast<double>(d.length());
  if (frames > 4096 || frames * 100.0 / d.frequency > 16384) return;
  InputSettings input;
  input.type = "timeseries";
  input.frequency = 100;
  input.axes = d.axes;
  const SampleData c = read_sample_file(path, input);
  check_sample(c);
  if (c.axes != d.axes || c.frequency != input.frequency) fail("not converted to the impulse's input");
}

// Runs `body`; a kiln::Error must have a well-formed message, any other exception is a finding.
template <typename Body>
void expect_only_kiln_errors(const std::filesystem::path& path, Body body) {
  try {
    body();
  } catch (const Error& e) {
    check_message(e, path);
  } catch (const std::exception& e) {
    fail(std::string("an exception that is not kiln::Error (an internal error): ") + e.what());
  } catch (...) {
    fail("an exception that is not a std::exception");
  }
}

}  // namespace kiln::fuzz
