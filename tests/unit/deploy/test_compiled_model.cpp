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
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "core/error.h"
#include "deploy/compiled_model.h"
#include "nn/tflite_reader.h"
#include "nn_test_util.h"
#include "tflite/flatbuffer_builder.h"
#include "tflite/tflite_model.h"

using namespace kiln_nn_test;
namespace fs = std::filesystem;
namespace nn = kiln::nn;
namespace tf = kiln::tflite;

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
                            KILN_SDK_DIR + " -I" + KILN_SDK_DIR + "/include -c " + KILN_SDK_DIR + "/" + file +
                            " -o " + obj;
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
    // Kernels only (and the schema's enums, which they name): no interpreter, reader or operator table.
    ASSERT_TRUE(f.rfind("nn/", 0) == 0 || f == "include/kiln/tflite_schema.h") << f;
    ASSERT_TRUE(f.find("interpreter") == std::string::npos && f.find("op_") == std::string::npos &&
                f.find("ops/") == std::string::npos && f.find("tflite_reader") == std::string::npos &&
                f != "nn/model.cpp")
        << f;
    const std::string to = f.rfind("include/", 0) == 0 ? f.substr(8) : f;  // as kiln deploy lays it out
    fs::create_directories((dir / "sdk" / to).parent_path());
    fs::copy_file(std::string(KILN_SDK_DIR) + "/" + f, dir / "sdk" / to);
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
  const tf::TensorType type = int8 ? tf::kTypeInt8 : tf::kTypeFloat32;
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
  auto op = [&](tf::BuiltinOperator code, std::vector<int> in, std::vector<int> out) {
    tf::Operator o;
    o.code = code;
    o.inputs = std::move(in);
    o.outputs = std::move(out);
    m.operators.push_back(o);
    return &m.operators.back();
  };
  const int input = tensor({1, 8, 8, 4}, 0.05f, 3);
  const int pooled = tensor({1, 4, 4, 4}, 0.05f, 3);
  tf::Operator* pool = op(tf::kOpMaxPool2D, {input}, {pooled});
  pool->padding = tf::kPaddingValid;
  pool->stride_w = pool->stride_h = pool->filter_w = pool->filter_h = 2;
  pool->activation = tf::kActRelu;
  const int scale = tensor({4}, 0.02f, 0, values(4));
  const int scaled = tensor({1, 4, 4, 4}, 0.01f, -2);
  op(tf::kOpMul, {pooled, scale}, {scaled});
  const int sum = tensor({1, 4, 4, 4}, 0.06f, 1);
  op(tf::kOpAdd, {scaled, pooled}, {sum});
  const int square = tensor({1, 4, 4, 4}, 0.05f, -5);
  op(tf::kOpMul, {sum, sum}, {square});
  const int shift = tensor({1, 1, 1, 4}, 0.03f, 2, values(4));
  const int shifted = tensor({1, 4, 4, 4}, 0.04f, -128);
  op(tf::kOpAdd, {square, shift}, {shifted})->activation = tf::kActRelu6;
  const int flat = tensor({1, 64}, 0.04f, -128);
  op(tf::kOpReshape, {shifted}, {flat})->new_shape = {1, 64};
  const int weights = tensor({10, 64}, 0.01f, 0, values(640));
  std::vector<std::int32_t> bias_q(10);
  std::vector<float> bias_f(10);
  for (int i = 0; i < 10; ++i) bias_f[i] = static_cast<float>(bias_q[i] = i * 37 - 150) / 256.0f;
  const int bias = tensor({10}, 0.0004f, 0, int8 ? tf::to_bytes(bias_q) : tf::to_bytes(bias_f),
                          int8 ? tf::kTypeInt32 : tf::kTypeFloat32);
  const int logits = tensor({1, 10}, 0.1f, 0);
  op(tf::kOpFullyConnected, {flat, weights, bias}, {logits});
  const int probs = tensor({1, 10}, 1.0f / 256.0f, -128);
  op(tf::kOpSoftmax, {logits}, {probs});
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
  EXPECT_FALSE(has("nn/op_table.cpp"));  // the operators' prepare code stays on the host
  EXPECT_FALSE(has("nn/op_prepare.cpp"));
  EXPECT_GT(m.weight_bytes, 20000u);
  EXPECT_NE(m.source.find("kiln::nn::eval_depthwise_conv2d_s8("), std::string::npos);
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

// ---------------------------------------------------------------------------------------------------------
// Every other operator compile_model accepts (LOGISTIC, RELU, RELU6, RELU_N1_TO_1, QUANTIZE, DEQUANTIZE,
// MEAN, PAD, PADV2, CONCATENATION), int8 and float32, on small hand-built graphs: the generated code is
// compiled with the deployment flags, run on random inputs and must give the interpreter's bytes exactly; it
// must also build for the Cortex-M4.

// A .tflite builder for these operators (src/tflite's writer models only what the exporter emits; this one
// adds CONCATENATION's and MEAN's options, int16 and int32 activations). Field ids and option types from
// kiln/tflite_schema.h.
enum GraphType : std::uint8_t { kF32 = 0, kI32 = 2, kI16 = 7, kI8 = 9 };

struct GraphTensor {
  std::vector<int> shape;
  GraphType type = kF32;
  std::vector<std::uint8_t> data;
  bool quantized = false;
  float scale = 0.0f;
  std::int64_t zero_point = 0;
};

struct GraphOp {
  int code = 0;
  std::vector<int> inputs, outputs;
  int axis = 0;            // CONCATENATION
  bool keep_dims = false;  // MEAN
  float alpha = 0.0f;      // LEAKY_RELU
};

struct Graph {
  std::vector<GraphTensor> tensors;
  std::vector<GraphOp> ops;
  int input = -1, output = -1;

  // An activation (quantized when scale > 0) or, with data, a constant.
  int tensor(std::vector<int> shape, GraphType type, float scale = 0.0f, int zero_point = 0,
             std::vector<std::uint8_t> data = {}) {
    GraphTensor t;
    t.shape = std::move(shape);
    t.type = type;
    t.data = std::move(data);
    t.quantized = scale > 0.0f;
    t.scale = scale;
    t.zero_point = zero_point;
    tensors.push_back(t);
    return static_cast<int>(tensors.size()) - 1;
  }
  int ints(std::vector<std::int32_t> v, std::vector<int> shape) {
    std::vector<std::uint8_t> bytes(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    return tensor(std::move(shape), kI32, 0.0f, 0, bytes);
  }
  GraphOp& op(int code, std::vector<int> in, int out) {
    GraphOp o;
    o.code = code;
    o.inputs = std::move(in);
    o.outputs = {out};
    ops.push_back(o);
    return ops.back();
  }

  std::vector<std::uint8_t> serialize() const {
    kiln::fb::Builder b;
    std::vector<kiln::fb::Builder::Ref> buffers{b.table()}, tensor_refs, codes, op_refs;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const GraphTensor& t = tensors[i];
      std::uint32_t buffer = 0;
      if (!t.data.empty()) {
        auto buf = b.table();
        b.add_ref(buf, 0, b.vector_bytes(t.data.data(), t.data.size(), 1, 16));
        buffer = static_cast<std::uint32_t>(buffers.size());
        buffers.push_back(buf);
      }
      auto tt = b.table();
      b.add_ref(tt, 0, b.vector_i32(std::vector<std::int32_t>(t.shape.begin(), t.shape.end())));
      b.add_u8(tt, 1, t.type);
      b.add_u32(tt, 2, buffer);
      b.add_ref(tt, 3, b.string("t" + std::to_string(i)));
      if (t.quantized) {
        auto q = b.table();
        b.add_ref(q, 2, b.vector_f32({t.scale}));
        b.add_ref(q, 3, b.vector_i64({t.zero_point}));
        b.add_ref(tt, 4, q);
      }
      tensor_refs.push_back(tt);
    }
    std::map<int, std::uint32_t> code_index;
    for (const GraphOp& o : ops) {
      auto it = code_index.find(o.code);
      if (it == code_index.end()) {
        auto c = b.table();
        b.add_i8(c, 0, static_cast<std::int8_t>(o.code < 127 ? o.code : 127));
        b.add_i32(c, 2, 1);
        b.add_i32(c, 3, o.code);
        it = code_index.emplace(o.code, static_cast<std::uint32_t>(codes.size())).first;
        codes.push_back(c);
      }
      auto r = b.table();
      b.add_u32(r, 0, it->second);
      b.add_ref(r, 1, b.vector_i32(o.inputs));
      b.add_ref(r, 2, b.vector_i32(o.outputs));
      if (o.code == tf::kOpConcatenation) {
        auto t = b.table();
        b.add_i32(t, tf::fields::ConcatenationOptions::kAxis, o.axis);
        b.add_i8(t, tf::fields::ConcatenationOptions::kFusedActivationFunction, tf::kActNone);
        b.add_u8(r, tf::fields::Operator::kBuiltinOptionsType, tf::kConcatenationOptions);
        b.add_ref(r, tf::fields::Operator::kBuiltinOptions, t);
      } else if (o.code == tf::kOpMean) {
        auto t = b.table();
        b.add_bool(t, tf::fields::ReducerOptions::kKeepDims, o.keep_dims);
        b.add_u8(r, tf::fields::Operator::kBuiltinOptionsType, tf::kReducerOptions);
        b.add_ref(r, tf::fields::Operator::kBuiltinOptions, t);
      } else if (o.code == tf::kOpLeakyRelu) {
        auto t = b.table();
        b.add_f32(t, tf::fields::LeakyReluOptions::kAlpha, o.alpha);
        b.add_u8(r, tf::fields::Operator::kBuiltinOptionsType, tf::kLeakyReluOptions);
        b.add_ref(r, tf::fields::Operator::kBuiltinOptions, t);
      }
      op_refs.push_back(r);
    }
    auto subgraph = b.table();
    b.add_ref(subgraph, 0, b.vector_refs(tensor_refs));
    b.add_ref(subgraph, 1, b.vector_i32({input}));
    b.add_ref(subgraph, 2, b.vector_i32({output}));
    b.add_ref(subgraph, 3, b.vector_refs(op_refs));
    b.add_ref(subgraph, 4, b.string("main"));
    auto root = b.table();
    b.add_u32(root, 0, 3);
    b.add_ref(root, 1, b.vector_refs(codes));
    b.add_ref(root, 2, b.vector_refs({subgraph}));
    b.add_ref(root, 3, b.string("kiln compiled-engine operator test"));
    b.add_ref(root, 4, b.vector_refs(buffers));
    return b.finish(root, "TFL3");
  }
};

std::vector<std::uint8_t> random_bytes(size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& x : v) x = static_cast<std::uint8_t>(rng());
  return v;
}

std::vector<std::uint8_t> random_floats(size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> f(n);
  // Multiples of 1/8 in [-20, 20]: past both cutoffs of logistic_f32, the RELU bounds, and exact .5 ties for
  // QUANTIZE with a power-of-two scale.
  for (auto& x : f) x = static_cast<float>(static_cast<int>(rng() % 321) - 160) / 8.0f;
  std::vector<std::uint8_t> v(n * 4);
  std::memcpy(v.data(), f.data(), v.size());
  return v;
}

std::vector<std::uint8_t> random_input(const GraphTensor& t, size_t bytes, std::uint32_t seed) {
  return t.type == kF32 ? random_floats(bytes / 4, seed) : random_bytes(bytes, seed);
}

struct OpCase {
  std::string name;
  Graph graph;
  std::vector<std::string> kernels;  // calls the generated source must contain
  bool in_place = false;             // the single operator's output must overlap its input (arena < sum)
};

void PrintTo(const OpCase& c, std::ostream* os) {
  *os << c.name;
}

// The single-operator graph input -> op -> output (extra inputs: constant int32 tensors built by `extra`).
OpCase unary(const std::string& name, int code, std::vector<int> in_shape, GraphType in_type, float in_scale,
             int in_zp, std::vector<int> out_shape, GraphType out_type, float out_scale, int out_zp,
             std::vector<std::string> kernels, bool in_place,
             const std::function<std::vector<int>(Graph&)>& extra = nullptr) {
  OpCase c;
  c.name = name;
  Graph& g = c.graph;
  g.input = g.tensor(in_shape, in_type, in_scale, in_zp);
  g.output = g.tensor(out_shape, out_type, out_scale, out_zp);
  std::vector<int> inputs{g.input};
  if (extra)
    for (int t : extra(g)) inputs.push_back(t);
  g.op(code, inputs, g.output);
  c.kernels = std::move(kernels);
  c.in_place = in_place;
  return c;
}

std::vector<OpCase> op_cases() {
  std::vector<OpCase> cases;
  const std::vector<int> s{1, 6, 5, 8};
  // Elementwise, alone (the output may overlap the dying model input).
  cases.push_back(unary("logistic_s8", tf::kOpLogistic, s, kI8, 0.06f, 3, s, kI8, 1.0f / 256, -128,
                        {"logistic_s8("}, true));
  cases.push_back(
      unary("logistic_f32", tf::kOpLogistic, s, kF32, 0, 0, s, kF32, 0, 0, {"logistic_f32("}, true));
  cases.push_back(
      unary("relu_s8", tf::kOpRelu, s, kI8, 0.05f, -10, s, kI8, 0.03f, -128, {"activation_s8("}, true));
  cases.push_back(unary("relu_f32", tf::kOpRelu, s, kF32, 0, 0, s, kF32, 0, 0, {"activation_f32("}, true));
  cases.push_back(
      unary("relu6_s8", tf::kOpRelu6, s, kI8, 0.05f, 7, s, kI8, 6.0f / 255, -128, {"activation_s8("}, true));
  cases.push_back(unary("relu6_f32", tf::kOpRelu6, s, kF32, 0, 0, s, kF32, 0, 0, {"activation_f32("}, true));
  cases.push_back(unary("relu_n1_to_1_s8", tf::kOpReluN1To1, s, kI8, 0.02f, -3, s, kI8, 1.0f / 128, 0,
                        {"activation_s8("}, true));
  cases.push_back(
      unary("relu_n1_to_1_f32", tf::kOpReluN1To1, s, kF32, 0, 0, s, kF32, 0, 0, {"activation_f32("}, true));
  cases.push_back(unary("quantize_f32_s8", tf::kOpQuantize, s, kF32, 0, 0, s, kI8, 0.25f, -5,
                        {"quantize_f32_s8("}, true));
  cases.push_back(unary("requantize_s8_s8", tf::kOpQuantize, s, kI8, 0.05f, 9, s, kI8, 0.031f, -20,
                        {"requantize_s8_s8("}, true));
  cases.push_back(unary("requantize_s16_s8", tf::kOpQuantize, s, kI16, 0.001f, 0, s, kI8, 0.1f, 4,
                        {"requantize_s16_s8("}, true));
  cases.push_back(unary("dequantize_s8_f32", tf::kOpDequantize, s, kI8, 0.07f, -6, s, kF32, 0, 0,
                        {"dequantize_s8_f32("}, true));
  cases.push_back(unary("leaky_relu_s8", tf::kOpLeakyRelu, s, kI8, 0.05f, -10, s, kI8, 0.03f, 5,
                        {"leaky_relu_s8("}, true));
  cases.back().graph.ops.back().alpha = 0.2f;
  cases.push_back(
      unary("leaky_relu_f32", tf::kOpLeakyRelu, s, kF32, 0, 0, s, kF32, 0, 0, {"leaky_relu_f32("}, true));
  cases.back().graph.ops.back().alpha = 0.3f;
  // MEAN over different axes, with and without keep_dims, negative axes, rank 2.
  struct MeanCase {
    const char* name;
    std::vector<std::int32_t> axes;
    bool keep;
    std::vector<int> out;
  };
  for (const MeanCase& m :
       {MeanCase{"hw_keep", {1, 2}, true, {1, 1, 1, 8}}, MeanCase{"hw", {2, 1}, false, {1, 8}},
        MeanCase{"c", {-1}, false, {1, 6, 5}}, MeanCase{"w", {2}, true, {1, 6, 1, 8}},
        MeanCase{"all", {0, 1, 2, 3}, true, {1, 1, 1, 1}}})
    for (const bool int8 : {true, false}) {
      OpCase c = unary(std::string("mean_") + m.name + (int8 ? "_s8" : "_f32"), tf::kOpMean, s,
                       int8 ? kI8 : kF32, int8 ? 0.05f : 0, int8 ? 4 : 0, m.out, int8 ? kI8 : kF32,
                       int8 ? 0.02f : 0, int8 ? -11 : 0, {int8 ? "mean_s8(" : "mean_f32("}, false,
                       [&](Graph& g) { return std::vector<int>{g.ints(m.axes, {int(m.axes.size())})}; });
      c.graph.ops.back().keep_dims = m.keep;
      cases.push_back(c);
    }
  for (const bool int8 : {true, false}) {
    const GraphType t = int8 ? kI8 : kF32;
    const std::string suffix = int8 ? "_s8" : "_f32";
    cases.push_back(unary("mean_rank2" + suffix, tf::kOpMean, {6, 40}, t, int8 ? 0.05f : 0, int8 ? -1 : 0,
                          {6}, t, int8 ? 0.01f : 0, 0, {int8 ? "mean_s8(" : "mean_f32("}, false,
                          [](Graph& g) { return std::vector<int>{g.ints({1}, {1})}; }));
    // PAD with different amounts before and after on every axis but the batch; PADV2 with a value.
    cases.push_back(unary("pad" + suffix, tf::kOpPad, s, t, int8 ? 0.05f : 0, int8 ? 17 : 0, {1, 9, 7, 11}, t,
                          int8 ? 0.05f : 0, int8 ? 17 : 0,
                          {std::string(int8 ? "eval_pad_s8(" : "eval_pad_f32(")}, false, [](Graph& g) {
                            return std::vector<int>{g.ints({0, 0, 2, 1, 0, 2, 1, 2}, {4, 2})};
                          }));
    cases.push_back(unary("pad_rank2" + suffix, tf::kOpPad, {6, 40}, t, int8 ? 0.05f : 0, int8 ? -3 : 0,
                          {7, 43}, t, int8 ? 0.05f : 0, int8 ? -3 : 0, {"eval_pad_"}, false, [](Graph& g) {
                            return std::vector<int>{g.ints({1, 0, 0, 3}, {2, 2})};
                          }));
    cases.push_back(
        unary("padv2" + suffix, tf::kOpPadV2, s, t, int8 ? 0.05f : 0, int8 ? 17 : 0, {1, 8, 6, 9}, t,
              int8 ? 0.05f : 0, int8 ? 17 : 0, {"eval_pad_"}, false, [&](Graph& g) {
                const int pads = g.ints({0, 0, 1, 1, 1, 0, 0, 1}, {4, 2});
                const float f = -2.75f;
                std::vector<std::uint8_t> v(int8 ? 1 : 4);
                if (int8)
                  v[0] = static_cast<std::uint8_t>(-55);
                else
                  std::memcpy(v.data(), &f, 4);
                return std::vector<int>{pads, g.tensor({1}, t, int8 ? 0.05f : 0, int8 ? 17 : 0, v)};
              }));
    // CONCATENATION on the channel axis: the input, RELU of it and a constant (all with one quantization);
    // on the height axis: the input twice and its RELU; on the channel axis (-1) of two RELUs.
    {
      OpCase c;
      c.name = "concat_c3" + suffix;
      Graph& g = c.graph;
      const float sc = int8 ? 0.05f : 0;
      const int zp = int8 ? -7 : 0;
      g.input = g.tensor(s, t, sc, zp);
      const int relu = g.tensor(s, t, sc, zp);
      g.op(tf::kOpRelu, {g.input}, relu);
      const int k = g.tensor({1, 6, 5, 3}, t, sc, zp, int8 ? random_bytes(90, 7) : random_floats(90, 7));
      g.output = g.tensor({1, 6, 5, 19}, t, sc, zp);
      g.op(tf::kOpConcatenation, {relu, k, g.input}, g.output).axis = 3;
      c.kernels = {"ConcatenationCall call = {3, ", "eval_concatenation("};
      cases.push_back(c);
    }
    {
      // On the batch axis (outer = 1): a constant of batch 2 after the input.
      OpCase c;
      c.name = "concat_n2" + suffix;
      Graph& g = c.graph;
      const float sc = int8 ? 0.04f : 0;
      const int zp = int8 ? 1 : 0;
      g.input = g.tensor(s, t, sc, zp);
      const int k = g.tensor({2, 6, 5, 8}, t, sc, zp, int8 ? random_bytes(480, 8) : random_floats(480, 8));
      g.output = g.tensor({3, 6, 5, 8}, t, sc, zp);
      g.op(tf::kOpConcatenation, {g.input, k}, g.output).axis = 0;
      c.kernels = {"ConcatenationCall call = {2, ", "eval_concatenation("};
      cases.push_back(c);
    }
    {
      OpCase c;
      c.name = "concat_h3" + suffix;
      Graph& g = c.graph;
      const float sc = int8 ? 0.05f : 0;
      const int zp = int8 ? 5 : 0;
      g.input = g.tensor(s, t, sc, zp);
      const int relu = g.tensor(s, t, sc, zp);
      g.op(tf::kOpRelu6, {g.input}, relu);
      g.output = g.tensor({1, 18, 5, 8}, t, sc, zp);
      g.op(tf::kOpConcatenation, {g.input, relu, g.input}, g.output).axis = 1;
      c.kernels = {"ConcatenationCall call = {3, ", "eval_concatenation(", "activation_"};
      cases.push_back(c);
    }
    {
      OpCase c;
      c.name = "concat_c2_chain" + suffix;
      Graph& g = c.graph;
      const float sc = int8 ? 0.05f : 0;
      const int zp = 0;
      g.input = g.tensor(s, t, sc, zp);
      const int a = g.tensor(s, t, sc, zp), b = g.tensor(s, t, sc, zp);
      g.op(tf::kOpRelu, {g.input}, a);
      g.op(tf::kOpReluN1To1, {g.input}, b);
      const int cat = g.tensor({1, 6, 5, 16}, t, sc, zp);
      g.op(tf::kOpConcatenation, {a, b}, cat).axis = -1;
      // The concatenation's output feeds an elementwise operator (overlap), then MEAN.
      const int act = g.tensor({1, 6, 5, 16}, t, sc, zp);
      g.op(tf::kOpRelu6, {cat}, act);
      g.output = g.tensor({1, 1, 1, 16}, t, int8 ? 0.03f : 0, int8 ? -2 : 0);
      g.op(tf::kOpMean, {act, g.ints({1, 2}, {2})}, g.output).keep_dims = true;
      c.kernels = {"ConcatenationCall call = {2, ", "eval_concatenation(", "mean_"};
      cases.push_back(c);
    }
  }
  // A chain of elementwise operators whose outputs overlap their dying inputs at every element size:
  // int8 -> requantize -> logistic -> RELU_N1_TO_1 -> dequantize (x4) -> RELU6 -> logistic -> PAD ->
  // quantize (/4) -> RELU.
  {
    OpCase c;
    c.name = "elementwise_chain";
    Graph& g = c.graph;
    g.input = g.tensor(s, kI8, 0.05f, 3);
    const int rq = g.tensor(s, kI8, 0.06f, -1);
    g.op(tf::kOpQuantize, {g.input}, rq);
    const int lg = g.tensor(s, kI8, 1.0f / 256, -128);
    g.op(tf::kOpLogistic, {rq}, lg);
    const int n1 = g.tensor(s, kI8, 1.0f / 200, 0);
    g.op(tf::kOpReluN1To1, {lg}, n1);
    const int dq = g.tensor(s, kF32);
    g.op(tf::kOpDequantize, {n1}, dq);
    const int r6 = g.tensor(s, kF32);
    g.op(tf::kOpRelu6, {dq}, r6);
    const int lf = g.tensor(s, kF32);
    g.op(tf::kOpLogistic, {r6}, lf);
    const int pd = g.tensor({1, 7, 5, 9}, kF32);
    g.op(tf::kOpPad, {lf, g.ints({0, 0, 1, 0, 0, 0, 0, 1}, {4, 2})}, pd);
    const int q = g.tensor({1, 7, 5, 9}, kI8, 1.0f / 512, -100);
    g.op(tf::kOpQuantize, {pd}, q);
    g.output = g.tensor({1, 7, 5, 9}, kI8, 1.0f / 512, -128);
    g.op(tf::kOpRelu, {q}, g.output);
    c.kernels = {"requantize_s8_s8(", "logistic_s8(",  "activation_s8(", "dequantize_s8_f32(",
                 "activation_f32(",   "logistic_f32(", "eval_pad_f32(",  "quantize_f32_s8("};
    cases.push_back(c);
  }
  return cases;
}

// Runs the interpreter on `inputs` (concatenated input-sized chunks); returns the concatenated outputs.
std::vector<std::uint8_t> interpreter_outputs(Runner& r, const std::vector<std::uint8_t>& inputs,
                                              size_t in_bytes, size_t out_bytes) {
  std::vector<std::uint8_t> want;
  for (size_t off = 0; off + in_bytes <= inputs.size(); off += in_bytes) {
    std::memcpy(nn::interpreter_input(&r.interp, 0), inputs.data() + off, in_bytes);
    if (nn::interpreter_invoke(&r.interp) != nn::kOk) return {};
    const std::uint8_t* o = static_cast<const std::uint8_t*>(nn::interpreter_output(&r.interp, 0));
    want.insert(want.end(), o, o + out_bytes);
  }
  return want;
}

class CompiledOp : public ::testing::TestWithParam<OpCase> {};

TEST_P(CompiledOp, MatchesInterpreterAndBuildsForCortexM4) {
  const OpCase& c = GetParam();
  Runner r;
  ASSERT_EQ(r.load(c.graph.serialize()), nn::kOk) << c.name;
  const kiln::deploy::CompiledModel m = kiln::deploy::compile_model(r.bytes, c.name + ".tflite");
  for (const std::string& k : c.kernels)
    EXPECT_NE(m.source.find(k), std::string::npos) << c.name << ": " << k;
  nn::TensorInfo in_info, out_info;
  ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_input_tensor(r.model, 0), &in_info), nn::kOk);
  ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_output_tensor(r.model, 0), &out_info), nn::kOk);
  EXPECT_LE(m.arena_bytes, r.arena_bytes) << c.name;
  if (c.in_place) {
    EXPECT_LT(m.arena_bytes, in_info.bytes + out_info.bytes) << c.name << ": no overlap";
  }

  TempDir tmp;
  const std::string exe = build_executable(tmp.path(), m);
  ASSERT_FALSE(exe.empty()) << "building " << c.name;
  std::vector<std::uint8_t> inputs;
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    const std::vector<std::uint8_t> in = random_input(c.graph.tensors[c.graph.input], in_info.bytes, seed);
    inputs.insert(inputs.end(), in.begin(), in.end());
  }
  const std::vector<std::uint8_t> want = interpreter_outputs(r, inputs, in_info.bytes, out_info.bytes);
  ASSERT_EQ(want.size(), 5 * out_info.bytes) << c.name;
  const std::string in_path = (tmp.path() / "in.bin").string(), out_path = (tmp.path() / "out.bin").string();
  write_file(in_path, std::string(inputs.begin(), inputs.end()));
  ASSERT_EQ(run(exe + " " + in_path + " " + out_path + " " + std::to_string(in_info.bytes) + " " +
                std::to_string(out_info.bytes)),
            0)
      << c.name;
  // Same kernels, same flags (-ffp-contract=off), same libm: float32 too must be bit-identical.
  EXPECT_EQ(read_file(out_path), want) << c.name;

  if (run("arm-none-eabi-g++ --version > /dev/null 2>&1") != 0) return;
  const std::string cmd =
      "cd " + tmp.path().string() +
      " && arm-none-eabi-g++ -std=c++11 -Wall -Wextra -Werror -mcpu=cortex-m4 -mthumb -mfloat-abi=hard "
      "-mfpu=fpv4-sp-d16 -fno-exceptions -fno-rtti -O2 -I" +
      (tmp.path() / "sdk").string() + " -I" + tmp.path().string() + " -c " +
      (tmp.path() / "kiln_model.cpp").string() + " -o m4.o";
  EXPECT_EQ(run(cmd), 0) << c.name << ": Cortex-M4 build";
}

INSTANTIATE_TEST_SUITE_P(Operators, CompiledOp, ::testing::ValuesIn(op_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; });

// The sdk sources of all these operators build for the Cortex-M4 with the deployment flags.
TEST(CompiledOp, SdkKernelsBuildForCortexM4) {
  if (run("arm-none-eabi-g++ --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no arm-none-eabi-g++";
  std::set<std::string> files;
  for (const OpCase& c : op_cases()) {
    Runner r;
    ASSERT_EQ(r.load(c.graph.serialize()), nn::kOk) << c.name;
    const kiln::deploy::CompiledModel m = kiln::deploy::compile_model(r.bytes, c.name + ".tflite");
    files.insert(m.sdk_files.begin(), m.sdk_files.end());
  }
  TempDir tmp;
  std::string cmd =
      "cd " + tmp.path().string() +
      " && arm-none-eabi-g++ -std=c++11 -Wall -Wextra -Werror -mcpu=cortex-m4 -mthumb -mfloat-abi=hard "
      "-mfpu=fpv4-sp-d16 -fno-exceptions -fno-rtti -O2 -I" +
      std::string(KILN_SDK_DIR) + " -I" + std::string(KILN_SDK_DIR) + "/include -c";
  for (const std::string& f : files)
    if (f.substr(f.size() - 4) == ".cpp") cmd += " " + std::string(KILN_SDK_DIR) + "/" + f;
  for (const char* f : {"nn/logistic.cpp", "nn/activation.cpp", "nn/quantize.cpp", "nn/dequantize.cpp",
                        "nn/mean.cpp", "nn/pad.cpp", "nn/concatenation.cpp", "nn/leaky_relu.cpp"})
    EXPECT_TRUE(files.count(f)) << f;
  EXPECT_EQ(run(cmd), 0);
}

}  // namespace
