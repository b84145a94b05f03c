#include "generator/room.h"

#include <cmath>
#include <numbers>

#include "generator/audio_file.h"
#include "generator/mix.h"

namespace kiln::firealarm {
namespace {

std::vector<float> one_pole_lowpass(const std::vector<float>& x, double cutoff_hz) {
  const double a = 1 - std::exp(-2 * std::numbers::pi * cutoff_hz / kSampleRate);
  std::vector<float> y(x.size());
  double state = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    state += a * (x[i] - state);
    y[i] = static_cast<float>(state);
  }
  return y;
}

// Feedback comb with a one-pole low-pass in the loop: y[n] = x[n] + g * lp(y[n - D]).
void add_damped_comb(const std::vector<float>& x, std::size_t delay, double feedback, double damping,
                     std::vector<double>& out) {
  std::vector<double> line(delay, 0.0);
  std::size_t pos = 0;
  double lp = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double delayed = line[pos];
    lp = (1 - damping) * delayed + damping * lp;
    double y = x[i] + feedback * lp;
    line[pos] = y;
    pos = pos + 1 == delay ? 0 : pos + 1;
    out[i] += delayed;
  }
}

// Schroeder allpass: y[n] = -g x[n] + x[n - D] + g y[n - D].
void allpass(std::vector<double>& x, std::size_t delay, double g) {
  std::vector<double> in_line(delay, 0.0), out_line(delay, 0.0);
  std::size_t pos = 0;
  for (double& v : x) {
    double y = -g * v + in_line[pos] + g * out_line[pos];
    in_line[pos] = v;
    out_line[pos] = y;
    pos = pos + 1 == delay ? 0 : pos + 1;
    v = y;
  }
}

}  // namespace

Room random_room(Random& rng) {
  Room r;
  r.distance_m = rng.log_uniform(0.5, 6);
  r.critical_distance_m = rng.uniform(0.8, 2.5);
  r.rt60_seconds = rng.uniform(0.2, 0.8);
  // Near: flat to 8 kHz and beyond; 6 m away: about 4.9 kHz. A gentle one-pole slope either way.
  r.lowpass_hz = 12000 / std::sqrt(r.distance_m);
  r.size = rng.uniform(0.7, 1.3);
  r.damping = rng.uniform(0.05, 0.4);
  return r;
}

std::vector<float> apply_room(const std::vector<float>& dry, const Room& room) {
  std::vector<float> direct = one_pole_lowpass(dry, room.lowpass_hz);
  double direct_power = mean_power(direct);
  if (direct_power <= 0) return direct;

  // Schroeder's comb delays (ms), mutually prime-ish so their echoes do not pile up.
  const double comb_ms[4] = {29.7, 37.1, 41.1, 43.7};
  std::vector<double> wet(dry.size(), 0.0);
  for (double ms : comb_ms) {
    double seconds = ms / 1000 * room.size;
    auto delay = static_cast<std::size_t>(std::lround(seconds * kSampleRate));
    double feedback = std::pow(10.0, -3 * seconds / room.rt60_seconds);  // -60 dB after rt60
    add_damped_comb(direct, delay, feedback, room.damping, wet);
  }
  allpass(wet, static_cast<std::size_t>(0.0050 * kSampleRate), 0.7);
  allpass(wet, static_cast<std::size_t>(0.0017 * kSampleRate), 0.7);

  double wet_power = 0;
  for (double v : wet) wet_power += v * v;
  wet_power /= static_cast<double>(wet.size());
  // Direct sound at 1/d; reverberant sound as loud as the direct sound is at the critical distance.
  double direct_gain = 1 / room.distance_m;
  double wet_gain = wet_power > 0 ? std::sqrt(direct_power / wet_power) / room.critical_distance_m : 0;
  std::vector<float> out(dry.size());
  for (std::size_t i = 0; i < dry.size(); ++i) {
    out[i] = static_cast<float>(direct_gain * direct[i] + wet_gain * wet[i]);
  }
  return out;
}

nlohmann::json to_json(const Room& r) {
  return {{"distance_m", r.distance_m},
          {"critical_distance_m", r.critical_distance_m},
          {"rt60_s", r.rt60_seconds},
          {"lowpass_hz", r.lowpass_hz},
          {"size", r.size},
          {"damping", r.damping}};
}

}  // namespace kiln::firealarm
