// libFuzzer target: every input is an audio sample file (input.wav) read by read_sample_file for an audio
// impulse at 16 kHz: the WAV truncation check, the length limits, libsndfile's decoders (WAV, FLAC,
// Ogg/Vorbis, AIFF, ... whatever the content is), the mix-down and the resampler. See README.md.
#include <cstddef>
#include <cstdint>

#include "data/sample_reader.h"
#include "fuzz_support.h"

// Leaks inside the system's codec libraries are not ours to fix: libvorbisfile leaks a vorbis_info when it
// gives up on some malformed multi-stream Ogg files (xiph/vorbis issue 125). Kiln's own code stays checked.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libvorbis.so\nleak:libvorbisfile.so\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiln;
  const std::filesystem::path path = fuzz::write_input("input.wav", data, size);
  fuzz::expect_only_kiln_errors(path, [&] {
    const InputSettings input;  // audio, 16 kHz, 1 axis
    const SampleData d = read_sample_file(path, input);
    fuzz::check_sample(d);
    if (d.axes != 1 || d.frequency != input.frequency) fuzz::fail("not converted to the impulse's input");
    for (float v : d.values) {
      if (v < -32768.0f || v > 32767.0f) fuzz::fail("audio value outside the int16 range");
    }
  });
  return 0;
}
