// Real sample files for the data tests: audio written with libsndfile, text files, and snapshots of a project
// so a test can check that a failed command changed nothing.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/kiln_cli.h"  // read_bytes, snapshot

namespace kiln::test {

// A fresh empty directory under the system temp dir, unique to this process and `name`; removed at exit.
std::filesystem::path fresh_dir(const std::string& name);

// A tone of `hz` with peak `amplitude` (libsndfile float scale, 1.0 = full scale), the same in every channel,
// plus uniform noise of peak `noise` (seeded). `format` is a libsndfile SF_FORMAT_* combination.
void write_tone(const std::filesystem::path& path, int format, int rate, int channels, double seconds,
                double hz, double amplitude, double noise = 0, unsigned seed = 1);

// Writes `frames` * channels interleaved float values in [-1, 1] as they are.
void write_audio(const std::filesystem::path& path, int format, int rate, int channels,
                 const std::vector<float>& interleaved);

// `n` values of seeded noise on exact int16 steps (k / 32768), so every 16-bit writer stores them
// identically.
std::vector<float> int16_noise(std::size_t n, unsigned seed);

void write_text(const std::filesystem::path& path, const std::string& text);

// The number of sign changes of `values` (a tone of f Hz over T seconds has about 2 f T).
int zero_crossings(const std::vector<float>& values);

}  // namespace kiln::test
