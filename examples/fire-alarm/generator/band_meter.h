// How much of a sound's energy lies in a frequency band, frame by frame: 20 ms Hann-windowed frames every 10
// ms, the band's energy summed over the DFT bins inside it (Goertzel's algorithm, bin by bin). The generator
// uses it to keep its labels honest (see label_checks.h).
#pragma once

#include <vector>

namespace kiln::firealarm {

struct BandTrack {
  double hop_seconds = 0.01;
  double frame_seconds = 0.02;
  std::vector<float> fraction;  // band energy / frame energy, 0..1 (0 for a silent frame)
  std::vector<float> energy;    // frame energy (sum of the squared windowed samples)
};

BandTrack measure_band(const std::vector<float>& x, double lo_hz, double hi_hz);

struct BandRun {
  double start_seconds = 0;
  double seconds = 0;
};

// Stretches of frames with fraction >= min_fraction and energy within floor_db of the loudest frame. Gaps of
// up to 30 ms are bridged (a frame can straddle a click); runs shorter than 50 ms are dropped.
std::vector<BandRun> band_runs(const BandTrack& track, double min_fraction, double floor_db);

}  // namespace kiln::firealarm
