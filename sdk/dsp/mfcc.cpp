#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/mfcc.h"

#include <limits.h>
#include <math.h>

#include "dsp/fft.h"
#include "dsp/framing.h"
#include "dsp/log10.h"
#include "dsp/mel_filterbank.h"
#include "dsp/scratch_arena.h"
#include "nn/quantize.h"

// Numerics. The reference computes everything in float64 except the CMVN's two float32 stores (and its
// variance pass, which numpy does in float32 over the float32 matrix). This runs in float32 (Cortex-M4F):
// pre-emphasis, FFT, mel energies, logarithms, DCT and the CMVN. The setup (DCT table with the lifter and
// ln(10) folded in, filterbank weights) is double, rounded to float once. Logarithms are our log10_f32, so
// host and device agree bit for bit (libm's logf differs between C libraries in the last bit); frexpf and
// ldexpf are exact operations, the same everywhere.
//
// The CMVN is where float32 could hurt: it divides by a window's standard deviation, which is small for a
// coefficient that hardly changes (a small win_size, a steady sound), so any absolute error in the cepstra
// is amplified. Hence:
// - the cepstra carry as little absolute error as float32 allows: the pre-emphasis keeps the coefficient's
//   rounding away from the low bands (run_frame), the DCT gets log10 energies scaled near 0 instead of ln
//   values around 20-30, and before a CMVN coefficient 0 is ln(energy) minus a constant (run_frame says why
//   both shifts change nothing but rounding);
// - the mean pass sums differences c[j] - c[i] (m[i] = -mean(c[j] - c[i]) needs no cancellation of two large
//   means), and the deviation pass is the two-pass mean-then-squared-deviations form, not running sums.
// Each window is summed afresh; a window wider than the symmetric padding's period 2*frames is split into
// whole periods (each row twice) plus a remainder, so the cost per value is at most about 3 * frames
// whatever win_size. Measured (tests/unit/dsp/test_mfcc.cpp): golden cases within 8e-5 of the reference
// (tolerance 2e-3), a CMVN window of 3 frames within 6e-4; without the CMVN within 7e-5 absolute on cepstra
// up to about 30. As in the spectrogram (spectrogram.cpp), a mel band that is exactly empty in exact
// arithmetic (a pure int16 tone whose period divides the FFT length, with no noise) holds only FFT rounding
// noise, whose logarithm no implementation shares with the reference unless it is the reference's own
// float64 FFT: without the CMVN such coefficients differ by whole units (with it, the frames of such a
// steady tone are all equal and both outputs are near 0: measured within 9e-4).

namespace kiln {
namespace dsp {
namespace {

const float kZeroEnergy = 1e-10f;   // the reference replaces exact-zero energies (band and frame) by 1e-10
const float kCmvnEpsilon = 1e-10f;  // m / (std + 1e-10), added in float32 as numpy does
const double kLn10Double = 2.302585092994045684;
const float kLn10 = static_cast<float>(kLn10Double);
const float kLn2Head = 0.693145751953125f;       // ln(2) to 12 significant bits (0x3f317200)
const float kLn2Tail = 1.4286068202862268e-06f;  // ln(2) - head, to float
const double kPi = 3.14159265358979323846;
const int kDelayChunk = 64;  // pre-emphasis samples read from before the frame per get_data call
const int kSumBlock = 64;    // the frame energy is summed in blocks of this many bins

struct Plan {
  Framing framing;
  size_t signal_length;
  int frames;
  int fft_length;
  int bins;  // fft_length / 2 + 1
  int used;  // samples of a frame that go into the FFT
  int num_filters;
  int num_cepstral;
  int win_size;
  size_t pre_shift;
  bool pre_difference;  // pre-emphasis as (x - x_delayed) + (1 - pre_cof) * x_delayed
  float pre_cof;        // pre_cof, or 1 - pre_cof when pre_difference
  RfftPlan fft;
  MelFilterbank bank;
  float* buffer;      // fft_length + 2 floats: one frame, then its power spectrum
  float* log_energy;  // num_filters floats
  const float* dct;   // (num_cepstral - 1) x num_filters: rows 1.. of the orthonormal DCT-II, liftered
};

MelSpec mel_spec(const MfccParams& p, double fs) {
  MelSpec m;
  m.sampling_frequency = fs;
  m.fft_length = p.fft_length;
  m.num_filters = p.num_filters;
  m.low_frequency = p.low_frequency;
  m.high_frequency = p.high_frequency;
  return m;
}

size_t matrix_values(int frames, const MfccParams& p) {
  return static_cast<size_t>(frames) * static_cast<size_t>(p.num_cepstral);
}

// Bytes of everything one frame needs (independent of the signal length).
size_t frame_bytes(const MfccParams& p, double fs) {
  const size_t filters = static_cast<size_t>(p.num_filters);
  return rfft_scratch_bytes(p.fft_length) +
         ScratchArena::bytes_for<float>(static_cast<size_t>(p.fft_length) + 2) +
         mel_filterbank_scratch_bytes(mel_spec(p, fs)) + ScratchArena::bytes_for<float>(filters) +
         ScratchArena::bytes_for<float>(static_cast<size_t>(p.num_cepstral - 1) * filters);
}

// mfcc_scratch_bytes for valid parameters and a signal with `frames` frames.
size_t run_bytes(const MfccParams& p, double fs, int frames) {
  const size_t cmvn = p.win_size > 0 ? ScratchArena::bytes_for<float>(matrix_values(frames, p)) : 0;
  return frame_bytes(p, fs) + cmvn;
}

// mfcc_s8_scratch_bytes for valid parameters and a signal with `frames` frames.
size_t s8_bytes(const MfccParams& p, double fs, int frames) {
  const size_t values = p.win_size > 0 ? matrix_values(frames, p) : static_cast<size_t>(p.num_cepstral);
  return run_bytes(p, fs, frames) + ScratchArena::bytes_for<float>(values);
}

// Sets up the plan in `arena` (which keeps whatever it has left for the caller's matrices).
Status prepare(const MfccParams& p, double fs, int axes, const kiln_signal& signal, ScratchArena* arena,
               Plan* plan) {
  if (!signal.get_data) return kNullArgument;
  FeatureShape shape;
  Status status = mfcc_output_shape(p, fs, axes, signal.total_length, &shape);
  if (status != kOk) return status;

  const size_t fft_bytes = rfft_scratch_bytes(p.fft_length);
  unsigned char* fft_memory = arena->take<unsigned char>(fft_bytes);
  if (!fft_memory) return kScratchTooSmall;
  status = rfft_init(&plan->fft, p.fft_length, fft_memory, fft_bytes);
  if (status != kOk) return status;
  plan->buffer = arena->take<float>(static_cast<size_t>(p.fft_length) + 2);
  if (!plan->buffer) return kScratchTooSmall;
  status = mel_filterbank_init(mel_spec(p, fs), arena, &plan->bank);
  if (status != kOk) return status;
  const size_t filters = static_cast<size_t>(p.num_filters);
  plan->log_energy = arena->take<float>(filters);
  float* dct = arena->take<float>(static_cast<size_t>(p.num_cepstral - 1) * filters);
  if (!plan->log_energy || !dct) return kScratchTooSmall;

  // Row k of the orthonormal DCT-II: sqrt(2/F) * cos(pi * k * (2n + 1) / (2F)) (row 0 is never used: the
  // frame energy replaces coefficient 0), times the lifter's 1 + (L/2) sin(pi k / L), times ln(10) (the
  // frames hand the DCT log10 values).
  const double f = static_cast<double>(p.num_filters);
  for (int k = 1; k < p.num_cepstral; ++k) {
    const double lift = p.lifter > 0.0 ? 1.0 + p.lifter / 2.0 * sin(kPi * k / p.lifter) : 1.0;
    for (int n = 0; n < p.num_filters; ++n) {
      dct[static_cast<size_t>(k - 1) * filters + static_cast<size_t>(n)] =
          static_cast<float>(kLn10Double * lift * sqrt(2.0 / f) * cos(kPi * k * (2.0 * n + 1.0) / (2.0 * f)));
    }
  }
  plan->dct = dct;

  framing_init(fs, p.frame_length, p.frame_stride, &plan->framing);
  plan->signal_length = signal.total_length;
  plan->frames = shape.frames;
  plan->fft_length = p.fft_length;
  plan->bins = p.fft_length / 2 + 1;
  plan->used = framing_fft_samples(plan->framing, p.fft_length);
  plan->num_filters = p.num_filters;
  plan->num_cepstral = p.num_cepstral;
  plan->win_size = p.win_size;
  plan->pre_shift = static_cast<size_t>(p.pre_shift);
  plan->pre_difference = fabs(1.0 - p.pre_cof) < 0.5;
  plan->pre_cof = static_cast<float>(plan->pre_difference ? 1.0 - p.pre_cof : p.pre_cof);
  return kOk;
}

// Reads `length` values starting at `position` of the signal seen as a ring of signal.total_length values.
Status read_ring(const kiln_signal& signal, size_t position, size_t length, float* out) {
  const size_t first = signal.total_length - position < length ? signal.total_length - position : length;
  if (signal.get_data(signal.ctx, position, first, out) != 0) return kSignalReadFailed;
  if (first < length && signal.get_data(signal.ctx, 0, length - first, out + first) != 0) {
    return kSignalReadFailed;
  }
  return kOk;
}

// ln(energy) - shift * ln(2) with no more rounding than the result's own: energy = m * 2^e exactly
// (frexpf), ln(m) is below 0.7 in magnitude, and (e - shift) * ln(2) is a small integer times a two-part
// ln(2) whose head has 12 significant bits, so that product is exact.
float shifted_log_energy(float energy, int shift) {
  int e = 0;
  const float m = frexpf(energy, &e);
  const float d = static_cast<float>(e - shift);
  return d * kLn2Head + (d * kLn2Tail + log10_f32(m) * kLn10);
}

// Frame `frame`'s num_cepstral coefficients into `row` (before the CMVN). With energy_shift null,
// coefficient 0 is ln(frame energy); else it is ln(frame energy) - *energy_shift * ln(2), *energy_shift
// being set by the first frame (from INT_MIN) to its energy's binary exponent. The CMVN subtracts a window
// mean, so a constant shift of a column changes nothing but rounding: ln(energy) is 20 to 30 for int16 audio,
// where a float32 ulp is 2e-6, and a steady sound (a tone, a chirp, noise) keeps the frame energy so
// constant that the CMVN divides that by a tiny standard deviation. Shifted, coefficient 0 is small exactly
// when that matters.
Status run_frame(const Plan& plan, const kiln_signal& signal, int frame, float* row, int* energy_shift) {
  float* buf = plan.buffer;
  const size_t start = framing_frame_start(plan.framing, frame);
  const size_t used = static_cast<size_t>(plan.used);
  if (signal.get_data(signal.ctx, start, used, buf) != 0) return kSignalReadFailed;

  // Pre-emphasis y[j] = x[j] - pre_cof * x[j - shift] over the frame's samples, the signal wrapping around.
  // Where x[j - shift] is in the frame too, it is read from the buffer, going down so that it is still x.
  // With pre_cof near 1 (0.98 by default) it is computed as (x[j] - x[j - shift]) + (1 - pre_cof) *
  // x[j - shift]: the difference is exact for int16 audio, and the coefficient's float32 rounding (a few
  // parts in 1e8) then scales 0.02 x instead of 0.98 x. That matters where pre-emphasis attenuates most:
  // near 0 Hz y is about 0.02 x, so x - float(0.98) x' would change the lowest bands' energy by 2e-6.
  const float cof = plan.pre_cof;
  const size_t shift = plan.pre_shift;
  const size_t before = shift < used ? shift : used;  // samples whose delayed sample precedes the frame
  if (plan.pre_difference) {
    for (size_t j = used; j-- > shift;) buf[j] = (buf[j] - buf[j - shift]) + cof * buf[j - shift];
  } else {
    for (size_t j = used; j-- > shift;) buf[j] = buf[j] - cof * buf[j - shift];
  }
  const size_t n = plan.signal_length;
  size_t position = (start + n - shift) % n;  // shift < n (mfcc_output_shape checked)
  for (size_t j = 0; j < before; j += kDelayChunk) {
    float delayed[kDelayChunk];
    const size_t chunk = before - j < static_cast<size_t>(kDelayChunk) ? before - j : kDelayChunk;
    Status status = read_ring(signal, position, chunk, delayed);
    if (status != kOk) return status;
    for (size_t t = 0; t < chunk; ++t) {
      const float x = buf[j + t];
      buf[j + t] = plan.pre_difference ? (x - delayed[t]) + cof * delayed[t] : x - cof * delayed[t];
    }
    position = (position + chunk) % n;
  }

  frame_zero_pad(buf, plan.used, plan.fft_length);
  frame_power_spectrum(plan.fft, buf);

  // Frame energy sum_k P[k], in blocks to keep float32's accumulated rounding small on long FFTs.
  float energy = 0.0f;
  for (int k = 0; k < plan.bins; k += kSumBlock) {
    const int end = plan.bins - k < kSumBlock ? plan.bins : k + kSumBlock;
    float part = 0.0f;
    for (int t = k; t < end; ++t) part += buf[t];
    energy += part;
  }
  if (energy == 0.0f) energy = kZeroEnergy;

  // log10 of the band energies relative to 2^r, r about their mean binary exponent. Rows 1.. of the DCT sum
  // to zero, so the constant r * log10(2) they drop changes no coefficient mathematically; what it changes
  // is float32's rounding: log10 values around 0 (a few decades either side) instead of 9 or 10 (ln around
  // 20-25 for int16 audio) carry about ten times less absolute error into the DCT, and that absolute error
  // is what the CMVN later divides by a window's standard deviation. Scaling by 2^-r is exact (r is clamped
  // so that no energy under- or overflows); ln(10) is folded into the DCT table.
  float* log_energy = plan.log_energy;
  mel_filterbank_apply(plan.bank, buf, log_energy);
  long exponent_sum = 0;
  int exponent_min = INT_MAX, exponent_max = INT_MIN;
  for (int i = 0; i < plan.num_filters; ++i) {
    if (log_energy[i] == 0.0f) log_energy[i] = kZeroEnergy;
    int e = 0;
    frexpf(log_energy[i], &e);
    exponent_sum += e;
    if (e < exponent_min) exponent_min = e;
    if (e > exponent_max) exponent_max = e;
  }
  const long mean = exponent_sum / plan.num_filters;
  int r = static_cast<int>(mean);
  if (r > exponent_min + 125) r = exponent_min + 125;  // the smallest energy stays a normal float ...
  if (r < exponent_max - 127) r = exponent_max - 127;  // ... and the largest finite
  if (r > exponent_min + 125) r = 0;                   // no such r (non-finite energies): no shift
  for (int i = 0; i < plan.num_filters; ++i) log_energy[i] = log10_f32(ldexpf(log_energy[i], -r));

  if (!energy_shift) {
    row[0] = log10_f32(energy) * kLn10;
  } else {
    if (*energy_shift == INT_MIN) frexpf(energy, energy_shift);
    row[0] = shifted_log_energy(energy, *energy_shift);
  }
  const float* d = plan.dct;
  for (int k = 1; k < plan.num_cepstral; ++k) {
    float c = 0.0f;
    for (int i = 0; i < plan.num_filters; ++i) c += d[i] * log_energy[i];
    d += plan.num_filters;
    row[k] = c;
  }
  return kOk;
}

// Every frame into `matrix`; coefficient 0 shifted (see run_frame) when the CMVN follows.
Status run_all_frames(const Plan& plan, const kiln_signal& signal, float* matrix) {
  int energy_shift = INT_MIN;
  for (int f = 0; f < plan.frames; ++f) {
    Status status =
        run_frame(plan, signal, f, matrix + static_cast<size_t>(f) * static_cast<size_t>(plan.num_cepstral),
                  plan.win_size > 0 ? &energy_shift : 0);
    if (status != kOk) return status;
  }
  return kOk;
}

// The window of win_size rows centred on row i of a `frames`-row matrix padded on both sides in numpy's
// 'symmetric' mode (... r1 r0 | r0 r1 ... r[n-1] | r[n-1] r[n-2] ...). numpy pads a pad wider than the
// matrix by mirroring repeatedly, which is the same as this periodic extension: position p holds row
// p mod 2n, or 2n - 1 - (p mod 2n) when that is n or more.
struct SymmetricWindow {
  long long period;  // 2 * frames
  long long whole;   // whole periods in a window (each holds every row twice)
  long long rest;    // positions left over, summed one by one
  long long half;    // (win_size - 1) / 2
  int frames;
  float size;  // win_size, the divisor of the mean (exact in float up to 2^24)

  SymmetricWindow(int frames_, int win_size)
      : period(2LL * frames_),
        whole(win_size / (2LL * frames_)),
        rest(win_size % (2LL * frames_)),
        half((win_size - 1) / 2),
        frames(frames_),
        size(static_cast<float>(win_size)) {}

  // sum over the window of row i of value(row): whole periods first (2 * whole * the sum over all rows),
  // then the remaining positions from the window's first one.
  template <typename Value>
  float sum(int i, const Value& value) const {
    float total = 0.0f;
    if (whole > 0) {
      float all = 0.0f;
      for (int r = 0; r < frames; ++r) all += value(r);
      total = all * static_cast<float>(2 * whole);
    }
    long long p = ((i - half) % period + period) % period;
    for (long long t = 0; t < rest; ++t) {
      total += value(static_cast<int>(p < frames ? p : period - 1 - p));
      if (++p == period) p = 0;
    }
    return total;
  }
};

// Column `col` of a row-major matrix with `cols` columns.
struct Column {
  const float* data;
  int cols;
  int col;
  float operator()(int row) const { return data[static_cast<size_t>(row) * static_cast<size_t>(cols) + col]; }
};

struct DifferenceTo {  // c[row] - c[i]
  Column c;
  float ci;
  float operator()(int row) const { return c(row) - ci; }
};

struct SquaredDeviation {  // (m[row] - mean)^2
  Column m;
  float mean;
  float operator()(int row) const {
    const float d = m(row) - mean;
    return d * d;
  }
};

// m[i] = c[i] - mean(window of c around i), written as -mean(c[j] - c[i]); c and m must not overlap.
void cmvn_subtract_mean(const float* c, float* m, int frames, int cols, int win_size) {
  const SymmetricWindow window(frames, win_size);
  for (int col = 0; col < cols; ++col) {
    const Column column = {c, cols, col};
    for (int i = 0; i < frames; ++i) {
      const DifferenceTo difference = {column, column(i)};
      const float mean_difference = window.sum(i, difference) / window.size;
      m[static_cast<size_t>(i) * static_cast<size_t>(cols) + col] = 0.0f - mean_difference;
    }
  }
}

// m[i] / (std(window of m around i) + 1e-10), the population standard deviation.
float cmvn_scaled(const float* m, int frames, int cols, int win_size, int i, int col) {
  const SymmetricWindow window(frames, win_size);
  const Column column = {m, cols, col};
  const float mean = window.sum(i, column) / window.size;
  const SquaredDeviation deviation = {column, mean};
  const float variance = window.sum(i, deviation) / window.size;
  return column(i) / (sqrtf(variance) + kCmvnEpsilon);
}

}  // namespace

MfccParams mfcc_default_params() {
  MfccParams p;
  p.num_cepstral = 13;
  p.frame_length = 0.02;
  p.frame_stride = 0.02;
  p.num_filters = 32;
  p.fft_length = 256;
  p.win_size = 101;
  p.low_frequency = 0.0;
  p.high_frequency = 0.0;
  p.pre_cof = 0.98;
  p.pre_shift = 1;
  p.lifter = 0.0;
  return p;
}

Status mfcc_validate(const MfccParams& p, double fs, int axes) {
  if (axes != 1) return kBadAxes;
  Framing framing;
  Status status = framing_init(fs, p.frame_length, p.frame_stride, &framing);
  if (status != kOk) return status;
  if (p.num_filters < kMelMinFilters || p.num_filters > kMelMaxFilters) return kBadNumFilters;
  if (p.num_cepstral < 1 || p.num_cepstral > p.num_filters) return kBadNumCepstral;
  if (p.fft_length < kMfccMinFftLength || p.fft_length > kMfccMaxFftLength ||
      !rfft_length_supported(p.fft_length)) {
    return kBadFftLength;
  }
  if (p.win_size < 0 || (p.win_size > 0 && p.win_size % 2 == 0)) return kBadWinSize;
  const MelSpec mel = mel_spec(p, fs);
  status = mel_check_frequencies(mel);
  if (status != kOk) return status;
  if (!dsp_finite(p.pre_cof) || p.pre_shift < 1) return kBadPreEmphasis;
  if (!dsp_finite(p.lifter) || p.lifter < 0.0) return kBadLifter;
  return mel_check_bins(mel);
}

Status mfcc_output_shape(const MfccParams& p, double fs, int axes, size_t samples_per_axis,
                         FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = mfcc_validate(p, fs, axes);
  if (status != kOk) return status;
  Framing framing;
  framing_init(fs, p.frame_length, p.frame_stride, &framing);
  int frames = 0;
  status = framing_frame_count(framing, samples_per_axis, p.num_cepstral, &frames);
  if (status != kOk) return status;
  if (static_cast<size_t>(p.pre_shift) >= samples_per_axis) return kBadPreEmphasis;
  shape->frames = frames;
  shape->values = p.num_cepstral;
  return kOk;
}

size_t mfcc_scratch_bytes(const MfccParams& p, double fs, int axes, size_t samples_per_axis) {
  FeatureShape shape;
  if (mfcc_output_shape(p, fs, axes, samples_per_axis, &shape) != kOk) return 0;
  return run_bytes(p, fs, shape.frames);
}

size_t mfcc_s8_scratch_bytes(const MfccParams& p, double fs, int axes, size_t samples_per_axis) {
  FeatureShape shape;
  if (mfcc_output_shape(p, fs, axes, samples_per_axis, &shape) != kOk) return 0;
  return s8_bytes(p, fs, shape.frames);
}

Status mfcc_run(const MfccParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
                size_t scratch_bytes, float* out, size_t out_capacity) {
  if (!out || !scratch) return kNullArgument;
  FeatureShape shape;
  Status status = mfcc_output_shape(p, fs, axes, signal.total_length, &shape);
  if (status != kOk) return status;
  if (scratch_bytes < run_bytes(p, fs, shape.frames)) return kScratchTooSmall;
  const size_t values = matrix_values(shape.frames, p);
  if (values > out_capacity) return kOutputTooSmall;

  ScratchArena arena(scratch, scratch_bytes);
  Plan plan;
  status = prepare(p, fs, axes, signal, &arena, &plan);
  if (status != kOk) return status;
  // The cepstra wait in the output; the mean-subtracted matrix needs its own memory, since every mean reads
  // cepstra of rows already done.
  status = run_all_frames(plan, signal, out);
  if (status != kOk || p.win_size == 0) return status;
  float* m = arena.take<float>(values);
  if (!m) return kScratchTooSmall;
  cmvn_subtract_mean(out, m, shape.frames, p.num_cepstral, p.win_size);
  for (int i = 0; i < shape.frames; ++i) {
    for (int col = 0; col < p.num_cepstral; ++col) {
      out[static_cast<size_t>(i) * static_cast<size_t>(p.num_cepstral) + col] =
          cmvn_scaled(m, shape.frames, p.num_cepstral, p.win_size, i, col);
    }
  }
  return kOk;
}

Status mfcc_run_s8(const MfccParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
                   size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out, size_t out_capacity) {
  if (!out || !scratch) return kNullArgument;
  FeatureShape shape;
  Status status = mfcc_output_shape(p, fs, axes, signal.total_length, &shape);
  if (status != kOk) return status;
  if (scratch_bytes < s8_bytes(p, fs, shape.frames)) return kScratchTooSmall;
  const size_t values = matrix_values(shape.frames, p);
  if (values > out_capacity) return kOutputTooSmall;

  ScratchArena arena(scratch, scratch_bytes);
  Plan plan;
  status = prepare(p, fs, axes, signal, &arena, &plan);
  if (status != kOk) return status;
  const size_t cols = static_cast<size_t>(p.num_cepstral);
  if (p.win_size == 0) {
    float* row = arena.take<float>(cols);
    if (!row) return kScratchTooSmall;
    for (int f = 0; f < shape.frames; ++f) {
      status = run_frame(plan, signal, f, row, 0);
      if (status != kOk) return status;
      for (size_t k = 0; k < cols; ++k)
        out[static_cast<size_t>(f) * cols + k] = nn::quantize_s8(row[k], scale, zero_point);
    }
    return kOk;
  }
  float* c = arena.take<float>(values);
  float* m = arena.take<float>(values);
  if (!c || !m) return kScratchTooSmall;
  status = run_all_frames(plan, signal, c);
  if (status != kOk) return status;
  cmvn_subtract_mean(c, m, shape.frames, p.num_cepstral, p.win_size);
  for (int i = 0; i < shape.frames; ++i) {
    for (int col = 0; col < p.num_cepstral; ++col) {
      out[static_cast<size_t>(i) * cols + col] = nn::quantize_s8(
          cmvn_scaled(m, shape.frames, p.num_cepstral, p.win_size, i, col), scale, zero_point);
    }
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
