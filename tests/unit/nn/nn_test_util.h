// Shared by the sdk/nn tests: the model list of the TFLM oracle, file reading and a model runner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/nn.h"

namespace kiln_nn_test {

std::string shared_dir();
bool shared_available();
std::vector<uint8_t> read_file(const std::string& path);

// Models of ../shared/models/expected that the runtime must match (all but LSTM, SVDF, dtln, preprocessor).
const std::vector<std::string>& conformance_models();
// Every .tflite in ../shared/models (for robustness tests).
std::vector<std::string> all_model_files();

// TFLM's "arena M4" figure from expected/README.md, 0 when blank.
size_t tflm_arena_m4(const std::string& model);

// A loaded model with its arena (8-byte aligned).
struct Runner {
  std::vector<uint8_t> bytes;
  kiln::nn::Model model{};
  std::vector<uint64_t> arena;
  size_t arena_bytes = 0;
  kiln::nn::Interpreter interp{};
  kiln::nn::Status load(std::vector<uint8_t> data);
};

}  // namespace kiln_nn_test
