// Synthesized sounds that are easy to mistake for a smoke alarm but are not one: chirps, alarm clocks, a CO
// alarm's temporal-four, steady tones, beeping at other pitches, a microwave's "done", sirens, phone rings.
// None is a temporal-three pattern in the alarm band: tones in 2.7-3.7 kHz are either short (at most 0.2 s)
// or long (at least 1.5 s), and the rhythms with alarm-like 0.2-0.8 s tones stay below 2.5 kHz or above 3.9
// kHz. (The generator also checks every result with label_checks.h.)
#pragma once

#include "generator/random.h"
#include "generator/stem.h"

namespace kiln::firealarm {

enum class SynthConfuser {
  chirp,        // one to three short beeps far apart; half of them a smoke alarm's low-battery chirp
  alarm_clock,  // fast groups of 2-5 short beeps
  co_alarm,     // temporal-four: 4 x 0.1 s beeps, then 5 s of silence (a carbon-monoxide alarm)
  steady_tone,  // one long tone at any pitch
  beeping,      // regular beeping at other pitches (reversing trucks, appliances)
  microwave,    // a "done" burst of 3-5 beeps
  siren,        // wailing or yelping sweeps
  phone_ring,   // dual-tone telephone ring cadences
};
inline constexpr int kSynthConfuserCount = 8;

const char* confuser_name(SynthConfuser kind);

// `seconds` of the confuser, dry (the caller places it in a room). The confuser sounds within the clip.
Stem synth_confuser(SynthConfuser kind, double seconds, Random& rng);

}  // namespace kiln::firealarm
