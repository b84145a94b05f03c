// @PROJECT@ on an Arduino board: fills a window from analogRead() on A0 at KILN_SAMPLE_RATE (replace with
// your microphone driver, e.g. PDM), classifies it and prints every label's score.
#include <kiln_impulse.h>

static int16_t window_samples[KILN_SIGNAL_LENGTH];

static int read_window(void* ctx, size_t offset, size_t length, float* out) {
  (void)ctx;
  for (size_t i = 0; i < length; ++i) out[i] = window_samples[offset + i];
  return 0;
}

void setup() {
  Serial.begin(115200);
}

void loop() {
  const unsigned long period_us = (unsigned long)(1000000.0 / KILN_SAMPLE_RATE);
  unsigned long next = micros();
  for (size_t i = 0; i < KILN_SIGNAL_LENGTH; ++i) {
    while ((long)(micros() - next) < 0) {
    }
    next += period_us;
    window_samples[i] = (int16_t)((analogRead(A0) - 512) * 64);
  }
  kiln_signal signal = {KILN_SIGNAL_LENGTH, read_window, 0};
  kiln_result result;
  const int status = kiln_run_impulse(&signal, &result);
  if (status != KILN_OK) {
    Serial.println(kiln_status_message(status));
    return;
  }
  for (int i = 0; i < KILN_LABEL_COUNT; ++i) {
    Serial.print(kiln_label(i));
    Serial.print(": ");
    Serial.println(result.scores[i], 4);
  }
  Serial.print("top: ");
  Serial.print(result.top_label);
  Serial.print("  (dsp ");
  Serial.print(result.timing.dsp_us);
  Serial.print(" us, network ");
  Serial.print(result.timing.nn_us);
  Serial.println(" us)");
}
