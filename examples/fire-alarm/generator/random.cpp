#include "generator/random.h"

#include <cmath>
#include <numbers>

namespace kiln::firealarm {

double Random::uniform() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Random::uniform(double lo, double hi) {
  return lo + (hi - lo) * uniform();
}

double Random::log_uniform(double lo, double hi) {
  return std::exp(uniform(std::log(lo), std::log(hi)));
}

double Random::normal() {
  // 1 - uniform() is in (0, 1], so the logarithm is finite.
  double u1 = 1.0 - uniform();
  double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::size_t Random::below(std::size_t n) {
  auto i = static_cast<std::size_t>(uniform() * static_cast<double>(n));
  return i < n ? i : n - 1;
}

std::size_t Random::weighted(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.size() - 1;
}

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return mix(mix(seed) ^ stream);
}

}  // namespace kiln::firealarm
