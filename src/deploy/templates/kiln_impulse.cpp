// kiln_impulse.cpp: runs the exported impulse. The DSP block writes its features straight into the network's
// input tensor (quantized frame by frame for an int8 model), so no float feature buffer is ever allocated;
// the DSP scratch lives in a part of the arena that the input tensor does not use (placed by `kiln deploy`).
// The block is the SDK's table entry @DSP_ENTRY@ (sdk/impulse), the same code `kiln` runs on the host.
#include "kiln_impulse.h"

#include <string.h>

#include "@DSP_ENTRY_HEADER@"
#include "kiln_model.h"

#if defined(KILN_CLOCK_US)
// The application's clock, e.g. -DKILN_CLOCK_US()=micros() or a cycle counter divided by MHz.
#elif defined(ARDUINO)
#include <Arduino.h>
#define KILN_CLOCK_US() micros()
#elif defined(__unix__) || defined(__APPLE__)
#include <time.h>
#endif

namespace {

// 16-byte aligned, as both engines require.
alignas(16) uint8_t g_arena[KILN_ARENA_BYTES];
bool g_ready = false;
const kiln::impulse::BlockSpec& g_block = kiln::impulse::@DSP_ENTRY@;
// The block's parameter struct, filled from KILN_DSP_PARAM_VALUES through the entry's table (no heap).
union {
  double align;
  unsigned char bytes[KILN_DSP_PARAMS_BYTES];
} g_params;
int g_dsp_status = 0;  // the last kiln::dsp::Status, for kiln_status_message
kiln_timing g_timing = {0, 0};

uint32_t now_us() {
#if defined(KILN_CLOCK_US)
  return static_cast<uint32_t>(KILN_CLOCK_US());
#elif (defined(__unix__) || defined(__APPLE__)) && defined(CLOCK_MONOTONIC)
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint32_t>(static_cast<uint64_t>(ts.tv_sec) * 1000000u +
                               static_cast<uint64_t>(ts.tv_nsec) / 1000u);
#else
  return 0;
#endif
}

int ensure_ready() {
  if (g_ready) return KILN_OK;
  if (kiln_model_arena_bytes() > KILN_ARENA_BYTES || kiln_model_init(g_arena) != 0) return KILN_ERR_MODEL;
  if (g_block.params_bytes > sizeof g_params.bytes || g_block.param_count != KILN_DSP_PARAM_COUNT) {
    return KILN_ERR_DSP;  // the metadata was written for another SDK: a build mix-up
  }
  static const double kValues[] = KILN_DSP_PARAM_VALUES;
  g_block.set_defaults(g_params.bytes);
  for (int i = 0; i < g_block.param_count; ++i) {
    kiln::impulse::set_param_value(g_block.params[i], g_params.bytes, kValues[i]);
  }
  g_ready = true;
  return KILN_OK;
}

const char* const kLabels[KILN_LABEL_COUNT > 0 ? KILN_LABEL_COUNT : 1] = KILN_LABELS;

}  // namespace

extern "C" int kiln_run_dsp(const kiln_signal* signal) {
  if (!signal || !signal->get_data) return KILN_ERR_ARGUMENT;
  if (signal->total_length != KILN_SIGNAL_LENGTH) return KILN_ERR_SIGNAL_LENGTH;
  const int ready = ensure_ready();
  if (ready != KILN_OK) return ready;
  const uint32_t start = now_us();
  void* scratch = g_arena + KILN_DSP_SCRATCH_OFFSET;
#if KILN_INPUT_INT8
  const kiln::dsp::Status s =
      g_block.run_s8(g_params.bytes, KILN_SAMPLE_RATE, KILN_AXES, *signal, scratch, KILN_DSP_SCRATCH_BYTES,
                     KILN_INPUT_SCALE, KILN_INPUT_ZERO_POINT, static_cast<int8_t*>(kiln_model_input(g_arena)),
                     KILN_INPUT_COUNT);
#else
  const kiln::dsp::Status s =
      g_block.run(g_params.bytes, KILN_SAMPLE_RATE, KILN_AXES, *signal, scratch, KILN_DSP_SCRATCH_BYTES,
                  static_cast<float*>(kiln_model_input(g_arena)), KILN_INPUT_COUNT);
#endif
  g_timing.dsp_us = now_us() - start;
  g_dsp_status = s;
  if (s == kiln::dsp::kSignalReadFailed) return KILN_ERR_SIGNAL_READ;
  return s == kiln::dsp::kOk ? KILN_OK : KILN_ERR_DSP;
}

extern "C" int kiln_set_input(const void* bytes, size_t size) {
  if (!bytes || size != KILN_INPUT_BYTES) return KILN_ERR_ARGUMENT;
  const int ready = ensure_ready();
  if (ready != KILN_OK) return ready;
  memcpy(kiln_model_input(g_arena), bytes, size);
  return KILN_OK;
}

extern "C" int kiln_run_network(kiln_result* result) {
  if (!result) return KILN_ERR_ARGUMENT;
  const int ready = ensure_ready();
  if (ready != KILN_OK) return ready;
  const uint32_t start = now_us();
  if (kiln_model_invoke(g_arena) != 0) return KILN_ERR_MODEL;
  g_timing.nn_us = now_us() - start;
  const void* out = kiln_model_output(g_arena);
  int top = 0;
  for (int i = 0; i < KILN_OUTPUT_COUNT; ++i) {
#if KILN_OUTPUT_INT8
    const int32_t q = static_cast<const int8_t*>(out)[i];
    result->scores_q[i] = q;
    result->scores[i] = static_cast<float>(q - KILN_OUTPUT_ZERO_POINT) * KILN_OUTPUT_SCALE;
#else
    result->scores_q[i] = 0;
    result->scores[i] = static_cast<const float*>(out)[i];
#endif
    if (result->scores[i] > result->scores[top]) top = i;
  }
  result->top = top;
  result->top_label = kiln_label(top);
  result->timing = g_timing;
  return KILN_OK;
}

extern "C" int kiln_run_impulse(const kiln_signal* signal, kiln_result* result) {
  if (!result) return KILN_ERR_ARGUMENT;
  const int dsp = kiln_run_dsp(signal);
  if (dsp != KILN_OK) return dsp;
  return kiln_run_network(result);
}

extern "C" const char* kiln_label(int index) {
  return index >= 0 && index < KILN_LABEL_COUNT ? kLabels[index] : "";
}

extern "C" const char* kiln_status_message(int status) {
  switch (status) {
    case KILN_OK:
      return "ok";
    case KILN_ERR_ARGUMENT:
      return "null pointer or input of the wrong size";
    case KILN_ERR_SIGNAL_LENGTH:
      return "the signal is not one window long (KILN_SIGNAL_LENGTH values)";
    case KILN_ERR_SIGNAL_READ:
      return "the signal's get_data callback failed";
    case KILN_ERR_DSP:
      return kiln::dsp::status_message(static_cast<kiln::dsp::Status>(g_dsp_status));
    case KILN_ERR_MODEL:
      return "the network could not be initialized or run";
    default:
      return "unknown status";
  }
}
