#include <gtest/gtest.h>
TEST(NnRobustness, Placeholder) {}
