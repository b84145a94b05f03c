// `kiln inspect` and `kiln invoke`, driven as a user would: invoke reproduces TFLite Micro's outputs byte for
// byte on the shared models, inspect's MAC totals equal the README's, and every bad input gives exit status
// 1, one message naming the file, and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/kiln_cli.h"

namespace {

using namespace kiln::test;

const std::filesystem::path kModels = std::filesystem::path(KILN_SHARED_DIR) / "models";
const std::filesystem::path kExpected = kModels / "expected";

bool shared_available() {
  return std::filesystem::exists(kExpected / "manifest.json");
}

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

struct InvokeCase {
  const char* model;
  const char* input_case;
};

class InvokeMatchesTflm : public ::testing::TestWithParam<InvokeCase> {};

TEST_P(InvokeMatchesTflm, ByteForByte) {
  if (!shared_available()) GTEST_SKIP() << "no " << kExpected;
  const std::string model = GetParam().model;
  const std::string c = GetParam().input_case;
  TempDir tmp;
  const auto out = tmp / "out.bin";
  const KilnRun r = run_kiln({"invoke", (kModels / (model + ".tflite")).string(),
                              (kExpected / model / (c + ".in.bin")).string(), out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_bytes(out), read_bytes(kExpected / model / (c + ".out.bin")));
  EXPECT_NE(r.out.find(out.string()), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    SharedModels, InvokeMatchesTflm,
    ::testing::Values(InvokeCase{"mlperf_tiny_kws_ref_model", "mlperf_kws_input0"},
                      InvokeCase{"mlperf_tiny_kws_ref_model", "rand0"},
                      InvokeCase{"mlperf_tiny_ad01_int8", "ad_normal01_frame000"},
                      InvokeCase{"mlperf_tiny_pretrainedResnet_quant", "mlperf_ic_input0"},
                      InvokeCase{"tflm_simple_add_model", "rand0"},  // two inputs, concatenated
                      InvokeCase{"mlperf_tiny_ad01_fp32", "ad_normal01_frame000"}),
    [](const auto& info) { return std::string(info.param.model) + "_" + info.param.input_case; });

struct MacCase {
  const char* model;
  std::int64_t macs;
};

class InspectMacs : public ::testing::TestWithParam<MacCase> {};

TEST_P(InspectMacs, TotalEqualsReadme) {
  if (!shared_available()) GTEST_SKIP() << "no " << kModels;
  const KilnRun r = run_kiln({"inspect", "--json", (kModels / GetParam().model).string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total_macs"].get<std::int64_t>(), GetParam().macs);
  std::int64_t sum = 0;
  for (const auto& op : j["operators"]) sum += op["macs"].get<std::int64_t>();
  EXPECT_EQ(sum, GetParam().macs);
  EXPECT_GT(j["arena_bytes"].get<std::int64_t>(), 0);
}

INSTANTIATE_TEST_SUITE_P(Mlperf, InspectMacs,
                         ::testing::Values(MacCase{"mlperf_tiny_kws_ref_model.tflite", 2656768},
                                           MacCase{"mlperf_tiny_ad01_int8.tflite", 264192},
                                           MacCase{"mlperf_tiny_pretrainedResnet_quant.tflite", 12501632},
                                           MacCase{"mlperf_tiny_vww_96_int8.tflite", 7489664},
                                           MacCase{"mlperf_tiny_str_ww_ref_model.tflite", 826368},
                                           MacCase{"tflm_person_detect.tflite", 7157888}),
                         [](const auto& info) {
                           std::string name = info.param.model;
                           return name.substr(0, name.find('.'));
                         });

TEST(Inspect, TextReport) {
  if (!shared_available()) GTEST_SKIP() << "no " << kModels;
  const KilnRun r = run_kiln({"inspect", (kModels / "mlperf_tiny_kws_ref_model.tflite").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* want :
       {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX", "per-channel (",
        "int8[1,49,10,1] q(0.5847", "total MACs: 2,656,768", "arena: ", "inputs:", "outputs:"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  }
}

// Bad inputs: exit 1, exactly one line on stderr naming `names`, nothing on stdout, no output file.
void expect_failure(const std::vector<std::string>& args, const std::string& names, const std::string& says,
                    const std::filesystem::path& out) {
  const KilnRun r = run_kiln(args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("kiln: error: " + names, 0), 0u) << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  if (!out.empty()) {
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!shared_available()) GTEST_SKIP() << "no " << kModels;
    model_ = read_bytes(kModels / "mlperf_tiny_kws_ref_model.tflite");
    input_ = read_bytes(kExpected / "mlperf_tiny_kws_ref_model" / "rand0.in.bin");
    write_bytes(tmp_ / "model.tflite", model_);
    write_bytes(tmp_ / "in.bin", input_);
  }
  std::string path(const std::string& name) const { return (tmp_ / name).string(); }

  TempDir tmp_;
  std::string model_, input_;
};

TEST_F(BadInput, MissingModel) {
  expect_failure({"invoke", path("nope.tflite"), path("in.bin"), path("out.bin")}, path("nope.tflite"),
                 "no such file", tmp_ / "out.bin");
  expect_failure({"inspect", path("nope.tflite")}, path("nope.tflite"), "no such file", {});
}

TEST_F(BadInput, MissingInput) {
  expect_failure({"invoke", path("model.tflite"), path("nope.bin"), path("out.bin")}, path("nope.bin"),
                 "no such file", tmp_ / "out.bin");
}

TEST_F(BadInput, TruncatedModel) {
  write_bytes(tmp_ / "cut.tflite", model_.substr(0, model_.size() / 2));
  expect_failure({"invoke", path("cut.tflite"), path("in.bin"), path("out.bin")}, path("cut.tflite"),
                 "not a usable .tflite model", tmp_ / "out.bin");
  expect_failure({"inspect", path("cut.tflite")}, path("cut.tflite"), "not a usable .tflite model", {});
}

TEST_F(BadInput, NotTflite) {
  write_bytes(tmp_ / "notes.tflite", "RIFF....WAVEfmt this is not a model, just some text\n");
  expect_failure({"invoke", path("notes.tflite"), path("in.bin"), path("out.bin")}, path("notes.tflite"),
                 "not a usable .tflite model", tmp_ / "out.bin");
  write_bytes(tmp_ / "empty.tflite", "");
  expect_failure({"inspect", path("empty.tflite")}, path("empty.tflite"), "empty file", {});
}

TEST_F(BadInput, WrongInputSize) {
  write_bytes(tmp_ / "short.bin", input_.substr(0, input_.size() - 1));
  expect_failure({"invoke", path("model.tflite"), path("short.bin"), path("out.bin")}, path("short.bin"),
                 "expects 490 bytes", tmp_ / "out.bin");
  write_bytes(tmp_ / "long.bin", input_ + "x");
  expect_failure({"invoke", path("model.tflite"), path("long.bin"), path("out.bin")}, path("long.bin"),
                 "expects 490 bytes", tmp_ / "out.bin");
}

TEST_F(BadInput, ExistingOutputKeptOnFailure) {
  write_bytes(tmp_ / "out.bin", "previous");
  write_bytes(tmp_ / "short.bin", "abc");
  const KilnRun r = run_kiln({"invoke", path("model.tflite"), path("short.bin"), path("out.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(read_bytes(tmp_ / "out.bin"), "previous");
}

}  // namespace
