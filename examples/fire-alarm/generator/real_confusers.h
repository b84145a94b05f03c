// Real confusable recordings from the Debian packages: ringtones (among them alarm clocks), notification
// sounds, desktop UI sounds (bells, alarm-clock-elapsed, phone calls, warnings), bells, beeps, chimes, a fire
// truck's siren.
#pragma once

#include "generator/random.h"
#include "generator/sound_library.h"
#include "generator/stem.h"

namespace kiln::firealarm {

// The sets real confusers are drawn from.
inline constexpr SoundSet kConfuserSets[] = {SoundSet::ringtones, SoundSet::notifications,
                                             SoundSet::ui_sounds, SoundSet::bells_beeps};

// `seconds` of a confuser from `set`: an excerpt of a long recording, or a short one played one to four
// times.
Stem real_confuser(SoundSet set, double seconds, Random& rng, SoundLibrary& library);

}  // namespace kiln::firealarm
