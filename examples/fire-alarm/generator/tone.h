// One synthesized tone (a beep): a few harmonic partials, a raised-cosine attack and release, optional
// sinusoidal frequency modulation (a piezo's wobble, or a siren's sweep). Alarms and synthesized confusers
// are built from it.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::firealarm {

struct Partial {
  double ratio = 1;  // multiple of the fundamental
  double gain = 1;   // linear, relative to the fundamental
  // Rendered at (sample rate - ratio * f): what a harmonic above the Nyquist frequency becomes in a cheap ADC
  // without an anti-alias filter. Unfolded partials above the Nyquist frequency are dropped, as a proper
  // anti-alias filter would.
  bool folded = false;
};

struct Tone {
  double start_seconds = 0;  // may be negative: the tone began before the buffer
  double seconds = 0.5;
  double frequency_hz = 1000;
  std::vector<Partial> partials = {Partial{}};
  double attack_seconds = 0.005;
  double release_seconds = 0.01;
  double fm_depth = 0;  // relative: f(t) = f * (1 + fm_depth * sin(2 pi fm_hz t + fm_phase))
  double fm_hz = 0;
  double fm_phase = 0;
  double gain = 1;
};

// Adds `tone` into `out` (16 kHz); the parts that fall outside the buffer are skipped.
void add_tone(std::vector<float>& out, const Tone& tone);

// Timbres: a pure sine; a band-limited square wave (odd harmonics at 1/k); a piezo sounder (a strong
// fundamental, odd harmonics, a little second harmonic).
enum class Timbre { sine, square, piezo };
std::vector<Partial> timbre_partials(Timbre timbre, double frequency_hz);
const char* timbre_name(Timbre timbre);

nlohmann::json partials_json(const std::vector<Partial>& partials);

}  // namespace kiln::firealarm
