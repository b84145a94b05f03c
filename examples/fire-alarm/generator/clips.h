// Recipes for one clip of each label. An "alarm" clip is the temporal-three alarm in a room over a real
// background (or none) at a random signal-to-noise ratio; a "noise" clip is a real background alone, or a
// real or synthesized confuser in a room over a background. Both end at a random level with a microphone's
// self-noise.
#pragma once

#include "generator/random.h"
#include "generator/sound_library.h"
#include "generator/stem.h"
#include "generator/synth_confusers.h"

namespace kiln::firealarm {

Stem make_alarm_clip(double seconds, Random& rng, SoundLibrary& library);

enum class NoiseKind { background, recorded_confuser, synthesized_confuser };

struct NoisePlan {
  NoiseKind kind = NoiseKind::background;
  SynthConfuser synth = SynthConfuser::chirp;  // for synthesized_confuser
  SoundSet recorded = SoundSet::ringtones;     // for recorded_confuser
};

Stem make_noise_clip(double seconds, const NoisePlan& plan, Random& rng, SoundLibrary& library);

}  // namespace kiln::firealarm
