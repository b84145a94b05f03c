// Levels and mixing: signal-to-noise ratios are set on the power a sound has while it sounds, and every clip
// is brought to a random overall level with its peaks kept below full scale.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "generator/random.h"

namespace kiln::firealarm {

double mean_power(const std::vector<float>& x);

// Mean power over the 20 ms frames within 20 dB of the loudest frame: the level of a sound while it sounds,
// so a beep with long pauses and a steady drone of the same loudness get the same number. 0 for silence.
double active_power(const std::vector<float>& x);

double peak(const std::vector<float>& x);

// dst[i] += gain * src[i] over the common length.
void add_scaled(std::vector<float>& dst, const std::vector<float>& src, double gain);

// dst[at + i] += gain * src[i] where it falls inside dst; `at_seconds` may be negative.
void add_at(std::vector<float>& dst, const std::vector<float>& src, double at_seconds, double gain);

// Scales x to mean power 1 (at most +40 dB, so near-silence is not blown up into hiss).
void normalise_power(std::vector<float>& x);

// Fades the first and last `seconds` in and out (raised cosine), so excerpts join without clicks.
void fade_edges(std::vector<float>& x, double seconds);

// Brings a finished clip to a random level, -40 to -14 dBFS RMS (a distant, quiet recording to a loud, close
// one), scales it down if its peak would pass -1 dBFS, and adds a microphone's self-noise (-80 to -65 dBFS
// white noise). Records what it did in `recipe`.
void finish_clip(std::vector<float>& x, Random& rng, nlohmann::json& recipe);

}  // namespace kiln::firealarm
