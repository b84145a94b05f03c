// Real background recordings from the Debian packages, cut and joined to a clip's length: machinery, traffic,
// water, ambience, speech, music, typing, household sounds, animals. Sometimes two are layered (speech over
// traffic, music over household noise).
#pragma once

#include "generator/random.h"
#include "generator/sound_library.h"
#include "generator/stem.h"

namespace kiln::firealarm {

Stem make_background(double seconds, Random& rng, SoundLibrary& library);

}  // namespace kiln::firealarm
