#include "generator/mix.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "generator/audio_file.h"

namespace kiln::firealarm {

double mean_power(const std::vector<float>& x) {
  if (x.empty()) return 0;
  double sum = 0;
  for (float v : x) sum += static_cast<double>(v) * v;
  return sum / static_cast<double>(x.size());
}

double active_power(const std::vector<float>& x) {
  const std::size_t frame = kSampleRate / 50;
  std::vector<double> powers;
  for (std::size_t start = 0; start < x.size(); start += frame) {
    std::size_t end = std::min(x.size(), start + frame);
    double sum = 0;
    for (std::size_t i = start; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
    powers.push_back(sum / static_cast<double>(end - start));
  }
  double loudest = powers.empty() ? 0 : *std::max_element(powers.begin(), powers.end());
  if (loudest <= 0) return 0;
  double sum = 0;
  int count = 0;
  for (double p : powers) {
    if (p >= loudest * 0.01) {
      sum += p;
      ++count;
    }
  }
  return sum / count;
}

double peak(const std::vector<float>& x) {
  double p = 0;
  for (float v : x) p = std::max(p, static_cast<double>(std::abs(v)));
  return p;
}

void add_scaled(std::vector<float>& dst, const std::vector<float>& src, double gain) {
  std::size_t n = std::min(dst.size(), src.size());
  for (std::size_t i = 0; i < n; ++i) dst[i] += static_cast<float>(gain * src[i]);
}

void add_at(std::vector<float>& dst, const std::vector<float>& src, double at_seconds, double gain) {
  auto offset = static_cast<long>(std::lround(at_seconds * kSampleRate));
  for (long i = std::max(0L, -offset); i < static_cast<long>(src.size()); ++i) {
    long j = offset + i;
    if (j >= static_cast<long>(dst.size())) break;
    dst[static_cast<std::size_t>(j)] += static_cast<float>(gain * src[static_cast<std::size_t>(i)]);
  }
}

void normalise_power(std::vector<float>& x) {
  double p = mean_power(x);
  if (p <= 0) return;
  double gain = std::min(100.0, 1 / std::sqrt(p));
  for (float& v : x) v = static_cast<float>(v * gain);
}

void fade_edges(std::vector<float>& x, double seconds) {
  auto n = std::min(x.size() / 2, static_cast<std::size_t>(seconds * kSampleRate));
  for (std::size_t i = 0; i < n; ++i) {
    auto g = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * (i + 0.5) / n));
    x[i] *= g;
    x[x.size() - 1 - i] *= g;
  }
}

void finish_clip(std::vector<float>& x, Random& rng, nlohmann::json& recipe) {
  double level_dbfs = rng.uniform(-40, -14);
  double noise_dbfs = rng.uniform(-80, -65);
  double power = mean_power(x);
  double gain = power > 0 ? std::pow(10.0, level_dbfs / 20) / std::sqrt(power) : 0;
  const double peak_limit = std::pow(10.0, -1.0 / 20);
  bool limited = false;
  if (gain * peak(x) > peak_limit) {
    gain = peak_limit / peak(x);
    limited = true;
  }
  for (float& v : x) v = static_cast<float>(v * gain);
  // White noise of variance sigma^2 from the portable normal(); the sum stays below full scale.
  double sigma = std::pow(10.0, noise_dbfs / 20);
  for (float& v : x) v += static_cast<float>(sigma * rng.normal());
  recipe["level_dbfs"] = limited ? 10 * std::log10(mean_power(x)) : level_dbfs;
  recipe["peak_limited"] = limited;
  recipe["mic_noise_dbfs"] = noise_dbfs;
}

}  // namespace kiln::firealarm
