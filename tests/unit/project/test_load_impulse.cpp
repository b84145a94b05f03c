// project/project.h load_impulse: the checks made after parsing (the DSP block's parameters against the
// sample rate and the window) point at the file and the line of the setting, and say [dsp].
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "project/project.h"
#include "support/kiln_cli.h"

using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

std::string load_error(const std::string& toml) {
  TempDir dir;
  write_bytes(dir / "kiln.toml", toml);
  try {
    kiln::load_impulse(dir.path());
  } catch (const kiln::Error& e) {
    const std::string m = e.what();
    return m.substr(m.find("kiln.toml"));  // the temporary directory varies
  }
  return "";
}

}  // namespace

TEST(LoadImpulse, AFrameLongerThanTheWindowIsADspErrorAtItsLine) {
  EXPECT_EQ(load_error("[input]\nwindow_size_ms = 1000\n\n[dsp]\nblock = \"mfe\"\nframe_length = 2\n"),
            "kiln.toml:6: [dsp] mfe: frame_length 2 s is 32000 samples at 16000 Hz, longer than the window "
            "(16000 samples)");
}

TEST(LoadImpulse, RangeErrorsNameTheLineOfTheParameter) {
  EXPECT_EQ(load_error("[dsp]\nnoise_floor_db = 20\n"),
            "kiln.toml:2: [dsp] mfe: noise_floor_db must be from -1000 to below 12 dB (got 20)");
  EXPECT_EQ(load_error("[dsp]\nframe_length = 0.02\nnum_filters = 400\n").substr(0, 36),
            "kiln.toml:3: [dsp] mfe: num_filters ");
  EXPECT_EQ(load_error("[dsp]\n\nfft_length = 300\n").substr(0, 35), "kiln.toml:3: [dsp] mfe: fft_length ");
}

TEST(LoadImpulse, AProblemWithADefaultValueNamesTheFileWithoutALine) {
  // num_filters is not in the file: its default (40) is too many for fft_length 32.
  EXPECT_EQ(load_error("[dsp]\nfft_length = 32\n").substr(0, 34), "kiln.toml: [dsp] mfe: num_filters ");
}
