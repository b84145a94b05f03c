/* kiln_signal: a signal read in chunks through a callback, so raw samples can live anywhere (a float array,
 * flash, a ring buffer filled by a DMA interrupt) and a DSP block never needs the whole signal in RAM.
 * C-compatible: device code written in C can provide a signal to the C++ SDK. */
#ifndef KILN_SIGNAL_H
#define KILN_SIGNAL_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_signal {
  size_t total_length; /* number of float values in the signal (all axes, interleaved) */
  /* Copies values [offset, offset + length) into out. Returns 0 on success, non-zero on failure; a DSP block
   * stops and reports the failure. Blocks only ask for ranges inside [0, total_length). */
  int (*get_data)(void* ctx, size_t offset, size_t length, float* out);
  void* ctx;
} kiln_signal;

/* The simplest source: a float array in memory. Keep the kiln_float_array alive while the signal is used. */
typedef struct kiln_float_array {
  const float* data;
  size_t length;
} kiln_float_array;

static inline int kiln_float_array_get_data(void* ctx, size_t offset, size_t length, float* out) {
  const kiln_float_array* array = (const kiln_float_array*)ctx;
  if (offset > array->length || length > array->length - offset) return -1;
  if (length > 0) memcpy(out, array->data + offset, length * sizeof(float));
  return 0;
}

/* kiln_float_array samples = {data, count};  kiln_signal signal = kiln_signal_from_array(&samples); */
static inline kiln_signal kiln_signal_from_array(kiln_float_array* array) {
  kiln_signal signal;
  signal.total_length = array->length;
  signal.get_data = kiln_float_array_get_data;
  signal.ctx = array;
  return signal;
}

#ifdef __cplusplus
}
#endif

#endif /* KILN_SIGNAL_H */
