// kiln deploy through the kiln binary, as a hostile user drives it: an earlier output holding the user's own
// files, an edited file or a whole project is refused in one line and left byte for byte as it was; --out may
// not be the project, an ancestor of it or inside its data/; `--out DIR/` works. And the deployed Linux
// example: a clip shorter than one window is zero-padded exactly as `kiln classify` pads it (same scores), or
// refused with numbers when the impulse says zero_pad = false; errors name the actual values; --help and
// unknown options behave. The project imports MLPerf Tiny's keyword-spotting model (no e2e world needed).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::read_bytes;
using kiln::test::run_kiln;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

const fs::path kKws = fs::path(KILN_SHARED_DIR) / "models/mlperf_tiny_kws_ref_model.tflite";

// 1 s windows of 49 frames x 10 filters: the keyword-spotting model's 490 inputs.
const char* kToml =
    "name = \"kws\"\n[input]\ntype = \"audio\"\nfrequency = 16000\naxes = 1\nwindow_size_ms = 1000\n"
    "window_increase_ms = 1000\n[dsp]\nblock = \"mfe\"\nversion = \"ei-4\"\nframe_length = 0.04\n"
    "frame_stride = 0.02\nnum_filters = 10\nfft_length = 1024\n";

// Everything under `dir` (type and content), except a project's .kiln/ state (its lock file names the last
// command): "left as it was".
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    if (it->path().filename() == ".kiln") {
      it.disable_recursion_pending();
      continue;
    }
    out[rel] = it->is_directory() ? "dir" : "file " + read_bytes(it->path());
  }
  return out;
}

// A 16-bit PCM mono WAV of `n` samples at `rate`: a tone with some deterministic noise.
void write_wav(const fs::path& path, int rate, int n) {
  std::string data;
  std::uint32_t state = 1;
  for (int i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    const int v = static_cast<int>(8000 * std::sin(i * 0.05)) + static_cast<int>(state >> 21) - 1024;
    data += static_cast<char>(v & 0xFF);
    data += static_cast<char>((v >> 8) & 0xFF);
  }
  auto u32 = [](std::uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
  auto u16 = [](std::uint16_t v) { return std::string{char(v), char(v >> 8)}; };
  write_bytes(path, "RIFF" + u32(36 + static_cast<std::uint32_t>(data.size())) + "WAVEfmt " + u32(16) +
                        u16(1) + u16(1) + u32(rate) + u32(rate * 2) + u16(2) + u16(16) + "data" +
                        u32(static_cast<std::uint32_t>(data.size())) + data);
}

struct Shell {
  int status;
  std::string out, err;
};

// Runs a shell command, capturing its exit status, stdout and stderr.
Shell run(const std::string& command, const TempDir& tmp) {
  const fs::path out = tmp / "run.out", err = tmp / "run.err";
  const int s = std::system((command + " > '" + out.string() + "' 2> '" + err.string() + "'").c_str());
  return {WIFEXITED(s) ? WEXITSTATUS(s) : -1, read_bytes(out), read_bytes(err)};
}

class DeploySafety : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kKws)) GTEST_SKIP() << kKws << " is absent";
    project_ = tmp_ / "project";
    KilnRun r = run_kiln({"-q", "init", project_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    write_bytes(project_ / "kiln.toml", kToml);
    r = run_kiln({"-C", project_.string(), "-q", "import", kKws.string(),
                  "--labels=c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    lib_ = fs::canonical(tmp_.path()) / "lib";
  }
  KilnRun deploy(const std::string& out) {
    return run_kiln({"-C", project_.string(), "deploy", "--out", out, "--no-measure"});
  }

  TempDir tmp_;
  fs::path project_, lib_;
};

TEST_F(DeploySafety, RefusesTheUsersFilesInOneLineAndChangesNothing) {
  ASSERT_EQ(deploy(lib_.string()).exit_code, 0);
  fs::create_directories(lib_ / "photos");
  write_bytes(lib_ / "notes.txt", "precious");
  write_bytes(lib_ / "photos/cat.jpg", "jpeg");
  write_bytes(lib_ / "src/mine.cpp", "int mine;");
  write_bytes(lib_ / "todo.txt", "todo");
  const auto before = tree(lib_);
  const KilnRun r = deploy(lib_.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + (lib_ / "notes.txt").string() +
                       ": not written by kiln deploy (and 3 more); move them away or choose another --out\n");
  EXPECT_EQ(tree(lib_), before);

  // An edited library file counts too.
  for (const char* f : {"notes.txt", "photos/cat.jpg", "src/mine.cpp", "todo.txt"}) fs::remove(lib_ / f);
  fs::remove(lib_ / "photos");
  write_bytes(lib_ / "src/kiln_impulse.cpp", "// my changes");
  const KilnRun edited = deploy(lib_.string());
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_NE(edited.err.find("src/kiln_impulse.cpp: changed since kiln deploy wrote it"), std::string::npos)
      << edited.err;
  EXPECT_EQ(read_bytes(lib_ / "src/kiln_impulse.cpp"), "// my changes");
}

TEST_F(DeploySafety, RefusesAProjectPlacedInItsOutput) {
  ASSERT_EQ(deploy(lib_.string()).exit_code, 0);
  ASSERT_EQ(run_kiln({"-q", "init", (lib_ / "app").string()}).exit_code, 0);
  const auto before = tree(lib_);
  const KilnRun r = deploy(lib_.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + (lib_ / "app").string() +
                       ": not written by kiln deploy; move it away or choose another --out\n");
  EXPECT_EQ(tree(lib_), before);
  fs::rename(lib_ / "app", tmp_ / "app");
  EXPECT_EQ(deploy(lib_.string()).exit_code, 0);
}

TEST_F(DeploySafety, ReplacesItsOwnOutputAndTakesATrailingSlash) {
  KilnRun r = deploy(lib_.string() + "/");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(lib_ / ".kiln-deploy.json"));
  const auto first = tree(lib_);
  r = deploy((tmp_ / "project/../lib/.").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(tree(lib_), first);  // the same impulse gives the same files
  // Nothing else beside it: no staging folder, nothing kept.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(tmp_.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"lib", "project"}));
}

TEST_F(DeploySafety, RefusesTheProjectItsAncestorsAndItsData) {
  const auto before = tree(tmp_.path());
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {project_, "this is the project directory"},
      {project_ / "..", "contains the project directory"},
      {project_ / "data", "inside the project's data/ directory"},
      {project_ / "data/lib", "inside the project's data/ directory"}};
  for (const auto& [out, why] : cases) {
    const KilnRun r = deploy(out.string());
    EXPECT_EQ(r.exit_code, 1) << out;
    EXPECT_EQ(r.err.rfind("kiln: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("; choose another --out\n"), std::string::npos) << r.err;
  }
  EXPECT_EQ(tree(tmp_.path()), before);
}

// The Linux example, built with the library's Makefile: what `kiln classify` does with a short clip, numbers
// in its errors, --help.
TEST_F(DeploySafety, LinuxExampleZeroPadsLikeClassifyAndExplainsItself) {
  ASSERT_EQ(deploy(lib_.string()).exit_code, 0);
  Shell m = run("make -s -C '" + lib_.string() + "' -j2", tmp_);
  ASSERT_EQ(m.status, 0) << m.err;
  const std::string example = "'" + (lib_ / "build/kiln-impulse").string() + "'";

  for (const char* help : {"--help", "-h"}) {
    const Shell h = run(example + " " + help, tmp_);
    EXPECT_EQ(h.status, 0) << help;
    EXPECT_EQ(h.out.rfind("usage: ", 0), 0u) << h.out;
    EXPECT_NE(h.out.find("16000 Hz"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("zero-padded"), std::string::npos) << h.out;
  }
  const Shell bad = run(example + " --bogus", tmp_);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("unknown option --bogus\nusage: "), std::string::npos) << bad.err;
  EXPECT_EQ(run(example, tmp_).status, 2);

  const fs::path low = tmp_ / "rec.wav";
  write_wav(low, 8000, 16000);
  const Shell rate = run(example + " '" + low.string() + "'", tmp_);
  EXPECT_EQ(rate.status, 1);
  EXPECT_EQ(rate.err, low.string() + ": 8000 Hz, the impulse needs 16000 Hz\n");

  // Half a window: one zero-padded window, the same scores as kiln classify.
  const fs::path clip = tmp_ / "clip.wav";
  write_wav(clip, 16000, 8000);
  const Shell padded = run(example + " '" + clip.string() + "'", tmp_);
  ASSERT_EQ(padded.status, 0) << padded.err;
  const KilnRun c = run_kiln({"-C", project_.string(), "--json", "classify", clip.string()});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const nlohmann::json j = nlohmann::json::parse(c.out);
  ASSERT_TRUE(j.at("padded").get<bool>());
  ASSERT_EQ(j.at("windows").size(), 1u);
  std::vector<std::string> lines;
  std::istringstream is(padded.out);
  for (std::string line; std::getline(is, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << padded.out;  // header, the window, the note
  std::istringstream row(lines[1]);
  std::string time, top;
  row >> time >> top;
  EXPECT_EQ(time, "0.00s");
  const auto& scores = j["windows"][0]["scores"];
  std::string best;
  for (auto it = scores.begin(); it != scores.end(); ++it) {
    if (best.empty() || it.value().get<float>() > scores[best].get<float>()) best = it.key();
  }
  EXPECT_EQ(top, best);
  for (int i = 0; i < 8; ++i) {
    std::string printed;
    row >> printed;
    char want[32];
    std::snprintf(want, sizeof want, "%.4f", scores["c" + std::to_string(i)].get<float>());
    EXPECT_EQ(printed, want) << "c" << i;
  }
  EXPECT_EQ(lines[2], "(the recording is shorter than one window and was zero-padded)");

  // zero_pad = false: kiln classify refuses the clip, and so does the example, with the numbers.
  std::string toml = kToml;
  toml.insert(toml.find("[dsp]"), "zero_pad = false\n");
  write_bytes(project_ / "kiln.toml", toml);
  EXPECT_EQ(run_kiln({"-C", project_.string(), "classify", clip.string()}).exit_code, 1);
  const fs::path lib2 = tmp_ / "lib2";
  ASSERT_EQ(deploy(lib2.string()).exit_code, 0);
  m = run("make -s -C '" + lib2.string() + "' -j2", tmp_);
  ASSERT_EQ(m.status, 0) << m.err;
  const Shell refused = run("'" + (lib2 / "build/kiln-impulse").string() + "' '" + clip.string() + "'", tmp_);
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.err,
            clip.string() +
                ": 8000 samples, shorter than one window of 16000 (1000 ms); the impulse does not "
                "zero-pad (zero_pad = false)\n");
}

}  // namespace
