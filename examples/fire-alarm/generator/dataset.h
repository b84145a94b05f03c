// The whole dataset: DIR/alarm/*.wav, DIR/noise/*.wav (the folder is the label) and DIR/.manifest.json with
// every file's recipe. Reproducible from the seed; built in a temporary directory beside DIR and renamed into
// place, so an interrupted run never leaves half a dataset; a second run with the same seed and size does
// nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

namespace kiln::firealarm {

// Bumped whenever the same seed would give different audio.
inline constexpr int kGeneratorVersion = 2;

struct GenerateOptions {
  std::filesystem::path out;
  std::uint64_t seed = 1;
  double minutes = 72;  // of audio in all, half per label
  std::filesystem::path sources_root = "/";
  bool force = false;  // regenerate even when DIR already holds this dataset
  int jobs = 0;        // worker threads; 0: one per core, at most 4. The output does not depend on it.
};

struct GenerateResult {
  bool cached = false;
  int alarm_files = 0;
  int noise_files = 0;
  double alarm_seconds = 0;
  double noise_seconds = 0;
};

// Throws kiln::Error for missing Debian sound files, a DIR that holds something else, or failing writes.
// `progress(done, total)` is called after each clip.
GenerateResult generate_dataset(const GenerateOptions& options,
                                const std::function<void(int, int)>& progress = nullptr);

}  // namespace kiln::firealarm
