#include "generator/tone.h"

#include <cmath>
#include <numbers>

#include "generator/audio_file.h"

namespace kiln::firealarm {
namespace {

// Partials are kept below this (a little under the 8 kHz Nyquist frequency, where resampling filters roll
// off).
constexpr double kTopHz = 7600;

double envelope(double t, const Tone& tone) {
  constexpr double pi = std::numbers::pi;
  if (t < 0 || t >= tone.seconds) return 0;
  double a = std::min(tone.attack_seconds, tone.seconds / 2);
  double r = std::min(tone.release_seconds, tone.seconds / 2);
  if (t < a) return 0.5 - 0.5 * std::cos(pi * t / a);
  double left = tone.seconds - t;
  if (left < r) return 0.5 - 0.5 * std::cos(pi * left / r);
  return 1;
}

}  // namespace

void add_tone(std::vector<float>& out, const Tone& tone) {
  constexpr double two_pi = 2 * std::numbers::pi;
  const double fs = kSampleRate;
  const double fmax = tone.frequency_hz * (1 + std::abs(tone.fm_depth));
  const double fmin = tone.frequency_hz * (1 - std::abs(tone.fm_depth));

  struct Voice {
    double ratio, gain;
    bool folded;
    double phase = 0;
  };
  std::vector<Voice> voices;
  for (const Partial& p : tone.partials) {
    if (!p.folded && p.ratio * fmax >= kTopHz) continue;
    if (p.folded) {
      // folded partials must land inside (0, kTopHz) over the whole modulation range
      double lo = fs - p.ratio * fmax, hi = fs - p.ratio * fmin;
      if (lo <= 50 || hi >= kTopHz || p.ratio * fmin < fs / 2) continue;
    }
    voices.push_back({p.ratio, p.gain, p.folded});
  }
  if (voices.empty()) return;

  auto first = static_cast<long>(std::floor(tone.start_seconds * fs));
  auto count = static_cast<long>(std::ceil(tone.seconds * fs)) + 1;
  const auto size = static_cast<long>(out.size());
  for (long i = 0; i < count; ++i) {
    long n = first + i;
    if (n >= size) break;
    double t = (static_cast<double>(n) - tone.start_seconds * fs) / fs;
    double f = tone.frequency_hz * (1 + tone.fm_depth * std::sin(two_pi * tone.fm_hz * t + tone.fm_phase));
    double sum = 0;
    for (Voice& v : voices) {
      double fv = v.folded ? fs - v.ratio * f : v.ratio * f;
      sum += v.gain * std::sin(v.phase);
      v.phase += two_pi * fv / fs;  // fv < fs, so one subtraction keeps the phase in [0, 2 pi)
      if (v.phase >= two_pi) v.phase -= two_pi;
    }
    if (n >= 0) out[static_cast<std::size_t>(n)] += static_cast<float>(tone.gain * envelope(t, tone) * sum);
  }
}

std::vector<Partial> timbre_partials(Timbre timbre, double frequency_hz) {
  std::vector<Partial> partials;
  switch (timbre) {
    case Timbre::sine:
      partials.push_back({1, 1, false});
      break;
    case Timbre::square:
      for (int k = 1; k * frequency_hz < kTopHz; k += 2) partials.push_back({double(k), 1.0 / k, false});
      break;
    case Timbre::piezo:
      partials = {{1, 1, false}, {2, 0.08, false}, {3, 0.3, false}, {5, 0.1, false}};
      break;
  }
  return partials;
}

const char* timbre_name(Timbre timbre) {
  switch (timbre) {
    case Timbre::sine:
      return "sine";
    case Timbre::square:
      return "square";
    case Timbre::piezo:
      return "piezo";
  }
  return "?";
}

nlohmann::json partials_json(const std::vector<Partial>& partials) {
  nlohmann::json out = nlohmann::json::array();
  for (const Partial& p : partials) {
    nlohmann::json j = {{"ratio", p.ratio}, {"gain", p.gain}};
    if (p.folded) j["folded"] = true;
    out.push_back(j);
  }
  return out;
}

}  // namespace kiln::firealarm
