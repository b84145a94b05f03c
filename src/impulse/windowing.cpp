#include "impulse/windowing.h"

#include <algorithm>
#include <cmath>

namespace kiln {

std::size_t ms_to_samples(int ms, double frequency) {
  double n = std::round(static_cast<double>(ms) * frequency / 1000.0);
  return n < 1 ? 1 : static_cast<std::size_t>(n);
}

WindowPlan plan_windows(std::size_t sample_length, const InputSettings& input) {
  WindowPlan plan;
  plan.window_samples = ms_to_samples(input.window_size_ms, input.frequency);
  plan.increase_samples = ms_to_samples(input.window_increase_ms, input.frequency);
  if (sample_length < plan.window_samples) {
    if (input.zero_pad && sample_length > 0) {
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

void extract_window(const std::vector<float>& interleaved, int axes, std::size_t start,
                    std::size_t window_samples, float* out) {
  std::size_t total = window_samples * static_cast<std::size_t>(axes);
  std::size_t from = start * static_cast<std::size_t>(axes);
  std::size_t available = from < interleaved.size() ? std::min(total, interleaved.size() - from) : 0;
  std::copy_n(interleaved.begin() + static_cast<std::ptrdiff_t>(from), available, out);
  std::fill(out + available, out + total, 0.0f);
}

}  // namespace kiln
