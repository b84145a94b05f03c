// Seeded random numbers that give the same values with every standard library: std::mt19937_64 is specified
// bit for bit by the standard, but std::uniform_real_distribution and std::normal_distribution are not, so
// the distributions are written here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace kiln::firealarm {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  double uniform();                          // [0, 1), 53 random bits
  double uniform(double lo, double hi);      // [lo, hi)
  double log_uniform(double lo, double hi);  // lo, hi > 0; uniform in log(x)
  double normal();                           // mean 0, standard deviation 1 (Box-Muller)
  std::size_t below(std::size_t n);          // 0 .. n-1; n > 0
  bool chance(double p) { return uniform() < p; }
  std::size_t weighted(const std::vector<double>& weights);  // index i with probability w[i] / sum(w)

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// An independent seed for stream `stream` of a run seeded with `seed` (splitmix64 of both), so every clip has
// its own generator and changing one clip's recipe does not shift the random numbers of all the others.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace kiln::firealarm
