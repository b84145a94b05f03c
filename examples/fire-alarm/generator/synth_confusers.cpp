#include "generator/synth_confusers.h"

#include <algorithm>
#include <cmath>

#include "generator/audio_file.h"
#include "generator/tone.h"

namespace kiln::firealarm {
namespace {

constexpr double kTwoPi = 6.283185307179586;

Timbre random_timbre(Random& rng) {
  return static_cast<Timbre>(rng.below(3));
}

// Pitches for rhythms with alarm-length tones: clear of the alarm band on both sides.
double pitch_outside_alarm_band(Random& rng) {
  return rng.chance(0.5) ? rng.log_uniform(600, 2500) : rng.uniform(3900, 5500);
}

Tone beep(double start, double seconds, double frequency_hz, Timbre timbre, Random& rng) {
  Tone t;
  t.start_seconds = start;
  t.seconds = seconds;
  t.frequency_hz = frequency_hz;
  t.partials = timbre_partials(timbre, frequency_hz);
  t.attack_seconds = rng.uniform(0.002, 0.01);
  t.release_seconds = rng.uniform(0.005, 0.02);
  t.fm_depth = rng.uniform(0, 0.004);
  t.fm_hz = rng.uniform(2, 10);
  t.fm_phase = rng.uniform(0, kTwoPi);
  return t;
}

std::vector<float> silence(double seconds) {
  return std::vector<float>(static_cast<std::size_t>(std::lround(seconds * kSampleRate)), 0.0f);
}

Stem chirp(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  bool low_battery = rng.chance(0.5);
  double f = low_battery ? rng.uniform(2900, 3500) : rng.log_uniform(500, 5000);
  Timbre timbre = low_battery ? Timbre::piezo : random_timbre(rng);
  double length = low_battery ? rng.uniform(0.03, 0.1) : rng.uniform(0.03, 0.2);
  int count = 0;
  for (double t = rng.uniform(0, std::min(1.0, seconds - 0.3)); t + length < seconds && count < 3;
       t += rng.uniform(1.2, 3.0)) {
    add_tone(s.samples, beep(t, length, f, timbre, rng));
    ++count;
  }
  s.recipe = {{"variant", low_battery ? "low-battery chirp" : "beep"},
              {"frequency_hz", f},
              {"timbre", timbre_name(timbre)},
              {"beep_s", length},
              {"beeps", count}};
  return s;
}

Stem alarm_clock(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  double f = rng.uniform(2000, 4200);
  Timbre timbre = random_timbre(rng);
  int per_group = 2 + static_cast<int>(rng.below(4));
  double on = rng.uniform(0.05, 0.12), off = rng.uniform(0.05, 0.12), pause = rng.uniform(0.4, 1.0);
  double period = per_group * (on + off) + pause;
  for (double g = -rng.uniform(0, period); g < seconds; g += period) {
    for (int i = 0; i < per_group; ++i) add_tone(s.samples, beep(g + i * (on + off), on, f, timbre, rng));
  }
  s.recipe = {{"frequency_hz", f},
              {"timbre", timbre_name(timbre)},
              {"beeps_per_group", per_group},
              {"on_s", on},
              {"off_s", off},
              {"pause_s", pause}};
  return s;
}

Stem co_alarm(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  double f = rng.uniform(2900, 3500);
  double on = 0.1 * rng.uniform(0.9, 1.1), off = 0.1 * rng.uniform(0.9, 1.1), pause = rng.uniform(4.5, 5.5);
  double period = 4 * on + 3 * off + pause;
  for (double g = rng.uniform(0, std::min(1.5, seconds - 0.8)); g < seconds; g += period) {
    for (int i = 0; i < 4; ++i) add_tone(s.samples, beep(g + i * (on + off), on, f, Timbre::piezo, rng));
  }
  s.recipe = {
      {"pattern", "temporal-four"}, {"frequency_hz", f}, {"on_s", on}, {"off_s", off}, {"pause_s", pause}};
  return s;
}

Stem steady_tone(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  // A steady tone in the alarm band is the hardest confuser (only the rhythm tells it apart), so 40% are
  // there.
  double f = rng.chance(0.4) ? rng.uniform(2800, 3600) : rng.log_uniform(300, 5000);
  Timbre timbre = random_timbre(rng);
  double start = -0.1, length = seconds + 0.2;  // the whole clip...
  // ...or, away from the alarm band, at least 1.5 s inside it. Near the band a tone must not start or stop in
  // the clip: a window holding 1.5 s of silence and then a tone onset (or a tone end, then silence) looks
  // exactly like an alarm window that caught one beep next to the pause, so its "noise" label would be a lie.
  const bool near_alarm_band = f > 2500 && f < 3900;
  if (!near_alarm_band && rng.chance(0.7)) {
    start = rng.uniform(0, seconds - 1.5);
    length = rng.uniform(1.5, seconds - start);
  }
  add_tone(s.samples, beep(start, length, f, timbre, rng));
  s.recipe = {{"frequency_hz", f}, {"timbre", timbre_name(timbre)}, {"start_s", start}, {"tone_s", length}};
  return s;
}

Stem beeping(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  double f = pitch_outside_alarm_band(rng);
  Timbre timbre = random_timbre(rng);
  double on = rng.uniform(0.2, 0.8), off = rng.uniform(0.2, 0.8);
  for (double t = -rng.uniform(0, on + off); t < seconds; t += on + off) {
    add_tone(s.samples, beep(t, on, f, timbre, rng));
  }
  s.recipe = {{"frequency_hz", f}, {"timbre", timbre_name(timbre)}, {"on_s", on}, {"off_s", off}};
  return s;
}

Stem microwave(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  bool in_band = rng.chance(0.3);
  double f = in_band ? rng.uniform(2900, 3500)
                     : (rng.chance(0.5) ? rng.uniform(1800, 2500) : rng.uniform(3900, 4600));
  double on = in_band ? rng.uniform(0.05, 0.15) : rng.uniform(0.15, 0.6);
  double gap = rng.uniform(0.15, 0.4);
  int count = 3 + static_cast<int>(rng.below(3));
  Timbre timbre = random_timbre(rng);
  double burst = count * on + (count - 1) * gap;
  double start = rng.uniform(0, std::max(0.0, seconds - burst));
  for (int i = 0; i < count; ++i) add_tone(s.samples, beep(start + i * (on + gap), on, f, timbre, rng));
  s.recipe = {{"frequency_hz", f}, {"timbre", timbre_name(timbre)},
              {"beeps", count},    {"on_s", on},
              {"gap_s", gap},      {"start_s", start}};
  return s;
}

Stem siren(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  Timbre timbre = rng.chance(0.5) ? Timbre::sine : Timbre::square;
  std::size_t variant = rng.below(3);
  if (variant < 2) {  // wail (slow) or yelp (fast) sweeps between two pitches
    double lo = rng.uniform(500, 800), hi = rng.uniform(1200, 1800);
    double period = variant == 0 ? rng.uniform(2, 6) : rng.uniform(0.15, 0.4);
    Tone t = beep(-0.1, seconds + 0.2, (lo + hi) / 2, timbre, rng);
    t.partials = timbre_partials(timbre, hi);
    t.fm_depth = (hi - lo) / (hi + lo);
    t.fm_hz = 1 / period;
    add_tone(s.samples, t);
    s.recipe = {{"variant", variant == 0 ? "wail" : "yelp"},
                {"low_hz", lo},
                {"high_hz", hi},
                {"period_s", period},
                {"timbre", timbre_name(timbre)}};
  } else {  // two-tone "hi-lo"
    double f1 = rng.uniform(400, 1000), f2 = f1 * rng.uniform(1.2, 1.5), each = rng.uniform(0.4, 0.7);
    int i = 0;
    for (double t = -rng.uniform(0, 2 * each); t < seconds; t += each, ++i) {
      add_tone(s.samples, beep(t, each, i % 2 ? f2 : f1, timbre, rng));
    }
    s.recipe = {{"variant", "hi-lo"},
                {"low_hz", f1},
                {"high_hz", f2},
                {"tone_s", each},
                {"timbre", timbre_name(timbre)}};
  }
  return s;
}

Stem phone_ring(double seconds, Random& rng) {
  Stem s{silence(seconds), {}};
  struct Ring {
    const char* name;
    double f1, f2;
    std::vector<double> on_off;  // on, off, on, off, ...
  };
  static const std::vector<Ring> rings = {
      {"north-american", 440, 480, {2.0, 4.0}},
      {"british", 400, 450, {0.4, 0.2, 0.4, 2.0}},
      {"european", 425, 0, {1.0, 4.0}},
      {"electronic", 1000, 1300, {0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 1.5}},
  };
  const Ring& ring = rng.pick(rings);
  double cycle = 0;
  for (double d : ring.on_off) cycle += d;
  Timbre timbre = rng.chance(0.5) ? Timbre::sine : Timbre::square;
  for (double c = rng.uniform(-0.5, std::min(1.0, seconds - 1)); c < seconds; c += cycle) {
    double t = c;
    for (std::size_t i = 0; i < ring.on_off.size(); ++i) {
      if (i % 2 == 0) {
        add_tone(s.samples, beep(t, ring.on_off[i], ring.f1, timbre, rng));
        if (ring.f2 > 0) add_tone(s.samples, beep(t, ring.on_off[i], ring.f2, timbre, rng));
      }
      t += ring.on_off[i];
    }
  }
  s.recipe = {{"variant", ring.name},
              {"frequency_hz", ring.f1},
              {"second_frequency_hz", ring.f2},
              {"timbre", timbre_name(timbre)}};
  return s;
}

}  // namespace

const char* confuser_name(SynthConfuser kind) {
  static const char* const names[kSynthConfuserCount] = {"chirp",   "alarm-clock", "co-alarm", "steady-tone",
                                                         "beeping", "microwave",   "siren",    "phone-ring"};
  return names[static_cast<int>(kind)];
}

Stem synth_confuser(SynthConfuser kind, double seconds, Random& rng) {
  Stem s;
  switch (kind) {
    case SynthConfuser::chirp:
      s = chirp(seconds, rng);
      break;
    case SynthConfuser::alarm_clock:
      s = alarm_clock(seconds, rng);
      break;
    case SynthConfuser::co_alarm:
      s = co_alarm(seconds, rng);
      break;
    case SynthConfuser::steady_tone:
      s = steady_tone(seconds, rng);
      break;
    case SynthConfuser::beeping:
      s = beeping(seconds, rng);
      break;
    case SynthConfuser::microwave:
      s = microwave(seconds, rng);
      break;
    case SynthConfuser::siren:
      s = siren(seconds, rng);
      break;
    case SynthConfuser::phone_ring:
      s = phone_ring(seconds, rng);
      break;
  }
  s.recipe["source"] = "synthesized";
  s.recipe["name"] = confuser_name(kind);
  return s;
}

}  // namespace kiln::firealarm
