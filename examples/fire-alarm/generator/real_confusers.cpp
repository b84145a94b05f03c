#include "generator/real_confusers.h"

#include <cmath>

#include "generator/audio_file.h"
#include "generator/mix.h"

namespace kiln::firealarm {

Stem real_confuser(SoundSet set, double seconds, Random& rng, SoundLibrary& library) {
  Stem s;
  s.samples.assign(static_cast<std::size_t>(std::lround(seconds * kSampleRate)), 0.0f);
  const SoundFile& file = library.pick_file(set, rng);
  double length = library.seconds(file);
  nlohmann::json plays = nlohmann::json::array();
  if (length >= seconds + 0.5) {
    // A long recording (a ringtone): an excerpt that fills the clip.
    double from = rng.uniform(0, length - seconds);
    std::vector<float> part = library.excerpt(file, from, seconds);
    fade_edges(part, 0.01);
    add_scaled(s.samples, part, 1.0);
    plays.push_back({{"at_s", 0}, {"from_s", from}, {"seconds", seconds}});
  } else {
    // A short sound: played one to four times with pauses, starting in the first half of the clip.
    std::vector<float> whole = library.excerpt(file, 0, length);
    int times = 1 + static_cast<int>(rng.below(4));
    double at = rng.uniform(0, std::max(0.0, seconds / 2 - 0.1));
    for (int i = 0; i < times && at < seconds - 0.1; ++i) {
      double gain_db = rng.uniform(-4, 0);
      add_at(s.samples, whole, at, std::pow(10.0, gain_db / 20));
      plays.push_back({{"at_s", at}, {"gain_db", gain_db}});
      at += length + rng.uniform(0.2, 2.5);
    }
  }
  s.recipe = {{"source", "recording"},
              {"set", set_name(set)},
              {"package", file.package},
              {"file", file.path.string()},
              {"plays", plays}};
  return s;
}

}  // namespace kiln::firealarm
