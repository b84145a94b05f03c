// kiln_model.cpp, interpreter engine: the .tflite bytes are embedded (kiln_model_data.cpp) and run by the
// sdk/nn interpreter, which validates them at start-up. Every sdk/nn kernel is linked, because a device that
// receives new models at run time may get any operator.
#include "kiln/nn.h"
#include "kiln_impulse_metadata.h"
#include "kiln_model.h"

extern const uint8_t kiln_model_tflite[];
extern const size_t kiln_model_tflite_size;

namespace {
kiln::nn::Model g_model;
kiln::nn::Interpreter g_interpreter;
}  // namespace

size_t kiln_model_arena_bytes(void) {
  return KILN_MODEL_ARENA_BYTES;
}

int kiln_model_init(uint8_t* arena) {
  if (kiln::nn::model_load(&g_model, kiln_model_tflite, kiln_model_tflite_size) != kiln::nn::kOk) return 1;
  if (kiln::nn::interpreter_init(&g_interpreter, &g_model, arena, KILN_MODEL_ARENA_BYTES) != kiln::nn::kOk)
    return 2;
  return 0;
}

void* kiln_model_input(uint8_t* arena) {
  (void)arena;
  return kiln::nn::interpreter_input(&g_interpreter, 0);
}

const void* kiln_model_output(uint8_t* arena) {
  (void)arena;
  return kiln::nn::interpreter_output(&g_interpreter, 0);
}

int kiln_model_invoke(uint8_t* arena) {
  (void)arena;
  return kiln::nn::interpreter_invoke(&g_interpreter) == kiln::nn::kOk ? 0 : 1;
}
