// The generator's honesty checks and the sounds they guard: a rendered temporal-three alarm holds its tone in
// every 2 s window at any phase, and no synthesized confuser holds an alarm-length tone in the alarm band.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "generator/audio_file.h"
#include "generator/label_checks.h"
#include "generator/mix.h"
#include "generator/random.h"
#include "generator/room.h"
#include "generator/synth_confusers.h"
#include "generator/temporal_three.h"
#include "generator/tone.h"

namespace fa = kiln::firealarm;

namespace {

std::vector<float> beep(double seconds, double hz, double clip_seconds = 3) {
  std::vector<float> out(static_cast<std::size_t>(clip_seconds * fa::kSampleRate), 0.0f);
  fa::Tone t;
  t.start_seconds = 0.5;
  t.seconds = seconds;
  t.frequency_hz = hz;
  fa::add_tone(out, t);
  return out;
}

}  // namespace

TEST(FireAlarmLabels, TemporalThreeHoldsTheToneInEveryWindowAtAnyPhase) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    fa::Random rng(seed);
    fa::TemporalThree alarm = fa::random_temporal_three(rng);
    EXPECT_GE(alarm.frequency_hz, 2900);
    EXPECT_LE(alarm.frequency_hz, 3500);
    EXPECT_NEAR(alarm.period_seconds(), 4.0, 0.25);
    std::vector<float> dry = fa::render_temporal_three(alarm, 9, 0, rng);
    EXPECT_GE(fa::weakest_window_tone_seconds(dry), fa::kMinWindowToneSeconds) << "seed " << seed;
    std::vector<float> heard = fa::apply_room(dry, fa::random_room(rng));
    EXPECT_GE(fa::weakest_window_tone_seconds(heard), fa::kMinWindowToneSeconds) << "seed " << seed;
    EXPECT_TRUE(fa::has_temporal_three_cadence(dry)) << "seed " << seed;
  }
}

TEST(FireAlarmLabels, AlarmLengthToneIsOneBeepInTheBand) {
  EXPECT_TRUE(fa::has_alarm_length_tone(beep(0.5, 3200)));
  EXPECT_TRUE(fa::has_alarm_length_tone(beep(0.4, 2950)));
  EXPECT_FALSE(fa::has_alarm_length_tone(beep(0.15, 3200)));  // a chirp
  EXPECT_FALSE(fa::has_alarm_length_tone(beep(2.0, 3200)));   // a steady tone
  EXPECT_FALSE(fa::has_alarm_length_tone(beep(0.5, 1000)));   // another pitch
  EXPECT_FALSE(fa::has_alarm_length_tone(beep(0.5, 4500)));   // another pitch
  EXPECT_FALSE(fa::has_alarm_length_tone(std::vector<float>(32000, 0.0f)));
}

TEST(FireAlarmLabels, CadenceNeedsTwoBeepsAtTheAlarmsRhythm) {
  std::vector<float> two = beep(0.5, 3200, 4);
  std::vector<float> second = beep(0.5, 3200, 4);
  std::vector<float> shifted(second.size(), 0.0f);
  std::copy(second.begin(), second.end() - 16000, shifted.begin() + 16000);  // second beep 1 s later
  for (std::size_t i = 0; i < two.size(); ++i) two[i] += shifted[i];
  EXPECT_TRUE(fa::has_temporal_three_cadence(two));
  EXPECT_FALSE(fa::has_temporal_three_cadence(beep(0.5, 3200, 4)));  // one beep only
  EXPECT_FALSE(fa::has_temporal_three_cadence(beep(3.0, 3200, 4)));  // a steady tone
}

TEST(FireAlarmLabels, SynthesizedConfusersHoldNoAlarmLengthToneInTheBand) {
  for (int kind = 0; kind < fa::kSynthConfuserCount; ++kind) {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      fa::Random rng(seed * 100 + kind);
      double seconds = rng.uniform(2, 10);
      fa::Stem s = fa::synth_confuser(static_cast<fa::SynthConfuser>(kind), seconds, rng);
      EXPECT_EQ(s.samples.size(), static_cast<std::size_t>(std::lround(seconds * fa::kSampleRate)));
      EXPECT_GT(fa::peak(s.samples), 0.1) << s.recipe.dump();  // it does sound
      EXPECT_FALSE(fa::has_alarm_length_tone(s.samples)) << s.recipe.dump();
      EXPECT_FALSE(fa::has_temporal_three_cadence(s.samples)) << s.recipe.dump();
    }
  }
}
