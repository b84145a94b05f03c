// src/tflite: MAC counting by hand and on the shared models (the MACs column of
// ../shared/models/expected/README.md), the summary's tensors and quantization, and load errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/error_of.h"
#include "tflite/model_summary.h"

namespace {

using kiln::tflite::ModelFile;
using kiln::tflite::TensorSummary;

const std::filesystem::path kModels = std::filesystem::path(KILN_SHARED_DIR) / "models";

bool shared_available() {
  return std::filesystem::exists(kModels / "mlperf_tiny_kws_ref_model.tflite");
}

TensorSummary tensor(std::vector<std::int32_t> shape) {
  TensorSummary t;
  t.type = "int8";
  t.shape = std::move(shape);
  return t;
}

TEST(TfliteMacs, ConvDepthwiseFullyConnected) {
  // CONV_2D: out [1,25,5,64], filter [64,10,4,1] -> 8000 outputs x 40.
  EXPECT_EQ(kiln::tflite::operator_macs(3, {tensor({1, 49, 10, 1}), tensor({64, 10, 4, 1}), tensor({64})},
                                        {tensor({1, 25, 5, 64})}),
            8000 * 40);
  // DEPTHWISE_CONV_2D: out [1,25,5,64], filter [1,3,3,64] -> 8000 x 9.
  EXPECT_EQ(kiln::tflite::operator_macs(4, {tensor({1, 25, 5, 64}), tensor({1, 3, 3, 64}), tensor({64})},
                                        {tensor({1, 25, 5, 64})}),
            8000 * 9);
  // FULLY_CONNECTED: [1,640] -> [1,128].
  EXPECT_EQ(kiln::tflite::operator_macs(9, {tensor({1, 640}), tensor({128, 640}), tensor({128})},
                                        {tensor({1, 128})}),
            128 * 640);
  // Other operators and malformed shapes count nothing.
  EXPECT_EQ(kiln::tflite::operator_macs(0, {tensor({1, 4}), tensor({1, 4})}, {tensor({1, 4})}), 0);
  EXPECT_EQ(kiln::tflite::operator_macs(3, {tensor({1, 4})}, {tensor({1, 4})}), 0);
}

TEST(TfliteMacs, Thousands) {
  EXPECT_EQ(kiln::tflite::thousands(0), "0");
  EXPECT_EQ(kiln::tflite::thousands(999), "999");
  EXPECT_EQ(kiln::tflite::thousands(1000), "1,000");
  EXPECT_EQ(kiln::tflite::thousands(2656768), "2,656,768");
}

struct MacCase {
  const char* file;
  std::int64_t macs;
};

class SharedModelMacs : public ::testing::TestWithParam<MacCase> {};

TEST_P(SharedModelMacs, EqualReadme) {
  if (!shared_available()) GTEST_SKIP() << "no " << kModels;
  const ModelFile file(kModels / GetParam().file);
  const kiln::tflite::ModelSummary s = kiln::tflite::summarize(file);
  EXPECT_EQ(s.total_macs, GetParam().macs);
  std::int64_t sum = 0;
  for (const auto& op : s.operators) sum += op.macs;
  EXPECT_EQ(sum, s.total_macs);
  EXPECT_GT(s.arena_bytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Mlperf, SharedModelMacs,
                         ::testing::Values(MacCase{"mlperf_tiny_kws_ref_model.tflite", 2656768},
                                           MacCase{"mlperf_tiny_ad01_int8.tflite", 264192},
                                           MacCase{"mlperf_tiny_pretrainedResnet_quant.tflite", 12501632},
                                           MacCase{"mlperf_tiny_vww_96_int8.tflite", 7489664},
                                           MacCase{"mlperf_tiny_str_ww_ref_model.tflite", 826368},
                                           MacCase{"tflm_person_detect.tflite", 7157888},
                                           MacCase{"mlperf_tiny_pretrainedResnet_large_int8.tflite",
                                                   76473920}),
                         [](const auto& info) {
                           std::string name = info.param.file;
                           return name.substr(0, name.find('.'));
                         });

TEST(TfliteSummary, KwsTensorsAndQuantization) {
  if (!shared_available()) GTEST_SKIP() << "no " << kModels;
  const ModelFile file(kModels / "mlperf_tiny_kws_ref_model.tflite");
  const kiln::tflite::ModelSummary s = kiln::tflite::summarize(file);
  ASSERT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(kiln::tflite::shape_text(s.inputs[0]), "int8[1,49,10,1]");
  ASSERT_EQ(s.inputs[0].channels, 1u);
  EXPECT_NEAR(s.inputs[0].scales[0], 0.584703, 1e-6);
  EXPECT_EQ(s.inputs[0].zero_points[0], 83);
  EXPECT_EQ(kiln::tflite::quantization_text(s.outputs[0]), "q(0.00390625, -128)");
  ASSERT_FALSE(s.operators.empty());
  const auto& conv = s.operators[0];
  EXPECT_EQ(conv.name, "CONV_2D");
  ASSERT_GE(conv.inputs.size(), 2u);
  EXPECT_TRUE(conv.inputs[1].constant);
  EXPECT_GT(conv.inputs[1].channels, 1u);  // per-channel filter
  EXPECT_EQ(kiln::tflite::quantization_text(conv.inputs[1]),
            "per-channel (" + std::to_string(conv.inputs[1].channels) + ")");
  const nlohmann::json j = kiln::tflite::summary_json(s, "kws.tflite");
  EXPECT_EQ(j["total_macs"], 2656768);
  EXPECT_EQ(j["operators"][0]["inputs"][1]["quantization"]["per_channel"], conv.inputs[1].channels);
}

TEST(TfliteSummary, FloatModelHasNoQuantization) {
  if (!shared_available()) GTEST_SKIP() << "no " << kModels;
  const ModelFile file(kModels / "mlperf_tiny_ad01_fp32.tflite");
  const kiln::tflite::ModelSummary s = kiln::tflite::summarize(file);
  EXPECT_EQ(kiln::tflite::shape_text(s.inputs[0]), "float32[1,640]");
  EXPECT_EQ(kiln::tflite::quantization_text(s.inputs[0]), "");
  EXPECT_EQ(s.total_macs, 264192);
}

TEST(TfliteModelFile, Errors) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "kiln_test_tflite_model_file";
  std::filesystem::create_directories(dir);
  EXPECT_EQ(kiln::test::error_of([&] { ModelFile f(dir / "missing.tflite"); }),
            (dir / "missing.tflite").string() + ": no such file");
  std::ofstream(dir / "text.tflite") << "this is not a flatbuffer at all";
  const std::string msg = kiln::test::error_of([&] { ModelFile f(dir / "text.tflite"); });
  EXPECT_EQ(msg.rfind((dir / "text.tflite").string() + ": not a usable .tflite model: ", 0), 0u) << msg;
  std::filesystem::remove_all(dir);
}

}  // namespace
