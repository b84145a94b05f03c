// The triangular mel filterbank of MFE and MFCC (shared/reference/dsp/README.md, "Mel filterbank"): one
// implementation of where the triangles fall and of their weights, so the two blocks agree to the bit.
//
// The bin edges are integers computed in double exactly as the reference does (a rounding difference there
// would move a whole band); the weights are rounded to float once, and applying them is float32.
#ifndef KILN_DSP_MEL_FILTERBANK_H
#define KILN_DSP_MEL_FILTERBANK_H

#include <stddef.h>

#include "dsp/scratch_arena.h"
#include "dsp/status.h"

namespace kiln {
namespace dsp {

const int kMelMinFilters = 2;  // the reference rejects fewer
const int kMelMaxFilters = 512;

// What decides the filterbank. high_frequency 0 means sampling_frequency / 2; low_frequency 0 means 0 Hz.
struct MelSpec {
  double sampling_frequency;  // Hz
  int fft_length;
  int num_filters;
  double low_frequency;   // Hz
  double high_frequency;  // Hz
};

// kBadHighFrequency unless 0 <= high <= fs/2, then kBadLowFrequency unless 0 <= low < the effective high.
// Checked apart from mel_check_bins so that a block can put its own checks in between (MFE checks the
// noise floor there) and keep the order in which it names a bad parameter.
Status mel_check_frequencies(const MelSpec& spec);

// Checks the bins the filters fall on (after mel_check_frequencies passed): inside the spectrum
// (kBadHighFrequency), in order (kBadLowFrequency), and no filter without a non-zero weight
// (kEmptyMelFilter, "too many filters for the FFT length", which the reference refuses too).
Status mel_check_bins(const MelSpec& spec);

// The filterbank in scratch memory: filter i has filter_count[i] weights for the bins filter_first[i] ...,
// stored filter after filter; only the span between a triangle's first and last non-zero weight is kept.
struct MelFilterbank {
  int num_filters;
  const int* filter_first;
  const int* filter_count;
  const float* filter_weights;
};

// Scratch bytes mel_filterbank_init takes from its arena (an upper bound: with non-decreasing bins at most
// fft_length + num_filters weights).
size_t mel_filterbank_scratch_bytes(const MelSpec& spec);

// Builds the filterbank of a spec that passed both checks, taking the first-bin array, the count array and
// the weights from `arena`, in that order. kScratchTooSmall when the arena runs out.
Status mel_filterbank_init(const MelSpec& spec, ScratchArena* arena, MelFilterbank* bank);

// energies[i] = sum over the triangle of power[k] * weight, summed in float32 from the first bin up (the
// order is part of the result: MFE's features depend on it bit for bit). power holds fft_length/2 + 1 bins.
void mel_filterbank_apply(const MelFilterbank& bank, const float* power, float* energies);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_MEL_FILTERBANK_H
