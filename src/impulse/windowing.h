// Windowing: how one sample (a recording of any length) becomes classification windows.
#pragma once

#include <cstddef>
#include <vector>

#include "project/impulse.h"

namespace kiln {

struct WindowPlan {
  std::size_t window_samples = 0;    // per axis
  std::size_t increase_samples = 0;  // per axis
  std::vector<std::size_t> starts;   // start of each window (samples per axis); may be empty
  bool padded = false;               // the sample is shorter than a window and the one window is zero-padded
};

// Window length and stride in samples: round(ms * frequency / 1000), at least 1.
std::size_t ms_to_samples(int ms, double frequency);

// Windows start at 0, 0 + increase, ... while they fit entirely in the sample. A sample shorter than one
// window gives one zero-padded window when input.zero_pad is set, and none otherwise.
WindowPlan plan_windows(std::size_t sample_length, const InputSettings& input);

// Copies window `start` of an interleaved sample into `out` (window_samples * axes values), zero-padding the
// end.
void extract_window(const std::vector<float>& interleaved, int axes, std::size_t start,
                    std::size_t window_samples, float* out);

}  // namespace kiln
