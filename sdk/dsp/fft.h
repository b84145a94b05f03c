// Real FFT, float32, for power-of-two lengths 2..8192. Written for Cortex-M4F as much as for the host: no
// heap, no tables built at static-initialisation time. The caller gives the plan its twiddle memory
// (rfft_scratch_bytes) once, then runs any number of transforms with it.
//
// Method: the n real inputs are read as n/2 complex values (even samples real, odd samples imaginary), put
// through an iterative decimation-in-time complex FFT of size n/2, and the half-size spectrum is split into
// the real signal's spectrum. Twiddles are computed in double precision and rounded once to float. The
// bit-reversal permutation is a table of swaps built by rfft_init; spans 2 and 4 go in one pass without
// multiplications and the rest two spans per pass (radix 4, three complex products per four values instead of
// four) with a last radix-2 pass when log2(n/2) is odd. The results are bit for bit those of one radix-2
// pass per span (tests/unit/dsp/test_fft.cpp), so fusing passes changed no MFE feature.
#ifndef KILN_DSP_FFT_H
#define KILN_DSP_FFT_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/status.h"

namespace kiln {
namespace dsp {

const int kFftMinLength = 2;
const int kFftMaxLength = 8192;

struct RfftPlan {
  int length;             // n, the number of real inputs
  const float* twiddles;  // n/2 complex values exp(-2*pi*i*k/n), k = 0..n/2-1, (re, im) interleaved
  const uint16_t* swaps;  // swap_count pairs (i, j), i < j: the bit-reversal permutation of n/2 values
  int swap_count;
};

// True when n is a power of two in [kFftMinLength, kFftMaxLength].
bool rfft_length_supported(int n);

// Bytes of scratch memory rfft_init needs for length n; 0 when n is not supported.
size_t rfft_scratch_bytes(int n);

// Builds a plan for length n in `scratch` (which must stay alive and unchanged while the plan is used).
// Returns kBadFftLength, kNullArgument or kScratchTooSmall on failure.
Status rfft_init(RfftPlan* plan, int n, void* scratch, size_t scratch_bytes);

// Forward transform, unnormalised: out[2k] + i*out[2k+1] = sum_t in[t] * exp(-2*pi*i*k*t/n) for k = 0..n/2.
// `in` holds n floats, `out` n + 2 floats; in == out (in-place) is allowed, other overlaps are not.
void rfft(const RfftPlan& plan, const float* in, float* out);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_FFT_H
