// Where a synthesized sound is heard from: distance (the direct sound falls as 1/d and loses some treble) and
// the room's reverberation (a Schroeder reverberator: four damped feedback combs in parallel, then two
// allpasses), mixed so that direct and reverberant sound are equally loud at the critical distance.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "generator/random.h"

namespace kiln::firealarm {

struct Room {
  double distance_m = 2;
  double critical_distance_m = 1.5;  // where direct and reverberant sound are equally loud
  double rt60_seconds = 0.5;
  double lowpass_hz = 8000;  // the gentle treble loss of distance (and of furniture, doors, a ceiling mount)
  double size = 1;           // scales the comb delays
  double damping = 0.2;      // treble loss inside the reverberator (0 = none)
};

// Living rooms to hallways: 0.5-6 m away, RT60 0.2-0.8 s.
Room random_room(Random& rng);

// The sound as heard in `room`; same length as `dry`.
std::vector<float> apply_room(const std::vector<float>& dry, const Room& room);

nlohmann::json to_json(const Room& room);

}  // namespace kiln::firealarm
