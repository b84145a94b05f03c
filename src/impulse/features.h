// Features: every window of every sample through the impulse's processing block (sdk/dsp, via dsp_block.h).
// Results are cached on disk per sample, keyed by the sample's content hash and everything that shapes its
// features (block, version, parameters, frequency, window settings), so a second `kiln features` or `kiln
// train` reads them back instead of recomputing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "project/impulse.h"

namespace kiln {

struct WindowInfo {
  std::int64_t sample_id = 0;
  std::string sample_name;
  std::string label;
  std::string category;
  double start_s = 0;   // window start within its sample, seconds
  bool padded = false;  // the sample was shorter than a window
};

struct FeatureTable {
  std::vector<int> shape;     // per window, e.g. {frames, num_filters}
  std::vector<float> values;  // windows.size() * row_size()
  std::vector<WindowInfo> windows;
  std::size_t row_size() const;
  const float* row(std::size_t i) const { return values.data() + i * row_size(); }
};

struct FeatureStats {
  std::size_t samples = 0;
  std::size_t cached = 0;    // samples whose features came from the cache
  std::size_t computed = 0;  // samples computed now
  std::size_t skipped = 0;   // samples shorter than a window with zero_pad = false
};

// "99 x 40", "32 x 32 x 3": a feature shape for messages.
std::string shape_text(const std::vector<int>& shape);

// Whether a network whose input tensor has shape `model_input` (TFLite: a leading batch of 1) takes features
// of shape `features` (window_feature_shape) as they come out, row-major: after dropping the batch and every
// axis of size 1 on both sides, a flat input takes any features of as many values (the model reshapes them
// itself, as Edge Impulse's models do), any other input needs the same shape: [32, 32, 3] does not take
// [96, 32] features although both hold 3072 values.
bool input_takes_features(const std::vector<int>& model_input, const std::vector<int>& features);

// Shape of one window's features for this impulse.
std::vector<int> window_feature_shape(const Impulse& impulse);

// Features of every window of one in-memory signal (used by `kiln classify`). Throws Error when the signal is
// shorter than a window and zero-padding is off.
FeatureTable signal_features(const std::vector<float>& interleaved, const Impulse& impulse,
                             const std::string& name);

// Every window of one in-memory signal in order (samples per axis * axes values, interleaved; the last
// zero-padded as plan_windows says), handed to visit; returns where each window starts. Throws Error when the
// signal is shorter than a window and zero-padding is off.
std::vector<WindowInfo> for_each_signal_window(const std::vector<float>& interleaved, const Impulse& impulse,
                                               const std::string& name,
                                               const std::function<void(std::span<const float>)>& visit);

// Features of every window of `samples`, in sample order then window order. Uses the cache in `cache_dir`
// and stages what it computes there in `generation` (null: computes without caching); `threads` workers;
// `progress(done, total)` is called from the calling thread. Throws kiln::Error when a sample was stored at
// another frequency or axis count than the impulse's (kiln.toml changed after the samples were added).
FeatureTable dataset_features(const Dataset& dataset, const std::vector<SampleRecord>& samples,
                              const Impulse& impulse, const std::filesystem::path& cache_dir,
                              Generation* generation, int threads,
                              const std::function<void(std::size_t, std::size_t)>& progress,
                              FeatureStats* stats = nullptr);

}  // namespace kiln
