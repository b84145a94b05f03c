#include "generator/audio_file.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "core/error.h"

namespace kiln::firealarm {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

SndfilePtr open_sound(const std::filesystem::path& path, SF_INFO& info) {
  info = SF_INFO{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) throw Error(path.string() + ": not a readable sound file (" + sf_strerror(nullptr) + ")");
  if (info.samplerate <= 0 || info.channels <= 0) throw Error(path.string() + ": sound file without samples");
  return SndfilePtr(f);
}

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

AudioInfo probe_audio(const std::filesystem::path& path) {
  SF_INFO info;
  SndfilePtr f = open_sound(path, info);
  return {static_cast<double>(info.frames) / info.samplerate, info.samplerate, info.channels};
}

std::vector<float> read_audio_16k(const std::filesystem::path& path, double start_seconds,
                                  double max_seconds) {
  SF_INFO info;
  SndfilePtr f = open_sound(path, info);
  auto start = static_cast<sf_count_t>(std::max(0.0, start_seconds) * info.samplerate);
  start = std::min(start, info.frames);
  auto want = static_cast<sf_count_t>(std::ceil(std::max(0.0, max_seconds) * info.samplerate));
  want = std::min(want, info.frames - start);
  if (start > 0 && sf_seek(f.get(), start, SEEK_SET) < 0) throw Error(path.string() + ": cannot seek");

  std::vector<float> interleaved(static_cast<std::size_t>(want) * info.channels);
  sf_count_t got = sf_readf_float(f.get(), interleaved.data(), want);
  if (got < 0) got = 0;
  std::vector<float> mono(static_cast<std::size_t>(got));
  for (sf_count_t i = 0; i < got; ++i) {
    float sum = 0;
    for (int c = 0; c < info.channels; ++c)
      sum += interleaved[static_cast<std::size_t>(i * info.channels + c)];
    mono[static_cast<std::size_t>(i)] = sum / static_cast<float>(info.channels);
  }
  if (info.samplerate == kSampleRate || mono.empty()) return mono;

  double ratio = static_cast<double>(kSampleRate) / info.samplerate;
  std::vector<float> out(static_cast<std::size_t>(std::ceil(mono.size() * ratio)) + 16);
  SRC_DATA data{};
  data.data_in = mono.data();
  data.input_frames = static_cast<long>(mono.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  int err = src_simple(&data, SRC_SINC_FASTEST, 1);
  if (err != 0) throw Error(path.string() + ": cannot resample (" + src_strerror(err) + ")");
  out.resize(static_cast<std::size_t>(data.output_frames_gen));
  return out;
}

std::string wav_bytes(const std::vector<float>& samples) {
  auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_le(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  put_le(out, 16, 4);               // fmt chunk size
  put_le(out, 1, 2);                // PCM
  put_le(out, 1, 2);                // mono
  put_le(out, kSampleRate, 4);      // sample rate
  put_le(out, kSampleRate * 2, 4);  // byte rate
  put_le(out, 2, 2);                // block align
  put_le(out, 16, 2);               // bits per sample
  out += "data";
  put_le(out, data_bytes, 4);
  for (float s : samples) {
    double v = std::isfinite(s) ? std::round(static_cast<double>(s) * 32767.0) : 0.0;
    v = std::clamp(v, -32768.0, 32767.0);
    put_le(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(v)), 2);
  }
  return out;
}

}  // namespace kiln::firealarm
