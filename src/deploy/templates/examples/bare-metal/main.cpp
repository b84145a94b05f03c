// A bare-metal main: an interrupt fills a ring buffer with int16 samples, and the main loop classifies the
// latest window without copying it. The impulse reads the ring buffer through the signal callback, a chunk at
// a time, so the only audio RAM is the ring buffer itself.
//
// Wire audio_sample_ready() to your ADC/I2S/PDM interrupt and on_result() to your application. Build with
// your startup code and linker script (or see the Makefile's `bare-metal` target for flags).
#include <stdint.h>

#include "kiln_impulse.h"

namespace {

int16_t g_ring[KILN_SIGNAL_LENGTH];
volatile uint32_t g_written = 0;  // samples written since start-up

struct RingView {
  uint32_t first;  // absolute index of the window's first sample
};

// kiln_signal callback: values [offset, offset + length) of the window, as floats.
int read_window(void* ctx, size_t offset, size_t length, float* out) {
  const RingView* view = static_cast<const RingView*>(ctx);
  for (size_t i = 0; i < length; ++i)
    out[i] = static_cast<float>(g_ring[(view->first + offset + i) % KILN_SIGNAL_LENGTH]);
  return 0;
}

}  // namespace

// Call from the sampling interrupt.
extern "C" void audio_sample_ready(int16_t sample) {
  g_ring[g_written % KILN_SIGNAL_LENGTH] = sample;
  g_written = g_written + 1;
}

// Replace with what the device should do (light an LED, send a message...).
extern "C" __attribute__((weak)) void on_result(const kiln_result* result) {
  (void)result;
}

int main() {
  // An image impulse (no window increase): one frame after another.
  const uint32_t increase =
      static_cast<uint32_t>(KILN_SAMPLE_RATE * KILN_WINDOW_INCREASE_MS / 1000.0) * KILN_AXES;
  const uint32_t step = increase > 0 ? increase : KILN_SIGNAL_LENGTH;
  uint32_t next = KILN_SIGNAL_LENGTH;  // first window: once the ring buffer is full
  for (;;) {
    if (g_written < next) continue;  // a real application sleeps here (WFI)
    RingView view = {next - KILN_SIGNAL_LENGTH};
    kiln_signal signal = {KILN_SIGNAL_LENGTH, read_window, &view};
    kiln_result result;
    if (kiln_run_impulse(&signal, &result) == KILN_OK) on_result(&result);
    next += step;
  }
}
