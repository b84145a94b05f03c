// One sdk/nn inference under callgrind: loads a model, plans and binds the arena, fills the input (from a
// file of raw input bytes, or zeros), and runs interpreter_invoke once between
// CALLGRIND_START_INSTRUMENTATION and CALLGRIND_STOP_INSTRUMENTATION, with collection toggled on only around
// that call. Run it with
//   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no nn_invoke_once MODEL.tflite [IN.bin]
// and the callgrind totals are the instructions of exactly one Invoke (bench/bench_nn_callgrind.sh does
// this).
#include <valgrind/callgrind.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "kiln/nn.h"

namespace nn = kiln::nn;

static std::vector<uint8_t> read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: nn_invoke_once MODEL.tflite [INPUT.bin]\n");
    return 2;
  }
  const std::vector<uint8_t> model_bytes = read_all(argv[1]);
  nn::Model model;
  nn::Status s = nn::model_load(&model, model_bytes.data(), model_bytes.size());
  if (model_bytes.empty() || s != nn::kOk) {
    std::fprintf(stderr, "%s: %s\n", argv[1],
                 model_bytes.empty() ? "missing or empty" : nn::status_message(s));
    return 1;
  }
  std::vector<uint8_t> scratch(nn::plan_scratch_bytes(model) + 1);
  size_t need = 0;
  nn::arena_bytes_needed(model, scratch.data(), scratch.size(), &need);
  std::vector<uint64_t> arena(need / 8 + 1);
  nn::Interpreter interp;
  if ((s = nn::interpreter_init(&interp, &model, arena.data(), need)) != nn::kOk) {
    std::fprintf(stderr, "%s: %s\n", argv[1], nn::status_message(s));
    return 1;
  }
  const std::vector<uint8_t> input = argc == 3 ? read_all(argv[2]) : std::vector<uint8_t>();
  size_t offset = 0;
  for (int i = 0; i < nn::model_input_count(model); ++i) {
    nn::TensorInfo info;
    nn::model_tensor_info(model, nn::model_input_tensor(model, i), &info);
    uint8_t* dst = static_cast<uint8_t*>(nn::interpreter_input(&interp, i));
    if (offset + info.bytes <= input.size()) {
      std::memcpy(dst, input.data() + offset, info.bytes);
    } else {
      std::memset(dst, 0, info.bytes);
    }
    offset += info.bytes;
  }

  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_TOGGLE_COLLECT;
  s = nn::interpreter_invoke(&interp);
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_STOP_INSTRUMENTATION;

  if (s != nn::kOk) {
    std::fprintf(stderr, "%s: invoke: %s\n", argv[1], nn::status_message(s));
    return 1;
  }
  const uint8_t* out = static_cast<const uint8_t*>(nn::interpreter_output(&interp, 0));
  std::printf("output[0] byte 0: %d\n", out ? static_cast<int>(static_cast<int8_t>(out[0])) : 0);
  return 0;
}
