// Windowing: how one sample (a recording of any length, or an image) becomes classification windows, and
// what the processing block is told about the input. Every command that cuts windows or runs the block for
// an impulse goes through here, so an image input (one image, one window) is handled in one place.
#pragma once

#include <cstddef>
#include <map>
#include <string>
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

// Samples per axis of one window: window_size_ms at the input's frequency, or an image's width x height
// pixels.
std::size_t window_samples(const InputSettings& input);

// Windows start at 0, 0 + increase, ... while they fit entirely in the sample. A sample shorter than one
// window gives one zero-padded window when input.zero_pad is set, and none otherwise. An image gives one
// window (its stored size is the input's, data/image_sample.h).
WindowPlan plan_windows(std::size_t sample_length, const InputSettings& input);

// Where window start `start` (samples per axis) lies in its sample, in seconds (0 for an image).
double window_start_seconds(std::size_t start, const InputSettings& input);

// Copies window `start` of an interleaved sample into `out` (window_samples * axes values), zero-padding the
// end.
void extract_window(const std::vector<float>& interleaved, int axes, std::size_t start,
                    std::size_t window_samples, float* out);

// The parameter map to run or check `dsp`'s block on this input with (impulse/dsp_block.h): [dsp]'s
// parameters plus the input's properties the block takes (dsp_input_params: an image block's width and
// height are [input]'s). Throws kiln::Error when the block needs an image input and this is none, or the
// other way round.
std::map<std::string, double> block_params(const InputSettings& input, const DspSettings& dsp);

// The shape of one window's features as the network takes them: {frames, values}, or for an image
// {height, width, channels} (features come out row-major, pixel by pixel, so both are the same values).
std::vector<int> feature_tensor_shape(const InputSettings& input, int frames, int values);

}  // namespace kiln
