/* kiln_impulse.h: the impulse exported by `kiln deploy`, as one C-callable library.
 *
 *   #include "kiln_impulse.h"
 *   kiln_float_array samples = {window, KILN_SIGNAL_LENGTH};   // raw samples, one window
 *   kiln_signal signal = kiln_signal_from_array(&samples);     // or your own get_data callback
 *   kiln_result result;
 *   if (kiln_run_impulse(&signal, &result) == KILN_OK) printf("%s\n", result.top_label);
 *
 * The library keeps one static arena (KILN_ARENA_BYTES) shared by the DSP block and the network; it never
 * allocates. Not reentrant: call it from one thread at a time. What the impulse is (labels, sample rate,
 * window, DSP parameters, quantization) is in kiln_impulse_metadata.h. */
#ifndef KILN_IMPULSE_H
#define KILN_IMPULSE_H

#include <stddef.h>
#include <stdint.h>

#include "kiln/signal.h"
#include "kiln_impulse_metadata.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kiln_status {
  KILN_OK = 0,
  KILN_ERR_ARGUMENT = 1,      /* a null pointer, or input of the wrong size */
  KILN_ERR_SIGNAL_LENGTH = 2, /* signal->total_length is not KILN_SIGNAL_LENGTH */
  KILN_ERR_SIGNAL_READ = 3,   /* the signal's get_data callback returned non-zero */
  KILN_ERR_DSP = 4,           /* the DSP block failed (see kiln_status_message) */
  KILN_ERR_MODEL = 5          /* the network could not be initialized or run */
};

typedef struct kiln_timing {
  uint32_t dsp_us; /* microseconds in the DSP block; 0 without a clock (define KILN_CLOCK_US(), see README) */
  uint32_t nn_us;  /* microseconds in the network */
} kiln_timing;

typedef struct kiln_result {
  float scores[KILN_OUTPUT_COUNT]; /* every output value, dequantized; scores[i] belongs to kiln_label(i) */
  int32_t scores_q[KILN_OUTPUT_COUNT]; /* the raw quantized outputs of an int8 model (0 for a float model) */
  int top;                             /* index of the highest score */
  const char* top_label;               /* kiln_label(top), or "" for a model without labels */
  kiln_timing timing;
} kiln_result;

/* The whole impulse on one window of raw samples (KILN_SIGNAL_LENGTH values, axes interleaved):
 * DSP block straight into the network's input tensor, then the network. */
int kiln_run_impulse(const kiln_signal* signal, kiln_result* result);

/* The two halves, for measuring or for feeding the network yourself. */
int kiln_run_dsp(const kiln_signal* signal);
int kiln_set_input(const void* bytes,
                   size_t size);           /* raw input tensor bytes (TFLite layout, KILN_INPUT_BYTES) */
int kiln_run_network(kiln_result* result); /* the network on the current input tensor */

const char* kiln_label(int index); /* "" when out of range */
const char* kiln_status_message(int status);

#ifdef __cplusplus
}
#endif

#endif /* KILN_IMPULSE_H */
