// Spectrogram block, implementation version "ei-4": reproduces Edge Impulse processing-blocks Spectrogram
// implementation version 4 (shared/reference/dsp/README.md, "Spectrogram").
//
// Input: one axis (audio in int16 PCM units, or any other single-axis signal); v4 does not rescale it.
// Output: [frames][fft_length/2 + 1] values v = (10*log10(P) - noise_floor_db) / (12 - noise_floor_db),
// clipped below at 0 only (loud bins give values above 1), row-major; P is the frame's power spectrum
// |rfft|^2 / fft_length clipped below at 1e-30. No window function, no pre-emphasis, no quantisation.
//
// Use: spectrogram_output_shape() to size the output, spectrogram_scratch_bytes() for the scratch memory,
// then spectrogram_run() (or spectrogram_run_s8() straight into an int8 tensor).
#ifndef KILN_DSP_SPECTROGRAM_H
#define KILN_DSP_SPECTROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// The parameters use Edge Impulse's names and units. show_axes (deprecated, display only) has no field.
struct SpectrogramParams {
  double frame_length;    // frame_length: seconds
  double frame_stride;    // frame_stride: seconds
  int fft_length;         // fft_length: power of two, kSpectrogramMinFftLength..kSpectrogramMaxFftLength
  double noise_floor_db;  // noise_floor_db: dB; everything below maps to 0; must be below +12
};

// Any length our FFT supports: the reference takes every power of two, and rejecting one Studio accepts
// would be worse than accepting a few it would not offer.
const int kSpectrogramMinFftLength = 2;
const int kSpectrogramMaxFftLength = 8192;

// Studio's defaults: 20 ms frames every 10 ms, FFT 128, noise floor -52 dB (the same at every rate).
SpectrogramParams spectrogram_default_params();

// Checks every parameter and the axis count (exactly 1, else kBadAxes); the status names the first bad one.
Status spectrogram_validate(const SpectrogramParams& params, double sampling_frequency, int axes);

// [frames][fft_length/2 + 1] for samples_per_axis samples; kSignalTooShort when not even one frame fits.
Status spectrogram_output_shape(const SpectrogramParams& params, double sampling_frequency, int axes,
                                size_t samples_per_axis, FeatureShape* shape);

// Scratch bytes spectrogram_run() needs (the FFT plan and one frame, independent of the signal length). 0
// when the parameters are invalid or the signal gives no frame.
size_t spectrogram_scratch_bytes(const SpectrogramParams& params, double sampling_frequency, int axes,
                                 size_t samples_per_axis);

// The whole block: writes frames * (fft_length/2 + 1) floats to out (out_capacity = room in floats). Reads
// one frame at a time from the signal (signal.total_length = axes * samples_per_axis).
Status spectrogram_run(const SpectrogramParams& params, double sampling_frequency, int axes,
                       const kiln_signal& signal, void* scratch, size_t scratch_bytes, float* out,
                       size_t out_capacity);

// Scratch bytes spectrogram_run_s8() needs: the same as spectrogram_scratch_bytes() (a frame's values are
// quantised from the spectrum buffer itself), a separate query so every block has one.
size_t spectrogram_s8_scratch_bytes(const SpectrogramParams& params, double sampling_frequency, int axes,
                                    size_t samples_per_axis);

// The whole block straight into an int8 tensor: each value of spectrogram_run() through
// nn::quantize_s8(value, scale, zero_point), without a float feature buffer (out_capacity = room in int8s).
Status spectrogram_run_s8(const SpectrogramParams& params, double sampling_frequency, int axes,
                          const kiln_signal& signal, void* scratch, size_t scratch_bytes, float scale,
                          int32_t zero_point, int8_t* out, size_t out_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_SPECTROGRAM_H
