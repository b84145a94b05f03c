#include "data/hash_split.h"

#include <cmath>
#include <cstdint>

#include "core/error.h"

namespace kiln {

std::string split_category(const std::string& hash_hex, double test_ratio) {
  if (hash_hex.size() < 16) throw Error("split_category: '" + hash_hex + "' is not a SHA-256 hex digest");
  std::uint64_t u = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = hash_hex[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) throw Error("split_category: '" + hash_hex + "' is not a SHA-256 hex digest");
    u = (u << 4) | static_cast<std::uint64_t>(digit);
  }
  if (test_ratio >= 1) return "test";
  if (test_ratio <= 0) return "train";
  // Compared as integers: ldexp(test_ratio, 64) is exact and below 2^64, so no rounding decides a sample's
  // set.
  const std::uint64_t threshold = static_cast<std::uint64_t>(std::ldexp(test_ratio, 64));
  return u < threshold ? "test" : "train";
}

}  // namespace kiln
