#include "alarm_probe.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace kiln::test {

Recording read_recording(const std::filesystem::path& path) {
  Recording r;
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  EXPECT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  if (!f) return r;
  r.sample_rate = info.samplerate;
  r.channels = info.channels;
  r.bits = (info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16 ? 16 : 0;
  r.samples.resize(static_cast<std::size_t>(info.frames * info.channels));
  sf_readf_float(f, r.samples.data(), info.frames);
  sf_close(f);
  return r;
}

BandFrames alarm_band_frames(const std::vector<float>& x, int sample_rate) {
  BandFrames out;
  const auto n = static_cast<std::size_t>(out.frame_seconds * sample_rate);
  const auto hop = static_cast<std::size_t>(out.hop_seconds * sample_rate);
  const double pi = std::numbers::pi;
  std::vector<int> bins;
  for (int k = 0; k <= static_cast<int>(n / 2); ++k) {
    double hz = static_cast<double>(k) * sample_rate / static_cast<double>(n);
    if (hz >= 2800 && hz <= 3600) bins.push_back(k);
  }
  std::vector<double> w(n);
  for (std::size_t start = 0; start + n <= x.size(); start += hop) {
    double energy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      w[i] = x[start + i] * (0.5 - 0.5 * std::cos(2 * pi * static_cast<double>(i) / static_cast<double>(n)));
      energy += w[i] * w[i];
    }
    double band = 0;
    for (int k : bins) {
      double c = 2 * std::cos(2 * pi * k / static_cast<double>(n)), a = 0, b = 0;
      for (double v : w) {
        double s = v + c * a - b;
        b = a;
        a = s;
      }
      band += a * a + b * b - c * a * b;
    }
    out.fraction.push_back(energy > 0 ? 2 * band / (static_cast<double>(n) * energy) : 0);
    out.energy.push_back(energy);
  }
  return out;
}

std::vector<double> window_tone_seconds(const BandFrames& f, double clip_seconds) {
  std::vector<double> out;
  for (double s = 0; s + 2.0 <= clip_seconds + 1e-9; s += 0.25) {
    int on = 0;
    for (std::size_t i = 0; i < f.fraction.size(); ++i) {
      double t0 = static_cast<double>(i) * f.hop_seconds;
      if (t0 >= s - 1e-9 && t0 + f.frame_seconds <= s + 2.0 + 1e-9 && f.fraction[i] >= 0.2) ++on;
    }
    out.push_back(on * f.hop_seconds);
  }
  return out;
}

bool shows_temporal_three(const BandFrames& f) {
  if (f.energy.empty()) return false;
  double floor = *std::max_element(f.energy.begin(), f.energy.end()) * 1e-4;
  struct Run {
    double start, end;
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < f.fraction.size(); ++i) {
    if (f.fraction[i] < 0.25 || f.energy[i] < floor) continue;
    double t = static_cast<double>(i) * f.hop_seconds + f.frame_seconds / 2;
    if (!runs.empty() && t - runs.back().end <= 0.03 + 1e-9) {
      runs.back().end = t;
    } else {
      runs.push_back({t, t});
    }
  }
  // Onset to onset rather than end to start: reverberation stretches each tone but keeps the rhythm.
  for (std::size_t i = 0; i + 1 < runs.size(); ++i) {
    double a = runs[i].end - runs[i].start + f.hop_seconds;
    double b = runs[i + 1].end - runs[i + 1].start + f.hop_seconds;
    double onsets = runs[i + 1].start - runs[i].start;
    auto beep = [](double d) { return d >= 0.35 && d <= 0.95; };
    if (beep(a) && beep(b) && onsets >= 0.85 && onsets <= 1.2) return true;
  }
  return false;
}

}  // namespace kiln::test
