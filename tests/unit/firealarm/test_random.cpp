// The generator's random numbers: the same on every standard library, with the distributions they claim.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "generator/random.h"

using kiln::firealarm::Random;
using kiln::firealarm::stream_seed;

TEST(FireAlarmRandom, UniformIsTheStandardMersenneTwisterBits) {
  // The C++ standard fixes the 10000th output of a default-seeded (5489) std::mt19937_64:
  // 9981545732273789042.
  Random rng(5489);
  for (int i = 0; i < 9999; ++i) rng.uniform();
  EXPECT_EQ(rng.uniform(), static_cast<double>(9981545732273789042ULL >> 11) * 0x1.0p-53);
}

TEST(FireAlarmRandom, SameSeedSameNumbersOtherSeedOthers) {
  Random a(42), b(42), c(43);
  int same_as_c = 0;
  for (int i = 0; i < 1000; ++i) {
    double x = a.normal(), y = b.normal(), z = c.normal();
    EXPECT_EQ(x, y);
    same_as_c += x == z;
  }
  EXPECT_EQ(same_as_c, 0);
}

TEST(FireAlarmRandom, DistributionsHaveTheirMoments) {
  Random rng(7);
  const int n = 200000;
  double sum = 0, sum2 = 0, usum = 0, umin = 10, umax = 0;
  for (int i = 0; i < n; ++i) {
    double x = rng.normal();
    sum += x;
    sum2 += x * x;
    double u = rng.uniform(2, 5);
    usum += u;
    umin = std::min(umin, u);
    umax = std::max(umax, u);
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.015);
  EXPECT_NEAR(usum / n, 3.5, 0.01);
  EXPECT_GE(umin, 2.0);
  EXPECT_LT(umax, 5.0);
}

TEST(FireAlarmRandom, BelowAndWeightedCoverTheirRange) {
  Random rng(3);
  std::vector<int> counts(5, 0), weighted(3, 0);
  for (int i = 0; i < 50000; ++i) {
    ++counts[rng.below(5)];
    ++weighted[rng.weighted({1, 2, 7})];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
  EXPECT_NEAR(weighted[0], 5000, 300);
  EXPECT_NEAR(weighted[1], 10000, 400);
  EXPECT_NEAR(weighted[2], 35000, 500);
}

TEST(FireAlarmRandom, StreamSeedsAreDistinct) {
  EXPECT_EQ(stream_seed(1, 5), stream_seed(1, 5));
  EXPECT_NE(stream_seed(1, 5), stream_seed(1, 6));
  EXPECT_NE(stream_seed(1, 5), stream_seed(2, 5));
  EXPECT_NE(stream_seed(1, 0), 1u);
}
