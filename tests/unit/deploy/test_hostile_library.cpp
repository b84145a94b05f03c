// A library exported with hostile labels, project name and model file name (trigraphs, quotes, backslashes,
// line breaks, comment ends, make/CMake expansions, template placeholders, HTML, Unicode, 10,000 characters)
// for MLPerf Tiny's keyword-spotting model (12 outputs, so 12 labels). Each generated file is judged by the
// tool that reads it: the library and its Linux example build with its own Makefile under g++ -std=c++11
// -trigraphs -Wall -Wextra -Werror -Wtrigraphs, and the labels read back exactly through kiln_label(i) and
// KILN_LABELS; make and cmake read the project name back or configure without running anything it holds; the
// Arduino library.properties has exactly its keys and the .ino compiles; README.md and the HTML test report
// hold no raw HTML.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/escape.h"
#include "deploy/library_writer.h"
#include "deploy/output_dir.h"
#include "evaluate/metrics.h"
#include "impulse/dsp_block.h"
#include "report/html_report.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::deploy::Engine;
using kiln::deploy::Format;
using kiln::deploy::Library;

namespace {

const fs::path kKws = fs::path(KILN_SHARED_DIR) / "models/mlperf_tiny_kws_ref_model.tflite";

const std::vector<std::string> kLabels = {
    "?\?/",                                  // a backslash under -trigraphs: would escape the closing quote
    "\", leaked_token, \"",                  // ends the literal, next label becomes code
    "line\nbreak",                           //
    "*/ leaked_token /*",                    //
    "$(shell touch pwned) ${x} $ENV{HOME}",  //
    "@NAME@ @PROJECT@ @DESCRIPTION@",        //
    "<script>alert(1)</script>",             //
    "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x94\xA5",  //
    "back\\slash\\",                              //
    "tab\t?\?= %s%n",                             //
    "\xFF\xFE not UTF-8",                         //
    std::string(10000, 'k') + "?\?/",             //
};

const std::string kName =
    "x\")\nmessage(FATAL_ERROR pwned)\n# ?\?/ */ $(shell touch pwned) ${x} @NAME@ @PROJECT@ "
    "<script>alert(1)</script> caf\xC3\xA9 \\";

std::string read_file(const fs::path& path) {
  return kiln::test::read_bytes(path);
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

int run(const std::string& command, const fs::path& log) {
  return std::system((command + " > '" + log.string() + "' 2>&1").c_str());
}

using kiln::test::TempDir;

kiln::deploy::ImpulseExport hostile_impulse() {
  kiln::deploy::ImpulseExport imp;
  imp.name = kName;
  imp.input.frequency = 16000;
  imp.input.window_size_ms = 1000;
  imp.input.window_increase_ms = 1000;
  imp.dsp.block = "mfe";
  imp.dsp.version = "ei-4";
  imp.dsp.params = kiln::dsp_default_params("mfe");
  // 49 frames x 10 filters = the 490 inputs of the keyword-spotting model.
  imp.dsp.params["frame_length"] = 0.04;
  imp.dsp.params["frame_stride"] = 0.02;
  imp.dsp.params["num_filters"] = 10;
  imp.dsp.params["fft_length"] = 1024;
  imp.labels = kLabels;
  const std::string bytes = read_file(kKws);
  imp.tflite.assign(bytes.begin(), bytes.end());
  imp.model_file = "/models/m\"\nleaked_token ?\?= $(x) \\";  // a file name cannot hold '/' (no */, no ??/)
  return imp;
}

void write_library_files(const Library& lib, const fs::path& dir) {
  for (const auto& [rel, text] : lib.files) write_file(dir / rel, text);
}

const char* kStrict = "-std=c++11 -trigraphs -Wall -Wextra -Werror -Wtrigraphs";

class HostileLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kKws)) GTEST_SKIP() << kKws << " is absent";
  }
  TempDir tmp_;
};

TEST_F(HostileLibrary, LabelsReadBackExactlyAndNothingLeaksIntoCode) {
  const fs::path lib = tmp_.path() / "lib";
  write_library_files(kiln::deploy::build_library(hostile_impulse(), Format::cpp, Engine::compiled), lib);

  // The library and the Linux example, with the library's own Makefile and the strictest flags.
  const std::string make = "make -s -C '" + lib.string() + "' -j2 OPT=-O0 CXX='" + KILN_HOST_CXX +
                           "' CXXFLAGS='-trigraphs -Wtrigraphs -Werror'";
  ASSERT_EQ(run(make, tmp_.path() / "make.log"), 0) << read_file(tmp_.path() / "make.log");
  EXPECT_TRUE(fs::exists(lib / "build/kiln-impulse"));

  // Every string the metadata header defines, read back through the C API and the macros.
  write_file(tmp_.path() / "main.cpp", R"(#include <stdio.h>
#include "kiln_impulse.h"
static void put(const char* s) {
  for (; *s; ++s) printf("%02x", (unsigned)(unsigned char)*s);
  printf("\n");
}
int main() {
  static const char* const labels[] = KILN_LABELS;
  printf("%d\n", KILN_LABEL_COUNT);
  for (int i = 0; i < KILN_LABEL_COUNT; ++i) put(kiln_label(i));
  for (int i = 0; i < KILN_LABEL_COUNT; ++i) put(labels[i]);
  put(KILN_PROJECT_NAME);
  put(KILN_MODEL_FILE);
  return 0;
}
)");
  const std::string build = std::string(KILN_HOST_CXX) + " " + kStrict + " -I'" + (lib / "include").string() +
                            "' '" + (tmp_.path() / "main.cpp").string() + "' '" +
                            (lib / "build/libkiln_impulse.a").string() + "' -o '" +
                            (tmp_.path() / "labels").string() + "'";
  ASSERT_EQ(run(build, tmp_.path() / "build.log"), 0) << read_file(tmp_.path() / "build.log");
  ASSERT_EQ(run("'" + (tmp_.path() / "labels").string() + "'", tmp_.path() / "out.txt"), 0);
  std::istringstream out(read_file(tmp_.path() / "out.txt"));
  std::string line;
  ASSERT_TRUE(std::getline(out, line));
  EXPECT_EQ(line, std::to_string(kLabels.size()));
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < kLabels.size(); ++i) {
      ASSERT_TRUE(std::getline(out, line));
      EXPECT_EQ(line, hex(kLabels[i])) << "label " << i << (pass ? " (KILN_LABELS)" : " (kiln_label)");
    }
  }
  ASSERT_TRUE(std::getline(out, line));
  EXPECT_EQ(line, hex(kName));
  ASSERT_TRUE(std::getline(out, line));
  EXPECT_EQ(line, hex("m\"\nleaked_token ?\?= $(x) \\"));

  // make reads the project name back (the characters a Makefile cannot hold on one line replaced) and runs
  // nothing it holds; cmake configures the CMakeLists.txt without executing the name's message(FATAL_ERROR).
  const fs::path name_file = tmp_.path() / "name.txt";
  ASSERT_EQ(run("make -s -C '" + lib.string() + "' --eval 'kiln-name: ; $(file >" + name_file.string() +
                    ",$(KILN_PROJECT))' kiln-name",
                tmp_.path() / "name.log"),
            0)
      << read_file(tmp_.path() / "name.log");
  std::string want = kName;
  for (std::size_t at = want.find('\n'); at != std::string::npos; at = want.find('\n', at)) {
    want.replace(at, 1, "\xEF\xBF\xBD");
  }
  EXPECT_EQ(read_file(name_file), want + "\n");
  ASSERT_EQ(run(std::string(KILN_CMAKE) + " -S '" + lib.string() + "' -B '" +
                    (tmp_.path() / "cmake").string() + "'",
                tmp_.path() / "cmake.log"),
            0)
      << read_file(tmp_.path() / "cmake.log");
  EXPECT_EQ(read_file(tmp_.path() / "cmake.log").find("pwned"), std::string::npos);
  EXPECT_FALSE(fs::exists(lib / "pwned"));

  // README.md: the name on its heading line, no raw HTML anywhere.
  const std::string readme = read_file(lib / "README.md");
  for (std::size_t at = readme.find('<'); at != std::string::npos; at = readme.find('<', at + 1)) {
    EXPECT_EQ(readme[at - 1], '\\') << "raw HTML in README.md: " << readme.substr(at, 20);
  }
  EXPECT_EQ(readme.substr(0, readme.find('\n')),
            "# " + kiln::markdown_text(kName) + " \xE2\x80\x94 exported by `kiln deploy`");
  // The manifest is JSON listing every other file.
  const nlohmann::json manifest = nlohmann::json::parse(read_file(lib / kiln::deploy::kManifestFile));
  EXPECT_EQ(manifest.at("files").size() + 1,
            kiln::deploy::build_library(hostile_impulse(), Format::cpp, Engine::compiled).files.size());
}

// The interpreter engine names the model file in a comment of kiln_model_data.cpp.
TEST_F(HostileLibrary, InterpreterModelDataCompiles) {
  const fs::path lib = tmp_.path() / "lib";
  write_library_files(kiln::deploy::build_library(hostile_impulse(), Format::cpp, Engine::interpreter), lib);
  const std::string build = std::string(KILN_HOST_CXX) + " " + kStrict + " -c '" +
                            (lib / "src/kiln_model_data.cpp").string() + "' -o '" +
                            (tmp_.path() / "data.o").string() + "'";
  EXPECT_EQ(run(build, tmp_.path() / "build.log"), 0) << read_file(tmp_.path() / "build.log");
}

TEST_F(HostileLibrary, ArduinoPropertiesHaveExactlyTheirKeysAndTheSketchCompiles) {
  const fs::path lib = tmp_.path() / "lib";
  const Library arduino = kiln::deploy::build_library(hostile_impulse(), Format::arduino, Engine::compiled);
  write_library_files(arduino, lib);

  std::istringstream props(read_file(lib / "library.properties"));
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(props, line);) {
    ASSERT_NE(line.find('='), std::string::npos) << line;
    const std::string key = line.substr(0, line.find('='));
    EXPECT_FALSE(values.count(key)) << "twice: " << key;
    values[key] = line.substr(line.find('=') + 1);
  }
  std::set<std::string> keys;
  for (const auto& [k, v] : values) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"name", "version", "author", "maintainer", "sentence", "paragraph",
                                         "category", "url", "architectures", "includes"}));
  const std::string name = values["name"];
  ASSERT_FALSE(name.empty());
  EXPECT_LE(name.size(), 63u);
  EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(name[0])));
  for (char c : name)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || std::strchr(" _-.", c)) << name;
  EXPECT_NE(values["sentence"].find("impulse exported by kiln deploy"), std::string::npos);

  // The sketch, with the Arduino API stubbed: its comment holds the project name.
  fs::path ino;
  for (const auto& e : fs::recursive_directory_iterator(lib / "examples")) {
    if (e.path().extension() == ".ino") ino = e.path();
  }
  ASSERT_FALSE(ino.empty());
  EXPECT_EQ(ino.stem(), ino.parent_path().filename());
  write_file(tmp_.path() / "arduino_stub.h", R"(#include <stddef.h>
#include <stdint.h>
struct SerialStub {
  void begin(long) {}
  template <class T> void print(T) {}
  template <class T> void print(T, int) {}
  template <class T> void println(T) {}
  template <class T> void println(T, int) {}
};
static SerialStub Serial;
inline unsigned long micros() { return 0; }
inline int analogRead(int) { return 512; }
const int A0 = 0;
)");
  const std::string build = std::string(KILN_HOST_CXX) + " " + kStrict + " -x c++ -include '" +
                            (tmp_.path() / "arduino_stub.h").string() + "' -I'" + (lib / "src").string() +
                            "' -c '" + ino.string() + "' -o '" + (tmp_.path() / "ino.o").string() + "'";
  EXPECT_EQ(run(build, tmp_.path() / "build.log"), 0) << read_file(tmp_.path() / "build.log");

  // The example's folder and file name is a valid sketch name whatever the project is called.
  for (const std::string& project : {kName, std::string("?\?/"), std::string("9 lives"), std::string(""),
                                     std::string(300, '_'), std::string("caf\xC3\xA9")}) {
    kiln::deploy::ImpulseExport imp = hostile_impulse();
    imp.name = project;
    for (const auto& [rel, text] :
         kiln::deploy::build_library(imp, Format::arduino, Engine::compiled).files) {
      if (rel.rfind("examples/", 0) != 0) continue;
      const std::string sketch = fs::path(rel).stem().string();
      EXPECT_EQ(rel, "examples/" + sketch + "/" + sketch + ".ino");
      ASSERT_FALSE(sketch.empty());
      EXPECT_LE(sketch.size(), 63u);
      EXPECT_TRUE(std::isalpha(static_cast<unsigned char>(sketch[0]))) << sketch;
      for (char c : sketch) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_') << sketch;
    }
  }
}

TEST(HostileReport, HtmlReportHoldsNoRawHtml) {
  kiln::ReportInput in;
  in.project_name = kName;
  in.metrics = kiln::compute_metrics({kLabels[6], kLabels[1]}, {0, 1}, {0.9f, 0.1f, 0.2f, 0.8f}, 0.5);
  in.dataset = {{kLabels[6], "train", 1, 2, 3.0}, {kLabels[1], "test<b>", 1, 2, 3.0}};
  in.examples = {{kLabels[6], "<script>x</script>.wav", 0, 0, {}}};
  in.misclassified = {
      {"<img src=x onerror=alert(1)>.wav", 0.5, kLabels[1], kLabels[6], {0.8f, 0.2f}, 0, 0, {}}};
  in.impulse_summary = {{"<script>", "<script>"}};
  const std::string html = kiln::render_html_report(in);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("test<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
