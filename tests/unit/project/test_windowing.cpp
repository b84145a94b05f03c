// Windowing: how many windows a sample gives, where they start, and zero-padding of short samples.
#include <gtest/gtest.h>

#include "impulse/windowing.h"

using namespace kiln;

TEST(Windowing, LongSampleGivesSeveralWindows) {
  InputSettings in;
  in.frequency = 16000;
  in.window_size_ms = 2000;
  in.window_increase_ms = 500;
  WindowPlan p = plan_windows(16000 * 5, in);  // 5 s: starts 0, 0.5, ..., 3.0 s
  EXPECT_EQ(p.window_samples, 32000u);
  EXPECT_EQ(p.increase_samples, 8000u);
  ASSERT_EQ(p.starts.size(), 7u);
  EXPECT_EQ(p.starts.back(), 48000u);
  EXPECT_FALSE(p.padded);
  // A window that does not fit entirely is not produced.
  EXPECT_EQ(plan_windows(16000 * 5 - 1, in).starts.size(), 6u);
}

TEST(Windowing, ShortSampleIsPaddedOrSkipped) {
  InputSettings in;
  in.frequency = 16000;
  in.window_size_ms = 1000;
  WindowPlan p = plan_windows(9000, in);
  ASSERT_EQ(p.starts.size(), 1u);
  EXPECT_TRUE(p.padded);
  in.zero_pad = false;
  EXPECT_TRUE(plan_windows(9000, in).starts.empty());
  EXPECT_EQ(plan_windows(16000, in).starts.size(), 1u);  // exactly one window needs no padding
}

TEST(Windowing, FractionalFrequencyRounds) {
  EXPECT_EQ(ms_to_samples(1000, 62.5), 63u);  // 62.5 rounds to 63 (half away from zero)
  EXPECT_EQ(ms_to_samples(20, 44100), 882u);
  EXPECT_EQ(ms_to_samples(1, 10), 1u);  // never zero
}

TEST(Windowing, ExtractPadsWithZerosAndKeepsAxes) {
  std::vector<float> x = {1, 10, 2, 20, 3, 30};  // 3 samples, 2 axes
  std::vector<float> w(8, -1.0f);
  extract_window(x, 2, 1, 4, w.data());
  EXPECT_EQ(w, (std::vector<float>{2, 20, 3, 30, 0, 0, 0, 0}));
}
