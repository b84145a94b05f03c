// MFCC block, implementation version "ei-4": reproduces Edge Impulse processing-blocks MFCC implementation
// version 4 (shared/reference/dsp/README.md, "MFCC"), plus an optional cepstral lifter that v4 does not have.
//
// Input: one axis of audio in int16 PCM units (v4 does not divide by 32768).
// Per frame: pre-emphasis y[n] = x[n] - pre_cof * x[n - pre_shift] (wrapping around the window), power
// spectrum, mel energies, ln, orthonormal DCT-II, the first num_cepstral coefficients, coefficient 0
// replaced by ln(frame energy); then (win_size > 0) a sliding cepstral mean and variance normalisation over
// the frames. Output: [frames][num_cepstral] floats, row-major.
//
// Use: mfcc_output_shape() to size the output, mfcc_scratch_bytes() for the scratch memory, then mfcc_run().
// The CMVN needs every frame's cepstra before it can output the first one, so the scratch memory grows with
// the number of frames when win_size > 0.
#ifndef KILN_DSP_MFCC_H
#define KILN_DSP_MFCC_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// The parameters use Edge Impulse's names and units; `lifter` is ours (no v4 parameter).
struct MfccParams {
  int num_cepstral;       // num_cepstral: coefficients per frame, 1..num_filters
  double frame_length;    // frame_length: seconds
  double frame_stride;    // frame_stride: seconds
  int num_filters;        // num_filters: mel bands, kMelMinFilters..kMelMaxFilters
  int fft_length;         // fft_length: power of two, kMfccMinFftLength..kMfccMaxFftLength
  int win_size;           // win_size: CMVN window in frames, odd; 0 = no normalisation
  double low_frequency;   // low_frequency: Hz, lowest mel band edge (0 means 0 Hz)
  double high_frequency;  // high_frequency: Hz, highest mel band edge; 0 means sampling_frequency / 2
  double pre_cof;         // pre_cof: pre-emphasis coefficient (finite)
  int pre_shift;          // pre_shift: pre-emphasis delay in samples, 1..samples_per_axis - 1
  // Sinusoidal cepstral liftering c[n] *= 1 + (lifter / 2) * sin(pi * n / lifter), n = 0..num_cepstral-1
  // (the liftering of HTK's CEPLIFTER and python_speech_features' ceplifter, typically 22; Edge Impulse's
  // MFCC v4 has none), applied after coefficient 0
  // is replaced (whose factor is 1) and before the CMVN. 0 = off, the default, as in v4. Must be 0 or a
  // finite number above 0 (kBadLifter); a real number, not only an integer, since the formula allows it.
  double lifter;
};

// Every length our FFT supports (the mel filterbank check then refuses FFTs too short for num_filters).
const int kMfccMinFftLength = 2;
const int kMfccMaxFftLength = 8192;

// Studio's defaults: 13 coefficients, 20 ms frames every 20 ms, 32 filters, FFT 256, CMVN window 101,
// 0 Hz .. fs/2, pre-emphasis 0.98 with shift 1; lifter off. The same at every rate.
MfccParams mfcc_default_params();

// Checks every parameter and the axis count (exactly 1, else kBadAxes); the status names the first bad one.
// pre_shift is checked against the signal length by mfcc_output_shape (it must be shorter than the window).
Status mfcc_validate(const MfccParams& params, double sampling_frequency, int axes);

// [frames][num_cepstral] for samples_per_axis samples; kSignalTooShort when not even one frame fits,
// kBadPreEmphasis when pre_shift is not below samples_per_axis.
Status mfcc_output_shape(const MfccParams& params, double sampling_frequency, int axes,
                         size_t samples_per_axis, FeatureShape* shape);

// Scratch bytes mfcc_run() needs: FFT plan, one frame, the filterbank, the DCT table, and with win_size > 0
// one frames x num_cepstral matrix for the mean-subtracted cepstra (the cepstra themselves wait in the
// output). 0 when the parameters are invalid or the signal gives no frame.
size_t mfcc_scratch_bytes(const MfccParams& params, double sampling_frequency, int axes,
                          size_t samples_per_axis);

// The whole block: writes frames * num_cepstral floats to out (out_capacity = room in floats). Reads one
// frame at a time from the signal (plus the pre-emphasis' delayed samples in small chunks).
Status mfcc_run(const MfccParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
                void* scratch, size_t scratch_bytes, float* out, size_t out_capacity);

// Scratch bytes mfcc_run_s8() needs: mfcc_scratch_bytes() plus, with win_size > 0, a second frames x
// num_cepstral matrix (the cepstra cannot wait in an int8 output), else one frame of floats.
size_t mfcc_s8_scratch_bytes(const MfccParams& params, double sampling_frequency, int axes,
                             size_t samples_per_axis);

// The whole block straight into an int8 tensor: each value of mfcc_run() through nn::quantize_s8(value,
// scale, zero_point) (out_capacity = room in int8 values).
Status mfcc_run_s8(const MfccParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
                   void* scratch, size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                   size_t out_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_MFCC_H
