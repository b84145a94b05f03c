// Reading any sound file libsndfile knows (wav, flac, ogg/oga) as 16 kHz mono float, and writing 16 kHz mono
// 16-bit WAV. All of the generator's audio lives at kSampleRate.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kiln::firealarm {

inline constexpr int kSampleRate = 16000;

struct AudioInfo {
  double seconds = 0;
  int sample_rate = 0;
  int channels = 0;
};

// Throws kiln::Error naming the file when it cannot be opened or decoded.
AudioInfo probe_audio(const std::filesystem::path& path);

// `max_seconds` of the file from `start_seconds` (less at the end of the file), channels averaged, resampled
// to kSampleRate with libsamplerate.
std::vector<float> read_audio_16k(const std::filesystem::path& path, double start_seconds = 0,
                                  double max_seconds = 1e9);

// The bytes of a 16 kHz mono 16-bit PCM WAV file; samples are rounded and saturated to the int16 range.
std::string wav_bytes(const std::vector<float>& samples);

}  // namespace kiln::firealarm
