#include "generator/temporal_three.h"

#include <cmath>

#include "generator/audio_file.h"

namespace kiln::firealarm {

TemporalThree random_temporal_three(Random& rng) {
  TemporalThree a;
  a.frequency_hz = rng.uniform(2900, 3500);
  // A piezo disc driven by a square wave: a strong fundamental and odd harmonics, a trace of the second. At
  // 16 kHz only the fundamental and the second harmonic fit below the Nyquist frequency; the third (8.7-10.5
  // kHz) is dropped as an anti-alias filter would, or, for a quarter of the alarms, folded back as a cheap
  // ADC without one does.
  a.partials = {{1, 1, false},
                {2, std::pow(10.0, rng.uniform(-32, -16) / 20), false},
                {3, std::pow(10.0, rng.uniform(-14, -6) / 20), rng.chance(0.25)}};
  if (!a.partials[2].folded) a.partials.pop_back();
  a.on_seconds = rng.uniform(0.50, 0.55);
  a.off_seconds = rng.uniform(0.45, 0.55);
  a.pause_seconds = rng.uniform(1.35, 1.50);
  a.phase_seconds = rng.uniform(0, a.period_seconds());
  a.attack_seconds = rng.uniform(0.002, 0.015);
  a.release_seconds = rng.uniform(0.005, 0.03);
  a.wobble_depth = rng.uniform(0.001, 0.006);
  a.wobble_hz = rng.uniform(2, 12);
  a.beep_detune = rng.uniform(0, 0.002);
  a.beep_level_db = rng.uniform(0, 1);
  return a;
}

std::vector<float> render_temporal_three(const TemporalThree& a, double seconds, double preroll_seconds,
                                         Random& rng) {
  std::vector<float> out(static_cast<std::size_t>(std::lround((preroll_seconds + seconds) * kSampleRate)),
                         0.0f);
  const double period = a.period_seconds();
  // Buffer time b corresponds to pattern time b - preroll + phase.
  const double pattern_start = a.phase_seconds - preroll_seconds;
  const double pattern_end = pattern_start + preroll_seconds + seconds;
  for (double p = std::floor(pattern_start / period) * period; p < pattern_end; p += period) {
    for (int beep = 0; beep < 3; ++beep) {
      Tone t;
      t.start_seconds = p + beep * (a.on_seconds + a.off_seconds) - pattern_start;
      t.seconds = a.on_seconds;
      t.frequency_hz = a.frequency_hz * (1 + a.beep_detune * rng.normal());
      t.partials = a.partials;
      t.attack_seconds = a.attack_seconds;
      t.release_seconds = a.release_seconds;
      t.fm_depth = a.wobble_depth;
      t.fm_hz = a.wobble_hz;
      t.fm_phase = rng.uniform(0, 6.283185307179586);
      t.gain = std::pow(10.0, a.beep_level_db * rng.normal() / 20);
      add_tone(out, t);
    }
  }
  return out;
}

nlohmann::json to_json(const TemporalThree& a) {
  return {{"pattern", "temporal-three"},
          {"frequency_hz", a.frequency_hz},
          {"partials", partials_json(a.partials)},
          {"on_s", a.on_seconds},
          {"off_s", a.off_seconds},
          {"pause_s", a.pause_seconds},
          {"period_s", a.period_seconds()},
          {"phase_s", a.phase_seconds},
          {"attack_s", a.attack_seconds},
          {"release_s", a.release_seconds},
          {"wobble_depth", a.wobble_depth},
          {"wobble_hz", a.wobble_hz},
          {"beep_detune", a.beep_detune},
          {"beep_level_db", a.beep_level_db}};
}

}  // namespace kiln::firealarm
