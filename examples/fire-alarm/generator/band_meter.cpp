#include "generator/band_meter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "generator/audio_file.h"

namespace kiln::firealarm {

BandTrack measure_band(const std::vector<float>& x, double lo_hz, double hi_hz) {
  BandTrack track;
  const auto frame = static_cast<std::size_t>(track.frame_seconds * kSampleRate);
  const auto hop = static_cast<std::size_t>(track.hop_seconds * kSampleRate);
  const double bin_hz = static_cast<double>(kSampleRate) / frame;
  const auto first_bin = static_cast<int>(std::ceil(lo_hz / bin_hz));
  const auto last_bin = static_cast<int>(std::floor(hi_hz / bin_hz));

  std::vector<double> window(frame), coeff;
  for (std::size_t n = 0; n < frame; ++n) window[n] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * n / frame);
  for (int k = first_bin; k <= last_bin; ++k) coeff.push_back(2 * std::cos(2 * std::numbers::pi * k / frame));

  std::vector<double> w(frame);
  for (std::size_t start = 0; start + frame <= x.size(); start += hop) {
    double energy = 0;
    for (std::size_t n = 0; n < frame; ++n) {
      w[n] = window[n] * x[start + n];
      energy += w[n] * w[n];
    }
    double band = 0;
    for (double c : coeff) {
      double s1 = 0, s2 = 0;
      for (double v : w) {
        double s0 = v + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      band += s1 * s1 + s2 * s2 - c * s1 * s2;  // |X_k|^2
    }
    // Parseval: sum over all N bins of |X_k|^2 = N * energy; the band appears at +k and -k.
    double fraction = energy > 0 ? 2 * band / (static_cast<double>(frame) * energy) : 0;
    track.fraction.push_back(static_cast<float>(std::min(1.0, fraction)));
    track.energy.push_back(static_cast<float>(energy));
  }
  return track;
}

std::vector<BandRun> band_runs(const BandTrack& track, double min_fraction, double floor_db) {
  std::vector<BandRun> runs;
  if (track.energy.empty()) return runs;
  double loudest = *std::max_element(track.energy.begin(), track.energy.end());
  double floor = loudest * std::pow(10.0, -floor_db / 10);
  const int bridge = static_cast<int>(std::lround(0.03 / track.hop_seconds));
  int start = -1, last_on = -1;
  auto close_run = [&] {
    // A run of frames [start, last_on] covers from the first frame's centre to the last one's.
    double seconds = (last_on - start + 1) * track.hop_seconds;
    if (seconds >= 0.05)
      runs.push_back({start * track.hop_seconds + track.frame_seconds / 2 - track.hop_seconds / 2, seconds});
  };
  for (int i = 0; i < static_cast<int>(track.fraction.size()); ++i) {
    bool on = track.fraction[i] >= min_fraction && track.energy[i] >= floor && track.energy[i] > 0;
    if (!on) continue;
    if (start >= 0 && i - last_on - 1 > bridge) {
      close_run();
      start = -1;
    }
    if (start < 0) start = i;
    last_on = i;
  }
  if (start >= 0) close_run();
  return runs;
}

}  // namespace kiln::firealarm
