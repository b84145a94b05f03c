// MFE (Mel-filterbank energy) block, implementation version "ei-4": reproduces Edge Impulse processing-blocks
// MFE implementation version 4 (see shared/reference/dsp/README.md for the algorithm and the golden vectors).
//
// Input: one axis of audio as int16 PCM values stored as floats (the block divides by 32768).
// Output: [frames][num_filters] values in [0, 1], multiples of 1/256, row-major.
//
// Use: mfe_output_shape() to size the output, mfe_scratch_bytes() to size the scratch memory, then mfe_run().
// Frame by frame (e.g. to quantise straight into an int8 tensor): mfe_prepare() once, then mfe_frame() for
// each frame and mfe_quantize() on each value. mfe_run() is exactly that loop, and mfe_run_s8() the same loop
// quantising each value to int8 for a model's input tensor.
#ifndef KILN_DSP_MFE_H
#define KILN_DSP_MFE_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/fft.h"
#include "dsp/mel_filterbank.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// The parameters use Edge Impulse's names and units.
struct MfeParams {
  double sampling_frequency;  // Hz, may be fractional
  double frame_length;        // seconds
  double frame_stride;        // seconds
  int num_filters;            // mel bands = values per frame
  int fft_length;             // power of two, kMfeMinFftLength..kMfeMaxFftLength
  double low_frequency;       // Hz, lowest mel band edge (0 means 0 Hz)
  double high_frequency;      // Hz, highest mel band edge; 0 means sampling_frequency / 2
  double noise_floor_db;      // dB re full scale; everything below maps to 0; must be below +12
};

const int kMfeMinFftLength = 32;
const int kMfeMaxFftLength = 4096;
const int kMfeMinFilters = kMelMinFilters;  // the reference rejects fewer
const int kMfeMaxFilters = kMelMaxFilters;

// Studio's defaults: 20 ms frames every 10 ms, 40 filters, FFT 256, 0 Hz .. fs/2, noise floor -52 dB.
MfeParams mfe_default_params(double sampling_frequency);

// Checks every parameter; returns the status naming the first bad one.
Status mfe_validate(const MfeParams& params);

// Frame length and stride in samples, with Edge Impulse's rounding: floor(fs*t) when fs*t is less than 0.001
// above its floor, else ceil(fs*t). Returns 0 when sampling_frequency * seconds is not a usable count.
size_t mfe_seconds_to_samples(double sampling_frequency, double seconds);

struct MfeShape {
  int frames;  // floor((N - (L - S)) / S) for N samples, frame length L, stride S
  int values;  // num_filters
};

// Output shape for a signal of `signal_length` samples. kSignalTooShort when not even one frame fits.
// There is no upper limit on frames (Studio caps a window at 500 frames; the SDK does not need to).
Status mfe_output_shape(const MfeParams& params, size_t signal_length, MfeShape* shape);

// Scratch bytes mfe_prepare()/mfe_run() need; independent of the signal length. 0 when params are invalid.
size_t mfe_scratch_bytes(const MfeParams& params);

// Everything one frame needs, built in the caller's scratch memory by mfe_prepare(). The pointers point into
// that memory; keep it alive and do not share one state between threads (frames use its buffer).
struct MfeState {
  RfftPlan fft;
  size_t signal_length;
  int frame_samples;  // L
  int frame_stride;   // S
  int used_samples;   // min(L, fft_length): frames are cut to the FFT length
  int frames;
  int fft_length;
  int num_filters;
  float noise_floor_db;
  const int* filter_first;      // [num_filters] first FFT bin with a non-zero weight of each triangle
  const int* filter_count;      // [num_filters] number of bins from there to its last non-zero weight
  const float* filter_weights;  // triangle weights, filter after filter
  float* buffer;                // fft_length + 2 floats: one frame, then its spectrum
};

Status mfe_prepare(const MfeParams& params, size_t signal_length, void* scratch, size_t scratch_bytes,
                   MfeState* state);

// Frame `frame` (0-based): num_filters values v = (dB - noise_floor) / (12 - noise_floor) clipped to [0, 1],
// NOT yet quantised (mfe_quantize gives the block's output value).
Status mfe_frame(const MfeState& state, const kiln_signal& signal, int frame, float* values);

// The block's output value for v: round(v * 256) / 256 (half to even, as numpy.around), 1.0 at the top.
float mfe_quantize(float v);

// The whole block: writes shape.frames * shape.values floats to out (out_capacity = room in floats).
// signal.total_length is the signal length N.
Status mfe_run(const MfeParams& params, const kiln_signal& signal, void* scratch, size_t scratch_bytes,
               float* out, size_t out_capacity);

// Scratch bytes mfe_run_s8() needs: mfe_scratch_bytes() plus one frame of floats (num_filters * 4 bytes and
// alignment slack). 0 when params are invalid.
size_t mfe_s8_scratch_bytes(const MfeParams& params);

// The whole block straight into an int8 tensor: for each frame, mfe_frame -> mfe_quantize ->
// nn::quantize_s8(value, scale, zero_point), written to out (out_capacity = room in int8 values). Exactly the
// int8 values of mfe_run() followed by quantize_s8 on each output, without the frames * num_filters float
// buffer: only one frame of floats lives in the scratch memory.
Status mfe_run_s8(const MfeParams& params, const kiln_signal& signal, void* scratch, size_t scratch_bytes,
                  float scale, int32_t zero_point, int8_t* out, size_t out_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_MFE_H
