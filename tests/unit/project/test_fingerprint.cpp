// project/fingerprint.h: what a model was made for, and the one-line difference the commands report.
#include <gtest/gtest.h>

#include "project/fingerprint.h"

using kiln::fingerprint_change;
using kiln::Impulse;
using kiln::model_fingerprint;

namespace {

Impulse fire_alarm() {
  Impulse imp;
  imp.dsp.params = {{"frame_length", 0.02}, {"noise_floor_db", -52}, {"num_filters", 40}};
  return imp;
}

}  // namespace

TEST(Fingerprint, TheSameImpulseAndLabelsMatch) {
  const auto a = model_fingerprint(fire_alarm(), {"alarm", "noise"});
  EXPECT_EQ(fingerprint_change(a, model_fingerprint(fire_alarm(), {"alarm", "noise"})), "");
  // Settings that do not shape the model's input or output are not part of it.
  Impulse other = fire_alarm();
  other.input.window_increase_ms = 100;
  other.train.epochs = 3;
  other.name = "renamed";
  EXPECT_EQ(fingerprint_change(a, model_fingerprint(other, {"alarm", "noise"})), "");
}

TEST(Fingerprint, NamesTheFirstChangedSetting) {
  const auto trained = model_fingerprint(fire_alarm(), {"alarm", "noise"});
  Impulse imp = fire_alarm();
  imp.dsp.params["noise_floor_db"] = -30;
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(imp, {"alarm", "noise"})),
            "[dsp] noise_floor_db was -52 when the model was made, kiln.toml now says -30");
  imp = fire_alarm();
  imp.input.frequency = 8000;
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(imp, {"alarm", "noise"})),
            "[input] frequency was 16000 when the model was made, kiln.toml now says 8000");
  imp = fire_alarm();
  imp.input.window_size_ms = 1000;
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(imp, {"alarm", "noise"})),
            "[input] window_size_ms was 2000 when the model was made, kiln.toml now says 1000");
  imp = fire_alarm();
  imp.dsp.version = "ei-5";
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(imp, {"alarm", "noise"})),
            "[dsp] version was \"ei-4\" when the model was made, kiln.toml now says \"ei-5\"");
  imp = fire_alarm();
  imp.dsp.params["fft_length"] = 512;  // a parameter the model did not record at all
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(imp, {"alarm", "noise"})),
            "[dsp] fft_length was (not set) when the model was made, kiln.toml now says 512");
}

TEST(Fingerprint, NamesLabelChanges) {
  const auto trained = model_fingerprint(fire_alarm(), {"alarm", "noise"});
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(fire_alarm(), {"alarm", "noise", "siren"})),
            "the dataset has label 'siren' that the model was not trained on");
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(fire_alarm(), {"noise"})),
            "the model's label 'alarm' has no samples in the dataset any more");
  EXPECT_EQ(fingerprint_change(trained, model_fingerprint(fire_alarm(), {"noise", "alarm"})),
            "the labels are in another order than the model's outputs");
}

TEST(Fingerprint, AModelWithoutARecordIsReported) {
  EXPECT_NE(fingerprint_change(nullptr, model_fingerprint(fire_alarm(), {"a", "b"})), "");
  EXPECT_NE(fingerprint_change({{"version", 99}}, model_fingerprint(fire_alarm(), {"a", "b"})), "");
}
