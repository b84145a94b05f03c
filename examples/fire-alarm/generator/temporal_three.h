// The smoke alarm: the temporal-three evacuation pattern of ISO 8201 / NFPA 72 (three 0.5 s tones 0.5 s
// apart, then 1.5 s of silence; a 4 s period) played by a piezo sounder near 3.2 kHz.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "generator/random.h"
#include "generator/tone.h"

namespace kiln::firealarm {

struct TemporalThree {
  double frequency_hz = 3200;
  std::vector<Partial> partials;
  double on_seconds = 0.5;
  double off_seconds = 0.5;
  double pause_seconds = 1.5;
  double phase_seconds = 0;  // where in the period the clip starts
  double attack_seconds = 0.005;
  double release_seconds = 0.01;
  double wobble_depth = 0.003;  // relative frequency wobble
  double wobble_hz = 6;
  double beep_detune = 0.002;  // standard deviation of each beep's frequency offset (relative)
  double beep_level_db = 0.5;  // standard deviation of each beep's level (dB)

  double period_seconds() const { return 3 * on_seconds + 2 * off_seconds + pause_seconds; }
};

// A random alarm. Timing stays inside ISO 8201's tolerances and on the side that keeps every 2 s window
// honest: tones 0.50-0.55 s, gaps 0.45-0.55 s, pause 1.35-1.50 s, so a 2 s window always holds at least 0.5 s
// of tone.
TemporalThree random_temporal_three(Random& rng);

// The pattern from `phase_seconds - preroll_seconds` for `preroll_seconds + seconds`: the preroll lets a
// room's reverberation build up before the clip begins. `rng` draws each beep's small detune and level
// change.
std::vector<float> render_temporal_three(const TemporalThree& alarm, double seconds, double preroll_seconds,
                                         Random& rng);

nlohmann::json to_json(const TemporalThree& alarm);

}  // namespace kiln::firealarm
