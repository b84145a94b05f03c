// The class imbalance warning of `kiln add`, `kiln dataset` and `kiln train`: one rule, one message.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace kiln {

// Above this ratio of the largest label's amount to the smallest's, training needs help.
constexpr double kImbalanceRatio = 3;

// `amount_per_label`: how much data each label has, in one unit the caller chooses (samples, seconds,
// windows). A warning when the largest amount is more than kImbalanceRatio times the smallest, naming both
// labels and pointing to `[train] class_weights = "balanced"`; nullopt for balanced data and for fewer than
// two labels. A label with no data at all is named as such. The message has no "warning:" prefix.
std::optional<std::string> imbalance_warning(const std::map<std::string, double>& amount_per_label);

}  // namespace kiln
