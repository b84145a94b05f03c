#include "data/label_balance.h"

#include <cstdio>

#include "core/escape.h"

namespace kiln {

std::optional<std::string> imbalance_warning(const std::map<std::string, double>& amount_per_label) {
  if (amount_per_label.size() < 2) return std::nullopt;
  // The first of equal amounts (labels in sorted order), so the message does not depend on anything else.
  auto largest = amount_per_label.begin(), smallest = amount_per_label.begin();
  for (auto it = amount_per_label.begin(); it != amount_per_label.end(); ++it) {
    if (it->second > largest->second) largest = it;
    if (it->second < smallest->second) smallest = it;
  }
  if (!(largest->second > kImbalanceRatio * smallest->second)) return std::nullopt;
  const std::string big = "'" + terminal_line(largest->first, 200) + "'";
  const std::string small = "'" + terminal_line(smallest->first, 200) + "'";
  std::string what;
  if (smallest->second <= 0) {
    what = small + " has no data while " + big + " has some";
  } else {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.1f", largest->second / smallest->second);
    what = big + " has " + ratio + " times as much data as " + small;
  }
  return "the labels are imbalanced: " + what + " (more than " +
         std::to_string(static_cast<int>(kImbalanceRatio)) +
         " times); consider `class_weights = \"balanced\"` in kiln.toml's [train]";
}

}  // namespace kiln
