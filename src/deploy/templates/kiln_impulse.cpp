// kiln_impulse.cpp: the C API over the SDK's impulse runtime (sdk/impulse/impulse.h), the same code `kiln`
// runs on the host. The DSP block writes its features straight into the network's input tensor (quantized
// frame by frame for an int8 model), so no float feature buffer is ever allocated; the DSP scratch lives in a
// part of the arena that the input tensor does not use (placed by `kiln deploy`). The block is the SDK's
// table entry @DSP_ENTRY@.
#include "kiln_impulse.h"

#include <string.h>

#include "@DSP_ENTRY_HEADER@"
#include "impulse/impulse.h"
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

namespace rt = kiln::impulse;

// 16-byte aligned, as both engines require.
alignas(16) uint8_t g_arena[KILN_ARENA_BYTES];

void* model_input(void* arena) {
  return kiln_model_input(static_cast<uint8_t*>(arena));
}
const void* model_output(void* arena) {
  return kiln_model_output(static_cast<uint8_t*>(arena));
}
bool model_invoke(void* arena) {
  return kiln_model_invoke(static_cast<uint8_t*>(arena)) == 0;
}

const rt::Network g_network = {{KILN_INPUT_INT8 ? rt::kTensorInt8 : rt::kTensorFloat32, KILN_INPUT_COUNT,
                                KILN_INPUT_SCALE, KILN_INPUT_ZERO_POINT},
                               {KILN_OUTPUT_INT8 ? rt::kTensorInt8 : rt::kTensorFloat32, KILN_OUTPUT_COUNT,
                                KILN_OUTPUT_SCALE, KILN_OUTPUT_ZERO_POINT},
                               g_arena,
                               model_input,
                               model_output,
                               model_invoke};

const double kDspParamValues[] = KILN_DSP_PARAM_VALUES;
rt::Impulse g_impulse;
bool g_ready = false;
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

// The runtime's status as the C API's.
int api_status(rt::Status s) {
  switch (s) {
    case rt::kOk:
      return KILN_OK;
    case rt::kBadArgument:
      return KILN_ERR_ARGUMENT;
    case rt::kSignalLength:
      return KILN_ERR_SIGNAL_LENGTH;
    case rt::kSignalRead:
      return KILN_ERR_SIGNAL_READ;
    case rt::kDspFailed:
      return KILN_ERR_DSP;
    default:
      return KILN_ERR_MODEL;  // the model or this build does not match the metadata
  }
}

int ensure_ready() {
  if (g_ready) return KILN_OK;
  if (kiln_model_arena_bytes() > KILN_ARENA_BYTES || kiln_model_init(g_arena) != 0) return KILN_ERR_MODEL;
  // kiln deploy writes the entry of the impulse's block here.
  // clang-format off
  const rt::BlockSpec& block = kiln::impulse::@DSP_ENTRY@;
  // clang-format on
  if (block.param_count != KILN_DSP_PARAM_COUNT) return api_status(rt::kBuildMismatch);  // another SDK
  const rt::Config config = {&block, kDspParamValues, KILN_SAMPLE_RATE, KILN_AXES,
                             KILN_SIGNAL_LENGTH / KILN_AXES};
  const int s = api_status(
      rt::prepare(config, &g_network, g_arena + KILN_DSP_SCRATCH_OFFSET, KILN_DSP_SCRATCH_BYTES, &g_impulse));
  g_ready = s == KILN_OK;
  return s;
}

const char* const kLabels[KILN_LABEL_COUNT > 0 ? KILN_LABEL_COUNT : 1] = KILN_LABELS;

}  // namespace

extern "C" int kiln_run_dsp(const kiln_signal* signal) {
  if (!signal || !signal->get_data) return KILN_ERR_ARGUMENT;
  if (signal->total_length != KILN_SIGNAL_LENGTH) return KILN_ERR_SIGNAL_LENGTH;
  const int ready = ensure_ready();
  if (ready != KILN_OK) return ready;
  const uint32_t start = now_us();
  const int s = api_status(rt::run_dsp(&g_impulse, *signal));
  g_timing.dsp_us = now_us() - start;
  return s;
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
  rt::Scores scores = {result->scores, result->scores_q, KILN_OUTPUT_COUNT, 0};
  const int s = api_status(rt::run_network(&g_impulse, &scores));
  g_timing.nn_us = now_us() - start;
  if (s != KILN_OK) return s;
  result->top = scores.top;
  result->top_label = kiln_label(scores.top);
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
      return kiln::dsp::status_message(g_impulse.dsp_status);
    case KILN_ERR_MODEL:
      // (Not rt::status_message: its texts would cost flash for cases only a mixed-up build can reach.)
      return "the network could not be initialized or run, or the library's files do not belong together";
    default:
      return "unknown status";
  }
}
