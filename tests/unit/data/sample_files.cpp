#include "sample_files.h"

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kiln::test {

namespace {

// Directories fresh_dir made, removed when the test program exits.
struct CreatedDirs {
  std::vector<std::filesystem::path> dirs;
  ~CreatedDirs() {
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};

CreatedDirs& created_dirs() {
  static CreatedDirs dirs;
  return dirs;
}

}  // namespace

std::filesystem::path fresh_dir(const std::string& name) {
  auto p =
      std::filesystem::temp_directory_path() / ("kiln-data-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  created_dirs().dirs.push_back(p);
  return p;
}

void write_audio(const std::filesystem::path& path, int format, int rate, int channels,
                 const std::vector<float>& interleaved) {
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) throw std::runtime_error("cannot write " + path.string() + ": " + sf_strerror(nullptr));
  // Write float data into integer formats without libsndfile's clipping surprises: values stay within [-1,
  // 1).
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

void write_tone(const std::filesystem::path& path, int format, int rate, int channels, double seconds,
                double hz, double amplitude, double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const std::size_t n = static_cast<std::size_t>(std::llround(seconds * rate));
  std::vector<float> v(n * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < n; ++i) {
    double x = amplitude * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate) + noise * u(rng);
    for (int c = 0; c < channels; ++c) v[i * channels + c] = static_cast<float>(x);
  }
  write_audio(path, format, rate, channels, v);
}

std::vector<float> int16_noise(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> u(-12000, 12000);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(u(rng) / 32768.0);
  return v;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

int zero_crossings(const std::vector<float>& values) {
  int n = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    if ((values[i - 1] < 0) != (values[i] < 0)) ++n;
  }
  return n;
}

}  // namespace kiln::test
