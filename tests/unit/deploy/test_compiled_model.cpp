// The compiled engine end to end: for every model of the TFLM oracle that sdk/nn runs, kiln_model.cpp is
// generated, compiled with the host compiler together with only the sdk files it lists, and run on every
// case; outputs must equal TFLM's (int8 bytes exactly, float32 within the conformance tolerance). Arena
// figures are compared with the interpreter's and TFLM's.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>

#include "core/error.h"
#include "deploy/compiled_model.h"
#include "nn_test_util.h"
#include "quantize/tflite_model.h"

using namespace kiln_nn_test;
namespace fs = std::filesystem;
namespace nn = kiln::nn;

namespace {

const char* kMain =
    R"(// Test driver: runs the model on every input-sized chunk of argv[1], appends the outputs to argv[2].
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_model.h"
int main(int argc, char** argv) {
  if (argc != 5) return 2;
  const size_t in_bytes = (size_t)atol(argv[3]), out_bytes = (size_t)atol(argv[4]);
  FILE* f = fopen(argv[1], "rb");
  if (!f) return 3;
  static unsigned char input[1 << 20];
  const size_t n = fread(input, 1, sizeof input, f);
  fclose(f);
  const size_t arena_bytes = (kiln_model_arena_bytes() + 15) / 16 * 16;
  uint8_t* arena = (uint8_t*)aligned_alloc(16, arena_bytes ? arena_bytes : 16);
  memset(arena, 0xA5, arena_bytes);
  if (kiln_model_init(arena) != 0) return 4;
  FILE* o = fopen(argv[2], "wb");
  for (size_t off = 0; off + in_bytes <= n; off += in_bytes) {
    memcpy(kiln_model_input(arena), input + off, in_bytes);
    if (kiln_model_invoke(arena) != 0) return 5;
    fwrite(kiln_model_output(arena), 1, out_bytes, o);
  }
  fclose(o);
  free(arena);
  return 0;
}
)";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string expected_dir(const std::string& model) {
  return shared_dir() + "/models/expected/" + model;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

int run(const std::string& command) {
  return std::system(command.c_str());
}

// The same tolerance as tests/unit/nn/test_conformance.cpp.
std::string compare(const std::string& dtype, const std::vector<uint8_t>& got,
                    const std::vector<uint8_t>& want) {
  if (got.size() != want.size())
    return "size " + std::to_string(got.size()) + " != " + std::to_string(want.size());
  for (size_t i = 0; i < got.size(); i += dtype == "float32" ? 4 : 1) {
    if (dtype == "float32") {
      float a, b;
      std::memcpy(&a, &got[i], 4);
      std::memcpy(&b, &want[i], 4);
      const double diff = std::fabs(double(a) - double(b));
      if (!(diff <= 1e-6 || diff <= 1e-5 * std::fabs(double(b))))
        return "float element " + std::to_string(i / 4) + ": " + std::to_string(a) + " vs " +
               std::to_string(b);
    } else if (got[i] != want[i]) {
      return "byte " + std::to_string(i) + ": " + std::to_string(int(int8_t(got[i]))) + " vs " +
             std::to_string(int(int8_t(want[i])));
    }
  }
  return "";
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kiln_compiled_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const char* kFlags = "-std=c++11 -O2 -Wall -Wextra -Werror -ffp-contract=off";

// sdk .cpp files compiled once per test run (object files keyed by sdk path).
class SdkObjects {
 public:
  std::string object(const std::string& file) {
    auto it = objects_.find(file);
    if (it != objects_.end()) return it->second;
    std::string obj = (dir_.path() / (std::to_string(objects_.size()) + ".o")).string();
    const std::string cmd = std::string(KILN_HOST_CXX) + " " + kFlags + " -fno-exceptions -fno-rtti -I" +
                            KILN_SDK_DIR + " -c " + KILN_SDK_DIR + "/" + file + " -o " + obj;
    if (run(cmd) != 0) obj.clear();
    objects_[file] = obj;
    return obj;
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> objects_;
};

SdkObjects& sdk_objects() {
  static SdkObjects objects;
  return objects;
}

// Writes kiln_model.cpp, kiln_model.h and the listed sdk headers into dir (no other sdk file is reachable).
void write_library(const fs::path& dir, const kiln::deploy::CompiledModel& m) {
  write_file(dir / "kiln_model.cpp", m.source);
  fs::copy_file(std::string(KILN_SOURCE_DIR) + "/src/deploy/templates/kiln_model.h", dir / "kiln_model.h");
  for (const std::string& f : m.sdk_files) {
    ASSERT_TRUE(f.rfind("nn/", 0) == 0) << f;
    ASSERT_TRUE(f.find("interpreter") == std::string::npos && f.find("operators") == std::string::npos &&
                f.find("tflite_reader") == std::string::npos && f != "nn/model.cpp")
        << f;
    fs::create_directories((dir / "sdk" / f).parent_path());
    fs::copy_file(std::string(KILN_SDK_DIR) + "/" + f, dir / "sdk" / f);
  }
}

// Compiles the generated library with the test driver into dir/model; returns the executable or "" on
// failure.
std::string build_executable(const fs::path& dir, const kiln::deploy::CompiledModel& m) {
  write_library(dir, m);
  write_file(dir / "main.cpp", kMain);
  // kiln_model.cpp sees only the listed sdk headers; the link takes only the listed sdk sources.
  std::string objects;
  for (const std::string& f : m.sdk_files)
    if (f.size() > 4 && f.substr(f.size() - 4) == ".cpp") {
      const std::string o = sdk_objects().object(f);
      if (o.empty()) return "";
      objects += " " + o;
    }
  const std::string exe = (dir / "model").string();
  const std::string cmd = std::string(KILN_HOST_CXX) + " " + kFlags + " -I" + (dir / "sdk").string() + " -I" +
                          dir.string() + " " + (dir / "kiln_model.cpp").string() + " " +
                          (dir / "main.cpp").string() + objects + " -o " + exe + " -lm";
  return run(cmd) == 0 ? exe : "";
}

class Compiled : public ::testing::TestWithParam<std::string> {};

TEST_P(Compiled, MatchesTflm) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string model = GetParam();
  const nlohmann::json meta = read_json(expected_dir(model) + "/meta.json");
  const std::string file = meta["model"].get<std::string>();
  if (meta["inputs"].size() != 1 || meta["outputs"].size() != 1) {
    EXPECT_THROW(kiln::deploy::compile_model(read_file(shared_dir() + "/models/" + file), file), kiln::Error);
    GTEST_SKIP() << model << ": " << meta["inputs"].size()
                 << " inputs; the compiled engine (kiln_model.h) has one input and one output";
  }
  const auto t0 = std::chrono::steady_clock::now();
  const kiln::deploy::CompiledModel m =
      kiln::deploy::compile_model(read_file(shared_dir() + "/models/" + file), file);
  const auto t1 = std::chrono::steady_clock::now();
  TempDir tmp;
  const std::string exe = build_executable(tmp.path(), m);
  ASSERT_FALSE(exe.empty()) << "building " << model;
  const auto t2 = std::chrono::steady_clock::now();
  std::printf(
      "%-42s generate %5.2f s, compile %5.2f s, source %8zu B, weights %8zu B, arena %7zu B, sdk files %zu\n",
      model.c_str(), std::chrono::duration<double>(t1 - t0).count(),
      std::chrono::duration<double>(t2 - t1).count(), m.source.size(), m.weight_bytes, m.arena_bytes,
      m.sdk_files.size());

  const size_t in_bytes = meta["inputs"][0]["bytes"].get<size_t>();
  const size_t out_bytes = meta["outputs"][0]["bytes"].get<size_t>();
  const std::string out_dtype = meta["outputs"][0]["dtype"].get<std::string>();
  int cases = 0;
  for (const auto& c : meta["cases"]) {
    const std::string kase = c["case"].get<std::string>();
    const std::string in = expected_dir(model) + "/" + kase + ".in.bin";
    const std::string out = (tmp.path() / (kase + ".out.bin")).string();
    ASSERT_EQ(
        run(exe + " " + in + " " + out + " " + std::to_string(in_bytes) + " " + std::to_string(out_bytes)),
        0);
    const std::string diff =
        compare(out_dtype, read_file(out), read_file(expected_dir(model) + "/" + kase + ".out.bin"));
    EXPECT_TRUE(diff.empty()) << model << " case " << kase << ": " << diff;
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

// Arena of the compiled engine vs the interpreter's arena_bytes_needed and TFLM's M4 arena.
TEST_P(Compiled, ArenaSmallerThanInterpreterAndTflm) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string model = GetParam();
  const nlohmann::json meta = read_json(expected_dir(model) + "/meta.json");
  if (meta["inputs"].size() != 1 || meta["outputs"].size() != 1)
    GTEST_SKIP() << "not one input and one output";
  const std::string file = meta["model"].get<std::string>();
  Runner r;
  ASSERT_EQ(r.load(read_file(shared_dir() + "/models/" + file)), nn::kOk);
  const kiln::deploy::CompiledModel m = kiln::deploy::compile_model(r.bytes, file);
  const size_t tflm = tflm_arena_m4(model);
  std::printf("arena %-42s compiled %8zu  interpreter %8zu  TFLM M4 %8zu  (%.1f%% of TFLM)\n", model.c_str(),
              m.arena_bytes, r.arena_bytes, tflm, tflm ? 100.0 * double(m.arena_bytes) / double(tflm) : 0.0);
  EXPECT_LE(m.arena_bytes, r.arena_bytes);
  if (model == "mlperf_tiny_kws_ref_model" || model == "mlperf_tiny_ad01_int8" ||
      model == "mlperf_tiny_pretrainedResnet_quant") {
    ASSERT_GT(tflm, 0u);
    EXPECT_LE(double(m.arena_bytes), 0.7 * double(tflm)) << model;
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Compiled, ::testing::ValuesIn(conformance_models()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Kernels the oracle models do not use (MAX_POOL_2D, MUL, broadcasting ADD/MUL, one tensor as both
// operands), on a small hand-built graph: the compiled engine must give the interpreter's bytes exactly.
kiln::tflite::Model synthetic_model(bool int8) {
  namespace tf = kiln::tflite;
  const tf::TensorType type = int8 ? tf::TensorType::int8 : tf::TensorType::float32;
  tf::Model m;
  auto tensor = [&](std::vector<int> shape, float scale, int zp, std::vector<std::uint8_t> data = {},
                    std::optional<tf::TensorType> t = std::nullopt) {
    tf::Tensor x;
    x.name = "t" + std::to_string(m.tensors.size());
    x.shape = std::move(shape);
    x.type = t.value_or(type);
    x.data = std::move(data);
    if (int8) x.quantization = tf::Quantization{{scale}, {zp}, 0};
    m.tensors.push_back(x);
    return static_cast<int>(m.tensors.size()) - 1;
  };
  std::mt19937 rng(5);
  auto values = [&](size_t n) {
    std::vector<std::int8_t> q(n);
    std::vector<float> f(n);
    for (size_t i = 0; i < n; ++i) {
      q[i] = static_cast<std::int8_t>(static_cast<int>(rng() % 200) - 100);
      f[i] = q[i] / 64.0f;
    }
    return int8 ? tf::to_bytes(q) : tf::to_bytes(f);
  };
  auto op = [&](tf::BuiltinOp code, std::vector<int> in, std::vector<int> out) {
    tf::Operator o;
    o.code = code;
    o.inputs = std::move(in);
    o.outputs = std::move(out);
    m.operators.push_back(o);
    return &m.operators.back();
  };
  const int input = tensor({1, 8, 8, 4}, 0.05f, 3);
  const int pooled = tensor({1, 4, 4, 4}, 0.05f, 3);
  tf::Operator* pool = op(tf::kMaxPool2D, {input}, {pooled});
  pool->padding = tf::Padding::valid;
  pool->stride_w = pool->stride_h = pool->filter_w = pool->filter_h = 2;
  pool->activation = tf::Activation::relu;
  const int scale = tensor({4}, 0.02f, 0, values(4));
  const int scaled = tensor({1, 4, 4, 4}, 0.01f, -2);
  op(tf::kMul, {pooled, scale}, {scaled});
  const int sum = tensor({1, 4, 4, 4}, 0.06f, 1);
  op(tf::kAdd, {scaled, pooled}, {sum});
  const int square = tensor({1, 4, 4, 4}, 0.05f, -5);
  op(tf::kMul, {sum, sum}, {square});
  const int shift = tensor({1, 1, 1, 4}, 0.03f, 2, values(4));
  const int shifted = tensor({1, 4, 4, 4}, 0.04f, -128);
  op(tf::kAdd, {square, shift}, {shifted})->activation = tf::Activation::relu6;
  const int flat = tensor({1, 64}, 0.04f, -128);
  op(tf::kReshape, {shifted}, {flat})->new_shape = {1, 64};
  const int weights = tensor({10, 64}, 0.01f, 0, values(640));
  std::vector<std::int32_t> bias_q(10);
  std::vector<float> bias_f(10);
  for (int i = 0; i < 10; ++i) bias_f[i] = static_cast<float>(bias_q[i] = i * 37 - 150) / 256.0f;
  const int bias = tensor({10}, 0.0004f, 0, int8 ? tf::to_bytes(bias_q) : tf::to_bytes(bias_f),
                          int8 ? tf::TensorType::int32 : tf::TensorType::float32);
  const int logits = tensor({1, 10}, 0.1f, 0);
  op(tf::kFullyConnected, {flat, weights, bias}, {logits});
  const int probs = tensor({1, 10}, 1.0f / 256.0f, -128);
  op(tf::kSoftmax, {logits}, {probs});
  m.inputs = {input};
  m.outputs = {probs};
  return m;
}

TEST(CompiledModel, SyntheticGraphMatchesInterpreter) {
  for (const bool int8 : {true, false}) {
    Runner r;
    ASSERT_EQ(r.load(kiln::tflite::serialize(synthetic_model(int8))), nn::kOk);
    const kiln::deploy::CompiledModel m = kiln::deploy::compile_model(r.bytes, "synthetic.tflite");
    EXPECT_LE(m.arena_bytes, r.arena_bytes);
    TempDir tmp;
    const std::string exe = build_executable(tmp.path(), m);
    ASSERT_FALSE(exe.empty());
    nn::TensorInfo in_info, out_info;
    ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_input_tensor(r.model, 0), &in_info), nn::kOk);
    ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_output_tensor(r.model, 0), &out_info), nn::kOk);
    std::mt19937 rng(int8 ? 1 : 2);
    std::vector<uint8_t> inputs, want;
    for (int c = 0; c < 4; ++c) {
      std::vector<uint8_t> in(in_info.bytes);
      if (int8) {
        for (auto& b : in) b = static_cast<uint8_t>(rng());
      } else {
        for (size_t i = 0; i < in.size(); i += 4) {
          const float v = static_cast<float>(static_cast<int>(rng() % 2001) - 1000) / 300.0f;
          std::memcpy(&in[i], &v, 4);
        }
      }
      std::memcpy(nn::interpreter_input(&r.interp, 0), in.data(), in.size());
      ASSERT_EQ(nn::interpreter_invoke(&r.interp), nn::kOk);
      const uint8_t* o = static_cast<const uint8_t*>(nn::interpreter_output(&r.interp, 0));
      want.insert(want.end(), o, o + out_info.bytes);
      inputs.insert(inputs.end(), in.begin(), in.end());
    }
    const std::string in_path = (tmp.path() / "in.bin").string(),
                      out_path = (tmp.path() / "out.bin").string();
    write_file(in_path, std::string(inputs.begin(), inputs.end()));
    ASSERT_EQ(run(exe + " " + in_path + " " + out_path + " " + std::to_string(in_info.bytes) + " " +
                  std::to_string(out_info.bytes)),
              0);
    EXPECT_EQ(read_file(out_path), want) << (int8 ? "int8" : "float32");
    for (const char* kernel : {"max_pool2d_", "mul_", "_broadcast("})
      EXPECT_NE(m.source.find(kernel), std::string::npos) << kernel;
  }
}

// The generated source also builds for the Cortex-M4 with the deployment flags.
TEST(CompiledModel, BuildsForCortexM4) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  if (run("arm-none-eabi-g++ --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no arm-none-eabi-g++";
  for (const std::string file : {"mlperf_tiny_kws_ref_model.tflite", "mlperf_tiny_ad01_fp32.tflite"}) {
    const kiln::deploy::CompiledModel m =
        kiln::deploy::compile_model(read_file(shared_dir() + "/models/" + file), file);
    TempDir tmp;
    write_library(tmp.path(), m);
    std::string cmd =
        "arm-none-eabi-g++ -std=c++11 -Wall -Wextra -Werror -mcpu=cortex-m4 -mthumb -mfloat-abi=hard "
        "-mfpu=fpv4-sp-d16 -fno-exceptions -fno-rtti -O2 -I" +
        (tmp.path() / "sdk").string() + " -I" + tmp.path().string() + " -c";
    for (const std::string& f : m.sdk_files)
      if (f.substr(f.size() - 4) == ".cpp") cmd += " " + (tmp.path() / "sdk" / f).string();
    cmd += " " + (tmp.path() / "kiln_model.cpp").string();
    cmd = "cd " + tmp.path().string() + " && " + cmd;
    EXPECT_EQ(run(cmd), 0) << file;
  }
}

TEST(CompiledModel, ListsOperatorsAndOnlyNeededSdkFiles) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string file = "mlperf_tiny_kws_ref_model.tflite";
  const kiln::deploy::CompiledModel m =
      kiln::deploy::compile_model(read_file(shared_dir() + "/models/" + file), file);
  ASSERT_FALSE(m.operators.empty());
  EXPECT_EQ(m.operators.front(), "CONV_2D");
  EXPECT_EQ(m.operators.back(), "SOFTMAX");
  const auto has = [&](const std::string& f) {
    return std::find(m.sdk_files.begin(), m.sdk_files.end(), f) != m.sdk_files.end();
  };
  EXPECT_TRUE(has("nn/depthwise_conv2d.cpp"));
  EXPECT_TRUE(has("nn/quant_math.cpp"));
  EXPECT_FALSE(has("nn/mean.cpp"));
  EXPECT_FALSE(has("nn/operators.cpp"));
  EXPECT_GT(m.weight_bytes, 20000u);
  EXPECT_NE(m.source.find("kiln::nn::depthwise_conv2d_s8("), std::string::npos);
}

TEST(CompiledModel, UnsupportedOperatorNamesFileAndOperator) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string file = "tflm_trained_lstm.tflite";
  try {
    kiln::deploy::compile_model(read_file(shared_dir() + "/models/" + file), file);
    FAIL() << "no error";
  } catch (const kiln::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file), std::string::npos) << msg;
    EXPECT_NE(msg.find("LSTM"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--engine interpreter"), std::string::npos) << msg;
  }
}

TEST(CompiledModel, GarbageNamesFile) {
  try {
    kiln::deploy::compile_model(std::vector<uint8_t>(64, 0x5A), "junk.tflite");
    FAIL() << "no error";
  } catch (const kiln::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("junk.tflite: ", 0), 0u) << e.what();
  }
}

}  // namespace
