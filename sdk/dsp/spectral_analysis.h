// Spectral Analysis block, implementation version 4: reproduces Edge Impulse processing-blocks
// spectral_analysis v4 (see shared/reference/dsp/README.md for the algorithm and the golden vectors).
//
// Input: `axes` signals (accelerometer-like, any units) interleaved by sample, samples_per_axis each.
// Per axis: scale, optional decimation (Chebyshev I stages), optional Butterworth low/high-pass, mean
// removed, then either
//   FFT mode: RMS, skewness, kurtosis, skewness and kurtosis of the max-hold Welch power spectrum, and the
//             spectrum's bins (log10 or linear) inside the filter's pass band; with extra-low-freq the same
//             set again on the axis decimated by 10;
//   Wavelet mode: 14 statistics of each array of a `wavelet-level` discrete wavelet decomposition.
// Output (flat): all axes' main features (axis 0, then axis 1, ...), then all axes' low-frequency features.
//
// Use: spectral_analysis_output_shape() to size the output, spectral_analysis_scratch_bytes() to size the
// scratch memory, then spectral_analysis_run(). spectral_analysis_label() names the features as Studio does.
#ifndef KILN_DSP_SPECTRAL_ANALYSIS_H
#define KILN_DSP_SPECTRAL_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "dsp/wavelet.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// Fixed underlying types: a host may hand over any int (a bad one is then a Status, not undefined behaviour).
enum SpectralFilterType : int { kSpectralFilterNone, kSpectralFilterLow, kSpectralFilterHigh };

enum SpectralAnalysisType : int { kSpectralAnalysisFft, kSpectralAnalysisWavelet };

// The parameters use Edge Impulse's names (in the comments) and units. The v1-only parameters
// (spectral-peaks-count, spectral-peaks-threshold, spectral-power-edges) are not used by v4 and not here.
struct SpectralAnalysisParams {
  double scale_axes;               // "scale-axes": every input value is multiplied by it (in float32)
  int input_decimation_ratio;      // "input-decimation-ratio": 1, 3, 10, 30, 100 or 1000 (a string in Studio)
  SpectralFilterType filter_type;  // "filter-type": "none", "low", "high"
  double filter_cutoff;            // "filter-cutoff": Hz, at the decimated rate
  int filter_order;                // "filter-order": 0 (only masks FFT bins) or 2, 4, 6, 8
  SpectralAnalysisType analysis_type;  // "analysis-type": "FFT" or "Wavelet"
  int fft_length;                      // "fft-length": power of two
  bool do_log;                         // "do-log": log10 of the spectrum
  bool do_fft_overlap;                 // "do-fft-overlap": FFT windows overlap by half
  bool extra_low_freq;                 // "extra-low-freq": add the features of the axis decimated by 10
  int wavelet_level;                   // "wavelet-level": decomposition levels, >= 0
  Wavelet wavelet;                     // "wavelet": "haar", "db1".."db10", "sym2".."sym10", "coif1".."coif3"
};

const int kSpectralMaxAxes = 64;
const int kSpectralMaxFilterOrder = 8;      // the reference accepts even orders 2..8 (and 0)
const int kSpectralMaxFftLength = 8192;     // our FFT's limit (the reference has none)
const int kSpectralMaxWaveletLevel = 24;    // 32 * 2^24 samples per axis would be needed anyway
const int kSpectralWaveletFeatures = 14;    // per coefficient array
const int kSpectralFftStatistics = 5;       // RMS, skewness, kurtosis, spectral skewness, spectral kurtosis
const size_t kSpectralMaxLabelLength = 64;  // longest label plus its terminating zero

// Studio's defaults: scale 1, no decimation, no filter (cut-off 3 Hz, order 6 when one is chosen), FFT of
// 16 points, log, overlap, no extra low frequencies; wavelet db4 at level 1.
SpectralAnalysisParams spectral_analysis_default_params();

// Checks every parameter that does not depend on the signal length, in the reference's order; returns the
// status naming the first bad one (a cut-off that masks every FFT bin or makes an unstable filter is
// kBadFilterCutoff; a cut-off above 0.9 of the decimated Nyquist frequency is kBadDecimationRatio, as the
// reference words it).
Status spectral_analysis_validate(const SpectralAnalysisParams& params, double sampling_frequency, int axes);

// Output shape {1, count} for `samples_per_axis` samples per axis. Also checks what depends on the length:
// kSignalTooShort for no samples or when extra-low-freq leaves fewer than fft-length/2 samples, and
// kBadWaveletLevel when the (decimated) axis is shorter than 32 * 2^wavelet-level samples.
Status spectral_analysis_output_shape(const SpectralAnalysisParams& params, double sampling_frequency,
                                      int axes, size_t samples_per_axis, FeatureShape* shape);

// Scratch bytes spectral_analysis_run() needs: one decimated axis, the filters, and the FFT or wavelet
// buffers. 0 when the parameters or the length are invalid.
size_t spectral_analysis_scratch_bytes(const SpectralAnalysisParams& params, double sampling_frequency,
                                       int axes, size_t samples_per_axis);

// The whole block. signal.total_length must be axes * samples_per_axis; writes shape.values floats to out
// (out_capacity = room in floats). The signal is read axis by axis in small chunks.
Status spectral_analysis_run(const SpectralAnalysisParams& params, double sampling_frequency, int axes,
                             const kiln_signal& signal, void* scratch, size_t scratch_bytes, float* out,
                             size_t out_capacity);

// Scratch bytes spectral_analysis_run_s8() needs: spectral_analysis_scratch_bytes() plus the float features.
size_t spectral_analysis_s8_scratch_bytes(const SpectralAnalysisParams& params, double sampling_frequency,
                                          int axes, size_t samples_per_axis);

// The block straight into a model's int8 input tensor: spectral_analysis_run() into the scratch memory, then
// nn::quantize_s8(value, scale, zero_point) for each feature (out_capacity = room in int8 values).
Status spectral_analysis_run_s8(const SpectralAnalysisParams& params, double sampling_frequency, int axes,
                                const kiln_signal& signal, void* scratch, size_t scratch_bytes, float scale,
                                int32_t zero_point, int8_t* out, size_t out_capacity);

// Number of labels of one axis (main features, then the " LF" ones); every axis has the same list, and
// output value i belongs to spectral_analysis_feature_label(i). Negative status values are not used: returns
// 0 when the parameters are invalid.
int spectral_analysis_label_count(const SpectralAnalysisParams& params, double sampling_frequency);

// Label `index` (0 .. label_count-1) of one axis, as Studio names it: "RMS", "Skewness", ..., "Spectral
// Power 1.95 - 5.86 Hz" (band edges rounded to 2 decimals, printed as Python prints a float), "RMS LF", ...;
// or "L0-entropy", ..., "L2-kurtosis" in Wavelet mode. Writes a zero-terminated string into buf
// (kSpectralMaxLabelLength is enough below 1e9 Hz); kOutputTooSmall when it does not fit, kBadFrameIndex for
// an index outside the list.
Status spectral_analysis_label(const SpectralAnalysisParams& params, double sampling_frequency, int index,
                               char* buf, size_t buf_size);

// Which axis and which label of spectral_analysis_label() output value `feature` (0 .. shape.values-1) is
// (kBadFrameIndex outside): [axis 0 main][axis 1 main]...[axis 0 LF][axis 1 LF]...
Status spectral_analysis_feature_label(const SpectralAnalysisParams& params, double sampling_frequency,
                                       int axes, int feature, int* axis, int* label_index);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_SPECTRAL_ANALYSIS_H
