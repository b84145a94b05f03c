#include "data/hash_split.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "data/sha256.h"

namespace kiln {

std::vector<std::string> assign_split(const std::vector<SplitSample>& samples, const SplitExisting& existing,
                                      double test_ratio) {
  if (!(test_ratio >= 0 && test_ratio <= 1)) throw std::logic_error("assign_split: test_ratio out of range");
  std::vector<std::string> out(samples.size());
  std::map<std::string, int> total = existing.samples, test = existing.test;
  for (const SplitSample& s : samples) ++total[s.label];

  // 1. New samples of known groups follow their group. The rest form new groups: (order, key) -> samples.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> new_groups;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const SplitSample& s = samples[i];
    auto known = s.group_key.empty() ? existing.groups.end() : existing.groups.find(s.group_key);
    if (known != existing.groups.end()) {
      const bool in_test = known->second.second > known->second.first;
      out[i] = in_test ? "test" : "train";
      test[s.label] += in_test;
    } else if (s.group_key.empty()) {
      new_groups[{s.hash, ""}].push_back(i);
    } else {
      new_groups[{sha256_hex("kiln-group\n" + s.group_key), s.group_key}].push_back(i);
    }
  }

  // 2. New groups, whole, towards each label's target.
  std::map<std::string, long> target;
  for (const auto& [label, n] : total) target[label] = std::lround(test_ratio * n);
  for (const auto& [order, members] : new_groups) {
    std::map<std::string, int> count;  // the group's samples per label
    for (std::size_t i : members) ++count[samples[i].label];
    long before = 0, after = 0;
    for (const auto& [label, n] : count) {
      before += std::labs(test[label] - target[label]);
      after += std::labs(test[label] + n - target[label]);
    }
    const bool to_test = after < before;
    if (to_test) {
      for (const auto& [label, n] : count) test[label] += n;
    }
    for (std::size_t i : members) out[i] = to_test ? "test" : "train";
  }
  return out;
}

}  // namespace kiln
