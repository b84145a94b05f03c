// A small project made in seconds, for end-to-end tests that do not need the shared e2e world: short
// recordings written here (beeps near 3 kHz and noise), 1 s windows, a few epochs.
#pragma once

#include <filesystem>
#include <string>

namespace kiln::test {

// Writes `count` recordings per label into dir/alarm/ and dir/noise/, numbered from `first`.
void make_recordings(const std::filesystem::path& dir, int first, int count);

// The project's kiln.toml (seed: the training seed, so two trainings can differ).
std::string tiny_toml(int seed = 1);

// `kiln init` + tiny_toml + `kiln add` of the recordings' alarm/ and noise/ folders.
void make_added_project(const std::filesystem::path& project, const std::filesystem::path& recordings);
// ... then `kiln train`.
void make_trained_project(const std::filesystem::path& project, const std::filesystem::path& recordings);

}  // namespace kiln::test
