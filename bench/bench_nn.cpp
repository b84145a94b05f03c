// sdk/nn per model: time per inference, and the planned arena beside TFLM's (the "arena M4" figure of
// ../shared/models/expected/README.md; the x86_64 figure for float models, which were not run on M4).
// Counters: kiln_arena_B, tflm_arena_m4_B, tflm_arena_x86_B.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "kiln/nn.h"

namespace nn = kiln::nn;

namespace {

const char* const kModels[][2] = {
    {"mlperf_tiny_ad01_int8", "mlperf_tiny_ad01_int8.tflite"},
    {"mlperf_tiny_kws_ref_model", "mlperf_tiny_kws_ref_model.tflite"},
    {"mlperf_tiny_str_ww_ref_model", "mlperf_tiny_str_ww_ref_model.tflite"},
    {"mlperf_tiny_pretrainedResnet_quant", "mlperf_tiny_pretrainedResnet_quant.tflite"},
    {"mlperf_tiny_vww_96_int8", "mlperf_tiny_vww_96_int8.tflite"},
    {"tflm_person_detect", "tflm_person_detect.tflite"},
    {"mlperf_tiny_pretrainedResnet_large_int8", "mlperf_tiny_pretrainedResnet_large_int8.tflite"},
    {"tflm_micro_speech_quantized", "tflm_micro_speech_quantized.tflite"},
    {"tflm_hello_world_int8", "tflm_hello_world_int8.tflite"},
    {"tflm_simple_add_model", "tflm_simple_add_model.tflite"},
    {"mlperf_tiny_ad01_fp32", "mlperf_tiny_ad01_fp32.tflite"},
    {"mlperf_tiny_pretrainedResnet", "mlperf_tiny_pretrainedResnet.tflite"},
    {"mlperf_tiny_pretrainedResnet_large_float", "mlperf_tiny_pretrainedResnet_large_float.tflite"},
    {"mlperf_tiny_vww_96_float", "mlperf_tiny_vww_96_float.tflite"},
    {"tflm_hello_world_float", "tflm_hello_world_float.tflite"},
};

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Column `index` (1-based after the leading '|') of the README's main table row for the model; 0 when blank.
size_t readme_figure(const std::string& model, size_t index) {
  std::ifstream in(std::string(KILN_SHARED_DIR) + "/models/expected/README.md");
  std::string line;
  const std::string key = "| `" + model + "` |";
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '|')) cols.push_back(col);
    if (cols.size() < 10) continue;
    std::string digits;
    for (char c : cols[index])
      if (c >= '0' && c <= '9') digits += c;
    return digits.empty() ? 0 : std::stoul(digits);
  }
  return 0;
}

void BM_Invoke(benchmark::State& state, std::string model, std::string file) {
  const std::vector<uint8_t> bytes = read_file(std::string(KILN_SHARED_DIR) + "/models/" + file);
  nn::Model m;
  if (bytes.empty() || nn::model_load(&m, bytes.data(), bytes.size()) != nn::kOk) {
    state.SkipWithError("model missing or rejected");
    return;
  }
  std::vector<uint8_t> scratch(nn::plan_scratch_bytes(m));
  size_t need = 0;
  nn::arena_bytes_needed(m, scratch.data(), scratch.size(), &need);
  std::vector<uint64_t> arena(need / 8 + 1);
  nn::Interpreter interp;
  if (nn::interpreter_init(&interp, &m, arena.data(), need) != nn::kOk) {
    state.SkipWithError("arena");
    return;
  }
  // Input: case rand0 of the oracle when present, zeros otherwise.
  const std::vector<uint8_t> input =
      read_file(std::string(KILN_SHARED_DIR) + "/models/expected/" + model + "/rand0.in.bin");
  size_t offset = 0;
  for (int i = 0; i < nn::model_input_count(m); ++i) {
    nn::TensorInfo info;
    nn::model_tensor_info(m, nn::model_input_tensor(m, i), &info);
    void* dst = nn::interpreter_input(&interp, i);
    if (offset + info.bytes <= input.size())
      std::memcpy(dst, input.data() + offset, info.bytes);
    else
      std::memset(dst, 0, info.bytes);
    offset += info.bytes;
  }
  for (auto _ : state) {
    nn::interpreter_invoke(&interp);
    benchmark::DoNotOptimize(nn::interpreter_output(&interp, 0));
  }
  state.counters["kiln_arena_B"] = static_cast<double>(need);
  state.counters["tflm_arena_m4_B"] = static_cast<double>(readme_figure(model, 5));
  state.counters["tflm_arena_x86_B"] = static_cast<double>(readme_figure(model, 4));
}

int register_all() {
  for (const auto& entry : kModels)
    benchmark::RegisterBenchmark((std::string("nn_invoke/") + entry[0]).c_str(), BM_Invoke, entry[0],
                                 entry[1])
        ->Unit(benchmark::kMicrosecond);
  return 0;
}

const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
