#include "impulse/impulse_runner.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace kiln {

ImpulseRunner::ImpulseRunner(const std::string& block, const std::string& version,
                             const std::map<std::string, double>& params, double frequency, int axes,
                             std::size_t samples_per_axis, const impulse::Network* network)
    : block_(block), params_(params) {
  const impulse::BlockSpec& spec = dsp_block_spec(block, version);
  // The host's checks first: they name the parameter and its allowed range.
  dsp_output_shape(block, params, frequency, axes, samples_per_axis);
  for (const auto& [name, value] : dsp_table_values(block, params)) values_.push_back(value);
  const impulse::Config config = {&spec, values_.data(), frequency, axes, samples_per_axis};
  impulse::Status s = impulse::prepare(config, network, nullptr, 0, &impulse_);
  if (s != impulse::kOk) fail(s);
  // Room for both of the block's paths: features() runs the float one even when the network is int8.
  const std::size_t bytes = std::max(impulse_.run_scratch_bytes, impulse_.features_scratch_bytes);
  scratch_.resize(bytes / sizeof(std::max_align_t) + 1);
  s = impulse::prepare(config, network, scratch_.data(), scratch_.size() * sizeof(std::max_align_t),
                       &impulse_);
  if (s != impulse::kOk) fail(s);
}

void ImpulseRunner::fail(impulse::Status s) const {
  const impulse::Config& c = impulse_.config;
  if (s == impulse::kDspFailed) {
    throw_dsp_failure(block_, impulse_.dsp_status, params_, c.sampling_frequency, c.axes, c.samples_per_axis);
  }
  if (s == impulse::kShapeMismatch) {
    throw Error(block_ + ": its features (" + std::to_string(impulse_.shape.frames) + " x " +
                std::to_string(impulse_.shape.values) + " values) do not fill the network's input (" +
                std::to_string(impulse_.network->input.count) + " values)");
  }
  throw Error(block_ + ": " + impulse::status_message(s));
}

void ImpulseRunner::check_window(std::span<const float> window) const {
  const impulse::Config& c = impulse_.config;
  if (window.size() != c.samples_per_axis * static_cast<std::size_t>(c.axes)) {
    throw Error(block_ + ": the input has " + std::to_string(window.size()) + " values, not " +
                std::to_string(c.samples_per_axis) + " samples of " + std::to_string(c.axes) +
                (c.axes == 1 ? " axis" : " axes"));
  }
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (!std::isfinite(window[i])) {
      throw Error(block_ + ": input value " + std::to_string(i) + " is " +
                  (std::isnan(window[i]) ? "NaN" : "infinite"));
    }
  }
}

std::vector<float> ImpulseRunner::features(std::span<const float> window) {
  check_window(window);
  std::vector<float> out(static_cast<std::size_t>(impulse_.shape.frames) *
                         static_cast<std::size_t>(impulse_.shape.values));
  kiln_float_array array = {window.data(), window.size()};
  const impulse::Status s =
      impulse::features(&impulse_, kiln_signal_from_array(&array), out.data(), out.size());
  if (s != impulse::kOk) fail(s);
  return out;
}

void ImpulseRunner::classify(std::span<const float> window, impulse::Scores* scores) {
  check_window(window);
  kiln_float_array array = {window.data(), window.size()};
  const impulse::Status s = impulse::run(&impulse_, kiln_signal_from_array(&array), scores);
  if (s != impulse::kOk) fail(s);
}

std::vector<float> run_dsp_block(const std::string& block, const std::string& version,
                                 const std::map<std::string, double>& params, double frequency, int axes,
                                 std::span<const float> interleaved_input) {
  if (axes >= 1 && interleaved_input.size() % static_cast<std::size_t>(axes) != 0) {
    throw Error(block + ": the input has " + std::to_string(interleaved_input.size()) +
                " values, not a multiple of " + std::to_string(axes) + " axes");
  }
  const std::size_t samples = axes >= 1 ? interleaved_input.size() / static_cast<std::size_t>(axes) : 0;
  return ImpulseRunner(block, version, params, frequency, axes, samples).features(interleaved_input);
}

}  // namespace kiln
