// `kiln dsp`, driven as a user would: the golden vectors through the CLI, the output formats, audio input,
// and every class of bad input (clear message naming the file or parameter, exit code 1, no output file left
// behind).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "golden_cases.h"
#include "support/kiln_cli.h"

namespace {

using namespace kiln::test;

std::string arg_number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

std::vector<float> random_pcm(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pcm(-12000, 12000);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(pcm(rng));
  return x;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// 16-bit PCM WAV; `interleaved` holds channels * frames int16 values.
void write_wav(const std::filesystem::path& path, const std::vector<std::int16_t>& interleaved, int channels,
               int rate) {
  std::string b;
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b += static_cast<char>(v >> (8 * i));
  };
  auto u16 = [&](std::uint16_t v) {
    b += static_cast<char>(v & 0xff);
    b += static_cast<char>(v >> 8);
  };
  const std::uint32_t data_bytes = static_cast<std::uint32_t>(interleaved.size() * 2);
  b += "RIFF";
  u32(36 + data_bytes);
  b += "WAVEfmt ";
  u32(16);
  u16(1);
  u16(static_cast<std::uint16_t>(channels));
  u32(static_cast<std::uint32_t>(rate));
  u32(static_cast<std::uint32_t>(rate * channels * 2));
  u16(static_cast<std::uint16_t>(channels * 2));
  u16(16);
  b += "data";
  u32(data_bytes);
  for (std::int16_t s : interleaved) u16(static_cast<std::uint16_t>(s));
  write_bytes(path, b);
}

// Asserts a failed run: exit 1, "kiln: error:" with every `needles` text in the message, and no output file
// (nor a temporary one) left in the directory.
void expect_failure(const KilnRun& r, const std::vector<std::string>& needles, const TempDir& dir,
                    const std::filesystem::path& output) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.rfind("kiln: error: ", 0), 0u) << r.err;
  for (const auto& n : needles)
    EXPECT_NE(r.err.find(n), std::string::npos) << "'" << n << "' not in: " << r.err;
  EXPECT_FALSE(std::filesystem::exists(output)) << output;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "left behind: " << e.path();
  }
}

TEST(DspCli, GoldenMfeCasesThroughTheBinary) {
  if (!golden_available()) GTEST_SKIP() << "no golden vectors at " << golden_dir();
  const std::vector<MfeGoldenCase> cases = load_mfe_golden_cases();
  ASSERT_FALSE(cases.empty());
  TempDir dir;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    const std::filesystem::path out = dir / (c.id + ".f32");
    std::vector<std::string> args = {"dsp", "mfe", "--frequency", arg_number(c.frequency)};
    for (const auto& [name, value] : c.params) {
      args.push_back("--param");
      args.push_back(name + "=" + arg_number(value));
    }
    args.push_back((c.dir / "input.f32").string());
    args.push_back(out.string());
    const KilnRun r = run_kiln(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(std::to_string(c.frames) + " x " + std::to_string(c.values)), std::string::npos)
        << r.out;
    const MfeComparison cmp = compare_mfe(c, read_f32(out));
    EXPECT_EQ(cmp.mismatches, 0) << cmp.first_mismatch;
    EXPECT_LE(cmp.boundary_steps, c.boundary_budget);
    EXPECT_EQ(cmp.exact + cmp.boundary_steps + cmp.mismatches, c.frames * c.values);
  }
}

TEST(DspCli, WavOfTheGoldenInputGivesTheSameFeatures) {
  // mfe_yes_default's input is this WAV file's samples: reading it through libsndfile must give the same
  // result.
  const std::filesystem::path wav =
      std::filesystem::path(KILN_SHARED_DIR) / "models" / "testdata" / "tflm_micro_speech_yes_1000ms.wav";
  if (!golden_available() || !std::filesystem::exists(wav)) GTEST_SKIP() << "no " << wav;
  MfeGoldenCase yes;
  for (auto& c : load_mfe_golden_cases()) {
    if (c.id == "mfe_yes_default") yes = c;
  }
  if (yes.id.empty()) GTEST_SKIP() << "mfe_yes_default not in this golden set";
  TempDir dir;
  const KilnRun r = run_kiln({"dsp", "mfe", wav.string(), (dir / "yes.f32").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(compare_mfe(yes, read_f32(dir / "yes.f32")).mismatches, 0);
}

TEST(DspCli, StereoWavIsMixedToMono) {
  TempDir dir;
  const std::vector<float> x = random_pcm(8000, 21);
  std::vector<std::int16_t> stereo;
  for (float v : x) {
    stereo.push_back(static_cast<std::int16_t>(v));
    stereo.push_back(static_cast<std::int16_t>(v));
  }
  write_wav(dir / "stereo.wav", stereo, 2, 8000);
  write_f32(dir / "mono.f32", x);
  ASSERT_EQ(run_kiln({"dsp", "mfe", (dir / "stereo.wav").string(), (dir / "a.f32").string()}).exit_code, 0);
  ASSERT_EQ(
      run_kiln({"dsp", "mfe", "--frequency", "8000", (dir / "mono.f32").string(), (dir / "b.f32").string()})
          .exit_code,
      0);
  EXPECT_EQ(read_f32(dir / "a.f32"), read_f32(dir / "b.f32"));
  EXPECT_EQ(read_f32(dir / "a.f32").size(), 99u * 40u);  // 1 s at 8 kHz: L = 160, S = 80
}

TEST(DspCli, CsvAndJsonHoldTheSameFeaturesAsF32) {
  TempDir dir;
  write_f32(dir / "in.bin", random_pcm(16000, 22));
  const std::string in = (dir / "in.bin").string();
  ASSERT_EQ(run_kiln({"dsp", "mfe", "--frequency", "16000", in, (dir / "o.f32").string()}).exit_code, 0);
  ASSERT_EQ(run_kiln({"dsp", "mfe", "--frequency", "16000", in, (dir / "o.csv").string()}).exit_code, 0);
  ASSERT_EQ(run_kiln({"dsp", "mfe", "--frequency", "16000", in, (dir / "o.json").string()}).exit_code, 0);
  const std::vector<float> f32 = read_f32(dir / "o.f32");
  ASSERT_EQ(f32.size(), 99u * 40u);

  std::istringstream csv(read_text(dir / "o.csv"));
  std::string line;
  std::vector<float> from_csv;
  int rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    std::istringstream cells(line);
    std::string cell;
    int cols = 0;
    while (std::getline(cells, cell, ',')) {
      from_csv.push_back(std::stof(cell));
      ++cols;
    }
    EXPECT_EQ(cols, 40) << "row " << rows;
  }
  EXPECT_EQ(rows, 99);
  EXPECT_EQ(from_csv, f32);

  const nlohmann::json j = nlohmann::json::parse(read_text(dir / "o.json"));
  EXPECT_EQ(j.at("block"), "mfe");
  EXPECT_EQ(j.at("version"), "ei-4");
  EXPECT_EQ(j.at("frequency").get<double>(), 16000.0);
  EXPECT_EQ(j.at("shape"), nlohmann::json({99, 40}));
  EXPECT_EQ(j.at("features").get<std::vector<float>>(), f32);
}

TEST(DspCli, JsonFlagPrintsOneDocument) {
  TempDir dir;
  write_f32(dir / "in.raw", random_pcm(8000, 23));
  const KilnRun r = run_kiln({"--json", "dsp", "mfe", "--frequency", "8000", "--param", "num_filters=32",
                              (dir / "in.raw").string(), (dir / "o.raw").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("shape"), nlohmann::json({99, 32}));
  EXPECT_EQ(j.at("samples"), 8000);
  EXPECT_EQ(j.at("version"), "ei-4");
}

TEST(DspCli, BadInputFailsCleanly) {
  TempDir dir;
  const std::filesystem::path out = dir / "out.f32";
  const std::string o = out.string();
  write_f32(dir / "good.f32", random_pcm(16000, 24));
  const std::string good = (dir / "good.f32").string();
  auto dsp = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"dsp", "mfe", "--frequency", "16000"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_kiln(args);
  };

  expect_failure(dsp({(dir / "missing.f32").string(), o}), {"missing.f32", "no such file"}, dir, out);

  write_bytes(dir / "empty.f32", "");
  expect_failure(dsp({(dir / "empty.f32").string(), o}), {"empty.f32", "empty file"}, dir, out);

  write_bytes(dir / "odd.f32", std::string(4 * 1000 + 3, '\0'));
  expect_failure(dsp({(dir / "odd.f32").string(), o}), {"odd.f32", "4003 bytes", "float32"}, dir, out);

  write_f32(dir / "three.f32", std::vector<float>(16001, 0.0f));
  expect_failure(dsp({"--axes", "2", (dir / "three.f32").string(), o}),
                 {"three.f32", "not a multiple of --axes 2"}, dir, out);

  std::vector<float> with_nan = random_pcm(16000, 25);
  with_nan[1234] = NAN;
  write_f32(dir / "nan.f32", with_nan);
  expect_failure(dsp({(dir / "nan.f32").string(), o}), {"nan.f32", "value 1234", "NaN"}, dir, out);
  with_nan[1234] = -INFINITY;
  write_f32(dir / "inf.f32", with_nan);
  expect_failure(dsp({(dir / "inf.f32").string(), o}), {"inf.f32", "infinite"}, dir, out);

  expect_failure(dsp({"--param", "fft_lenght=512", good, o}),
                 {"unknown parameter 'fft_lenght'", "did you mean 'fft_length'?"}, dir, out);
  expect_failure(dsp({"--param", "fft_length=300", good, o}), {"fft_length must be a power of two", "300"},
                 dir, out);
  expect_failure(dsp({"--param", "fft_length", good, o}), {"--param 'fft_length'", "NAME=VALUE"}, dir, out);
  expect_failure(dsp({"--param", "fft_length=big", good, o}), {"fft_length", "must be a number (got 'big')"}, dir,
                 out);
  expect_failure(dsp({"--param", "frame_length=2", good, o}), {"frame_length", "longer than the window"}, dir,
                 out);
  expect_failure(dsp({"--version", "ei-9", good, o}), {"unknown version 'ei-9'"}, dir, out);
  expect_failure(dsp({"--axes", "2", good, o}), {"one axis"}, dir, out);
  expect_failure(dsp({good, (dir / "out.txt").string()}), {"out.txt", "unknown output format"}, dir,
                 dir / "out.txt");

  expect_failure(run_kiln({"dsp", "mfee", "--frequency", "16000", good, o}),
                 {"unknown DSP block 'mfee'", "did you mean 'mfe'?"}, dir, out);
  expect_failure(run_kiln({"dsp", "mfe", good, o}), {"good.f32", "--frequency is required"}, dir, out);
}

TEST(DspCli, AudioInputErrors) {
  TempDir dir;
  const std::filesystem::path out = dir / "out.f32";
  std::vector<std::int16_t> mono(16000, 100);
  write_wav(dir / "a16k.wav", mono, 1, 16000);
  expect_failure(run_kiln({"dsp", "mfe", "--frequency", "8000", (dir / "a16k.wav").string(), out.string()}),
                 {"a16k.wav", "16000 Hz", "--frequency is 8000 Hz", "does not resample"}, dir, out);
  write_bytes(dir / "noise.wav", "this is not a wav file at all");
  expect_failure(run_kiln({"dsp", "mfe", (dir / "noise.wav").string(), out.string()}),
                 {"noise.wav", "not a readable audio file"}, dir, out);
  write_wav(dir / "short.wav", std::vector<std::int16_t>(100, 5), 1, 16000);
  expect_failure(run_kiln({"dsp", "mfe", (dir / "short.wav").string(), out.string()}),
                 {"longer than the window"}, dir, out);
}

TEST(DspCli, FailureKeepsAnExistingOutputUntouched) {
  TempDir dir;
  const std::filesystem::path out = dir / "out.f32";
  write_bytes(out, "previous");
  write_bytes(dir / "empty.f32", "");
  const KilnRun r =
      run_kiln({"dsp", "mfe", "--frequency", "16000", (dir / "empty.f32").string(), out.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(read_text(out), "previous");
}

}  // namespace
