// MLPerf Tiny int8 models (keyword spotting, anomaly detection, ResNet-8) brought in with `kiln import`,
// exported with `kiln deploy` (compiled engine, and the interpreter for keyword spotting), run on a
// Cortex-M4F under QEMU: every case's output bytes equal TensorFlow Lite Micro's (../shared/models/expected);
// ResNet-8 through a 32 x 32 RGB image impulse, from the image on the device and from PNG files on the host,
// and refused by an impulse whose features have as many values in another shape.
// Also checks the headline RAM target: the compiled library's arena is at most 70% of TFLM's on the same
// Cortex-M4, and the speed target of the prepared interpreter: on keyword spotting it runs within 5% of the
// compiled engine's instructions per inference (both counted exactly by the QEMU plugin of `kiln deploy`).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "profile/cortex_m.h"
#include "support/kiln_cli.h"
#include "unit/data/image_files.h"

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::read_bytes;
using kiln::test::run_kiln;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

const fs::path kModels = fs::path(KILN_SHARED_DIR) / "models";

struct MlperfModel {
  std::string name;           // file stem in ../shared/models and directory in expected/
  std::string toml;           // an impulse whose features have the shape of the model's input
  std::string import;         // --labels a,b,... or --raw-output
  std::size_t tflm_arena_m4;  // TFLM's arena on Cortex-M4 (expected/README.md)
};

std::string impulse_toml(int window_ms, double frame_length, double frame_stride, int filters, int fft) {
  std::ostringstream s;
  s << "name = \"mlperf\"\n[input]\ntype = \"audio\"\nfrequency = 16000\naxes = 1\nwindow_size_ms = "
    << window_ms << "\nwindow_increase_ms = " << window_ms
    << "\n[dsp]\nblock = \"mfe\"\nversion = \"ei-4\"\nframe_length = " << frame_length
    << "\nframe_stride = " << frame_stride << "\nnum_filters = " << filters << "\nfft_length = " << fft
    << "\n";
  return s.str();
}

std::string numbered_labels(int n) {
  std::string s = "--labels=";
  for (int i = 0; i < n; ++i) s += (i ? ",c" : "c") + std::to_string(i);
  return s;
}

// kws: 49 frames x 10 filters = 490 ([1, 49, 10, 1]); ad01: 32 x 20 = 640 (a flat input [1, 640]).
const MlperfModel kKws = {"mlperf_tiny_kws_ref_model", impulse_toml(1000, 0.04, 0.02, 10, 1024),
                          numbered_labels(12), 22772};
const MlperfModel kAd01 = {"mlperf_tiny_ad01_int8", impulse_toml(1000, 0.03125, 0.03125, 20, 512),
                           "--raw-output", 2260};
// ResNet-8 takes 32 x 32 RGB images with pixel values 0..255 (its int8 input, q(1, -128), is pixel - 128): an
// image impulse with scaling 0..255.
const char* const kImageToml =
    "name = \"mlperf\"\n[input]\ntype = \"image\"\nwidth = 32\nheight = 32\n[dsp]\nblock = \"image\"\n"
    "version = \"ei-1\"\nscaling = \"0..255\"\n";
const MlperfModel kResnet = {"mlperf_tiny_pretrainedResnet_quant", kImageToml, numbered_labels(10), 54340};

std::string hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {d[c >> 4], d[c & 15]};
  return out;
}

// measure: let `kiln deploy` measure both engines on the Cortex-M4F (QEMU) and return their network
// instructions per inference in *compiled_insns / *interpreter_insns.
void run_model_on_m4(const MlperfModel& m, const std::string& engine, bool measure = false,
                     std::uint64_t* compiled_insns = nullptr, std::uint64_t* interpreter_insns = nullptr) {
  if (!fs::exists(kModels)) GTEST_SKIP() << kModels << " is absent";
  std::string why;
  if (!kiln::profile::arm_toolchain_available(&why))
    GTEST_SKIP() << why << " (scripts/bootstrap installs it)";
  TempDir tmp;
  const fs::path project = tmp / "project";
  KilnRun r = run_kiln({"-q", "init", project.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_bytes(project / "kiln.toml", m.toml);
  r = run_kiln({"-C", project.string(), "-q", "import", (kModels / (m.name + ".tflite")).string(), m.import});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path lib = tmp / "lib";
  std::vector<std::string> args = {"-C",    project.string(), "--json",   "deploy",
                                   "--out", lib.string(),     "--engine", engine};
  if (!measure) args.push_back("--no-measure");
  r = run_kiln(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json deployed = nlohmann::json::parse(r.out);
  if (measure) {
    *compiled_insns = deployed.at("engines").at(0).at("cortex_m4f").at("nn_instructions");
    *interpreter_insns = deployed.at("engines").at(1).at("cortex_m4f").at("nn_instructions");
  }
  const std::size_t arena = deployed.at("engines").at(engine == "compiled" ? 0 : 1).at("model_arena_bytes");
  if (engine == "compiled") {
    EXPECT_LE(arena * 10, m.tflm_arena_m4 * 7)
        << m.name << ": arena " << arena << " vs TFLM " << m.tflm_arena_m4;
  }

  // Every case: input bytes in, output bytes out as hex, one line per case.
  const fs::path expected = kModels / "expected" / m.name;
  const nlohmann::json meta = nlohmann::json::parse(read_bytes(expected / "meta.json"));
  const bool image = m.toml == kImageToml;
  std::ostringstream main;
  main << "#include <stdio.h>\n#include \"kiln_impulse.h\"\n";
  std::vector<std::string> want;
  int n = 0;
  for (const auto& c : meta.at("cases")) {
    const std::string name = c.at("case");
    const std::string in = read_bytes(expected / (name + ".in.bin"));
    want.push_back(hex(read_bytes(expected / (name + ".out.bin"))));
    if (image) {  // the image as the block's signal: one 0xRRGGBB float per pixel, pixel = int8 + 128
      main << "static const float in" << n++ << "[] = {";
      for (std::size_t i = 0; i + 2 < in.size(); i += 3) {
        unsigned rgb = 0;
        for (std::size_t c = 0; c < 3; ++c)
          rgb = rgb << 8 | ((static_cast<unsigned char>(in[i + c]) + 128) & 0xFF);
        main << (i == 0 ? "\n" : i % 96 ? "," : ",\n") << rgb << ".0f";
      }
      main << "};\n";
      continue;
    }
    main << "static const unsigned char in" << n++ << "[] = {";
    for (std::size_t i = 0; i < in.size(); ++i)
      main << (i == 0 ? "\n" : i % 32 ? "," : ",\n") << int(static_cast<unsigned char>(in[i]));
    main << "};\n";
  }
  main << (image ? "static const float* const inputs[] = {"
                 : "static const unsigned char* const inputs[] = {");
  for (int i = 0; i < n; ++i) main << "in" << i << ",";
  main << "};\nint main() {\n  for (int c = 0; c < " << n << "; ++c) {\n"
       << "    kiln_result result;\n";
  if (image) {  // the deployed impulse: the image block straight into the int8 tensor, then the network
    main << "    kiln_float_array a = {inputs[c], KILN_SIGNAL_LENGTH};\n"
         << "    kiln_signal signal = kiln_signal_from_array(&a);\n"
         << "    if (kiln_run_impulse(&signal, &result) != KILN_OK) return 1;\n";
  } else {
    main << "    if (kiln_set_input(inputs[c], KILN_INPUT_BYTES) != KILN_OK || kiln_run_network(&result) != "
            "KILN_OK)"
            " return 1;\n";
  }
  main << "    for (int i = 0; i < KILN_OUTPUT_COUNT; ++i) printf(\"%02x\", (unsigned)(result.scores_q[i] & "
          "0xff));\n"
       << "    printf(\"\\n\");\n  }\n  return 0;\n}\n";
  write_bytes(tmp / "main.cpp", main.str());

  kiln::profile::Program program;
  for (const auto& e : fs::recursive_directory_iterator(lib / "src")) {
    if (e.path().extension() == ".cpp") program.sources.push_back(e.path());
  }
  program.sources.push_back(tmp / "main.cpp");
  program.include_dirs = {lib / "include", lib / "src", lib / "src/sdk"};
  const auto build = kiln::profile::build_for(kiln::profile::cortex_m4f(), program, tmp / "m4f");
  const auto run = kiln::profile::run_on_qemu(kiln::profile::cortex_m4f(), build, {}, 600);
  ASSERT_EQ(run.exit_status, 0) << run.output << run.diagnostics;
  std::istringstream got(run.output);
  std::string line;
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(std::getline(got, line)) << "case " << i << " missing";
    EXPECT_EQ(line, want[i]) << m.name << " case " << meta["cases"][i]["case"];
  }
}

TEST(DeployMlperf, KeywordSpottingCompiledMatchesTflmOnCortexM4) {
  run_model_on_m4(kKws, "compiled");
}

TEST(DeployMlperf, KeywordSpottingInterpreterMatchesTflmOnCortexM4AndRunsWithin5PercentOfCompiled) {
  std::uint64_t compiled = 0, interpreter = 0;
  run_model_on_m4(kKws, "interpreter", true, &compiled, &interpreter);
  if (HasFatalFailure() || IsSkipped()) return;
  std::printf(
      "KWS network instructions per inference on Cortex-M4F: compiled %llu, interpreter %llu (%+.2f%%)\n",
      static_cast<unsigned long long>(compiled), static_cast<unsigned long long>(interpreter),
      100.0 * (static_cast<double>(interpreter) / static_cast<double>(compiled) - 1.0));
  ASSERT_GT(compiled, 1000000u);  // a real inference was counted
  // The interpreter prepares every operator at start-up, so an inference is its kernel calls.
  EXPECT_LE(static_cast<double>(interpreter), 1.05 * static_cast<double>(compiled));
}

TEST(DeployMlperf, AnomalyDetectionCompiledMatchesTflmOnCortexM4) {
  run_model_on_m4(kAd01, "compiled");
}

// ResNet-8 from its image: the impulse's image block (scaling 0..255) straight into the int8 tensor.
TEST(DeployMlperf, ResNet8CompiledMatchesTflmOnCortexM4) {
  run_model_on_m4(kResnet, "compiled");
}

// ResNet-8's 32 x 32 x 3 input holds 3072 values, as many as MFE features of 96 frames x 32 filters; kiln
// import took it into such an impulse before, and the deployed impulse computed nonsense. Now the shapes are
// compared.
TEST(ImportMlperf, ResNet8IsRefusedForFeaturesOfAnotherShape) {
  if (!fs::exists(kModels)) GTEST_SKIP() << kModels << " is absent";
  TempDir tmp;
  const fs::path project = tmp / "project";
  ASSERT_EQ(run_kiln({"-q", "init", project.string()}).exit_code, 0);
  write_bytes(project / "kiln.toml", impulse_toml(960, 0.01, 0.01, 32, 512));
  const auto before = kiln::test::snapshot(project);
  const fs::path model = kModels / (kResnet.name + ".tflite");
  const KilnRun r = run_kiln({"-C", project.string(), "import", model.string(), kResnet.import});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(model.string() + ": input shape [1, 32, 32, 3] (3072 values) does not match the "
                                        "impulse's features per window [96, 32] (3072 values"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(kiln::test::snapshot(project), before);
}

// Imported into a 32 x 32 RGB image impulse (scaling 0..255), ResNet-8 classifies images: every case of
// expected/ whose input is an image (MLPerf's ic input and the random ones; int8 = pixel - 128), written as a
// PNG file, gives TFLM's output bytes through `kiln classify` (image file -> image block -> sdk/nn).
TEST(ImportMlperf, ResNet8OnAnImageImpulseClassifiesPngFilesLikeTflm) {
  if (!fs::exists(kModels)) GTEST_SKIP() << kModels << " is absent";
  TempDir tmp;
  const fs::path project = tmp / "project";
  ASSERT_EQ(run_kiln({"-q", "init", project.string()}).exit_code, 0);
  write_bytes(project / "kiln.toml", kImageToml);
  KilnRun r = run_kiln({"-C", project.string(), "-q", "import",
                        (kModels / (kResnet.name + ".tflite")).string(), kResnet.import});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path expected = kModels / "expected" / kResnet.name;
  const nlohmann::json meta = nlohmann::json::parse(read_bytes(expected / "meta.json"));
  int cases = 0;
  for (const auto& c : meta.at("cases")) {
    const std::string name = c.at("case");
    SCOPED_TRACE(name);
    const std::string in = read_bytes(expected / (name + ".in.bin"));
    ASSERT_EQ(in.size(), 32u * 32 * 3);
    std::vector<std::uint8_t> rgb(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) rgb[i] = static_cast<std::uint8_t>(in[i] + 128);
    const fs::path png = tmp / (name + ".png");
    kiln::test::write_rgb_png(png, 32, 32, rgb);
    r = run_kiln({"-C", project.string(), "--json", "classify", png.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j.at("windows").size(), 1u);
    std::string got;
    for (int k = 0; k < 10; ++k) {
      const int q = j["windows"][0]["scores_q"]["c" + std::to_string(k)];
      got += static_cast<char>(static_cast<std::int8_t>(q));
    }
    EXPECT_EQ(hex(got), hex(read_bytes(expected / (name + ".out.bin"))));
    ++cases;
  }
  EXPECT_EQ(cases, 9);  // mlperf_ic_input0 and rand0..7
}

}  // namespace
