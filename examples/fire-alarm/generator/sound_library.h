// The real recordings the example mixes: which Debian package provides which set of sounds and where they
// live, plus a cache of decoded files. All paths are found under a root directory ("/" normally; tests point
// it elsewhere to check the missing-package error).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "generator/random.h"

namespace kiln::firealarm {

enum class SoundSet {
  // backgrounds
  machinery,
  traffic,
  water,
  ambience,      // farms, parks, crowds, crackling fire, room tone
  speech,        // long prompts and sentences
  speech_words,  // short spoken descriptions in many languages, strung together
  music,
  typing,  // key presses; the matching releases are found beside them
  household,
  animals,
  // confusable sounds
  ui_sounds,
  ringtones,
  notifications,
  bells_beeps,  // bells, beeps, chimes, phones, a siren
};
inline constexpr int kSoundSetCount = 14;

const char* set_name(SoundSet set);

struct SoundFile {
  std::filesystem::path path;
  std::string package;  // the Debian package that installs it
};

class SoundLibrary {
 public:
  // Finds every set's files under `root`. Throws kiln::Error listing the Debian packages to install when any
  // package's files are missing.
  explicit SoundLibrary(const std::filesystem::path& root);

  const std::vector<SoundFile>& files(SoundSet set) const { return files_[static_cast<int>(set)]; }
  const SoundFile& pick_file(SoundSet set, Random& rng) const { return rng.pick(files(set)); }

  // Both are safe to call from several threads; what they return never depends on what was cached before.
  double seconds(const SoundFile& file);
  // Up to `max_seconds` of `file` from `start_seconds` at 16 kHz mono. Short files are decoded once and kept.
  std::vector<float> excerpt(const SoundFile& file, double start_seconds, double max_seconds);

  // The Debian packages the example's recordings come from.
  static std::vector<std::string> packages();

 private:
  std::vector<SoundFile> files_[kSoundSetCount];
  std::mutex mutex_;  // guards the two caches
  std::map<std::string, double> seconds_;
  std::map<std::string, std::vector<float>> decoded_;
  std::size_t decoded_samples_ = 0;
};

}  // namespace kiln::firealarm
