#include "data/audio_reader.h"

#include <sndfile.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "core/quote.h"
#include "data/resample.h"
#include "data/sample_limits.h"

namespace kiln {
namespace {

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

// libsndfile reads a WAV file whose data chunk was cut short without complaint (it returns fewer frames), so
// a truncated download would silently become a shorter sample. Here the data chunk's declared size must fit
// in the file. Sizes 0 and 0xFFFFFFFF are what recorders write while streaming; those are accepted as they
// are.
void check_wav_not_truncated(const std::filesystem::path& path, const std::string& name,
                             std::uintmax_t file_size) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[12];
  if (!in.read(reinterpret_cast<char*>(header), 12)) return;
  if (std::memcmp(header, "RIFF", 4) != 0 || std::memcmp(header + 8, "WAVE", 4) != 0) return;
  std::uintmax_t offset = 12;
  unsigned char chunk[8];
  while (offset + 8 <= file_size) {
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) return;
    const std::uint32_t size = le32(chunk + 4);
    if (std::memcmp(chunk, "data", 4) == 0) {
      const std::uintmax_t available = file_size - offset - 8;
      if (size != 0 && size != 0xFFFFFFFFu && size > available) {
        throw Error(name + ": truncated WAV file (the header announces " + std::to_string(size) +
                    " bytes of audio, the file holds " + std::to_string(available) + ")");
      }
      return;
    }
    offset += 8 + std::uintmax_t{size} + (size & 1);
  }
}

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

// libsndfile's messages, kept to one short line.
std::string sndfile_message(SNDFILE* file) {
  return terminal_line(sf_strerror(file), 200);
}

[[noreturn]] void too_long(const std::string& name, const std::string& what) {
  throw Error(name + ": " + what + ", more than the " + std::to_string(kMaxSampleValues) +
              " values a sample may hold (split the recording into shorter files)");
}

}  // namespace

SampleData read_audio_file(const std::filesystem::path& path, double frequency) {
  const std::string name = display_path(path);
  const std::uintmax_t file_size = checked_file_size(path, kMaxAudioFileBytes);
  check_wav_not_truncated(path, name, file_size);

  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) throw Error(name + ": not a readable audio file (" + sndfile_message(nullptr) + ")");
  if (info.channels < 1 || info.samplerate < 1) {
    throw Error(name + ": not a readable audio file (" + std::to_string(info.channels) + " channels at " +
                std::to_string(info.samplerate) + " Hz)");
  }
  const std::size_t channels = static_cast<std::size_t>(info.channels);
  // When the header gives the length, check it before decoding anything: what the file holds, and what it
  // becomes at `frequency`.
  const bool length_known = info.frames > 0 && info.frames < SF_COUNT_MAX;
  if (length_known) {
    const auto frames = static_cast<std::uintmax_t>(info.frames);
    if (frames > kMaxSampleValues / channels) {
      too_long(name, std::to_string(frames) + " frames of " + std::to_string(channels) + " channels");
    }
    const double converted = static_cast<double>(frames) * frequency / info.samplerate;
    if (converted > static_cast<double>(kMaxSampleValues)) {
      too_long(name, std::to_string(frames) + " frames at " + std::to_string(info.samplerate) + " Hz are " +
                         std::to_string(std::llround(converted)) + " at " +
                         std::to_string(std::lround(frequency)) + " Hz");
    }
  }

  // Read in blocks of at most 64 Ki values and mix down as we go, so a long multi-channel file never sits in
  // memory whole.
  const sf_count_t block_frames = static_cast<sf_count_t>(std::max<std::size_t>(1, 65536 / channels));
  std::vector<float> block(static_cast<std::size_t>(block_frames) * channels);
  std::vector<float> mono;
  // A header may announce more frames than the file can hold; reserve only what its bytes could give.
  if (length_known) mono.reserve(static_cast<std::size_t>(std::min<std::uintmax_t>(info.frames, file_size)));
  std::uintmax_t decoded = 0;  // values, all channels
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), block.data(), block_frames);
    if (got <= 0) break;
    decoded += static_cast<std::uintmax_t>(got) * channels;
    if (decoded > kMaxSampleValues)
      too_long(name, "the decoded audio holds " + std::to_string(decoded) + " values");
    for (sf_count_t i = 0; i < got; ++i) {
      const float* frame = block.data() + static_cast<std::size_t>(i) * channels;
      double sum = 0;
      for (std::size_t c = 0; c < channels; ++c) sum += frame[c];
      // Float files may hold anything: refuse NaN, infinity and values beyond the float range (converting
      // those is undefined behaviour), and keep the rest far below overflow for the resampler's filter sums;
      // everything beyond int16 is clipped after resampling anyway.
      const double v = sum / static_cast<double>(channels) * 32768.0;
      if (!(std::abs(v) <= FLT_MAX))
        throw Error(name + ": the audio holds NaN, infinite or out-of-range values");
      mono.push_back(static_cast<float>(std::clamp(v, -1e9, 1e9)));
    }
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    throw Error(name + ": corrupt audio (" + sndfile_message(file.get()) + ")");
  }
  // Compressed formats (FLAC, Vorbis) announce their length in the header; decoding fewer frames means the
  // stream is cut short or damaged.
  if (length_known && static_cast<sf_count_t>(mono.size()) != info.frames) {
    throw Error(name + ": truncated or corrupt audio (decoded " + std::to_string(mono.size()) + " of " +
                std::to_string(info.frames) + " frames)");
  }
  if (mono.empty()) throw Error(name + ": the audio file holds no samples");

  SampleData out;
  out.values = resample(mono, 1, static_cast<double>(info.samplerate), frequency, name);
  for (float& v : out.values) v = std::clamp(v, -32768.0f, 32767.0f);
  out.axes = 1;
  out.frequency = frequency;
  out.axis_names = {"audio"};
  return out;
}

}  // namespace kiln
