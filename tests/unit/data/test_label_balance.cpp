// The class imbalance warning (data/label_balance.h): when it fires, and what it says.
#include <gtest/gtest.h>

#include "data/label_balance.h"

namespace kiln {
namespace {

TEST(LabelBalance, WarnsAboveThreeTimes) {
  EXPECT_EQ(imbalance_warning({}), std::nullopt);
  EXPECT_EQ(imbalance_warning({{"alarm", 100}}), std::nullopt);
  EXPECT_EQ(imbalance_warning({{"alarm", 10}, {"noise", 30}}), std::nullopt);  // exactly 3 times
  EXPECT_EQ(imbalance_warning({{"alarm", 10}, {"noise", 29}, {"fan", 12}}), std::nullopt);
  EXPECT_EQ(imbalance_warning({{"alarm", 10}, {"noise", 30.5}}),
            "the labels are imbalanced: 'noise' has 3.0 times as much data as 'alarm' (more than 3 times); "
            "consider `class_weights = \"balanced\"` in kiln.toml's [train]");
  // The largest and the smallest of several labels.
  EXPECT_EQ(imbalance_warning({{"a", 5}, {"b", 40}, {"c", 2}, {"d", 20}}),
            "the labels are imbalanced: 'b' has 20.0 times as much data as 'c' (more than 3 times); "
            "consider `class_weights = \"balanced\"` in kiln.toml's [train]");
  EXPECT_EQ(imbalance_warning({{"a", 0}, {"b", 1}}),
            "the labels are imbalanced: 'a' has no data while 'b' has some (more than 3 times); "
            "consider `class_weights = \"balanced\"` in kiln.toml's [train]");
  EXPECT_EQ(imbalance_warning({{"a", 0}, {"b", 0}}), std::nullopt);
  // A label is shown as one line whatever it holds.
  EXPECT_NE(imbalance_warning({{"a\nb", 1}, {"c", 9}})->find("'a\\nb'"), std::string::npos);
}

}  // namespace
}  // namespace kiln
