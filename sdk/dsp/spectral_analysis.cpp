#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/spectral_analysis.h"

#include <math.h>
#include <string.h>

#include "dsp/fft.h"
#include "dsp/iir_filter.h"
#include "dsp/log10.h"
#include "dsp/scratch_arena.h"
#include "dsp/statistics.h"
#include "nn/quantize.h"

// Numerics. The reference runs in float64 except where it casts: the input is scaled in float32 and the
// Butterworth coefficients are rounded to float32. Here the whole run path is float32 (a Cortex-M4F has no
// double-precision FPU): the decimation and Butterworth filters run in float32 with float32-rounded
// coefficients (transposed direct form II, as scipy's sosfilt), sums are pairwise as numpy's, and the higher
// moments are taken of deviations scaled by the largest one. Filter design, bin limits and label frequencies
// are computed in double once per run, exactly as the reference computes them, because they decide integers
// (which bins are features) and coefficients that must round to the reference's float32 values. Where the
// reference is float64 (after a decimation) a large offset would make float32 lose the small variations
// riding on it, so the decimation runs on the signal minus its first sample (see read_axis and finish_axis);
// without decimation the reference itself is float32 and the same operations are done on the raw values.
// tests/unit/dsp/test_spectral_analysis.cpp measures the float32 error against the golden vectors and
// against scipy-computed cases for every decimation ratio, both filters, extra-low-freq and long wavelets.

namespace kiln {
namespace dsp {
namespace {

const int kChunkFrames = 32;    // input samples per axis read per get_data call
const int kChebyshevOrder = 8;  // decimation filter: cheby1(8, 0.05, 0.8 / r)
const double kChebyshevRippleDb = 0.05;
const double kChebyshevEdge = 0.8;
const int kLowFrequencyRatio = 10;     // extra-low-freq decimates by 10
const float kZeroPower = 1e-10f;       // the reference replaces exact zeros by 1e-10 before the log
const int kWaveletMinLengthUnit = 32;  // the reference wants 32 * 2^level samples

bool finite(double x) {
  return x == x && x - x == 0.0;
}

// The stages of a decimation ratio, in the reference's order.
int decimation_stages(int ratio, int* factors) {
  switch (ratio) {
    case 1:
      return 0;
    case 3:
      factors[0] = 3;
      return 1;
    case 10:
      factors[0] = 10;
      return 1;
    case 30:
      factors[0] = 3;
      factors[1] = 10;
      return 2;
    case 100:
      factors[0] = 10;
      factors[1] = 10;
      return 2;
    case 1000:
      factors[0] = 10;
      factors[1] = 10;
      factors[2] = 10;
      return 3;
    default:
      return -1;
  }
}

// The rate after decimation, divided stage by stage as the reference does (the bin limits depend on it).
double decimated_rate(double fs, int ratio) {
  int factors[3];
  const int stages = decimation_stages(ratio, factors);
  for (int i = 0; i < stages; ++i) fs /= factors[i];
  return fs;
}

// Each stage keeps samples 0, r, 2r, ...: ceil(n / r).
size_t decimated_length(size_t n, int ratio) {
  int factors[3];
  const int stages = decimation_stages(ratio, factors);
  for (int i = 0; i < stages; ++i)
    n = (n + static_cast<size_t>(factors[i]) - 1) / static_cast<size_t>(factors[i]);
  return n;
}

struct BinRange {
  int first;  // inclusive, >= 1
  int last;   // inclusive; empty when last < first
};

// Python's int(): truncation toward zero.
long truncate(double x) {
  return static_cast<long>(x);
}

// Spectrum bins that are features at rate fs: b = cutoff * n / fs with the cut-off capped at fs/2;
// low-pass 1 .. int(b + 0.5), high-pass int(b - 0.5) + 1 .. n/2 (at least 1), none 1 .. n/2.
BinRange feature_bins(const SpectralAnalysisParams& p, double fs) {
  const int half = p.fft_length / 2;
  BinRange r = {1, half};
  if (p.filter_type == kSpectralFilterNone) return r;
  const double cutoff = p.filter_cutoff < fs / 2.0 ? p.filter_cutoff : fs / 2.0;
  const double b = cutoff * p.fft_length / fs;
  if (p.filter_type == kSpectralFilterLow) {
    const double top = b + 0.5;
    r.last = top < 1.0 ? 0 : (top > half ? half : static_cast<int>(truncate(top)));
  } else {
    const double bottom = b - 0.5;
    const long first = bottom < -2.0 ? 0 : truncate(bottom) + 1;
    r.first = first < 1 ? 1 : (first > half + 1 ? half + 1 : static_cast<int>(first));
  }
  return r;
}

int bin_count(const BinRange& r) {
  return r.last >= r.first ? r.last - r.first + 1 : 0;
}

bool butterworth_used(const SpectralAnalysisParams& p) {
  return p.filter_type != kSpectralFilterNone && p.filter_order > 0;
}

// The reference's extra design check ("filter created is not stable"): it re-derives the poles of an
// order/2-stage Butterworth low-pass in float32 from a = tan(pi * fc / fs) and refuses the filter when one
// lies on or outside the unit circle. That happens only for a cut-off within about 1e-8 * fs of 0 or of
// the Nyquist frequency, where float32 rounds a pole radius to 1.
bool reference_filter_stable(int order, double cutoff, double fs) {
  const double pi = 3.14159265358979323846;
  const float a = static_cast<float>(tan(pi * cutoff / fs));
  const float a2 = a * a;
  const double two_a = static_cast<double>(2.0f * a);
  for (int i = 0; i < order / 2; ++i) {
    // numpy's promotions: float32 scalars meet the float64 sine, the results are stored as float32.
    const double r = sin(pi * (2.0 * i + 1.0) / (2.0 * order));
    const double den = static_cast<double>(a2) + two_a * r + 1.0;
    const double d1 = static_cast<float>(static_cast<double>(2.0f * (1.0f - a2)) / den);
    const double d2 = static_cast<float>(-(static_cast<double>(a2) - two_a * r + 1.0) / den);
    // Roots of z^2 - d1 z - d2.
    const double disc = d1 * d1 + 4.0 * d2;
    double radius;
    if (disc < 0.0) {
      radius = sqrt(-d2);
    } else {
      const double s = sqrt(disc);
      radius = fabs(d1) / 2.0 + s / 2.0;
    }
    if (!(radius < 1.0)) return false;
  }
  return true;
}

int main_count(const SpectralAnalysisParams& p, double fs_decimated) {
  if (p.analysis_type == kSpectralAnalysisWavelet) return kSpectralWaveletFeatures * (p.wavelet_level + 1);
  return kSpectralFftStatistics + bin_count(feature_bins(p, fs_decimated));
}

int low_frequency_count(const SpectralAnalysisParams& p, double fs_decimated) {
  if (p.analysis_type != kSpectralAnalysisFft || !p.extra_low_freq) return 0;
  return kSpectralFftStatistics + bin_count(feature_bins(p, fs_decimated / kLowFrequencyRatio));
}

bool power_of_two(int n) {
  return n > 0 && (n & (n - 1)) == 0;
}

// Everything of one run that lives in the scratch memory or is designed at its start.
struct Plan {
  int stages;
  int factors[3];
  SosSectionF32 stage_sections[3][kIirMaxSections];
  double stage_zi[3][2 * kIirMaxSections];
  int stage_section_count;
  SosSectionF32 low_sections[kIirMaxSections];  // the ratio-10 stage, for extra-low-freq
  double low_zi[2 * kIirMaxSections];
  int low_section_count;
  SosSectionF32 butter[kIirMaxSections];
  int butter_count;
  double butter_zi[2 * kIirMaxSections];  // steady state of the float32 Butterworth for a unit input
  double decimation_gain;                 // DC gain of all decimation stages (the reference's float64 design)
  WaveletFilters wavelet;
  size_t samples;    // per axis, as read
  size_t decimated;  // per axis after the input decimation
  double fs;         // after the input decimation
  int main_features;
  int low_features;
};

bool design_chebyshev(int factor, SosSectionF32* sections, double* zi, int* count, double* dc_gain = 0) {
  SosSection s[kIirMaxSections];
  const int n = chebyshev1_lowpass_design(kChebyshevOrder, kChebyshevRippleDb, kChebyshevEdge / factor, s);
  if (n == 0) return false;
  if (dc_gain) *dc_gain = sos_magnitude(s, n, 0.0);
  sos_steady_state(s, n, zi);
  sos_to_f32(s, n, sections);
  *count = n;
  return true;
}

// Sizes of the scratch arrays for validated parameters and length.
struct Sizes {
  size_t chunk;  // floats: kChunkFrames * axes interleaved values
  size_t work;   // floats: kChunkFrames values of one axis through the decimation stages
  size_t axis;   // floats: one decimated axis
  size_t fft;    // bytes of the FFT plan (FFT mode)
  size_t frame;  // floats: fft_length + 2 (FFT mode)
  size_t power;  // floats: fft_length / 2 + 1 (FFT mode)
  size_t half;   // floats: (axis + L - 1) / 2, twice (Wavelet mode)
};

Sizes sizes_for(const SpectralAnalysisParams& p, int axes, size_t decimated) {
  Sizes s;
  memset(&s, 0, sizeof(s));
  s.chunk = static_cast<size_t>(kChunkFrames) * static_cast<size_t>(axes);
  s.work = kChunkFrames;
  s.axis = decimated;
  if (p.analysis_type == kSpectralAnalysisFft) {
    s.fft = rfft_scratch_bytes(p.fft_length);
    s.frame = static_cast<size_t>(p.fft_length) + 2;
    s.power = static_cast<size_t>(p.fft_length) / 2 + 1;
  } else {
    s.half = dwt_output_length(decimated, wavelet_filter_length(p.wavelet));
  }
  return s;
}

size_t bytes_of(const Sizes& s) {
  return ScratchArena::bytes_for<float>(s.chunk) + ScratchArena::bytes_for<float>(s.work) +
         ScratchArena::bytes_for<float>(s.axis) +
         (s.fft ? ScratchArena::bytes_for<unsigned char>(s.fft) : 0) +
         ScratchArena::bytes_for<float>(s.frame) + ScratchArena::bytes_for<float>(s.power) +
         2 * ScratchArena::bytes_for<float>(s.half);
}

struct Buffers {
  float* chunk;
  float* work;
  float* axis;
  RfftPlan fft;
  float* frame;
  float* power;
  float* half_a;
  float* half_b;
};

// Reads axis `a`, scales it and runs it through the decimation stages into b.axis; returns its length.
//
// With decimation the reference filters in float64, so a large offset (gravity on an accelerometer axis:
// 9.81 with variations of 0.01) would cost the float32 cascade its precision. The stages are linear and
// start in the steady state of their first input, so filtering x - c instead of x gives exactly the output
// minus G*c (G the stages' DC gain): the first scaled sample is taken as c and returned in *offset, the
// stages then start from rest and only carry the variations. The caller accounts for G*c (see
// finish_axis). Without decimation nothing is subtracted (*offset = 0): the reference's own Butterworth runs
// in float32 on the raw values, and the same operations give the same values.
Status read_axis(const Plan& plan, const SpectralAnalysisParams& p, int axes, int a,
                 const kiln_signal& signal, const Buffers& b, size_t* length, float* offset) {
  float state[3][2 * kIirMaxSections];
  int phase[3] = {0, 0, 0};
  bool started[3] = {false, false, false};
  const float scale = static_cast<float>(p.scale_axes);
  const size_t stride = static_cast<size_t>(axes);
  size_t written = 0;
  float c = 0.0f;
  for (size_t start = 0; start < plan.samples; start += kChunkFrames) {
    const size_t frames = plan.samples - start < static_cast<size_t>(kChunkFrames)
                              ? plan.samples - start
                              : static_cast<size_t>(kChunkFrames);
    if (signal.get_data(signal.ctx, start * stride, frames * stride, b.chunk) != 0) return kSignalReadFailed;
    for (size_t i = 0; i < frames; ++i) b.work[i] = b.chunk[i * stride + static_cast<size_t>(a)] * scale;
    if (plan.stages > 0) {
      if (start == 0) c = b.work[0];
      if (!(c - c == 0.0f)) c = 0.0f;  // a non-finite first sample: nothing to gain, keep the plain path
      for (size_t i = 0; i < frames; ++i) b.work[i] -= c;
    }
    size_t n = frames;
    for (int s = 0; s < plan.stages && n > 0; ++s) {
      if (!started[s]) {
        // sosfilt_zi(sos) * x[0]: the filter starts as if the first sample had always been there.
        for (int k = 0; k < 2 * plan.stage_section_count; ++k) {
          state[s][k] = static_cast<float>(plan.stage_zi[s][k] * static_cast<double>(b.work[0]));
        }
        started[s] = true;
      }
      sos_filter_f32(plan.stage_sections[s], plan.stage_section_count, state[s], b.work, n);
      // Keep the stage's samples 0, r, 2r, ... counted from the start of the signal.
      const int r = plan.factors[s];
      size_t kept = 0;
      for (size_t i = 0; i < n; ++i) {
        if ((phase[s] + static_cast<int>(i % static_cast<size_t>(r))) % r == 0) b.work[kept++] = b.work[i];
      }
      phase[s] = static_cast<int>((static_cast<size_t>(phase[s]) + n) % static_cast<size_t>(r));
      n = kept;
    }
    for (size_t i = 0; i < n; ++i) b.axis[written++] = b.work[i];
  }
  *length = written;
  *offset = c;
  return kOk;
}

void remove_mean(float* x, size_t n) {
  const float mean = stats_mean(x, n);
  for (size_t i = 0; i < n; ++i) x[i] -= mean;
}

// Mean of the float32 Butterworth's zero-input response from its unit steady state, r(t), t < n; and
// when `x` is given, x[t] -= scale * (r(t) - mean). b.work is the buffer.
float butterworth_rest_response(const Plan& plan, const Buffers& b, size_t n, float* x, float scale,
                                float mean) {
  float z[2 * kIirMaxSections];
  for (int k = 0; k < 2 * plan.butter_count; ++k) z[k] = static_cast<float>(plan.butter_zi[k]);
  float sum = 0.0f;
  float compensation = 0.0f;  // Kahan: r(t) is summed in order, not pairwise
  for (size_t start = 0; start < n; start += kChunkFrames) {
    const size_t len =
        n - start < static_cast<size_t>(kChunkFrames) ? n - start : static_cast<size_t>(kChunkFrames);
    for (size_t i = 0; i < len; ++i) b.work[i] = 0.0f;
    sos_filter_f32(plan.butter, plan.butter_count, z, b.work, len);
    for (size_t i = 0; i < len; ++i) {
      if (x) {
        x[start + i] -= scale * (b.work[i] - mean);
      } else {
        const float y = b.work[i] - compensation;
        const float t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
      }
    }
  }
  return n == 0 ? 0.0f : sum / static_cast<float>(n);
}

// After read_axis: the Butterworth, then the mean removed. When read_axis took an offset c off, the
// decimated signal is y' = y - G*c. Without a Butterworth the mean removal takes G*c away anyway. With one
// (zero initial state), filtering y' instead of y misses G*c times the filter's step response s(t) =
// G_b - r(t), r the response from its unit steady state with no input; after the mean removal that is
// -G*c*(r(t) - mean(r)), which is added back. Every term is small, so float32 keeps its precision.
void finish_axis(const Plan& plan, const Buffers& b, size_t n, float offset) {
  if (plan.butter_count > 0) {
    float z[2 * kIirMaxSections] = {0.0f};
    sos_filter_f32(plan.butter, plan.butter_count, z, b.axis, n);
  }
  remove_mean(b.axis, n);
  if (plan.butter_count > 0 && offset != 0.0f) {
    const float gc = static_cast<float>(plan.decimation_gain * static_cast<double>(offset));
    const float mean_r = butterworth_rest_response(plan, b, n, 0, 0.0f, 0.0f);
    butterworth_rest_response(plan, b, n, b.axis, gc, mean_r);
  }
}

// RMS, skewness, kurtosis, spectral skewness and kurtosis, then the feature bins of the max-hold spectrum.
void fft_features(const SpectralAnalysisParams& p, const Buffers& b, const float* x, size_t n, double fs,
                  float* out) {
  out[0] = stats_rms(x, n);
  const StatsMoments m = stats_moments(x, n);
  out[1] = m.skewness;
  out[2] = m.kurtosis;

  // Max-hold Welch: windows at 0, hop, 2 hop, ... while start <= n, each zero-padded to fft_length. A window
  // starting at n is all zeros and cannot raise a maximum, so it is skipped.
  const size_t length = static_cast<size_t>(p.fft_length);
  const size_t hop = p.do_fft_overlap ? length - length / 2 : length;
  const int bins = p.fft_length / 2 + 1;
  const float inverse_n = 1.0f / static_cast<float>(p.fft_length);  // a power of two: exact
  for (int k = 0; k < bins; ++k) b.power[k] = 0.0f;
  for (size_t start = 0; start < n; start += hop) {
    const size_t used = n - start < length ? n - start : length;
    for (size_t i = 0; i < used; ++i) b.frame[i] = x[start + i];
    for (size_t i = used; i < length; ++i) b.frame[i] = 0.0f;
    rfft(b.fft, b.frame, b.frame);
    for (int k = 0; k < bins; ++k) {
      const float re = b.frame[2 * k], im = b.frame[2 * k + 1];
      const float power = (re * re + im * im) * inverse_n;
      if (power > b.power[k]) b.power[k] = power;
    }
  }
  const StatsMoments spectral = stats_moments(b.power, static_cast<size_t>(bins));
  out[3] = spectral.skewness;
  out[4] = spectral.kurtosis;

  const BinRange r = feature_bins(p, fs);
  float* value = out + kSpectralFftStatistics;
  for (int k = r.first; k <= r.last; ++k) {
    float v = b.power[k];
    if (p.do_log) v = log10_f32(v == 0.0f ? kZeroPower : v);
    *value++ = v;
  }
}

// entropy, zcross, mcross, n5, n25, n75, n95, median, mean, std, var, rms, skew, kurtosis of a[0..n);
// sorts a.
void wavelet_features(float* a, size_t n, float* out) {
  out[0] = stats_histogram_entropy(a, n);
  out[1] = stats_crossing_rate(a, n, 0.0f);
  out[2] = stats_crossing_rate(a, n, stats_mean(a, n));
  stats_sort(a, n);
  out[3] = stats_percentile_sorted(a, n, 5);
  out[4] = stats_percentile_sorted(a, n, 25);
  out[5] = stats_percentile_sorted(a, n, 75);
  out[6] = stats_percentile_sorted(a, n, 95);
  out[7] = stats_percentile_sorted(a, n, 50);
  const StatsMoments m = stats_moments(a, n);
  const float rms = stats_rms(a, n);
  out[8] = m.mean;
  out[9] = sqrtf(m.variance);
  // ddof = 1; numpy gives NaN for a single value, here 0 (cannot happen above level 0 with 32 samples).
  out[10] = n > 1 ? m.variance * (static_cast<float>(n) / static_cast<float>(n - 1)) : 0.0f;
  out[11] = rms;
  out[12] = rms == 0.0f ? 0.0f : m.skewness;
  out[13] = rms == 0.0f ? 0.0f : m.kurtosis;
}

Status check_length(const SpectralAnalysisParams& p, size_t samples_per_axis, int axes) {
  if (samples_per_axis == 0) return kSignalTooShort;
  if (samples_per_axis > static_cast<size_t>(0x7fffffff) / static_cast<size_t>(axes)) return kSignalTooLong;
  const size_t decimated = decimated_length(samples_per_axis, p.input_decimation_ratio);
  if (p.analysis_type == kSpectralAnalysisWavelet) {
    const double needed = kWaveletMinLengthUnit * ldexp(1.0, p.wavelet_level);
    if (needed > static_cast<double>(decimated)) return kBadWaveletLevel;
  } else if (p.extra_low_freq) {
    const size_t low = (decimated + kLowFrequencyRatio - 1) / kLowFrequencyRatio;
    if (static_cast<double>(low) < p.fft_length / 2.0) return kSignalTooShort;
  }
  return kOk;
}

Status make_plan(const SpectralAnalysisParams& p, double fs, int axes, size_t samples, Plan* plan) {
  Status status = spectral_analysis_validate(p, fs, axes);
  if (status != kOk) return status;
  status = check_length(p, samples, axes);
  if (status != kOk) return status;
  memset(plan, 0, sizeof(*plan));
  plan->samples = samples;
  plan->decimated = decimated_length(samples, p.input_decimation_ratio);
  plan->fs = decimated_rate(fs, p.input_decimation_ratio);
  plan->stages = decimation_stages(p.input_decimation_ratio, plan->factors);
  plan->decimation_gain = 1.0;
  for (int s = 0; s < plan->stages; ++s) {
    double gain = 1.0;
    if (!design_chebyshev(plan->factors[s], plan->stage_sections[s], plan->stage_zi[s],
                          &plan->stage_section_count, &gain))
      return kBadDecimationRatio;
    plan->decimation_gain *= gain;
  }
  if (p.analysis_type == kSpectralAnalysisFft && p.extra_low_freq &&
      !design_chebyshev(kLowFrequencyRatio, plan->low_sections, plan->low_zi, &plan->low_section_count)) {
    return kBadDecimationRatio;
  }
  if (butterworth_used(p)) {
    SosSection s[kIirMaxSections];
    const double wn = p.filter_cutoff * 2.0 / (fs / p.input_decimation_ratio);
    const int n = butterworth_design(p.filter_order, wn,
                                     p.filter_type == kSpectralFilterLow ? kIirLowPass : kIirHighPass, s);
    if (n == 0) return kBadFilterCutoff;
    sos_to_f32(s, n, plan->butter);
    plan->butter_count = n;
    // The steady state of the filter as it runs (float32 coefficients), for finish_axis.
    SosSection rounded[kIirMaxSections];
    for (int i = 0; i < n; ++i) {
      rounded[i].b0 = plan->butter[i].b0;
      rounded[i].b1 = plan->butter[i].b1;
      rounded[i].b2 = plan->butter[i].b2;
      rounded[i].a1 = plan->butter[i].a1;
      rounded[i].a2 = plan->butter[i].a2;
    }
    sos_steady_state(rounded, n, plan->butter_zi);
  }
  if (p.analysis_type == kSpectralAnalysisWavelet) wavelet_filters(p.wavelet, &plan->wavelet);
  plan->main_features = main_count(p, plan->fs);
  plan->low_features = low_frequency_count(p, plan->fs);
  return kOk;
}

// A bounded string builder for the labels (no stdio: newlib-nano's printf has no %f unless linked in).
struct Text {
  char data[128];
  size_t length;
  bool overflow;
};

void append(Text* t, const char* s) {
  for (; *s; ++s) {
    if (t->length + 1 >= sizeof(t->data)) {
      t->overflow = true;
      return;
    }
    t->data[t->length++] = *s;
  }
  t->data[t->length] = '\0';
}

// Decimal digits of a non-negative integer below 2^63.
void append_integer(Text* t, double value) {
  char digits[24];
  int n = 0;
  do {
    const double q = floor(value / 10.0);
    digits[n++] = static_cast<char>('0' + static_cast<int>(value - q * 10.0));
    value = q;
  } while (value > 0.0 && n < 23);
  char reversed[24];
  for (int i = 0; i < n; ++i) reversed[i] = digits[n - 1 - i];
  reversed[n] = '\0';
  append(t, reversed);
}

// Python's str(round(x, 2)) for |x| < 1e13: x rounded to 2 decimals from its exact binary value, halves to
// even (as CPython's round), printed in the shortest form ("29.3", "2.0", "1.95", "-0.0"). x*100 is formed
// exactly as p + e (Veltkamp/Dekker product; 100 needs no split), so a value just below or above a half is
// rounded the right way even when the double product lands on the half.
void append_hz(Text* t, double x) {
  if (x != x || !(fabs(x) < 1e13)) {
    append(t, x != x ? "nan" : "inf");
    return;
  }
  if (signbit(x)) append(t, "-");
  const double a = fabs(x);
  const double p = a * 100.0;
  const double c = 134217729.0 * a;  // 2^27 + 1
  const double a_hi = c - (c - a);
  const double a_lo = a - a_hi;
  const double e = (a_hi * 100.0 - p) + a_lo * 100.0;  // a*100 - p, exactly
  double k = floor(p);
  const double f = p - k;  // exact
  if (f > 0.5 || (f == 0.5 && (e > 0.0 || (e == 0.0 && fmod(k, 2.0) != 0.0)))) k += 1.0;
  // (When p is an integer the exact product is within half an ulp of it and rounds to it: k stays.)
  const double whole = floor(k / 100.0);
  const int cents = static_cast<int>(k - whole * 100.0);
  append_integer(t, whole);
  char decimals[4] = {'.', static_cast<char>('0' + cents / 10), static_cast<char>('0' + cents % 10), '\0'};
  if (decimals[2] == '0') decimals[2] = '\0';  // "2.50" -> "2.5", "2.00" -> "2.0"
  append(t, decimals);
}

const char* const kWaveletLabels[kSpectralWaveletFeatures] = {"entropy", "zcross", "mcross", "n5",      "n25",
                                                              "n75",     "n95",    "median", "mean",    "std",
                                                              "var",     "rms",    "skew",   "kurtosis"};
const char* const kFftLabels[kSpectralFftStatistics] = {"RMS", "Skewness", "Kurtosis", "Spectral Skewness",
                                                        "Spectral Kurtosis"};

}  // namespace

SpectralAnalysisParams spectral_analysis_default_params() {
  SpectralAnalysisParams p;
  p.scale_axes = 1.0;
  p.input_decimation_ratio = 1;
  p.filter_type = kSpectralFilterNone;
  p.filter_cutoff = 3.0;
  p.filter_order = 6;
  p.analysis_type = kSpectralAnalysisFft;
  p.fft_length = 16;
  p.do_log = true;
  p.do_fft_overlap = true;
  p.extra_low_freq = false;
  p.wavelet_level = 1;
  p.wavelet = kWaveletDb4;
  return p;
}

Status spectral_analysis_validate(const SpectralAnalysisParams& p, double fs, int axes) {
  if (!finite(fs) || fs <= 0.0) return kBadSamplingFrequency;
  if (axes < 1 || axes > kSpectralMaxAxes) return kBadAxes;
  if (!finite(p.scale_axes) || !finite(static_cast<float>(p.scale_axes))) return kBadScale;
  int factors[3];
  if (decimation_stages(p.input_decimation_ratio, factors) < 0) return kBadDecimationRatio;
  if (p.filter_type != kSpectralFilterNone && p.filter_type != kSpectralFilterLow &&
      p.filter_type != kSpectralFilterHigh) {
    return kBadFilterType;
  }
  if (p.analysis_type != kSpectralAnalysisFft && p.analysis_type != kSpectralAnalysisWavelet)
    return kBadAnalysisType;
  // The reference wants a power of two whatever the analysis type; the FFT needs 2..8192.
  if (!power_of_two(p.fft_length)) return kBadFftLength;
  if (p.analysis_type == kSpectralAnalysisFft && !rfft_length_supported(p.fft_length)) return kBadFftLength;
  if (p.filter_type != kSpectralFilterNone) {
    if (!finite(p.filter_cutoff)) return kBadFilterCutoff;
    // The reference: "decimation ratio is too high" when the cut-off is above 0.9 of the decimated Nyquist.
    if (p.input_decimation_ratio > 1 && p.filter_cutoff > fs / 2.0 / p.input_decimation_ratio * 0.9) {
      return kBadDecimationRatio;
    }
    // Even orders 2..8 make a filter, 0 only masks bins; the reference ignores negative orders, we refuse
    // them.
    if (p.filter_order < 0 || p.filter_order > kSpectralMaxFilterOrder || p.filter_order % 2 != 0) {
      return kBadFilterOrder;
    }
    if (p.filter_order > 0) {
      const double rate = fs / p.input_decimation_ratio;
      const double wn = p.filter_cutoff * 2.0 / rate;
      if (!(wn > 0.0) || !(wn < 1.0)) return kBadFilterCutoff;
      if (!reference_filter_stable(p.filter_order, p.filter_cutoff, rate)) return kBadFilterCutoff;
    }
  }
  if (p.analysis_type == kSpectralAnalysisWavelet) {
    if (!wavelet_name(p.wavelet)) return kBadWavelet;
    if (p.wavelet_level < 0 || p.wavelet_level > kSpectralMaxWaveletLevel) return kBadWaveletLevel;
  } else {
    // "Cutoff frequency masked all FFT bins."
    const double rate = decimated_rate(fs, p.input_decimation_ratio);
    if (bin_count(feature_bins(p, rate)) == 0) return kBadFilterCutoff;
    if (p.extra_low_freq && bin_count(feature_bins(p, rate / kLowFrequencyRatio)) == 0)
      return kBadFilterCutoff;
  }
  return kOk;
}

Status spectral_analysis_output_shape(const SpectralAnalysisParams& p, double fs, int axes,
                                      size_t samples_per_axis, FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = spectral_analysis_validate(p, fs, axes);
  if (status != kOk) return status;
  status = check_length(p, samples_per_axis, axes);
  if (status != kOk) return status;
  const double rate = decimated_rate(fs, p.input_decimation_ratio);
  shape->frames = 1;
  shape->values = axes * (main_count(p, rate) + low_frequency_count(p, rate));
  return kOk;
}

size_t spectral_analysis_scratch_bytes(const SpectralAnalysisParams& p, double fs, int axes, size_t samples) {
  FeatureShape shape;
  if (spectral_analysis_output_shape(p, fs, axes, samples, &shape) != kOk) return 0;
  return bytes_of(sizes_for(p, axes, decimated_length(samples, p.input_decimation_ratio)));
}

Status spectral_analysis_run(const SpectralAnalysisParams& p, double fs, int axes, const kiln_signal& signal,
                             void* scratch, size_t scratch_bytes, float* out, size_t out_capacity) {
  if (!out || !scratch || !signal.get_data) return kNullArgument;
  const Status valid = spectral_analysis_validate(p, fs, axes);
  if (valid != kOk) return valid;
  if (signal.total_length % static_cast<size_t>(axes) != 0) return kSignalLengthMismatch;
  const size_t samples = signal.total_length / static_cast<size_t>(axes);
  Plan plan;
  Status status = make_plan(p, fs, axes, samples, &plan);
  if (status != kOk) return status;
  const Sizes sizes = sizes_for(p, axes, plan.decimated);
  if (scratch_bytes < bytes_of(sizes)) return kScratchTooSmall;
  const size_t total =
      static_cast<size_t>(axes) * static_cast<size_t>(plan.main_features + plan.low_features);
  if (total > out_capacity) return kOutputTooSmall;

  ScratchArena arena(scratch, scratch_bytes);
  Buffers b;
  memset(&b, 0, sizeof(b));
  b.chunk = arena.take<float>(sizes.chunk);
  b.work = arena.take<float>(sizes.work);
  b.axis = arena.take<float>(sizes.axis);
  if (!b.chunk || !b.work || !b.axis) return kScratchTooSmall;
  if (p.analysis_type == kSpectralAnalysisFft) {
    unsigned char* fft_memory = arena.take<unsigned char>(sizes.fft);
    b.frame = arena.take<float>(sizes.frame);
    b.power = arena.take<float>(sizes.power);
    if (!fft_memory || !b.frame || !b.power) return kScratchTooSmall;
    status = rfft_init(&b.fft, p.fft_length, fft_memory, sizes.fft);
    if (status != kOk) return status;
  } else {
    b.half_a = arena.take<float>(sizes.half);
    b.half_b = arena.take<float>(sizes.half);
    if (!b.half_a || !b.half_b) return kScratchTooSmall;
  }

  for (int a = 0; a < axes; ++a) {
    size_t n = 0;
    float offset = 0.0f;
    status = read_axis(plan, p, axes, a, signal, b, &n, &offset);
    if (status != kOk) return status;
    finish_axis(plan, b, n, offset);
    float* main_out = out + static_cast<size_t>(a) * static_cast<size_t>(plan.main_features);
    if (p.analysis_type == kSpectralAnalysisFft) {
      fft_features(p, b, b.axis, n, plan.fs, main_out);
      if (p.extra_low_freq) {
        // Decimate the filtered, mean-free axis by 10 in place (the kept sample i*10 >= i), then repeat.
        float z[2 * kIirMaxSections];
        for (int k = 0; k < 2 * plan.low_section_count; ++k)
          z[k] = static_cast<float>(plan.low_zi[k] * static_cast<double>(b.axis[0]));
        sos_filter_f32(plan.low_sections, plan.low_section_count, z, b.axis, n);
        size_t kept = 0;
        for (size_t i = 0; i < n; i += kLowFrequencyRatio) b.axis[kept++] = b.axis[i];
        remove_mean(b.axis, kept);
        float* low_out = out + static_cast<size_t>(axes) * static_cast<size_t>(plan.main_features) +
                         static_cast<size_t>(a) * static_cast<size_t>(plan.low_features);
        fft_features(p, b, b.axis, kept, plan.fs / kLowFrequencyRatio, low_out);
      }
    } else {
      // wavedec: arrays [cA_n, cD_n, ..., cD_1]; level i's detail goes to slot n + 1 - i. The approximation
      // ping-pongs between the axis buffer and half_a (each next one is at most as long as half_a), the
      // detail goes to half_b and is sorted there by its statistics.
      float* current = b.axis;
      float* other = b.half_a;
      size_t length = n;
      const int levels = p.wavelet_level;
      for (int level = 1; level <= levels; ++level) {
        const size_t next = dwt_output_length(length, plan.wavelet.length);
        dwt_f32(plan.wavelet, current, length, other, b.half_b);
        wavelet_features(b.half_b, next, main_out + kSpectralWaveletFeatures * (levels + 1 - level));
        float* t = current;
        current = other;
        other = t;
        length = next;
      }
      wavelet_features(current, length, main_out);
    }
  }
  return kOk;
}

size_t spectral_analysis_s8_scratch_bytes(const SpectralAnalysisParams& p, double fs, int axes,
                                          size_t samples) {
  FeatureShape shape;
  if (spectral_analysis_output_shape(p, fs, axes, samples, &shape) != kOk) return 0;
  return ScratchArena::bytes_for<float>(static_cast<size_t>(shape.values)) +
         spectral_analysis_scratch_bytes(p, fs, axes, samples);
}

Status spectral_analysis_run_s8(const SpectralAnalysisParams& p, double fs, int axes,
                                const kiln_signal& signal, void* scratch, size_t scratch_bytes, float scale,
                                int32_t zero_point, int8_t* out, size_t out_capacity) {
  if (!out || !scratch) return kNullArgument;
  const Status valid = spectral_analysis_validate(p, fs, axes);
  if (valid != kOk) return valid;
  if (signal.total_length % static_cast<size_t>(axes) != 0) return kSignalLengthMismatch;
  FeatureShape shape;
  Status status =
      spectral_analysis_output_shape(p, fs, axes, signal.total_length / static_cast<size_t>(axes), &shape);
  if (status != kOk) return status;
  const size_t count = static_cast<size_t>(shape.values);
  const size_t features_bytes = ScratchArena::bytes_for<float>(count);
  if (scratch_bytes < features_bytes) return kScratchTooSmall;
  ScratchArena arena(scratch, features_bytes);
  float* features = arena.take<float>(count);
  if (!features) return kScratchTooSmall;
  if (count > out_capacity) return kOutputTooSmall;
  status = spectral_analysis_run(p, fs, axes, signal, static_cast<unsigned char*>(scratch) + features_bytes,
                                 scratch_bytes - features_bytes, features, count);
  if (status != kOk) return status;
  for (size_t i = 0; i < count; ++i) out[i] = nn::quantize_s8(features[i], scale, zero_point);
  return kOk;
}

int spectral_analysis_label_count(const SpectralAnalysisParams& p, double fs) {
  if (spectral_analysis_validate(p, fs, 1) != kOk) return 0;
  const double rate = decimated_rate(fs, p.input_decimation_ratio);
  return main_count(p, rate) + low_frequency_count(p, rate);
}

Status spectral_analysis_label(const SpectralAnalysisParams& p, double fs, int index, char* buf,
                               size_t buf_size) {
  if (!buf) return kNullArgument;
  const Status status = spectral_analysis_validate(p, fs, 1);
  if (status != kOk) return status;
  const double rate = decimated_rate(fs, p.input_decimation_ratio);
  const int main = main_count(p, rate);
  const int low = low_frequency_count(p, rate);
  if (index < 0 || index >= main + low) return kBadFrameIndex;
  Text text;
  text.length = 0;
  text.overflow = false;
  text.data[0] = '\0';
  if (p.analysis_type == kSpectralAnalysisWavelet) {
    append(&text, "L");
    append_integer(&text, index / kSpectralWaveletFeatures);
    append(&text, "-");
    append(&text, kWaveletLabels[index % kSpectralWaveletFeatures]);
  } else {
    const bool is_low = index >= main;
    const int i = is_low ? index - main : index;
    const double at = is_low ? rate / kLowFrequencyRatio : rate;
    if (i < kSpectralFftStatistics) {
      append(&text, kFftLabels[i]);
      if (is_low) append(&text, " LF");
    } else {
      // numpy.fft.rfftfreq(n, 1/fs)[k] = k * (1 / (n * (1/fs))); the band is that +- half a bin. The
      // reference adds " LF" to the statistics' labels only, not to the band labels (their frequencies differ
      // anyway).
      const int k = feature_bins(p, at).first + (i - kSpectralFftStatistics);
      const double spacing = 1.0 / (p.fft_length * (1.0 / at));
      const double centre = k * spacing;
      append(&text, "Spectral Power ");
      append_hz(&text, centre - spacing / 2.0);
      append(&text, " - ");
      append_hz(&text, centre + spacing / 2.0);
      append(&text, " Hz");
    }
  }
  if (text.overflow || text.length + 1 > buf_size) return kOutputTooSmall;
  memcpy(buf, text.data, text.length + 1);
  return kOk;
}

Status spectral_analysis_feature_label(const SpectralAnalysisParams& p, double fs, int axes, int feature,
                                       int* axis, int* label_index) {
  if (!axis || !label_index) return kNullArgument;
  const Status status = spectral_analysis_validate(p, fs, axes);
  if (status != kOk) return status;
  const double rate = decimated_rate(fs, p.input_decimation_ratio);
  const int main = main_count(p, rate);
  const int low = low_frequency_count(p, rate);
  if (feature < 0 || feature >= axes * (main + low)) return kBadFrameIndex;
  if (feature < axes * main) {
    *axis = feature / main;
    *label_index = feature % main;
  } else {
    *axis = (feature - axes * main) / low;
    *label_index = main + (feature - axes * main) % low;
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
