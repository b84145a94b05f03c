#include "nn_test_util.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

namespace kiln_nn_test {

std::string shared_dir() {
  return KILN_SHARED_DIR;
}

bool shared_available() {
  struct stat st;
  return stat((shared_dir() + "/models/expected").c_str(), &st) == 0;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::vector<std::string>& conformance_models() {
  static const std::vector<std::string> models = {
      "mlperf_tiny_kws_ref_model",
      "mlperf_tiny_ad01_int8",
      "mlperf_tiny_pretrainedResnet_quant",
      "mlperf_tiny_pretrainedResnet_large_int8",
      "mlperf_tiny_vww_96_int8",
      "mlperf_tiny_str_ww_ref_model",
      "tflm_person_detect",
      "tflm_micro_speech_quantized",
      "tflm_hello_world_int8",
      "tflm_simple_add_model",
      "mlperf_tiny_ad01_fp32",
      "mlperf_tiny_pretrainedResnet",
      "mlperf_tiny_pretrainedResnet_large_float",
      "mlperf_tiny_vww_96_float",
      "tflm_hello_world_float",
  };
  return models;
}

std::vector<std::string> all_model_files() {
  std::vector<std::string> out;
  const std::string dir = shared_dir() + "/models";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 7 && name.substr(name.size() - 7) == ".tflite") out.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t tflm_arena_m4(const std::string& model) {
  std::ifstream in(shared_dir() + "/models/expected/README.md");
  std::string line;
  const std::string key = "| `" + model + "` |";
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    // Columns: model | inputs | outputs | arena x86_64 | arena M4 | ...
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '|')) cols.push_back(col);
    if (cols.size() < 10) continue;  // the real-cases table also names models
    std::string m4;
    for (char c : cols[5])
      if (c >= '0' && c <= '9') m4 += c;
    return m4.empty() ? 0 : std::stoul(m4);
  }
  return 0;
}

kiln::nn::Status Runner::load(std::vector<uint8_t> data) {
  bytes = std::move(data);
  kiln::nn::Status s = kiln::nn::model_load(&model, bytes.data(), bytes.size());
  if (s != kiln::nn::kOk) return s;
  std::vector<uint8_t> scratch(kiln::nn::plan_scratch_bytes(model));
  s = kiln::nn::arena_bytes_needed(model, scratch.data(), scratch.size(), &arena_bytes);
  if (s != kiln::nn::kOk) return s;
  arena.assign(arena_bytes / 8 + 1, 0);
  size_t needed = 0;
  s = kiln::nn::interpreter_init(&interp, &model, arena.data(), arena_bytes, &needed);
  if (s == kiln::nn::kOk && needed != arena_bytes) return kiln::nn::kArenaTooSmall;
  return s;
}

}  // namespace kiln_nn_test
