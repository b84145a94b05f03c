// Framing shared by the frame-based audio blocks (MFE, MFCC, Spectrogram): Edge Impulse's seconds-to-samples
// rounding, the frame count, a frame cut or zero-padded to the FFT length, and its power spectrum. One
// implementation of each, so the blocks cannot drift apart on how many frames a window has or which samples
// a frame holds (see shared/reference/dsp/README.md, "Framing").
#ifndef KILN_DSP_FRAMING_H
#define KILN_DSP_FRAMING_H

#include <stddef.h>

#include "dsp/fft.h"
#include "dsp/status.h"

namespace kiln {
namespace dsp {

// True for a finite double (no NaN, no infinity) without <cmath>'s C++11 overloads, which some embedded
// toolchains lack.
inline bool dsp_finite(double x) {
  return x == x && x - x == 0.0;
}

// Samples in `seconds` at `sampling_frequency`, with Edge Impulse's rounding: floor(fs*t) when fs*t is less
// than 0.001 above its floor, else ceil(fs*t). 0 when fs*t is not a usable count (not finite, <= 0, or above
// INT_MAX), which every caller treats as invalid.
size_t frame_seconds_to_samples(double sampling_frequency, double seconds);

// Frame length L and stride S in samples.
struct Framing {
  size_t length;  // L
  size_t stride;  // S
};

// Converts the frame length and stride; the status names the first bad one (sampling frequency, frame length,
// frame stride), in that order, so every block reports the same parameter for the same mistake.
Status framing_init(double sampling_frequency, double frame_length, double frame_stride, Framing* framing);

// Frames in a signal of `signal_length` samples: floor((N - (L - S)) / S), i.e. 0 when N < L
// (kSignalTooShort). kSignalTooLong when frames * values_per_frame does not fit in an int, so the caller's
// output size can be computed in int.
Status framing_frame_count(const Framing& framing, size_t signal_length, int values_per_frame, int* frames);

// First sample of frame `frame`.
inline size_t framing_frame_start(const Framing& framing, int frame) {
  return static_cast<size_t>(frame) * framing.stride;
}

// How many of a frame's samples go into the FFT: frames longer than the FFT are cut to their first
// fft_length samples (the reference does so), shorter ones are zero-padded by frame_zero_pad.
inline int framing_fft_samples(const Framing& framing, int fft_length) {
  return framing.length < static_cast<size_t>(fft_length) ? static_cast<int>(framing.length) : fft_length;
}

// Zeroes buffer[used .. fft_length).
void frame_zero_pad(float* buffer, int used, int fft_length);

// buffer holds one frame of plan.length samples and has room for plan.length + 2 floats. On return
// buffer[0 .. plan.length/2] holds the power spectrum P[k] = |X[k]|^2 / fft_length (float32; the division is
// a multiplication by the exact inverse of the power of two).
void frame_power_spectrum(const RfftPlan& plan, float* buffer);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_FRAMING_H
