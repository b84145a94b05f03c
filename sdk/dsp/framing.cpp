#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/framing.h"

#include <limits.h>
#include <math.h>

namespace kiln {
namespace dsp {

size_t frame_seconds_to_samples(double sampling_frequency, double seconds) {
  const double exact = sampling_frequency * seconds;
  if (!dsp_finite(exact) || exact <= 0.0 || exact > static_cast<double>(INT_MAX)) return 0;
  const double below = floor(exact);
  return static_cast<size_t>(exact - below < 0.001 ? below : ceil(exact));
}

Status framing_init(double sampling_frequency, double frame_length, double frame_stride, Framing* framing) {
  if (!framing) return kNullArgument;
  if (!dsp_finite(sampling_frequency) || sampling_frequency <= 0.0) return kBadSamplingFrequency;
  const size_t length =
      dsp_finite(frame_length) ? frame_seconds_to_samples(sampling_frequency, frame_length) : 0;
  if (length == 0) return kBadFrameLength;
  const size_t stride =
      dsp_finite(frame_stride) ? frame_seconds_to_samples(sampling_frequency, frame_stride) : 0;
  if (stride == 0) return kBadFrameStride;
  framing->length = length;
  framing->stride = stride;
  return kOk;
}

Status framing_frame_count(const Framing& framing, size_t signal_length, int values_per_frame, int* frames) {
  if (!frames) return kNullArgument;
  // floor((N - (L - S)) / S) without signed arithmetic: 0 when N < L, else (N - L) / S + 1.
  if (signal_length < framing.length) return kSignalTooShort;
  const size_t count = (signal_length - framing.length) / framing.stride + 1;
  const size_t per_frame = values_per_frame > 0 ? static_cast<size_t>(values_per_frame) : 1;
  if (count > static_cast<size_t>(INT_MAX) / per_frame) return kSignalTooLong;
  *frames = static_cast<int>(count);
  return kOk;
}

void frame_zero_pad(float* buffer, int used, int fft_length) {
  for (int j = used; j < fft_length; ++j) buffer[j] = 0.0f;
}

void frame_power_spectrum(const RfftPlan& plan, float* buffer) {
  rfft(plan, buffer, buffer);
  // |X[k]|^2 / n written over the spectrum: bin k reads slots 2k and 2k+1, then writes slot k (k <= 2k, so
  // no bin is overwritten before it is read).
  const int bins = plan.length / 2 + 1;
  const float inverse_n = 1.0f / static_cast<float>(plan.length);
  for (int k = 0; k < bins; ++k) {
    const float re = buffer[2 * k], im = buffer[2 * k + 1];
    buffer[k] = (re * re + im * im) * inverse_n;
  }
}

}  // namespace dsp
}  // namespace kiln
