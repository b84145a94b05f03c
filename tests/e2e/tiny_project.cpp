#include "e2e/tiny_project.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "support/kiln_cli.h"
#include "unit/data/sample_files.h"

namespace kiln::test {

namespace fs = std::filesystem;

void make_recordings(const fs::path& dir, int first, int count) {
  fs::create_directories(dir / "alarm");
  fs::create_directories(dir / "noise");
  for (int i = first; i < first + count; ++i) {
    write_tone(dir / "alarm" / ("a" + std::to_string(i) + ".wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1,
               1.3, 2900 + 40 * i, 0.5, 0.05, 10 + static_cast<unsigned>(i));
    write_tone(dir / "noise" / ("n" + std::to_string(i) + ".wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1,
               1.3, 200 + 30 * i, 0.05, 0.4, 100 + static_cast<unsigned>(i));
  }
}

std::string tiny_toml(int seed) {
  return "name = \"tiny\"\n[input]\nwindow_size_ms = 1000\nwindow_increase_ms = 250\n"
         "[dsp]\nnum_filters = 20\n[train]\nepochs = 3\nseed = " +
         std::to_string(seed) + "\n";
}

void make_added_project(const fs::path& project, const fs::path& recordings) {
  KilnRun r = run_kiln({"-q", "init", project.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_bytes(project / "kiln.toml", tiny_toml());
  r = run_kiln({"-C", project.string(), "-q", "add", (recordings / "alarm").string(),
                (recordings / "noise").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void make_trained_project(const fs::path& project, const fs::path& recordings) {
  make_added_project(project, recordings);
  const KilnRun r = run_kiln({"-C", project.string(), "-q", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace kiln::test
