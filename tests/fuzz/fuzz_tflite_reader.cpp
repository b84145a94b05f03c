// libFuzzer target for sdk/nn's .tflite reader, planner and interpreter: every input is treated as a model
// file. A file model_load accepts must then plan and run (sdk/nn promises that inference can not fail after a
// successful load), so a failure there is reported as a crash too. Built with -fsanitize=fuzzer,address,
// undefined (see tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kiln/nn.h"

namespace nn = kiln::nn;

namespace {

// Arena cap: mutants can declare huge tensors; those are planned but not run.
constexpr size_t kMaxArenaBytes = 1u << 20;

[[noreturn]] void contract_violation(const char* what, nn::Status s) {
  __builtin_printf("sdk/nn contract violation: %s after a successful model_load: %s\n", what,
                   nn::status_message(s));
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An exact-size heap copy, so reads past the end are caught by ASan (libFuzzer's buffer is exact too, but
  // this also gives the 8-byte alignment a memory-mapped model file would have).
  std::vector<uint8_t> bytes(data, data + size);
  nn::Model model;
  if (nn::model_load(&model, bytes.empty() ? nullptr : bytes.data(), size) != nn::kOk) return 0;

  // Exercise the accessors the host uses (kiln inspect).
  for (int t = 0; t < nn::model_tensor_count(model); ++t) {
    nn::TensorInfo info;
    nn::model_tensor_info(model, t, &info);
  }
  for (int op = 0; op < nn::model_operator_count(model); ++op) {
    nn::builtin_operator_name(nn::model_operator_code(model, op));
    nn::model_operator_output(model, op, 0);
  }

  std::vector<uint8_t> scratch(nn::plan_scratch_bytes(model));
  size_t need = 0;
  nn::Status s = nn::arena_bytes_needed(model, scratch.data(), scratch.size(), &need);
  if (s != nn::kOk) contract_violation("arena_bytes_needed", s);
  if (need > kMaxArenaBytes) return 0;

  std::vector<uint64_t> arena(need / sizeof(uint64_t) + 1, 0);
  nn::Interpreter interp;
  s = nn::interpreter_init(&interp, &model, arena.data(), need);
  if (s != nn::kOk) contract_violation("interpreter_init with the planned arena", s);
  for (int i = 0; i < nn::model_input_count(model); ++i) {
    nn::TensorInfo info;
    if (nn::model_tensor_info(model, nn::model_input_tensor(model, i), &info) == nn::kOk) {
      std::memset(nn::interpreter_input(&interp, i), 0, info.bytes);
    }
  }
  s = nn::interpreter_invoke(&interp);
  if (s != nn::kOk) contract_violation("interpreter_invoke", s);
  return 0;
}
