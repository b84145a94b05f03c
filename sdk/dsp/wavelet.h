// Discrete wavelet transform with PyWavelets' conventions (pywt.dwt / pywt.wavedec, extension mode
// 'symmetric'), float32, for the orthogonal wavelet families Edge Impulse Studio offers in Spectral Analysis:
// haar, Daubechies db1..db10, Symlets sym2..sym10 and Coiflets coif1..coif3. (Studio also lists the
// biorthogonal bior*/rbio* families; they are not supported here.)
#ifndef KILN_DSP_WAVELET_H
#define KILN_DSP_WAVELET_H

#include <stddef.h>

namespace kiln {
namespace dsp {

enum Wavelet : int {
  kWaveletHaar,
  kWaveletDb1,
  kWaveletDb2,
  kWaveletDb3,
  kWaveletDb4,
  kWaveletDb5,
  kWaveletDb6,
  kWaveletDb7,
  kWaveletDb8,
  kWaveletDb9,
  kWaveletDb10,
  kWaveletSym2,
  kWaveletSym3,
  kWaveletSym4,
  kWaveletSym5,
  kWaveletSym6,
  kWaveletSym7,
  kWaveletSym8,
  kWaveletSym9,
  kWaveletSym10,
  kWaveletCoif1,
  kWaveletCoif2,
  kWaveletCoif3,
  kWaveletCount
};

const int kWaveletMaxFilterLength = 20;  // db10, sym10

// Studio's name ("haar", "db4", "sym8", "coif2", ...); null for a value outside the enum.
const char* wavelet_name(Wavelet wavelet);

// The wavelet named `name` (exact, case-sensitive, as Studio spells it). False when unknown or unsupported.
bool wavelet_from_name(const char* name, Wavelet* wavelet);

// Filter length L (2 for haar, 2N for dbN and symN, 6N for coifN); 0 for a value outside the enum.
int wavelet_filter_length(Wavelet wavelet);

// The published scaling (reconstruction low-pass) filter h[0..L), double precision; null when invalid.
// The decomposition filters follow from it: dec_lo[j] = h[L-1-j], dec_hi[j] = (-1)^(j+1) h[j].
const double* wavelet_scaling_filter(Wavelet wavelet);

// Decomposition filters rounded to float32, built once at setup.
struct WaveletFilters {
  int length;
  float lo[kWaveletMaxFilterLength];
  float hi[kWaveletMaxFilterLength];
};

// False when `wavelet` is outside the enum.
bool wavelet_filters(Wavelet wavelet, WaveletFilters* filters);

// Length of each of dwt's outputs for n inputs: floor((n + L - 1) / 2).
size_t dwt_output_length(size_t n, int filter_length);

// One level: approx[k] = sum_j lo[j] x[2k+1-j], detail[k] = sum_j hi[j] x[2k+1-j], k < dwt_output_length,
// with x extended symmetrically (x[-1] = x[0], x[n] = x[n-1], ...), which is pywt.dwt(x, w, 'symmetric').
// n >= 1; the outputs must not overlap x.
void dwt_f32(const WaveletFilters& filters, const float* x, size_t n, float* approx, float* detail);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_WAVELET_H
