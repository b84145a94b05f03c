// End to end: the kiln binary driven as a user drives it, on real recordings made by the fire-alarm example's
// generator. Init, add, features, train, test, classify; determinism; and bad input of every class, each of
// which must give one clear message, a non-zero exit, and a project exactly as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "e2e/world.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::read_bytes;
using kiln::test::run_kiln;
using kiln::test::snapshot;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

// Shared by every test: 6 minutes of generated recordings and one trained project, built by World.Build (the
// ctest fixture) and read-only afterwards.
using kiln::test::World;
const World* world = nullptr;
const World kWorld;
const fs::path kComplete = kWorld.complete;

// The fire-alarm example's kiln.toml with fewer epochs, so the suite stays quick.
std::string example_toml(int epochs) {
  std::string toml = read_bytes(fs::path(KILN_SOURCE_DIR) / "examples/fire-alarm/kiln.toml");
  return std::regex_replace(toml, std::regex("epochs = 100"), "epochs = " + std::to_string(epochs));
}

// A project with the example's impulse and the shared recordings, not yet trained.
fs::path make_project(const fs::path& dir, int epochs = 20) {
  KilnRun r = run_kiln({"-q", "init", dir.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  write_bytes(dir / "kiln.toml", example_toml(epochs));
  r = run_kiln({"-C", dir.string(), "-q", "add", world->recordings.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir;
}

// Every test but World.Build needs the world; ctest runs World.Build first (fixture), and so does a plain run
// of the whole binary, because it is the first test defined.
class WorldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kComplete)) << kWorld.root << " is not built: run World.Build first";
    world = &kWorld;
  }
};

TEST(World, Build) {
  world = &kWorld;
  fs::remove_all(kWorld.root);
  fs::create_directories(kWorld.root);
  std::string cmd = std::string("'") + KILN_FIREALARM_DATA + "' -q --seed 11 --minutes 6 --out '" +
                    kWorld.recordings.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  make_project(kWorld.project);
  KilnRun r = run_kiln({"-C", kWorld.project.string(), "-q", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_kiln({"-C", kWorld.project.string(), "-q", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_bytes(kComplete, "");
}

nlohmann::json json_file(const fs::path& p) {
  return nlohmann::json::parse(read_bytes(p));
}

// The byte count of a WAV file's "data" chunk.
std::size_t wav_data_bytes(const std::string& wav) {
  std::size_t at = wav.find("data", 12);
  if (at == std::string::npos || at + 8 > wav.size()) return 0;
  std::size_t n = 0;
  for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(wav[at + 4 + i]);
  return n;
}

// A 16-bit mono WAV of `samples` samples of a 3.2 kHz tone at 16 kHz.
void write_tone_wav(const fs::path& path, std::uint32_t samples) {
  std::string wav = "RIFF....WAVEfmt ";
  auto put = [&](std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) wav += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  put(16, 4), put(1, 2), put(1, 2), put(16000, 4), put(32000, 4), put(2, 2), put(16, 2);
  wav += "data";
  put(samples * 2, 4);
  for (std::uint32_t i = 0; i < samples; ++i) {
    put(static_cast<std::uint16_t>(static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 3200 * i / 16000.0))),
        2);
  }
  std::uint32_t riff = static_cast<std::uint32_t>(wav.size() - 8);
  for (int i = 0; i < 4; ++i) wav[4 + i] = static_cast<char>((riff >> (8 * i)) & 0xff);
  write_bytes(path, wav);
}

// Expects one error line that names `what` (a file) and mentions `problem`, exit status 1, nothing on stdout.
void expect_clean_error(const KilnRun& r, const std::string& what, const std::string& problem) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("kiln: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
}

TEST(Cli, EveryCommandHasHelpAndUsageErrorsExitTwo) {
  for (const char* cmd : {"init", "add", "dataset", "features", "train", "quantize", "test", "classify",
                          "dsp", "inspect", "invoke", "import", "demo"}) {
    KilnRun r = run_kiln({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage: kiln " + std::string(cmd)), std::string::npos) << cmd << ": " << r.out;
  }
  KilnRun r = run_kiln({});
  EXPECT_EQ(r.exit_code, 2);
  r = run_kiln({"trian"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_kiln({"train", "--epochs"});
  EXPECT_EQ(r.exit_code, 2);
}

using Pipeline = WorldTest;
using Missing = WorldTest;

TEST_F(Pipeline, TrainedModelSeparatesAlarmFromNoise) {
  nlohmann::json m = json_file(world->project / "out/metrics.json");
  EXPECT_EQ(m["labels"], (nlohmann::json{"alarm", "noise"}));
  EXPECT_GT(m["total"].get<int>(), 0);
  // 6 minutes of data (7 test recordings) and 20 epochs: far from the demo's accuracy, but far above chance.
  EXPECT_GE(m["accuracy"].get<double>(), 0.75) << m.dump();
  nlohmann::json h = json_file(world->project / "out/training-history.json");
  EXPECT_FALSE(h.empty());

  std::string report = read_bytes(world->project / "out/report.html");
  EXPECT_NE(report.find("<html"), std::string::npos);
  EXPECT_NE(report.find("Test results"), std::string::npos);
  EXPECT_NE(report.find("Misclassified windows"), std::string::npos);
  EXPECT_NE(report.find("data:image/png;base64,"), std::string::npos);
}

TEST_F(Pipeline, TestPrintsTheConfusionMatrixAndJson) {
  KilnRun r = run_kiln({"-C", world->project.string(), "-q", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("true \\ predicted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("uncertain"), std::string::npos);
  EXPECT_NE(r.out.find("Accuracy"), std::string::npos);
  r = run_kiln({"-C", world->project.string(), "-q", "--json", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["accuracy"], json_file(world->project / "out/metrics.json")["accuracy"]);
}

TEST_F(Pipeline, FeaturesAreCachedAndDrawnAsSpectrograms) {
  TempDir png;
  KilnRun r = run_kiln(
      {"-C", world->project.string(), "-q", "features", "--png", png.path().string(), "--png-limit", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 computed"), std::string::npos) << r.out;  // train and test computed them already
  for (const char* label : {"alarm", "noise"}) {
    int pngs = 0;
    for (const auto& e : fs::directory_iterator(png / label)) {
      EXPECT_EQ(read_bytes(e.path()).substr(1, 3), "PNG");
      ++pngs;
    }
    EXPECT_EQ(pngs, 3) << label;
  }
}

TEST_F(Pipeline, ClassifySlidesTheWindowOverARecording) {
  fs::path file = world->recordings / "alarm" / "alarm-0001.wav";
  KilnRun r = run_kiln({"-C", world->project.string(), "--json", "classify", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  // 2 s windows every 0.25 s over a 16 kHz file: 1 + (samples - 32000) / 4000 windows.
  const std::size_t samples = wav_data_bytes(read_bytes(file)) / 2;
  ASSERT_GT(samples, 32000u);
  ASSERT_EQ(j["windows"].size(), 1 + (samples - 32000) / 4000);
  double expected_start = 0;
  for (const auto& w : j["windows"]) {
    EXPECT_DOUBLE_EQ(w["start_s"].get<double>(), expected_start);
    expected_start += 0.25;
    // int8 softmax scores (multiples of the output scale, 1/256): each is rounded on its own.
    double sum = w["scores"]["alarm"].get<double>() + w["scores"]["noise"].get<double>();
    EXPECT_NEAR(sum, 1.0, 2.0 / 256);
  }
  r = run_kiln({"-C", world->project.string(), "classify", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("alarm"), std::string::npos);
}

// The default model is the int8 .tflite on sdk/nn (the device path): the raw int8 outputs are in the JSON and
// the scores are exactly their dequantised values; --model float32 runs the float .tflite.
TEST_F(Pipeline, ClassifyRunsTheInt8ModelAndReportsRawScores) {
  fs::path file = world->recordings / "alarm" / "alarm-0001.wav";
  KilnRun r = run_kiln({"-C", world->project.string(), "--json", "classify", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "model-int8.tflite");
  const float scale = j["output_quantization"]["scale"].get<float>();
  const int zero_point = j["output_quantization"]["zero_point"].get<int>();
  ASSERT_FALSE(j["windows"].empty());
  for (const auto& w : j["windows"]) {
    ASSERT_TRUE(w.contains("scores_q"));
    for (const auto& l : j["labels"]) {
      const std::string label = l.get<std::string>();
      const int q = w["scores_q"][label].get<int>();
      EXPECT_GE(q, -128);
      EXPECT_LE(q, 127);
      EXPECT_EQ(w["scores"][label].get<float>(), static_cast<float>(q - zero_point) * scale) << label;
    }
  }

  r = run_kiln({"-C", world->project.string(), "--json", "classify", "--model", "float32", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json f = nlohmann::json::parse(r.out);
  EXPECT_EQ(f["model"], "model-f32.tflite");
  ASSERT_EQ(f["windows"].size(), j["windows"].size());
  for (const auto& w : f["windows"]) {
    EXPECT_FALSE(w.contains("scores_q"));
    EXPECT_NEAR(w["scores"]["alarm"].get<double>() + w["scores"]["noise"].get<double>(), 1.0, 1e-5);
  }
}

TEST_F(Pipeline, ClassifyNamesAMissingModelFile) {
  TempDir t;
  fs::path project = t / "p";
  fs::copy(world->project, project, fs::copy_options::recursive);
  fs::remove(project / "out" / "model-int8.tflite");
  fs::path file = world->recordings / "alarm" / "alarm-0001.wav";
  KilnRun r = run_kiln({"-C", project.string(), "classify", file.string()});
  expect_clean_error(r, "model-int8.tflite", "kiln quantize");
  // The float model is still there.
  r = run_kiln({"-C", project.string(), "classify", "--model", "float32", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Pipeline, ShortRecordingIsPaddedOrRefusedByTheZeroPadSetting) {
  TempDir t;
  fs::path project = t / "p";
  fs::copy(world->project, project, fs::copy_options::recursive);
  fs::path cut = t / "short.wav";
  write_tone_wav(cut, 16000);  // 1 s: half a window

  KilnRun r = run_kiln({"-C", project.string(), "--json", "classify", cut.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["windows"].size(), 1u);
  EXPECT_EQ(j["padded"], true);

  std::string toml = read_bytes(project / "kiln.toml");
  write_bytes(project / "kiln.toml",
              std::regex_replace(toml, std::regex("zero_pad = true"), "zero_pad = false"));
  r = run_kiln({"-C", project.string(), "classify", cut.string()});
  expect_clean_error(r, cut.string(), "shorter than one window");
}

TEST_F(Pipeline, SameSeedGivesIdenticalModelAndMetrics) {
  TempDir t;
  fs::path again = make_project(t / "again");
  ASSERT_EQ(run_kiln({"-C", again.string(), "-q", "train"}).exit_code, 0);
  ASSERT_EQ(run_kiln({"-C", again.string(), "-q", "test"}).exit_code, 0);
  EXPECT_EQ(read_bytes(again / "out/model.kmodel"), read_bytes(world->project / "out/model.kmodel"));
  EXPECT_EQ(read_bytes(again / "out/metrics.json"), read_bytes(world->project / "out/metrics.json"));

  // Another seed trains another model: the seed is really used.
  std::string toml = read_bytes(again / "kiln.toml");
  write_bytes(again / "kiln.toml", std::regex_replace(toml, std::regex("seed = 1"), "seed = 2"));
  ASSERT_EQ(run_kiln({"-C", again.string(), "-q", "train"}).exit_code, 0);
  EXPECT_NE(read_bytes(again / "out/model.kmodel"), read_bytes(world->project / "out/model.kmodel"));
}

TEST_F(Pipeline, ModelRecordsDatasetImpulseAndTraining) {
  std::string model = read_bytes(world->project / "out/model.kmodel");
  EXPECT_EQ(model.rfind("kiln-model 1\n", 0), 0u);
  std::size_t eol = model.find('\n', 13);
  nlohmann::json header = nlohmann::json::parse(model.substr(13, eol - 13));
  std::string meta = header.dump();
  for (const char* key : {"dataset_hash", "impulse_toml", "training"}) {
    EXPECT_NE(meta.find(key), std::string::npos) << key;
  }
}

// --- bad input
// -----------------------------------------------------------------------------------------------

class BadInput : public WorldTest {
 protected:
  void SetUp() override {
    WorldTest::SetUp();
    if (HasFatalFailure()) return;
    project = t / "p";
    ASSERT_EQ(run_kiln({"-q", "init", project.string()}).exit_code, 0);
    ASSERT_EQ(
        run_kiln({"-C", project.string(), "-q", "add", (world->recordings / "noise").string()}).exit_code, 0);
    before = snapshot(project);
  }
  // `kiln add GOOD BAD` must fail on BAD and add nothing, not even GOOD.
  void expect_add_rejects(const fs::path& bad, const std::string& problem) {
    KilnRun r = run_kiln({"-C", project.string(), "-q", "add", "--label", "alarm",
                          (world->recordings / "alarm").string(), bad.string()});
    expect_clean_error(r, bad.string(), problem);
    EXPECT_EQ(snapshot(project), before) << bad;
  }
  TempDir t;
  fs::path project;
  std::map<std::string, std::string> before;
};

TEST_F(BadInput, AudioFiles) {
  std::string good = read_bytes(world->recordings / "alarm" / "alarm-0001.wav");
  write_bytes(t / "empty.wav", "");
  expect_add_rejects(t / "empty.wav", "empty");
  write_bytes(t / "notes.wav", "these are my notes, not audio\n");
  expect_add_rejects(t / "notes.wav", "not a readable audio file");
  write_bytes(t / "truncated.wav", good.substr(0, 30));
  expect_add_rejects(t / "truncated.wav", "not a readable audio file");
  std::string corrupt = good.substr(0, 12) + std::string(200, '\x5a') + good.substr(212);
  write_bytes(t / "corrupt.wav", corrupt);
  expect_add_rejects(t / "corrupt.wav", "not a readable audio file");
  expect_add_rejects(t / "missing.wav", "no such file or directory");
}

TEST_F(BadInput, CsvAndJsonFiles) {
  write_bytes(t / "nan.csv", "timestamp,audio\n0,1\n0.0625,nan\n0.125,3\n");
  expect_add_rejects(t / "nan.csv", "line 3");
  write_bytes(t / "text.csv", "timestamp,audio\n0,1\n0.0625,loud\n0.125,3\n");
  expect_add_rejects(t / "text.csv", "line 3");
  write_bytes(t / "broken.json", "{\"payload\": {\"interval_ms\": 0.0625, \"sensors\": [");
  expect_add_rejects(t / "broken.json", "JSON");
  write_bytes(t / "no-values.json",
              R"({"payload": {"interval_ms": 0.0625, "sensors": [{"name": "audio", "units": "wav"}]}})");
  expect_add_rejects(t / "no-values.json", "values");
}

TEST_F(BadInput, KilnTomlMistakesNameTheFileAndLine) {
  const fs::path toml = project / "kiln.toml";
  const std::string good = read_bytes(toml);
  struct Case {
    std::string from, to, problem;
  };
  for (const Case& c : std::vector<Case>{
           {"epochs = 100", "epoch = 100", "unknown key 'epoch' in [train] (did you mean 'epochs'?)"},
           {"num_filters = 40", "num_filter = 40", "did you mean 'num_filters'?"},
           {"seed = 1", "seed = \"one\"", "[train].seed must be a whole number"},
           {"[test]", "[tests]", "tests"},
           {"zero_pad = true", "zero_pad = ", "kiln.toml:"},
       }) {
    write_bytes(toml, std::regex_replace(
                          good, std::regex(std::regex_replace(c.from, std::regex(R"([\[\]])"), R"(\$&)")),
                          c.to, std::regex_constants::format_first_only));
    auto mistaken = snapshot(project);
    for (const char* cmd : {"train", "features", "test"}) {
      KilnRun r = run_kiln({"-C", project.string(), cmd});
      expect_clean_error(r, toml.string(), c.problem);
      EXPECT_EQ(snapshot(project), mistaken) << cmd << " after " << c.to;
    }
  }
}

TEST_F(BadInput, ImpossibleLayerStackNamesTheLayer) {
  ASSERT_EQ(run_kiln({"-C", project.string(), "-q", "add", (world->recordings / "alarm").string()}).exit_code,
            0);
  const fs::path toml = project / "kiln.toml";
  std::string stack =
      read_bytes(toml) +
      "\n[[learn.layers]]\ntype = \"reshape\"\nshape = [99, 40]\n"
      "\n[[learn.layers]]\ntype = \"conv1d\"\nfilters = 8\nkernel_size = 200\npadding = \"valid\"\n";
  write_bytes(toml, stack);
  auto mistaken = snapshot(project);
  KilnRun r = run_kiln({"-C", project.string(), "train"});
  expect_clean_error(r, "layer 2", "conv1d");
  EXPECT_EQ(snapshot(project), mistaken);
  EXPECT_FALSE(fs::exists(project / "out/model.kmodel"));
}

TEST_F(Missing, ProjectAndModel) {
  TempDir t;
  KilnRun r = run_kiln({"-C", (t / "nowhere").string(), "train"});
  expect_clean_error(r, (t / "nowhere").string(), "not a Kiln project");
  EXPECT_FALSE(fs::exists(t / "nowhere"));

  ASSERT_EQ(run_kiln({"-q", "init", (t / "p").string()}).exit_code, 0);
  fs::path wav = world->recordings / "alarm" / "alarm-0001.wav";
  r = run_kiln({"-C", (t / "p").string(), "classify", wav.string()});
  expect_clean_error(r, "model.kmodel", "kiln train");
  r = run_kiln({"-C", (t / "p").string(), "test"});
  EXPECT_EQ(r.exit_code, 1);
}

}  // namespace
