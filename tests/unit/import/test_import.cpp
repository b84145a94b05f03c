// kiln import MODEL.tflite, driven through the built binary: train a tiny project, import its int8 model into
// a second project with the same data, and `kiln test` there gives the same accuracy; bad inputs are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/kiln_cli.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 16000;

void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}

// 1 s of 16-bit mono PCM.
void write_wav(const fs::path& path, const std::vector<std::int16_t>& pcm) {
  std::string s = "RIFF";
  put_u32(s, static_cast<std::uint32_t>(36 + pcm.size() * 2));
  s += "WAVEfmt ";
  put_u32(s, 16);
  put_u16(s, 1);  // PCM
  put_u16(s, 1);  // mono
  put_u32(s, kRate);
  put_u32(s, kRate * 2);
  put_u16(s, 2);
  put_u16(s, 16);
  s += "data";
  put_u32(s, static_cast<std::uint32_t>(pcm.size() * 2));
  for (std::int16_t v : pcm) put_u16(s, static_cast<std::uint16_t>(v));
  fs::create_directories(path.parent_path());
  test::write_bytes(path, s);
}

std::vector<std::int16_t> tone(double hz) {
  std::vector<std::int16_t> pcm(kRate);
  for (int i = 0; i < kRate; ++i)
    pcm[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * hz * i / kRate));
  return pcm;
}

std::vector<std::int16_t> noise(std::uint32_t seed) {
  std::vector<std::int16_t> pcm(kRate);
  std::uint32_t x = seed * 2654435761u + 1;
  for (int i = 0; i < kRate; ++i) {
    x = x * 1664525u + 1013904223u;
    pcm[i] = static_cast<std::int16_t>(static_cast<int>(x >> 20) - 2048);
  }
  return pcm;
}

// Recordings shared by both projects: 10 train + 3 test per label.
void write_recordings(const fs::path& dir) {
  for (int i = 0; i < 13; ++i) {
    const std::string cat = i < 10 ? "train" : "test";
    write_wav(dir / cat / "tone" / ("t" + std::to_string(i) + ".wav"), tone(400 + 90 * i));
    write_wav(dir / cat / "noise" / ("n" + std::to_string(i) + ".wav"),
              noise(static_cast<std::uint32_t>(i + 1)));
  }
}

void run_ok(const std::vector<std::string>& args) {
  test::KilnRun r = test::run_kiln(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
}

// A project with the recordings, and kiln.toml from `kiln init` with 3 epochs.
void make_project(const fs::path& p, const fs::path& recordings) {
  run_ok({"-q", "init", p.string()});
  std::string toml = test::read_bytes(p / "kiln.toml");
  const auto at = toml.find("epochs = 100");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, 12, "epochs = 3");
  test::write_bytes(p / "kiln.toml", toml);
  for (const std::string cat : {"train", "test"}) {
    run_ok({"-q", "-C", p.string(), "add", "--category", cat, (recordings / cat).string()});
  }
}

nlohmann::json metrics(const fs::path& p) {
  return nlohmann::json::parse(test::read_bytes(p / "out/metrics.json"));
}

// One project trained once for all the tests in this file.
class Import : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    write_recordings(*dir_ / "rec");
    make_project(*dir_ / "a", *dir_ / "rec");
    run_ok({"-q", "-C", (*dir_ / "a").string(), "train"});
    run_ok({"-q", "-C", (*dir_ / "a").string(), "test"});
    fs::create_directories(*dir_ / "models");
    fs::copy_file(*dir_ / "a/out/model-int8.tflite", *dir_ / "models/kws.tflite");
    fs::copy_file(*dir_ / "a/out/model-f32.tflite", *dir_ / "models/kws-f32.tflite");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static test::TempDir* dir_;
};
test::TempDir* Import::dir_ = nullptr;

TEST_F(Import, Int8ModelTestsLikeInTheProjectThatTrainedIt) {
  ASSERT_FALSE(HasFatalFailure());
  const fs::path b = *dir_ / "b";
  make_project(b, *dir_ / "rec");
  const fs::path model = *dir_ / "models/kws.tflite";
  test::KilnRun r = test::run_kiln({"-q", "-C", b.string(), "import", model.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_bytes(b / "out/model-int8.tflite"), test::read_bytes(model));
  EXPECT_FALSE(fs::exists(b / "out/model-f32.tflite"));
  EXPECT_FALSE(fs::exists(b / "out/model.kmodel"));
  const auto rec = nlohmann::json::parse(test::read_bytes(b / "out/imported.json"));
  EXPECT_EQ(rec["input_type"], "int8");
  EXPECT_EQ(rec["labels"], nlohmann::json({"noise", "tone"}));
  EXPECT_EQ(rec["sha256"].get<std::string>().size(), 64u);
  EXPECT_NE(rec["source"].get<std::string>().find("kws.tflite"), std::string::npos);

  r = test::run_kiln({"-q", "-C", b.string(), "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ma = metrics(*dir_ / "a");
  const auto mb = metrics(b);
  EXPECT_EQ(mb["accuracy"], ma["int8"]["accuracy"]);
  EXPECT_EQ(mb["confusion"], ma["int8"]["confusion"]) << mb.dump(1);
  EXPECT_FALSE(mb.contains("int8"));  // one model
  EXPECT_EQ(mb["model"]["imported"], true);
  EXPECT_TRUE(fs::exists(b / "out/report.html"));
}

TEST_F(Import, Float32ModelReplacesTheInt8One) {
  ASSERT_FALSE(HasFatalFailure());
  const fs::path c = *dir_ / "c";
  make_project(c, *dir_ / "rec");
  run_ok({"-q", "-C", c.string(), "import", (*dir_ / "models/kws.tflite").string()});
  run_ok({"-q", "-C", c.string(), "import", "--labels", "noise,tone",
          (*dir_ / "models/kws-f32.tflite").string()});
  EXPECT_TRUE(fs::exists(c / "out/model-f32.tflite"));
  EXPECT_FALSE(fs::exists(c / "out/model-int8.tflite"));
  run_ok({"-q", "-C", c.string(), "test"});
  EXPECT_EQ(metrics(c)["accuracy"], metrics(*dir_ / "a")["accuracy"]);  // the float32 results of project a
  // A later `kiln train` makes the project's own model the learning block again: both models are tested.
  run_ok({"-q", "-C", c.string(), "train"});
  run_ok({"-q", "-C", c.string(), "test"});
  EXPECT_TRUE(metrics(c).contains("int8"));
  EXPECT_FALSE(fs::exists(c / "out/imported.json"));
}

void expect_refused(const fs::path& project, const std::vector<std::string>& args, const std::string& says) {
  const auto before = test::snapshot(project);
  std::vector<std::string> all = {"-q", "-C", project.string(), "import"};
  all.insert(all.end(), args.begin(), args.end());
  test::KilnRun r = test::run_kiln(all);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  EXPECT_EQ(test::snapshot(project), before) << r.err;
}

TEST_F(Import, BadModelsAreRefusedAndChangeNothing) {
  ASSERT_FALSE(HasFatalFailure());
  const fs::path a = *dir_ / "a";  // a trained project: a refused import must leave its model alone
  expect_refused(a, {(*dir_ / "models/missing.tflite").string()}, "missing.tflite: no such file");
  test::write_bytes(*dir_ / "models/junk.tflite", std::string(200, 'x'));
  expect_refused(a, {(*dir_ / "models/junk.tflite").string()}, "junk.tflite: not a usable .tflite model");
  expect_refused(a, {"--labels", "a,b,c", (*dir_ / "models/kws.tflite").string()}, "3 labels");
  expect_refused(a, {"--labels", "a,a", (*dir_ / "models/kws.tflite").string()}, "distinct");
  const fs::path hello = fs::path(KILN_SHARED_DIR) / "models/tflm_hello_world_int8.tflite";
  if (fs::exists(hello)) {
    expect_refused(a, {hello.string()}, "does not match the impulse's features per window");
  }
}

}  // namespace
}  // namespace kiln
