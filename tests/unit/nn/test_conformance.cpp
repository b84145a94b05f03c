// Conformance with TensorFlow Lite Micro: every case of every supported model in
// ../shared/models/expected gives TFLM's int8 output bytes exactly, and float32 outputs within 1e-5 relative
// or 1e-6 absolute. On a mismatch the layer dumps name the first operator that differs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nn_test_util.h"

using namespace kiln_nn_test;
namespace nn = kiln::nn;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string expected_dir(const std::string& model) {
  return shared_dir() + "/models/expected/" + model;
}

// Compares two byte buffers as the given dtype; returns an empty string when they agree.
std::string compare(const std::string& dtype, const std::vector<uint8_t>& got,
                    const std::vector<uint8_t>& want) {
  if (got.size() != want.size())
    return "size " + std::to_string(got.size()) + " != " + std::to_string(want.size());
  if (dtype == "float32") {
    for (size_t i = 0; i + 4 <= got.size(); i += 4) {
      float a, b;
      std::memcpy(&a, &got[i], 4);
      std::memcpy(&b, &want[i], 4);
      const double diff = std::fabs(double(a) - double(b));
      if (!(diff <= 1e-6 || diff <= 1e-5 * std::fabs(double(b)))) {
        std::ostringstream os;
        os << "float element " << i / 4 << ": " << a << " vs " << b;
        return os.str();
      }
    }
    return "";
  }
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i]) {
      std::ostringstream os;
      os << "byte " << i << ": " << int(int8_t(got[i])) << " vs " << int(int8_t(want[i]));
      return os.str();
    }
  return "";
}

// Runs the case op by op against the layer dumps and returns the first mismatch.
std::string first_layer_mismatch(Runner& r, const std::string& model, const std::string& kase,
                                 const std::vector<uint8_t>& input) {
  const std::string dir = expected_dir(model) + "/layers/" + kase;
  std::ifstream probe(dir + "/ops.json");
  if (!probe) return "(no layer dumps for " + kase + ")";
  const nlohmann::json ops = read_json(dir + "/ops.json");
  size_t offset = 0;
  for (int i = 0; i < nn::model_input_count(r.model); ++i) {
    nn::TensorInfo info;
    nn::model_tensor_info(r.model, nn::model_input_tensor(r.model, i), &info);
    std::memcpy(nn::interpreter_input(&r.interp, i), input.data() + offset, info.bytes);
    offset += info.bytes;
  }
  for (const auto& op : ops) {
    const int index = op["op"].get<int>();
    if (nn::interpreter_invoke_range(&r.interp, index, index + 1) != nn::kOk) return "op failed";
    const int tensor = op["tensor"].get<int>();
    nn::TensorInfo info;
    nn::model_tensor_info(r.model, tensor, &info);
    const uint8_t* p = static_cast<const uint8_t*>(nn::interpreter_tensor(&r.interp, tensor));
    std::vector<uint8_t> got(p, p + info.bytes);
    const std::string diff =
        compare(op["dtype"].get<std::string>(), got, read_file(dir + "/" + op["file"].get<std::string>()));
    if (!diff.empty())
      return "op " + std::to_string(index) + " " + op["opcode"].get<std::string>() + " tensor " +
             std::to_string(tensor) + ": " + diff;
  }
  return "(all layers match)";
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, MatchesTflm) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string model = GetParam();
  const nlohmann::json meta = read_json(expected_dir(model) + "/meta.json");
  Runner r;
  nn::Status s = r.load(read_file(shared_dir() + "/models/" + meta["model"].get<std::string>()));
  ASSERT_EQ(s, nn::kOk) << nn::status_message(s) << " (operator " << r.model.error_operator << ", tensor "
                        << r.model.error_tensor << ")";
  const std::string out_dtype = meta["outputs"][0]["dtype"].get<std::string>();
  int cases = 0;
  for (const auto& c : meta["cases"]) {
    const std::string kase = c["case"].get<std::string>();
    const std::vector<uint8_t> input = read_file(expected_dir(model) + "/" + kase + ".in.bin");
    const std::vector<uint8_t> want = read_file(expected_dir(model) + "/" + kase + ".out.bin");
    std::vector<uint8_t> got;
    if (kase == "sweep256") {
      // 256 separate one-byte invocations.
      for (uint8_t b : input) {
        *static_cast<uint8_t*>(nn::interpreter_input(&r.interp, 0)) = b;
        ASSERT_EQ(nn::interpreter_invoke(&r.interp), nn::kOk);
        got.push_back(*static_cast<const uint8_t*>(nn::interpreter_output(&r.interp, 0)));
      }
    } else {
      size_t offset = 0;
      for (int i = 0; i < nn::model_input_count(r.model); ++i) {
        nn::TensorInfo info;
        ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_input_tensor(r.model, i), &info), nn::kOk);
        ASSERT_LE(offset + info.bytes, input.size());
        std::memcpy(nn::interpreter_input(&r.interp, i), input.data() + offset, info.bytes);
        offset += info.bytes;
      }
      ASSERT_EQ(offset, input.size());
      ASSERT_EQ(nn::interpreter_invoke(&r.interp), nn::kOk);
      for (int i = 0; i < nn::model_output_count(r.model); ++i) {
        nn::TensorInfo info;
        ASSERT_EQ(nn::model_tensor_info(r.model, nn::model_output_tensor(r.model, i), &info), nn::kOk);
        const uint8_t* p = static_cast<const uint8_t*>(nn::interpreter_output(&r.interp, i));
        got.insert(got.end(), p, p + info.bytes);
      }
    }
    const std::string diff = compare(out_dtype, got, want);
    EXPECT_TRUE(diff.empty()) << model << " case " << kase << ": " << diff << "\n  first differing layer: "
                              << (kase == "sweep256" ? std::string("-")
                                                     : first_layer_mismatch(r, model, kase, input));
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

TEST_P(Conformance, ArenaNotLargerThanTflm) {
  if (!shared_available()) GTEST_SKIP() << "no ../shared";
  const std::string model = GetParam();
  const nlohmann::json meta = read_json(expected_dir(model) + "/meta.json");
  Runner r;
  ASSERT_EQ(r.load(read_file(shared_dir() + "/models/" + meta["model"].get<std::string>())), nn::kOk);
  const size_t tflm_m4 = tflm_arena_m4(model);
  const size_t tflm_x86 = meta["arena_used_bytes_x86_64"].get<size_t>();
  std::printf("arena %-42s kiln %8zu  TFLM M4 %8zu  TFLM x86_64 %8zu\n", model.c_str(), r.arena_bytes,
              tflm_m4, tflm_x86);
  // Float models were not run on M4; compare with the host figure there.
  EXPECT_LE(r.arena_bytes, tflm_m4 ? tflm_m4 : tflm_x86);
}

INSTANTIATE_TEST_SUITE_P(Models, Conformance, ::testing::ValuesIn(conformance_models()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
