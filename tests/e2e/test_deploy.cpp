// kiln deploy end to end on the trained fire-alarm world: the exported library compiles warning-free for the
// host and for Cortex-M0+/M4F/M7, and on a Cortex-M4F under QEMU every int8 score of every window of real
// test recordings equals what `kiln classify` computes on the host — for the compiled engine, the interpreter
// engine and the Arduino layout compiled as plain C++.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/device_compare.h"
#include "e2e/world.h"
#include "profile/cortex_m.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::test::host_scores;
using kiln::test::kDeviceWindowLoopBody;
using kiln::test::KilnRun;
using kiln::test::library_sources;
using kiln::test::lines_of;
using kiln::test::read_bytes;
using kiln::test::run_kiln;
using kiln::test::run_on_m4f;
using kiln::test::snapshot;
using kiln::test::TempDir;
using kiln::test::World;
using kiln::test::write_bytes;

namespace {

const World kWorld;
const int kWindowStep = 4000;      // 250 ms at 16 kHz, as the example's kiln.toml
const int kWindowSamples = 32000;  // 2 s
const std::size_t kMinWindows = 20;

class Deploy : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kWorld.complete)) << kWorld.root << " is not built: run e2e.World.Build first";
  }
};

// The samples of a 16 kHz mono 16-bit PCM WAV file (what the example's generator writes).
std::vector<int16_t> wav_samples(const fs::path& path) {
  const std::string b = read_bytes(path);
  std::size_t pos = 12;
  while (pos + 8 <= b.size()) {
    uint32_t size;
    std::memcpy(&size, &b[pos + 4], 4);
    if (b.compare(pos, 4, "data") == 0) {
      std::vector<int16_t> s(size / 2);
      std::memcpy(s.data(), &b[pos + 8], s.size() * 2);
      return s;
    }
    pos += 8 + size + (size & 1);
  }
  ADD_FAILURE() << path << ": no data chunk";
  return {};
}

// Test recordings of both labels, long enough for kMinWindows windows together.
std::vector<fs::path> test_recordings() {
  std::vector<fs::path> picked;
  std::size_t windows = 0;
  for (const char* label : {"alarm", "noise"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(kWorld.recordings / label)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    int taken = 0;
    for (const auto& f : files) {
      const std::size_t n = wav_samples(f).size();
      if (n < static_cast<std::size_t>(kWindowSamples)) continue;
      picked.push_back(f);
      windows += (n - kWindowSamples) / kWindowStep + 1;
      if (++taken == 2) break;
    }
  }
  EXPECT_GE(windows, kMinWindows);
  return picked;
}

// A device main that classifies every window of the recordings (embedded as int16 arrays) and prints the same
// lines. The signal callback converts int16 to float chunk by chunk, as a device reading a ring buffer does.
std::string device_main(const std::vector<fs::path>& files) {
  std::ostringstream s;
  s << "#include <stdio.h>\n#include \"kiln_impulse.h\"\n";
  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::vector<int16_t> x = wav_samples(files[f]);
    s << "static const int16_t rec" << f << "[" << x.size() << "] = {";
    for (std::size_t i = 0; i < x.size(); ++i) s << (i == 0 ? "\n" : i % 32 ? "," : ",\n") << x[i];
    s << "};\n";
  }
  s << "struct Rec { const int16_t* data; unsigned long n; };\nstatic const Rec recs[] = {";
  for (std::size_t f = 0; f < files.size(); ++f) s << "{rec" << f << ", sizeof rec" << f << " / 2},";
  s << "};\n"
    << R"(static int get(void* ctx, size_t offset, size_t length, float* out) {
  const int16_t* d = (const int16_t*)ctx;
  for (size_t i = 0; i < length; ++i) out[i] = d[offset + i];
  return 0;
}
int main() {
  for (unsigned r = 0; r < sizeof recs / sizeof recs[0]; ++r) {
    int w = 0;
    for (unsigned long start = 0; start + KILN_SIGNAL_LENGTH <= recs[r].n; start += )"
    << kWindowStep << R"() {
      kiln_signal signal = {KILN_SIGNAL_LENGTH, get, (void*)(recs[r].data + start)};)"
    << kDeviceWindowLoopBody << R"(    }
  }
  return 0;
}
)";
  return s.str();
}

fs::path deploy(const TempDir& tmp, const std::string& engine, const std::string& format) {
  const fs::path out = tmp / (engine + "-" + format);
  KilnRun r = run_kiln({"-C", kWorld.project.string(), "deploy", "--out", out.string(), "--engine", engine,
                        "--format", format, "--no-measure"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

void expect_device_equals_host(const std::string& engine, const std::string& format) {
  std::string why;
  if (!kiln::profile::arm_toolchain_available(&why))
    GTEST_SKIP() << why << " (scripts/bootstrap installs it)";
  TempDir tmp;
  const fs::path lib = deploy(tmp, engine, format);
  const std::vector<fs::path> files = test_recordings();
  const std::vector<std::string> host = host_scores(kWorld.project, files);
  ASSERT_GE(host.size(), kMinWindows);

  write_bytes(tmp / "device_main.cpp", device_main(files));
  const std::vector<std::string> device =
      run_on_m4f(lib, format == "arduino", tmp / "device_main.cpp", tmp / "m4f");
  ASSERT_EQ(device.size(), host.size());
  for (std::size_t i = 0; i < host.size(); ++i) EXPECT_EQ(device[i], host[i]) << "window " << i;
}

TEST_F(Deploy, CompiledEngineOnCortexM4EqualsHostClassify) {
  expect_device_equals_host("compiled", "cpp");
}

TEST_F(Deploy, InterpreterEngineOnCortexM4EqualsHostClassify) {
  expect_device_equals_host("interpreter", "cpp");
}

TEST_F(Deploy, ArduinoLayoutAsPlainCxxOnCortexM4EqualsHostClassify) {
  expect_device_equals_host("compiled", "arduino");
}

// -Wall -Wextra -Werror everywhere: host g++ -std=c++11 through the library's own Makefile (library + Linux
// example), and arm-none-eabi-g++ for Cortex-M0+ (soft float), M4F and M7 (build_for adds -Werror).
TEST_F(Deploy, BuildsWarningFreeForTheHostAndEveryCortexM) {
  TempDir tmp;
  for (const std::string engine : {"compiled", "interpreter"}) {
    const fs::path lib = deploy(tmp, engine, "cpp");
    const std::string make =
        "make -s -C '" + lib.string() + "' CXXFLAGS=-Werror -j2 > '" + (tmp / "make.log").string() + "' 2>&1";
    EXPECT_EQ(std::system(make.c_str()), 0) << read_bytes(tmp / "make.log");
    EXPECT_TRUE(fs::exists(lib / "build/kiln-impulse"));

    std::string why;
    if (!kiln::profile::arm_toolchain_available(&why)) continue;
    kiln::profile::Program program;
    program.sources = library_sources(lib / "src");
    program.sources.push_back(lib / "examples/bare-metal/main.cpp");
    program.include_dirs = {lib / "include", lib / "src", lib / "src/sdk"};
    for (const auto& cpu :
         {kiln::profile::cortex_m0plus(), kiln::profile::cortex_m4f(), kiln::profile::cortex_m7()}) {
      EXPECT_NO_THROW(kiln::profile::build_for(cpu, program, tmp / (engine + cpu.name)))
          << engine << " " << cpu.name;
    }
  }
}

// The Linux example classifies a WAV file: same top label per window as kiln classify. Built with the
// library's Makefile, and with its CMakeLists.txt.
TEST_F(Deploy, LinuxExampleClassifiesAWavLikeTheHost) {
  TempDir tmp;
  const fs::path lib = deploy(tmp, "compiled", "cpp");
  ASSERT_EQ(std::system(("make -s -C '" + lib.string() + "' -j2 >/dev/null 2>&1").c_str()), 0);
  const fs::path wav = test_recordings().front();
  const std::string cmd = "'" + (lib / "build/kiln-impulse").string() + "' '" + wav.string() + "' > '" +
                          (tmp / "out.txt").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  KilnRun r = run_kiln({"-C", kWorld.project.string(), "--json", "classify", wav.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const std::vector<std::string> lines = lines_of(read_bytes(tmp / "out.txt"));
  ASSERT_EQ(lines.size(), j.at("windows").size() + 1);  // + header
  for (std::size_t i = 0; i < j.at("windows").size(); ++i) {
    std::istringstream is(lines[i + 1]);
    std::string time, top;
    is >> time >> top;
    const auto& scores = j["windows"][i]["scores"];
    std::string host_top;
    float best = -1;
    for (auto it = scores.begin(); it != scores.end(); ++it) {
      if (it.value().get<float>() > best) best = it.value().get<float>(), host_top = it.key();
    }
    EXPECT_EQ(top, host_top) << "window " << i;
  }
  // The shipped CMakeLists.txt: the library and the example build with CMake as well, warning-free.
  const std::string cmake = "cmake -S '" + lib.string() + "' -B '" + (tmp / "cmake").string() +
                            "' -DCMAKE_CXX_FLAGS='-Wall -Wextra -Werror' > '" + (tmp / "cmake.log").string() +
                            "' 2>&1 && cmake --build '" + (tmp / "cmake").string() + "' >> '" +
                            (tmp / "cmake.log").string() + "' 2>&1";
  EXPECT_EQ(std::system(cmake.c_str()), 0) << read_bytes(tmp / "cmake.log");
  EXPECT_TRUE(fs::exists(tmp / "cmake/kiln-impulse"));
  // Bad input: a file that is not a WAV gets a message naming it and exit 1.
  write_bytes(tmp / "bad.wav", "not audio");
  EXPECT_NE(std::system(("'" + (lib / "build/kiln-impulse").string() + "' '" + (tmp / "bad.wav").string() +
                         "' 2>/dev/null")
                            .c_str()),
            0);
}

TEST_F(Deploy, LibraryHoldsOnlyWhatTheImpulseNeeds) {
  TempDir tmp;
  const fs::path compiled = deploy(tmp, "compiled", "cpp");
  // No interpreter, no flatbuffer parsing and no unused kernel in the compiled engine's library.
  for (const char* absent :
       {"src/sdk/nn/interpreter.cpp", "src/sdk/nn/tflite_reader.cpp", "src/sdk/nn/op_table.cpp",
        "src/sdk/nn/op_prepare.cpp", "src/sdk/nn/ops", "src/sdk/nn/mean.cpp", "src/sdk/nn/concatenation.cpp",
        "src/kiln_model_data.cpp"}) {
    EXPECT_FALSE(fs::exists(compiled / absent)) << absent;
  }
  for (const char* present :
       {"include/kiln_impulse.h", "include/kiln_impulse_metadata.h", "include/kiln/signal.h",
        "src/kiln_model.cpp", "src/sdk/dsp/mfe.cpp", "CMakeLists.txt", "Makefile", "examples/linux/main.cpp",
        "examples/bare-metal/main.cpp"}) {
    EXPECT_TRUE(fs::exists(compiled / present)) << present;
  }
  const std::string meta = read_bytes(compiled / "include/kiln_impulse_metadata.h");
  for (const char* needle :
       {"#define KILN_SAMPLE_RATE 16000", "#define KILN_SIGNAL_LENGTH 32000", "40.0 /* num_filters */",
        "#define KILN_LABELS {\"alarm\", \"noise\"}", "#define KILN_INPUT_INT8 1", "#define KILN_ZERO_PAD 1",
        "#define KILN_ARENA_BYTES"}) {
    EXPECT_NE(meta.find(needle), std::string::npos) << needle << "\n" << meta;
  }
  const fs::path arduino = deploy(tmp, "interpreter", "arduino");
  EXPECT_TRUE(fs::exists(arduino / "library.properties"));
  EXPECT_TRUE(fs::exists(arduino / "src/kiln_impulse.h"));
  EXPECT_TRUE(fs::exists(arduino / "src/kiln_model_data.cpp"));
  EXPECT_TRUE(fs::exists(arduino / "examples/fire_alarm/fire_alarm.ino"));
}

// Bad input: an --out directory that holds other files is refused and left as it was, also when it is an
// earlier output (tests/e2e/test_deploy_safety.cpp has the details); a second deploy replaces its own earlier
// output; bad option values exit non-zero with the option named.
TEST_F(Deploy, NeverOverwritesAUserDirectory) {
  TempDir tmp;
  fs::create_directories(tmp / "mine");
  write_bytes(tmp / "mine/notes.txt", "precious");
  const auto before = snapshot(tmp / "mine");
  KilnRun r =
      run_kiln({"-C", kWorld.project.string(), "deploy", "--out", (tmp / "mine").string(), "--no-measure"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("mine"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(tmp / "mine"), before);

  const fs::path lib = deploy(tmp, "compiled", "cpp");
  write_bytes(lib / "notes.txt", "the user's, not kiln's");
  const auto with_notes = snapshot(lib);
  r = run_kiln({"-C", kWorld.project.string(), "deploy", "--out", lib.string(), "--no-measure"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("notes.txt: not written by kiln deploy"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(lib), with_notes);
  fs::remove(lib / "notes.txt");
  deploy(tmp, "compiled", "cpp");  // only its own earlier output: replaced
  EXPECT_TRUE(fs::exists(lib / ".kiln-deploy.json"));

  r = run_kiln({"-C", kWorld.project.string(), "deploy", "--out", (tmp / "x").string(), "--engine", "fast"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--engine"), std::string::npos) << r.err;
  r = run_kiln({"-C", kWorld.project.string(), "deploy", "--out", (tmp / "x").string(), "--format", "zip"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "x"));
}

TEST_F(Deploy, RefusesAProjectWithoutModel) {
  TempDir tmp;
  KilnRun r = run_kiln({"-q", "init", (tmp / "p").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_kiln({"-C", (tmp / "p").string(), "deploy", "--out", (tmp / "lib").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "lib"));
}

// kiln profile: both engines measured on the Cortex-M4F; the compiled engine needs less RAM and fewer
// network instructions than the interpreter; the DSP block is the same code in both.
TEST_F(Deploy, ProfileMeasuresBothEngines) {
  std::string why;
  if (!kiln::profile::arm_toolchain_available(&why)) GTEST_SKIP() << why;
  KilnRun r = run_kiln({"-C", kWorld.project.string(), "--json", "profile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out).at("engines");
  ASSERT_EQ(j.size(), 2u);
  const auto& c = j[0];
  const auto& i = j[1];
  EXPECT_EQ(c["engine"], "compiled");
  EXPECT_EQ(i["engine"], "interpreter");
  ASSERT_TRUE(c["measured"].get<bool>());
  EXPECT_LT(c["arena_bytes"].get<int>(), i["arena_bytes"].get<int>());
  EXPECT_LT(c["cortex_m4f"]["nn_instructions"].get<long>(), i["cortex_m4f"]["nn_instructions"].get<long>());
  // The DSP block is the same code in both; only where its scratch lies in the arena differs.
  const double dsp_c = c["cortex_m4f"]["dsp_instructions"].get<double>();
  const double dsp_i = i["cortex_m4f"]["dsp_instructions"].get<double>();
  EXPECT_NEAR(dsp_c, dsp_i, dsp_i * 0.01);
  EXPECT_GT(c["cortex_m4f"]["dsp_instructions"].get<long>(), 100000);
  EXPECT_LT(c["cortex_m4f"]["flash_code"].get<long>(), i["cortex_m4f"]["flash_code"].get<long>());
  EXPECT_GT(c["cortex_m4f"]["stack_peak"].get<long>(), 0);
}

}  // namespace
