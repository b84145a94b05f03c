// The host's handle on the SDK's impulse runtime (sdk/impulse/impulse.h): the block named in kiln.toml,
// checked with messages that name the parameter, prepared once for windows of one length, then run window
// after window. features() gives the block's float features (kiln features, kiln dsp); classify() runs the
// whole impulse as the deployed library does (block straight into the network's input tensor, the network,
// the scores), so `kiln classify` computes what the device computes.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "impulse/dsp_block.h"
#include "impulse/impulse.h"

namespace kiln {

class ImpulseRunner {
 public:
  // Throws kiln::Error (DspParamError for a parameter) when the block refuses its parameters or the window,
  // and when the features do not fill the network's input (network may be null: features only).
  ImpulseRunner(const std::string& block, const std::string& version,
                const std::map<std::string, double>& params, double frequency, int axes,
                std::size_t samples_per_axis, const impulse::Network* network = nullptr);
  ImpulseRunner(const ImpulseRunner&) = delete;
  ImpulseRunner& operator=(const ImpulseRunner&) = delete;

  DspShape shape() const { return {impulse_.shape.frames, impulse_.shape.values}; }

  // One window of samples_per_axis * axes values, interleaved (s0a0 s0a1 ... s1a0 ...), in the units the
  // block expects (int16 PCM values as floats for audio blocks). Returns frames * values floats, row-major.
  std::vector<float> features(std::span<const float> window);

  // The same window through the whole impulse; scores->capacity >= the network's output count.
  void classify(std::span<const float> window, impulse::Scores* scores);

 private:
  void check_window(std::span<const float> window) const;
  [[noreturn]] void fail(impulse::Status status) const;

  std::string block_;
  std::map<std::string, double> params_;
  std::vector<double> values_;  // the table-order values impulse_.config points to
  std::vector<std::max_align_t> scratch_;
  impulse::Impulse impulse_{};
};

// Runs the block on one window (an ImpulseRunner for one call).
std::vector<float> run_dsp_block(const std::string& block, const std::string& version,
                                 const std::map<std::string, double>& params, double frequency, int axes,
                                 std::span<const float> interleaved_input);

}  // namespace kiln
