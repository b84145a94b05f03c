// How much one sample file may hold. The limits are far above any real recording or sensor log meant for
// training, and low enough that a wrong file (a disk image, a multi-hour 192 kHz master, a header that
// announces 2^40 frames) is refused before it is read, instead of taking all memory. README's user guide
// (kiln add) states them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiln {

// Values (frames x channels or axes) a sample may hold: when decoded from its file, and again after
// conversion to the impulse frequency. 2^27 float32 values are 512 MiB; as audio that is 2.3 hours of mono at
// 16 kHz, 46 minutes of mono or 23 minutes of stereo at 48 kHz.
inline constexpr std::size_t kMaxSampleValues = std::size_t{1} << 27;

// Bytes of an audio file (the frame count is checked too, from the header, before decoding): 1 GiB, the
// size of kMaxSampleValues as 64-bit floats, the widest PCM libsndfile reads.
inline constexpr std::uintmax_t kMaxAudioFileBytes = std::uintmax_t{1} << 30;

// Bytes of a CSV or Edge Impulse JSON file: 256 MiB, e.g. 18 hours of 3-axis accelerometer data at 100 Hz
// written with 6 decimals (about 40 bytes a row). A parsed JSON document takes several times its text.
inline constexpr std::uintmax_t kMaxTextSampleBytes = std::uintmax_t{256} << 20;

// Bytes of a raw float32 signal for `kiln dsp`: kMaxSampleValues values.
inline constexpr std::uintmax_t kMaxRawSignalBytes = std::uintmax_t{kMaxSampleValues} * 4;

}  // namespace kiln
