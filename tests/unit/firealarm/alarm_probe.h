// The tests' own look at a recording, written independently of the generator's label_checks: how much of each
// frame's energy lies in the smoke alarms' band, measured with a plain DFT (Goertzel) on 32 ms Hann frames
// every 10 ms; which 2 s windows hold the alarm tone; whether the temporal-three cadence is there.
#pragma once

#include <filesystem>
#include <vector>

namespace kiln::test {

struct Recording {
  int sample_rate = 0;
  int channels = 0;
  int bits = 0;  // 16 for PCM_16
  std::vector<float> samples;
};

Recording read_recording(const std::filesystem::path& path);  // via libsndfile; fails the test if unreadable

struct BandFrames {
  double hop_seconds = 0.01;
  double frame_seconds = 0.032;
  std::vector<double> fraction;  // energy in 2.8-3.6 kHz / frame energy
  std::vector<double> energy;
};

BandFrames alarm_band_frames(const std::vector<float>& samples, int sample_rate);

// Seconds with fraction >= 0.2 inside each 2 s window at 0.25 s stride (the example's window increase).
std::vector<double> window_tone_seconds(const BandFrames& frames, double clip_seconds);

// Two tones in the band (fraction >= 0.25, within 40 dB of the loudest frame) each 0.35-0.95 s long (a 0.5 s
// beep and its reverberation), starting 0.85-1.2 s apart: the on/off cadence of the temporal-three pattern.
bool shows_temporal_three(const BandFrames& frames);

}  // namespace kiln::test
