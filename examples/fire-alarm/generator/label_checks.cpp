#include "generator/label_checks.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "generator/audio_file.h"
#include "generator/band_meter.h"

namespace kiln::firealarm {

double weakest_window_tone_seconds(const std::vector<float>& clip) {
  BandTrack track = measure_band(clip, kAlarmBandLowHz, kAlarmBandHighHz);
  const auto frames_per_window = static_cast<std::size_t>(std::lround(kWindowSeconds / track.hop_seconds));
  const auto frames_per_stride =
      static_cast<std::size_t>(std::lround(kWindowStrideSeconds / track.hop_seconds));
  double weakest = std::numeric_limits<double>::infinity();
  // Frame i covers [i * hop, i * hop + frame); a window [s, s + 2 s) counts the frames that lie inside it.
  const std::size_t inside =
      frames_per_window - static_cast<std::size_t>(track.frame_seconds / track.hop_seconds) + 1;
  const double clip_seconds = static_cast<double>(clip.size()) / kSampleRate;
  for (std::size_t w = 0; w * kWindowStrideSeconds + kWindowSeconds <= clip_seconds + 1e-9; ++w) {
    std::size_t first = w * frames_per_stride;
    std::size_t on = 0;
    for (std::size_t i = first; i < first + inside && i < track.fraction.size(); ++i) {
      if (track.fraction[i] >= 0.3) ++on;
    }
    weakest = std::min(weakest, on * track.hop_seconds);
  }
  return weakest;
}

bool has_alarm_length_tone(const std::vector<float>& sound) {
  for (const BandRun& r : band_runs(measure_band(sound, kAlarmBandLowHz, kAlarmBandHighHz), 0.3, 35)) {
    if (r.seconds >= 0.3 && r.seconds <= 1.0) return true;
  }
  return false;
}

bool has_temporal_three_cadence(const std::vector<float>& clip) {
  std::vector<BandRun> runs = band_runs(measure_band(clip, kAlarmBandLowHz, kAlarmBandHighHz), 0.2, 40);
  auto beep_like = [](const BandRun& r) { return r.seconds >= 0.3 && r.seconds <= 1.0; };
  for (std::size_t i = 0; i + 1 < runs.size(); ++i) {
    double onsets = runs[i + 1].start_seconds - runs[i].start_seconds;
    if (beep_like(runs[i]) && beep_like(runs[i + 1]) && onsets >= 0.8 && onsets <= 1.25) return true;
  }
  return false;
}

}  // namespace kiln::firealarm
