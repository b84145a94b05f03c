// The dispatcher: format by extension or content, conversion to the impulse's frequency and axes, and one
// clear message naming the file for every kind of bad input.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "data/sample_reader.h"
#include "sample_files.h"

namespace kiln {
namespace {

using test::fresh_dir;
using test::write_text;
using test::write_tone;

InputSettings audio_input() {
  return InputSettings{};
}  // audio, 16 kHz, 1 axis

InputSettings motion_input() {
  InputSettings in;
  in.type = "timeseries";
  in.frequency = 100;
  in.axes = 3;
  return in;
}

std::string read_error(const std::filesystem::path& path, const InputSettings& input) {
  try {
    read_sample_file(path, input);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string motion_csv(double hz, int rows, int axes = 3) {
  std::string text = "timestamp";
  for (int a = 0; a < axes; ++a) text += ",acc" + std::to_string(a);
  text += "\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i * 1000.0 / hz);
    for (int a = 0; a < axes; ++a) text += "," + std::to_string(a + 0.001 * i);
    text += "\n";
  }
  return text;
}

TEST(SampleReader, ReadsEveryFormatForAnAudioProject) {
  auto dir = fresh_dir("reader-audio");
  write_tone(dir / "a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 0.5, 1000, 0.5);
  write_tone(dir / "a.FLAC", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 1, 0.5, 1000, 0.5);
  write_tone(dir / "a.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 22050, 1, 0.5, 1000, 0.5);
  for (const char* f : {"a.wav", "a.FLAC", "a.ogg"}) {
    SampleData d = read_sample_file(dir / f, audio_input());
    EXPECT_EQ(d.values.size(), 8000u) << f;
    EXPECT_EQ(d.frequency, 16000) << f;
  }
  // Edge Impulse stores audio as JSON with a flat value list.
  write_text(dir / "a.json", R"({"payload": {"interval_ms": 0.0625, "values": [1, 2, 3, 4]}})");
  SampleData d = read_sample_file(dir / "a.json", audio_input());
  EXPECT_EQ(d.values, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(d.frequency, 16000);
}

// A file without a known extension is recognised by its content.
TEST(SampleReader, SniffsFilesWithoutAKnownExtension) {
  auto dir = fresh_dir("reader-sniff");
  write_tone(dir / "recording", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.25, 1000, 0.5);
  EXPECT_EQ(read_sample_file(dir / "recording", audio_input()).values.size(), 4000u);
  write_text(dir / "sample.dat", R"(  {"payload": {"interval_ms": 0.0625, "values": [1, 2]}})");
  EXPECT_EQ(read_sample_file(dir / "sample.dat", audio_input()).values.size(), 2u);
}

TEST(SampleReader, SensorDataAtTheImpulseFrequency) {
  auto dir = fresh_dir("reader-motion");
  write_text(dir / "m.csv", motion_csv(100, 50));
  SampleData d = read_sample_file(dir / "m.csv", motion_input());
  EXPECT_EQ(d.axes, 3);
  EXPECT_EQ(d.frequency, 100);
  EXPECT_EQ(d.values.size(), 150u);
  EXPECT_FLOAT_EQ(d.values[3 * 10 + 2], 2.01f);
}

// Within 1% the difference is timestamp rounding: taken as the impulse frequency, values untouched.
TEST(SampleReader, NearlyTheImpulseFrequencyIsNotResampled) {
  auto dir = fresh_dir("reader-near");
  write_text(dir / "m.csv", motion_csv(100.5, 50));
  SampleData d = read_sample_file(dir / "m.csv", motion_input());
  EXPECT_EQ(d.frequency, 100);
  EXPECT_EQ(d.values.size(), 150u);
  EXPECT_FLOAT_EQ(d.values[3 * 10 + 2], 2.01f);
}

// 50 Hz data in a 100 Hz impulse is resampled: twice the rows, a slow ramp stays a ramp.
TEST(SampleReader, OtherFrequenciesAreResampled) {
  auto dir = fresh_dir("reader-resample");
  write_text(dir / "m.csv", motion_csv(50, 100));
  SampleData d = read_sample_file(dir / "m.csv", motion_input());
  EXPECT_EQ(d.frequency, 100);
  ASSERT_EQ(d.values.size(), 600u);
  // Axis 1 is 1 + 0.001 * row at 50 Hz: in the middle, output row r sits at input row r / 2.
  for (int r = 60; r < 140; ++r) EXPECT_NEAR(d.values[3 * r + 1], 1 + 0.001 * r / 2, 2e-4) << r;
}

// An axis with a large constant part (gravity on an accelerometer) does not ring at the ends when resampled:
// every output row, edges included, is close to the true signal.
TEST(SampleReader, ResamplingDoesNotRingAtTheEdges) {
  auto dir = fresh_dir("reader-edges");
  auto signal = [](double t) { return 9.81 + 0.5 * std::sin(2 * M_PI * 2 * t); };
  std::string text = "time_s,x,y,z\n";
  for (int i = 0; i < 100; ++i) {
    double t = i / 50.0;
    text += std::to_string(t) + ",0,-1," + std::to_string(signal(t)) + "\n";
  }
  write_text(dir / "m.csv", text);
  SampleData d = read_sample_file(dir / "m.csv", motion_input());
  ASSERT_EQ(d.values.size(), 600u);
  for (int r = 0; r < 200; ++r) {
    EXPECT_NEAR(d.values[3 * r], 0, 1e-6) << r;
    EXPECT_NEAR(d.values[3 * r + 1], -1, 1e-6) << r;
    EXPECT_NEAR(d.values[3 * r + 2], signal(r / 100.0), r < 198 ? 0.02 : 0.1)
        << r;  // the last row lies beyond the last input row
  }
}

TEST(SampleReader, AxisCountMustMatchTheImpulse) {
  auto dir = fresh_dir("reader-axes");
  write_text(dir / "three.csv", motion_csv(16000, 10));
  std::string msg = read_error(dir / "three.csv", audio_input());
  EXPECT_EQ(
      msg.rfind((dir / "three.csv").string() + ": 3 axes (acc0, acc1, acc2), but this is an audio project",
                0),
      0u)
      << msg;
  write_text(dir / "two.csv", motion_csv(100, 10, 2));
  msg = read_error(dir / "two.csv", motion_input());
  EXPECT_EQ(msg.rfind((dir / "two.csv").string() + ": 2 axes (acc0, acc1), but the impulse expects 3", 0), 0u)
      << msg;
  write_tone(dir / "a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 100, 1, 1, 10, 0.5);
  msg = read_error(dir / "a.wav", motion_input());
  EXPECT_EQ(
      msg.rfind((dir / "a.wav").string() + ": an audio file gives 1 axis, but the impulse expects 3", 0), 0u)
      << msg;
}

// Each bad input gives one message that starts with the file's name and says what is wrong.
TEST(SampleReader, BadInputNamesTheFile) {
  auto dir = fresh_dir("reader-bad");
  write_tone(dir / "good.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.5, 1000, 0.5);
  write_tone(dir / "good.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 0.5, 1000, 0.5, 0.2);
  const std::string wav = test::read_bytes(dir / "good.wav");
  const std::string flac = test::read_bytes(dir / "good.flac");

  write_text(dir / "empty.wav", "");
  write_text(dir / "text.wav", "this is not audio\n1,2,3\n");
  write_text(dir / "truncated.wav", wav.substr(0, wav.size() / 2));
  write_text(dir / "header-only.wav", wav.substr(0, 30));
  std::string garbage = wav;
  for (std::size_t i = 12; i < 44; ++i) garbage[i] = static_cast<char>(0xA5);
  write_text(dir / "corrupt.wav", garbage);
  std::string damaged = flac;
  for (std::size_t i = flac.size() / 3; i < flac.size(); i += 11)
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
  write_text(dir / "corrupt.flac", damaged);
  write_text(dir / "truncated.flac", flac.substr(0, flac.size() / 2));
  write_text(dir / "notes.txt", "hello");
  write_text(dir / "noext", "hello");
  std::filesystem::create_directories(dir / "folder.wav");

  const std::pair<const char*, const char*> cases[] = {
      {"missing.wav", "no such file or directory"},
      {"folder.wav", "is a directory"},
      {"empty.wav", "empty file"},
      {"text.wav", "not a readable audio file"},
      {"truncated.wav", "truncated WAV file"},
      {"header-only.wav", "not a readable audio file"},
      {"corrupt.wav", "not a readable audio file"},
      {"corrupt.flac", "corrupt audio"},
      {"truncated.flac", "corrupt audio"},
      {"notes.txt", "unknown file type"},
      {"noext", "unknown file type"},
  };
  for (const auto& [file, expected] : cases) {
    std::string msg = read_error(dir / file, audio_input());
    EXPECT_EQ(msg.rfind((dir / file).string() + ": ", 0), 0u) << file << " -> " << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << file << " -> " << msg;
  }
}

// 100,000 columns used to make a 789 KB error message (every axis name listed): now 8 names, escaped, and
// a count.
TEST(SampleReader, AxisListInMessagesIsShort) {
  auto dir = fresh_dir("reader-wide");
  std::string header = "timestamp", row0 = "0", row1 = "10", row2 = "20";
  for (int c = 0; c < 100000; ++c) {
    header += ",column_with_a_long_name_" + std::to_string(c);
    row0 += ",1", row1 += ",2", row2 += ",3";
  }
  write_text(dir / "wide.csv", header + "\n" + row0 + "\n" + row1 + "\n" + row2 + "\n");
  std::string msg = read_error(dir / "wide.csv", motion_input());
  EXPECT_EQ(msg,
            (dir / "wide.csv").string() +
                ": 100000 axes (column_with_a_long_name_0, column_with_a_long_name_1, "
                "column_with_a_long_name_2, column_with_a_long_name_3, column_with_a_long_name_4, "
                "column_with_a_long_name_5, column_with_a_long_name_6, column_with_a_long_name_7, ... 99992 "
                "more), but the impulse expects 3 ([input] axes in kiln.toml)");
  write_text(dir / "names.csv", "timestamp,\"x\ty\",z\n0,1,2\n10,1,2\n20,1,2\n");
  msg = read_error(dir / "names.csv", motion_input());
  EXPECT_NE(msg.find(": 2 axes (x\\ty, z), but the impulse expects 3"), std::string::npos) << msg;
}

// A device is not a sample file, even with a sample file's name.
TEST(SampleReader, RefusesDevices) {
  auto dir = fresh_dir("reader-device");
  std::filesystem::create_symlink("/dev/zero", dir / "zero.wav");
  std::filesystem::create_symlink("/dev/zero", dir / "zero.csv");
  EXPECT_NE(read_error(dir / "zero.wav", audio_input()).find("zero.wav: not a regular file"),
            std::string::npos);
  EXPECT_NE(read_error(dir / "zero.csv", audio_input()).find("zero.csv: not a regular file"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln
