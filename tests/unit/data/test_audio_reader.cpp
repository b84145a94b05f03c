// Audio files of several formats, rates, bit depths and channel counts, written with libsndfile and read
// back: mono mixdown, resampling to the impulse frequency (length, tone frequency and amplitude kept), int16
// scaling, clipping.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "data/audio_reader.h"
#include "sample_files.h"

namespace kiln {
namespace {

using test::fresh_dir;
using test::write_audio;
using test::write_text;
using test::write_tone;
using test::zero_crossings;

double rms(const std::vector<float>& v, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(v[i]) * v[i];
  return std::sqrt(sum / static_cast<double>(to - from));
}

struct Case {
  const char* file;
  int format;
  int rate;
  int channels;
  double amplitude_tolerance;  // relative; Vorbis is lossy
};

// A 1 kHz tone at half scale, 1.5 s, read at 16 kHz: 24000 samples, 3000 zero crossings, RMS 16384/sqrt(2).
TEST(AudioReader, ResamplesAnyFormatToTheImpulseFrequency) {
  auto dir = fresh_dir("audio-formats");
  const Case cases[] = {
      {"a44k-stereo-24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2, 0.01},
      {"a8k-mono-16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 1, 0.01},
      {"a48k-4ch-float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 4, 0.01},
      {"a22k-mono-u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 22050, 1, 0.02},
      {"a32k-stereo.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 32000, 2, 0.05},
      {"a96k-mono-24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 96000, 1, 0.01},
      {"a16k-mono-16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.01},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    write_tone(dir / c.file, c.format, c.rate, c.channels, 1.5, 1000, 0.5);
    SampleData d = read_audio_file(dir / c.file, 16000);
    EXPECT_EQ(d.axes, 1);
    EXPECT_EQ(d.frequency, 16000);
    ASSERT_EQ(d.values.size(), 24000u);
    EXPECT_NEAR(zero_crossings(d.values), 3000, 4);
    // Away from the edges, where the resampling filter sees the signal's start and end.
    EXPECT_NEAR(rms(d.values, 800, 23200), 16384 / std::sqrt(2.0),
                16384 / std::sqrt(2.0) * c.amplitude_tolerance);
  }
}

TEST(AudioReader, UpsamplesAndKeepsFrequency) {
  auto dir = fresh_dir("audio-up");
  write_tone(dir / "t.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 11025, 1, 2.0, 440, 0.25);
  SampleData d = read_audio_file(dir / "t.wav", 44100);
  ASSERT_EQ(d.values.size(), 88200u);
  EXPECT_NEAR(zero_crossings(d.values), 2 * 440 * 2, 4);
  EXPECT_NEAR(rms(d.values, 2000, 86000), 8192 / std::sqrt(2.0), 8192 / std::sqrt(2.0) * 0.01);
}

// Resampled length is round(frames * ratio) for lengths that do not divide evenly.
TEST(AudioReader, ResampledLengthIsRounded) {
  auto dir = fresh_dir("audio-len");
  for (int frames : {1, 2, 7, 1000, 44101}) {
    std::vector<float> v(static_cast<std::size_t>(frames), 0.1f);
    test::write_audio(dir / "x.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, v);
    SampleData d = read_audio_file(dir / "x.wav", 16000);
    EXPECT_EQ(d.values.size(), std::max<std::size_t>(1, std::llround(frames * 16000.0 / 44100))) << frames;
  }
}

// At the impulse rate nothing is resampled: 16-bit values come back exactly as int16 units.
TEST(AudioReader, SameRateIsExactInt16Units) {
  auto dir = fresh_dir("audio-exact");
  std::vector<float> v;
  for (int i : {0, 1, -1, 1000, -32768, 32767, 12345, -22222}) v.push_back(static_cast<float>(i / 32768.0));
  test::write_audio(dir / "x.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, v);
  SampleData d = read_audio_file(dir / "x.wav", 16000);
  ASSERT_EQ(d.values.size(), v.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(d.values[i], std::round(v[i] * 32768.0f)) << i;
}

// Mono is the mean of the channels.
TEST(AudioReader, MixesChannelsToTheirMean) {
  auto dir = fresh_dir("audio-mix");
  std::vector<float> v;
  for (int i = 0; i < 100; ++i) {
    v.push_back(0.5f);
    v.push_back(-0.25f);
    v.push_back(0.125f);
  }
  test::write_audio(dir / "x.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 3, v);
  SampleData d = read_audio_file(dir / "x.wav", 16000);
  ASSERT_EQ(d.values.size(), 100u);
  for (float x : d.values) EXPECT_FLOAT_EQ(x, (0.5f - 0.25f + 0.125f) / 3 * 32768);
}

TEST(AudioReader, ClipsToInt16Range) {
  auto dir = fresh_dir("audio-clip");
  test::write_audio(dir / "x.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, {1.5f, -2.0f, 0.5f, 0.99999f});
  SampleData d = read_audio_file(dir / "x.wav", 16000);
  ASSERT_EQ(d.values.size(), 4u);
  EXPECT_EQ(d.values[0], 32767);
  EXPECT_EQ(d.values[1], -32768);
  EXPECT_EQ(d.values[2], 16384);
  EXPECT_EQ(d.values[3], 32767);
}

// FLAC is lossless: the same 16-bit audio as WAV and FLAC decodes to identical values. (The test writes
// values that are exact int16 steps: libsndfile's float-to-int conversion differs between its WAV and FLAC
// writers.)
TEST(AudioReader, WavAndFlacDecodeIdentically) {
  auto dir = fresh_dir("audio-lossless");
  std::vector<float> v = test::int16_noise(44100, 7);  // 0.5 s of stereo
  test::write_audio(dir / "x.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, v);
  test::write_audio(dir / "x.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, v);
  EXPECT_EQ(read_audio_file(dir / "x.wav", 16000).values, read_audio_file(dir / "x.flac", 16000).values);
}

std::string audio_error(const std::filesystem::path& path, double frequency) {
  try {
    read_audio_file(path, frequency);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A FLAC header announcing 2^28 frames (an 8 KB file): refused from the header, before any decoding or
// allocation, instead of reserving a gigabyte and decoding until the data runs out.
TEST(AudioReader, RefusesMoreFramesThanASampleMayHold) {
  auto dir = fresh_dir("audio-huge");
  write_tone(dir / "a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 0.2, 1000, 0.5, 0.1);
  std::string flac = test::read_bytes(dir / "a.flac");
  // STREAMINFO follows "fLaC" and its 4-byte block header; its bytes 10..17 hold the sample rate (20 bits),
  // channels - 1 (3), bits per sample - 1 (5) and the total sample count (36 bits).
  ASSERT_EQ(flac.substr(0, 4), "fLaC");
  const std::uint64_t total = std::uint64_t{1} << 28;
  for (int i = 0; i < 4; ++i) flac[22 + i] = static_cast<char>(total >> (8 * (3 - i)));
  flac[21] = static_cast<char>((flac[21] & 0xF0) | static_cast<char>((total >> 32) & 0x0F));
  write_text(dir / "huge.flac", flac);
  EXPECT_EQ(
      audio_error(dir / "huge.flac", 16000),
      (dir / "huge.flac").string() +
          ": 268435456 frames of 1 channels, more than the 134217728 values a sample may hold (split the "
          "recording into shorter files)");
}

// Upsampling multiplies the length: 1000 Hz -> 256 kHz makes 600,000 frames 153.6 million values. Refused
// before decoding.
TEST(AudioReader, RefusesWhatWouldBeTooLongAfterResampling) {
  auto dir = fresh_dir("audio-upsample");
  write_audio(dir / "a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1000, 1, std::vector<float>(600000, 0.25f));
  EXPECT_EQ(
      audio_error(dir / "a.wav", 256000),
      (dir / "a.wav").string() +
          ": 600000 frames at 1000 Hz are 153600000 at 256000 Hz, more than the 134217728 values a sample "
          "may hold (split the recording into shorter files)");
  EXPECT_EQ(read_audio_file(dir / "a.wav", 2000).values.size(), 1200000u);  // within the limit
}

TEST(AudioReader, RefusesDevicesAndValuesBeyondFloat) {
  EXPECT_EQ(audio_error("/dev/zero", 16000),
            "/dev/zero: not a regular file (a device, pipe or socket; Kiln reads files only)");
  auto dir = fresh_dir("audio-float-range");
  write_audio(dir / "loud.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, {0.5f, 1e38f, 0.5f});
  EXPECT_EQ(audio_error(dir / "loud.wav", 16000),
            (dir / "loud.wav").string() + ": the audio holds NaN, infinite or out-of-range values");
  // Far beyond full scale but within float range: clipped like any loud sample, resampled or not.
  write_audio(dir / "hot.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, std::vector<float>(800, 1e30f));
  for (double f : {16000.0, 8000.0}) {
    for (float v : read_audio_file(dir / "hot.wav", f).values) ASSERT_EQ(v, 32767.0f) << f;
  }
}

// Many channels are decoded in blocks of a bounded size (64 Ki values), not 64 Ki frames of every channel.
TEST(AudioReader, ManyChannelsMixDown) {
  auto dir = fresh_dir("audio-channels");
  const int channels = 300;
  std::vector<float> interleaved(static_cast<std::size_t>(channels) * 1000);
  for (std::size_t i = 0; i < interleaved.size(); ++i) interleaved[i] = (i % channels) < 150 ? 0.5f : 0.0f;
  write_audio(dir / "a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, channels, interleaved);
  const std::vector<float> mono = read_audio_file(dir / "a.wav", 16000).values;
  ASSERT_EQ(mono.size(), 1000u);
  for (float v : mono) ASSERT_EQ(v, 8192.0f);
}

}  // namespace
}  // namespace kiln
