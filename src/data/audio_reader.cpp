#include "data/audio_reader.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "data/resample.h"

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
void check_wav_not_truncated(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[12];
  if (!in.read(reinterpret_cast<char*>(header), 12)) return;
  if (std::memcmp(header, "RIFF", 4) != 0 || std::memcmp(header + 8, "WAVE", 4) != 0) return;
  const std::uintmax_t file_size = std::filesystem::file_size(path);
  std::uintmax_t offset = 12;
  unsigned char chunk[8];
  while (offset + 8 <= file_size) {
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) return;
    const std::uint32_t size = le32(chunk + 4);
    if (std::memcmp(chunk, "data", 4) == 0) {
      const std::uintmax_t available = file_size - offset - 8;
      if (size != 0 && size != 0xFFFFFFFFu && size > available) {
        throw Error(path.string() + ": truncated WAV file (the header announces " + std::to_string(size) +
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

}  // namespace

SampleData read_audio_file(const std::filesystem::path& path, double frequency) {
  const std::string name = path.string();
  check_wav_not_truncated(path);

  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) throw Error(name + ": not a readable audio file (" + sf_strerror(nullptr) + ")");
  if (info.channels < 1 || info.samplerate < 1) {
    throw Error(name + ": not a readable audio file (" + std::to_string(info.channels) + " channels at " +
                std::to_string(info.samplerate) + " Hz)");
  }

  // Read in blocks and mix down as we go, so a long multi-channel file never sits in memory whole.
  const std::size_t channels = static_cast<std::size_t>(info.channels);
  const sf_count_t block_frames = 65536;
  std::vector<float> block(static_cast<std::size_t>(block_frames) * channels);
  std::vector<float> mono;
  if (info.frames > 0 && info.frames < SF_COUNT_MAX) mono.reserve(static_cast<std::size_t>(info.frames));
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), block.data(), block_frames);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i) {
      const float* frame = block.data() + static_cast<std::size_t>(i) * channels;
      double sum = 0;
      for (std::size_t c = 0; c < channels; ++c) sum += frame[c];
      mono.push_back(static_cast<float>(sum / static_cast<double>(channels) * 32768.0));
    }
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    throw Error(name + ": corrupt audio (" + sf_strerror(file.get()) + ")");
  }
  // Compressed formats (FLAC, Vorbis) announce their length in the header; decoding fewer frames means the
  // stream is cut short or damaged.
  if (info.frames > 0 && info.frames < SF_COUNT_MAX && static_cast<sf_count_t>(mono.size()) != info.frames) {
    throw Error(name + ": truncated or corrupt audio (decoded " + std::to_string(mono.size()) + " of " +
                std::to_string(info.frames) + " frames)");
  }
  if (mono.empty()) throw Error(name + ": the audio file holds no samples");
  for (float v : mono) {
    if (!std::isfinite(v)) throw Error(name + ": the audio holds NaN or infinite values");
  }

  SampleData out;
  out.values = resample(mono, 1, static_cast<double>(info.samplerate), frequency, name);
  for (float& v : out.values) v = std::clamp(v, -32768.0f, 32767.0f);
  out.axes = 1;
  out.frequency = frequency;
  out.axis_names = {"audio"};
  return out;
}

}  // namespace kiln
