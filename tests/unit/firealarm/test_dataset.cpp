// The fire-alarm dataset, made by running the built kiln-firealarm-data: reproducible from its seed, of the
// promised size and format, honestly labelled (checked with this directory's own band measurements), cached,
// written atomically, and with clear errors.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "alarm_probe.h"

namespace fs = std::filesystem;

namespace {

struct ToolRun {
  int status = -1;
  std::string out, err;
};

fs::path scratch_root() {
  static const fs::path root =
      fs::temp_directory_path() / ("kiln-firealarm-test-" + std::to_string(::getpid()));
  return root;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

ToolRun run_generator(const std::string& args) {
  fs::create_directories(scratch_root());
  fs::path out = scratch_root() / "stdout.txt", err = scratch_root() / "stderr.txt";
  std::string cmd = std::string("'") + KILN_FIREALARM_DATA + "' " + args + " >'" + out.string() + "' 2>'" +
                    err.string() + "'";
  int rc = std::system(cmd.c_str());
  ToolRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

bool debian_sounds_installed() {
  // Installed by scripts/bootstrap; one file of each package is enough to tell.
  for (const char* p : {"/usr/share/games/lincity-ng/sounds/Water1.wav",
                        "/usr/share/sonic-pi/samples/elec_beep.flac", "/usr/share/buckle/wav",
                        "/usr/share/asterisk/sounds/en_US_f_Allison/beep.wav", "/usr/share/asterisk/moh",
                        "/usr/share/sounds/freedesktop/stereo/bell.oga", "/usr/share/sounds/lomiri/ringtones",
                        "/usr/share/tuxpaint/stamps/animals", "/usr/share/codec2/wav"}) {
    if (!fs::exists(p)) return false;
  }
  return true;
}

// A dataset made once per test process (ctest runs every test in its own process).
const fs::path& dataset(const std::string& name, const std::string& args) {
  static std::map<std::string, fs::path> made;
  auto it = made.find(name);
  if (it != made.end()) return it->second;
  fs::path dir = scratch_root() / name;
  ToolRun r = run_generator("--out '" + dir.string() + "' -q " + args);
  EXPECT_EQ(r.status, 0) << r.err;
  return made[name] = dir;
}

const std::string kSmallA = "--seed 7 --minutes 1.5";
const fs::path& small_a() {
  return dataset("a", kSmallA);
}

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::map<std::string, std::uint64_t> hashes(const fs::path& dir) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = fnv1a(slurp(e.path()));
  }
  return out;
}

nlohmann::json manifest(const fs::path& dir) {
  return nlohmann::json::parse(slurp(dir / ".manifest.json"));
}

struct Totals {
  double alarm = 0, noise = 0;
  int alarm_files = 0, noise_files = 0;
};

// Reads every WAV (not the manifest) and checks its format on the way.
Totals measure(const fs::path& dir) {
  Totals t;
  for (const char* label : {"alarm", "noise"}) {
    for (const auto& e : fs::directory_iterator(dir / label)) {
      kiln::test::Recording r = kiln::test::read_recording(e.path());
      EXPECT_EQ(r.sample_rate, 16000) << e.path();
      EXPECT_EQ(r.channels, 1) << e.path();
      EXPECT_EQ(r.bits, 16) << e.path();
      double seconds = static_cast<double>(r.samples.size()) / 16000;
      EXPECT_GE(seconds, 2.0) << e.path();
      (std::string(label) == "alarm" ? t.alarm : t.noise) += seconds;
      (std::string(label) == "alarm" ? t.alarm_files : t.noise_files) += 1;
    }
  }
  return t;
}

// Every 2 s window (0.25 s stride) of every alarm clip holds >= 0.4 s of tone in the alarm band; no noise
// clip shows the temporal-three cadence, while most longer alarm clips do (the detector is not blind).
void check_labels_are_honest(const fs::path& dir) {
  int windows = 0, long_alarms = 0, long_alarms_detected = 0;
  for (const auto& e : fs::directory_iterator(dir / "alarm")) {
    kiln::test::Recording r = kiln::test::read_recording(e.path());
    double seconds = static_cast<double>(r.samples.size()) / r.sample_rate;
    kiln::test::BandFrames f = kiln::test::alarm_band_frames(r.samples, r.sample_rate);
    for (double tone : kiln::test::window_tone_seconds(f, seconds)) {
      EXPECT_GE(tone, 0.4) << e.path() << ": a 2 s window without the alarm tone";
      ++windows;
    }
    if (seconds >= 4.5) {
      ++long_alarms;
      long_alarms_detected += kiln::test::shows_temporal_three(f);
    }
  }
  EXPECT_GT(windows, 0);
  EXPECT_GT(long_alarms, 0);
  EXPECT_GE(long_alarms_detected, 0.6 * long_alarms) << long_alarms_detected << " of " << long_alarms;
  for (const auto& e : fs::directory_iterator(dir / "noise")) {
    kiln::test::Recording r = kiln::test::read_recording(e.path());
    EXPECT_FALSE(kiln::test::shows_temporal_three(kiln::test::alarm_band_frames(r.samples, r.sample_rate)))
        << e.path() << " shows the temporal-three pattern";
  }
}

class FireAlarmData : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!debian_sounds_installed())
      GTEST_SKIP() << "the Debian sound packages are not installed (scripts/bootstrap)";
  }
};

// The scratch directory goes when the whole test program ends (the datasets are shared between tests).
class RemoveScratch : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_root(), ec);
  }
};
[[maybe_unused]] ::testing::Environment* const remove_scratch =
    ::testing::AddGlobalTestEnvironment(new RemoveScratch);

}  // namespace

TEST_F(FireAlarmData, SameSeedGivesIdenticalFilesWithAnyNumberOfThreads) {
  const fs::path& b = dataset("b", kSmallA + " --jobs 1");
  std::map<std::string, std::uint64_t> ha = hashes(small_a()), hb = hashes(b);
  EXPECT_GT(ha.size(), 10u);
  EXPECT_EQ(ha, hb);
}

TEST_F(FireAlarmData, DifferentSeedGivesDifferentAudio) {
  std::map<std::string, std::uint64_t> ha = hashes(small_a()),
                                       hc = hashes(dataset("c", "--seed 8 --minutes 1.5"));
  std::set<std::uint64_t> audio_a;
  for (const auto& [path, h] : ha) {
    if (path.ends_with(".wav")) audio_a.insert(h);
  }
  int shared = 0;
  for (const auto& [path, h] : hc) shared += audio_a.count(h);
  EXPECT_EQ(shared, 0);
  EXPECT_NE(ha[".manifest.json"], hc[".manifest.json"]);
}

TEST_F(FireAlarmData, FilesAreSixteenKilohertzMonoPcmAndMatchTheManifest) {
  Totals t = measure(small_a());
  EXPECT_GE(t.alarm + t.noise, 1.5 * 60);
  EXPECT_GE(t.alarm, 0.35 * (t.alarm + t.noise));
  EXPECT_GE(t.noise, 0.35 * (t.alarm + t.noise));

  nlohmann::json m = manifest(small_a());
  EXPECT_EQ(m["seed"], 7);
  EXPECT_EQ(m["minutes"], 1.5);
  std::set<std::string> listed, on_disk;
  for (const auto& f : m["files"]) {
    listed.insert(f["path"].get<std::string>());
    EXPECT_EQ(fs::file_size(small_a() / f["path"].get<std::string>()), f["bytes"].get<std::uintmax_t>());
    EXPECT_EQ(f["path"].get<std::string>().substr(0, 5), f["label"].get<std::string>());
  }
  for (const char* label : {"alarm", "noise"}) {
    for (const auto& e : fs::directory_iterator(small_a() / label)) {
      on_disk.insert(fs::relative(e.path(), small_a()).string());
    }
  }
  EXPECT_EQ(listed, on_disk);
}

TEST_F(FireAlarmData, LabelsAreHonest) {
  check_labels_are_honest(small_a());
  check_labels_are_honest(dataset("c", "--seed 8 --minutes 1.5"));
}

TEST_F(FireAlarmData, NoiseHoldsRealAndSynthesizedConfusers) {
  nlohmann::json m = manifest(small_a());
  int noise = 0, confusers = 0;
  std::set<std::string> sources;
  for (const auto& f : m["files"]) {
    if (f["label"] == "alarm") {
      EXPECT_EQ(f["kind"], "temporal-three");
      EXPECT_GE(f["alarm"]["frequency_hz"].get<double>(), 2900);
      EXPECT_LE(f["alarm"]["frequency_hz"].get<double>(), 3500);
      continue;
    }
    ++noise;
    ASSERT_TRUE(f.contains("confuser") && f.contains("background")) << f.dump();
    if (f["confuser"].is_null()) {
      EXPECT_EQ(f["kind"], "background");
      EXPECT_FALSE(f["background"].is_null());
      continue;
    }
    ++confusers;
    sources.insert(f["confuser"]["source"].get<std::string>());
  }
  EXPECT_GE(confusers, noise / 2);
  EXPECT_EQ(sources, (std::set<std::string>{"recording", "synthesized"}));
}

TEST_F(FireAlarmData, DefaultDatasetIsTwentyMinutesOrMoreBalancedAndHonest) {
  const fs::path& dir = dataset("default", "");
  Totals t = measure(dir);
  EXPECT_GE(t.alarm + t.noise, 20 * 60);
  EXPECT_GE(t.alarm, 0.35 * (t.alarm + t.noise));
  EXPECT_GE(t.noise, 0.35 * (t.alarm + t.noise));
  check_labels_are_honest(dir);

  // Every kind of confuser and background is there.
  std::set<std::string> synthesized, recorded, backgrounds;
  int clean_alarms = 0, alarms = 0;
  nlohmann::json m = manifest(dir);
  for (const auto& f : m["files"]) {
    if (f["label"] == "alarm") {
      ++alarms;
      clean_alarms += f["background"].is_null();
    }
    ASSERT_TRUE(f.contains("confuser") && f.contains("background")) << f.dump();
    if (!f["confuser"].is_null() && f["confuser"]["source"] == "synthesized") {
      synthesized.insert(f["confuser"]["name"].get<std::string>());
    }
    if (!f["confuser"].is_null() && f["confuser"]["source"] == "recording") {
      recorded.insert(f["confuser"]["set"].get<std::string>());
    }
    if (!f["background"].is_null()) {
      for (const auto& layer : f["background"]) backgrounds.insert(layer["category"].get<std::string>());
    }
  }
  EXPECT_EQ(synthesized.size(), 8u);
  EXPECT_EQ(recorded, (std::set<std::string>{"ringtones", "notifications", "ui_sounds", "bells_beeps"}));
  EXPECT_EQ(backgrounds, (std::set<std::string>{"machinery", "traffic", "water", "ambience", "speech",
                                                "speech-words", "music", "typing", "household", "animals"}));
  EXPECT_GT(clean_alarms, 0);
  EXPECT_LT(clean_alarms, alarms / 3);
}

TEST_F(FireAlarmData, SecondRunIsCachedAndAnotherSizeRegenerates) {
  fs::path dir = scratch_root() / "cache";
  ToolRun first = run_generator("--out '" + dir.string() + "' --seed 3 --minutes 0.3");
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.out.find("cached"), std::string::npos);
  auto written = fs::last_write_time(dir / ".manifest.json");
  std::map<std::string, std::uint64_t> before = hashes(dir);

  ToolRun second = run_generator("--out '" + dir.string() + "' --seed 3 --minutes 0.3");
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("cached"), std::string::npos) << second.out;
  EXPECT_EQ(fs::last_write_time(dir / ".manifest.json"), written);
  EXPECT_EQ(hashes(dir), before);

  // A file gone missing is noticed: the dataset is made again, identical.
  fs::remove(dir / "alarm" / "alarm-0001.wav");
  ToolRun repaired = run_generator("--out '" + dir.string() + "' --seed 3 --minutes 0.3");
  ASSERT_EQ(repaired.status, 0) << repaired.err;
  EXPECT_EQ(repaired.out.find("cached"), std::string::npos);
  EXPECT_EQ(hashes(dir), before);

  ToolRun bigger = run_generator("--out '" + dir.string() + "' --seed 3 --minutes 0.4");
  ASSERT_EQ(bigger.status, 0) << bigger.err;
  EXPECT_EQ(bigger.out.find("cached"), std::string::npos);
  EXPECT_EQ(manifest(dir)["minutes"], 0.4);
  for (const auto& e : fs::directory_iterator(scratch_root())) {
    EXPECT_EQ(e.path().filename().string().find("cache."), std::string::npos) << "leftover " << e.path();
  }
}

TEST_F(FireAlarmData, LeftoversOfAnInterruptedRunAreRemoved) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // a process id that no longer runs
  fs::path dir = scratch_root() / "interrupted";
  fs::path partial = scratch_root() / ("interrupted.partial-" + std::to_string(child));
  fs::create_directories(partial / "alarm");
  std::ofstream(partial / "alarm" / "alarm-0001.wav") << "half";
  ToolRun r = run_generator("--out '" + dir.string() + "' --minutes 0.2 -q");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_TRUE(fs::exists(dir / ".manifest.json"));
}

// These need no Debian sounds: plain tests.
TEST(FireAlarmDataErrors, MissingDebianSoundsNameThePackagesToInstall) {
  fs::path empty = scratch_root() / "empty-root";
  fs::create_directories(empty);
  fs::path dir = scratch_root() / "never";
  ToolRun r =
      run_generator("--out '" + dir.string() + "' --minutes 0.2 --sources-root '" + empty.string() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("kiln-firealarm-data: error: ", 0), 0u) << r.err;
  for (const char* package :
       {"lincity-ng-data", "sonic-pi-samples", "bucklespring-data", "asterisk-core-sounds-en-wav",
        "asterisk-moh-opsound-wav", "sound-theme-freedesktop", "lomiri-sounds", "tuxpaint-stamps-default",
        "codec2-examples"}) {
    EXPECT_NE(r.err.find(package), std::string::npos) << package << " not named in: " << r.err;
  }
  EXPECT_NE(r.err.find("apt-get install"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir));
  for (const auto& e : fs::directory_iterator(scratch_root())) {
    EXPECT_EQ(e.path().filename().string().find("never."), std::string::npos) << "leftover " << e.path();
  }
}

TEST(FireAlarmDataErrors, RefusesToReplaceADirectoryItDidNotWrite) {
  fs::path dir = scratch_root() / "someone-elses";
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "keep me";
  ToolRun r = run_generator("--out '" + dir.string() + "' --minutes 0.2");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("refusing"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir / "notes.txt"), "keep me");
}

TEST(FireAlarmDataErrors, BadArgumentsFail) {
  EXPECT_NE(run_generator("--minutes 1").status, 0);  // no --out
  EXPECT_NE(run_generator("--out '" + (scratch_root() / "x").string() + "' --minutes 0").status, 0);
  EXPECT_NE(run_generator("--out '" + (scratch_root() / "x").string() + "' --minutes lots").status, 0);
  EXPECT_FALSE(fs::exists(scratch_root() / "x"));
}
