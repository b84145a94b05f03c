#include "impulse/windowing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "core/quote.h"
#include "impulse/dsp_block.h"

namespace kiln {

std::size_t ms_to_samples(int ms, double frequency) {
  double n = std::round(static_cast<double>(ms) * frequency / 1000.0);
  return n < 1 ? 1 : static_cast<std::size_t>(n);
}

std::size_t window_samples(const InputSettings& input) {
  if (input.is_image()) {
    return static_cast<std::size_t>(std::max(input.width, 0)) *
           static_cast<std::size_t>(std::max(input.height, 0));
  }
  return ms_to_samples(input.window_size_ms, input.frequency);
}

WindowPlan plan_windows(std::size_t sample_length, const InputSettings& input) {
  WindowPlan plan;
  plan.window_samples = window_samples(input);
  plan.increase_samples =
      input.is_image() ? plan.window_samples : ms_to_samples(input.window_increase_ms, input.frequency);
  if (sample_length < plan.window_samples || plan.window_samples == 0) {
    if (input.zero_pad && !input.is_image() && sample_length > 0) {
      plan.starts.push_back(0);
      plan.padded = true;
    }
    return plan;
  }
  for (std::size_t s = 0; s + plan.window_samples <= sample_length; s += plan.increase_samples) {
    plan.starts.push_back(s);
  }
  return plan;
}

double window_start_seconds(std::size_t start, const InputSettings& input) {
  return input.frequency > 0 ? static_cast<double>(start) / input.frequency : 0.0;
}

void extract_window(const std::vector<float>& interleaved, int axes, std::size_t start,
                    std::size_t window_samples, float* out) {
  std::size_t total = window_samples * static_cast<std::size_t>(axes);
  std::size_t from = start * static_cast<std::size_t>(axes);
  std::size_t available = from < interleaved.size() ? std::min(total, interleaved.size() - from) : 0;
  std::copy_n(interleaved.begin() + static_cast<std::ptrdiff_t>(from), available, out);
  std::fill(out + available, out + total, 0.0f);
}

std::map<std::string, double> block_params(const InputSettings& input, const DspSettings& dsp) {
  const std::vector<std::string> from_input = dsp_input_params(dsp.block);
  if (from_input.empty() && input.is_image()) {
    throw Error(dsp.block +
                ": does not work on images; an image input ([input] type = \"image\") takes the "
                "image block");
  }
  if (!from_input.empty() && !input.is_image()) {
    throw Error(dsp.block + ": works on images only, but [input] type is " + quote(input.type) +
                " (set type = \"image\" with width and height)");
  }
  std::map<std::string, double> params = dsp.params;
  for (const std::string& name : from_input) {
    if (name == "width") {
      params[name] = input.width;
    } else if (name == "height") {
      params[name] = input.height;
    } else {
      throw std::logic_error("block_params: no [input] property " + name);
    }
  }
  return params;
}

std::vector<int> feature_tensor_shape(const InputSettings& input, int frames, int values) {
  if (input.is_image() && frames == 1 && input.width > 0 && input.height > 0 &&
      values % (input.width * input.height) == 0) {
    return {input.height, input.width, values / (input.width * input.height)};
  }
  return {frames, values};
}

}  // namespace kiln
