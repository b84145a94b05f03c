// Sample-rate conversion with libsamplerate (SRC_SINC_BEST_QUALITY: 97 dB SNR, 97% of the bandwidth kept, and
// deterministic). Used for audio files of any rate and for sensor data recorded at another frequency than the
// impulse's.
#pragma once

#include <string>
#include <vector>

namespace kiln {

// Resamples interleaved `channels`-channel data from `from_hz` to `to_hz`. The result has exactly
// round(frames * to_hz / from_hz) frames (at least 1 when the input is not empty). `name` is the file the
// data came from, for error messages (libsamplerate supports ratios from 1/256 to 256). Throws kiln::Error
// for another ratio, and when the result would hold more than kMaxSampleValues values.
std::vector<float> resample(const std::vector<float>& interleaved, int channels, double from_hz, double to_hz,
                            const std::string& name);

}  // namespace kiln
