#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/mfe.h"

#include <limits.h>
#include <math.h>

#include "dsp/log10.h"
#include "dsp/scratch_arena.h"
#include "nn/quantize.h"

// Numerics. The reference computes the pre-emphasis in float32 and everything after it in float64; this
// implementation stays in float32 after the pre-emphasis too (it runs on Cortex-M4F), which keeps its v*256
// within about 1e-4 LSB of the reference's (up to a few 1e-3 LSB for bands 50 dB or more below a loud frame's
// peak, where float32 FFT rounding dominates); an output differs only where the reference is that close to a
// rounding boundary. The parts that decide integer results (frame sizes, mel bin edges) are computed in
// double, exactly as the reference does, because there a rounding difference would move a whole band. Build
// the SDK without floating-point contraction (-ffp-contract=off, set in sdk/CMakeLists.txt): a fused
// multiply-add in the pre-emphasis or the FFT would change results bit-wise between targets.
//
// Host == device. The per-frame log10 is our own (dsp/log10.h): libm's log10f differs between glibc and
// newlib in the last bit, and the 1/256 rounding turns that into a whole step now and then. The FFT twiddles
// come from our own series too (fft.cpp). The mel points keep libm's log/exp in double: they only choose
// integer bins (floor of (fft_length + 1) * hz / fs), which a last-bit difference could move only when that
// product is within about 1e-13 of an integer; numpy's reference uses libm in the same way, so our own
// log/exp would not be more faithful to it. kiln deploy can check the bins the device computes against the
// host's.

namespace kiln {
namespace dsp {
namespace {

const float kInt16Scale =
    1.0f / 32768.0f;               // int16 PCM units to [-1, 1); a power of two, so the product is exact
const float kPreEmphasis = 0.98f;  // y[n] = x[n] - 0.98 x[n-1], the coefficient rounded to float32
const float kZeroEnergy = 1e-10f;  // the reference replaces exactly-zero band energies by 1e-10
const float kMinEnergy = 1e-30f;   // ... and clips every energy below at 1e-30 before the log
const double kTopDb = 12.0;        // v = (dB - noise_floor) / (12 - noise_floor)

bool finite(double x) {
  return x == x && x - x == 0.0;
}

double hz_to_mel(double hz) {
  return 1127.0 * log(1.0 + hz / 700.0);
}
double mel_to_hz(double mel) {
  return 700.0 * (exp(mel / 1127.0) - 1.0);
}

double effective_high_frequency(const MfeParams& p) {
  return p.high_frequency == 0.0 ? p.sampling_frequency / 2.0 : p.high_frequency;
}

// The num_filters + 2 points spread evenly on the mel scale from low to high (numpy.linspace: i * step +
// start, the last point exactly the end), converted back to Hz, the last point lowered by 0.001 Hz, and
// mapped to FFT bins with bin = floor((fft_length + 1) * hz / fs). Filter i is the triangle over points i,
// i+1, i+2.
struct MelPoints {
  double mel_low;
  double mel_high;
  double step;
  int count;
  int fft_length;
  double sampling_frequency;
};

MelPoints mel_points(const MfeParams& p) {
  MelPoints m;
  m.mel_low = hz_to_mel(p.low_frequency);
  m.mel_high = hz_to_mel(effective_high_frequency(p));
  m.count = p.num_filters + 2;
  m.step = (m.mel_high - m.mel_low) / (m.count - 1);
  m.fft_length = p.fft_length;
  m.sampling_frequency = p.sampling_frequency;
  return m;
}

int mel_point_bin(const MelPoints& m, int i) {
  const double hz = i == m.count - 1 ? mel_to_hz(m.mel_high) - 0.001 : mel_to_hz(i * m.step + m.mel_low);
  return static_cast<int>(floor((m.fft_length + 1) * hz / m.sampling_frequency));
}

// Checks the bins the filters fall on: inside the spectrum, in order, and no filter without a non-zero weight
// (left == middle == right), which the reference refuses with "At least one row of the mel filterbank
// contains all zeros" (too many filters for the FFT length).
Status check_mel_bins(const MfeParams& p) {
  const MelPoints m = mel_points(p);
  int previous = 0;
  int run = 0;  // how many points in a row fall on the same bin
  for (int i = 0; i < m.count; ++i) {
    const int bin = mel_point_bin(m, i);
    if (bin < previous)
      return kBadLowFrequency;  // low and high so close that the 0.001 Hz shift reorders them
    if (bin > p.fft_length / 2) return kBadHighFrequency;
    run = (i > 0 && bin == previous) ? run + 1 : 1;
    if (run >= 3) return kEmptyMelFilter;
    previous = bin;
  }
  return kOk;
}

// The reference's triangle: rising (k - left) / (middle - left) on (left, middle], falling
// (right - k) / (right - middle) on [middle, right) (the falling edge wins at k == middle), 0 elsewhere.
float triangle_weight(int k, int left, int middle, int right) {
  double w = 0.0;
  if (k > left && k <= middle) w = static_cast<double>(k - left) / (middle - left);
  if (k >= middle && k < right) w = static_cast<double>(right - k) / (right - middle);
  return static_cast<float>(w);
}

// Upper bound of the total number of triangle weights: with non-decreasing bins b[0..F+1] <= fft_length/2,
// the sum over filters of (b[i+2] - b[i] + 1) telescopes to at most fft_length + F.
size_t weight_capacity(const MfeParams& p) {
  return static_cast<size_t>(p.fft_length) + static_cast<size_t>(p.num_filters);
}

// mfe_scratch_bytes for parameters already validated.
size_t scratch_bytes_for(const MfeParams& p) {
  const size_t filters = static_cast<size_t>(p.num_filters);
  return rfft_scratch_bytes(p.fft_length) +
         ScratchArena::bytes_for<float>(static_cast<size_t>(p.fft_length) + 2) +
         2 * ScratchArena::bytes_for<int>(filters) + ScratchArena::bytes_for<float>(weight_capacity(p));
}

}  // namespace

MfeParams mfe_default_params(double sampling_frequency) {
  MfeParams p;
  p.sampling_frequency = sampling_frequency;
  p.frame_length = 0.02;
  p.frame_stride = 0.01;
  p.num_filters = 40;
  p.fft_length = 256;
  p.low_frequency = 0.0;
  p.high_frequency = 0.0;
  p.noise_floor_db = -52.0;
  return p;
}

size_t mfe_seconds_to_samples(double sampling_frequency, double seconds) {
  const double exact = sampling_frequency * seconds;
  if (!finite(exact) || exact <= 0.0 || exact > static_cast<double>(INT_MAX)) return 0;
  const double below = floor(exact);
  return static_cast<size_t>(exact - below < 0.001 ? below : ceil(exact));
}

Status mfe_validate(const MfeParams& p) {
  const double fs = p.sampling_frequency;
  if (!finite(fs) || fs <= 0.0) return kBadSamplingFrequency;
  if (!finite(p.frame_length) || mfe_seconds_to_samples(fs, p.frame_length) == 0) return kBadFrameLength;
  if (!finite(p.frame_stride) || mfe_seconds_to_samples(fs, p.frame_stride) == 0) return kBadFrameStride;
  if (p.num_filters < kMfeMinFilters || p.num_filters > kMfeMaxFilters) return kBadNumFilters;
  if (p.fft_length < kMfeMinFftLength || p.fft_length > kMfeMaxFftLength ||
      !rfft_length_supported(p.fft_length)) {
    return kBadFftLength;
  }
  if (!finite(p.high_frequency) || p.high_frequency < 0.0 || p.high_frequency > fs / 2.0) {
    return kBadHighFrequency;
  }
  if (!finite(p.low_frequency) || p.low_frequency < 0.0 || p.low_frequency >= effective_high_frequency(p)) {
    return kBadLowFrequency;
  }
  if (!finite(p.noise_floor_db) || p.noise_floor_db >= kTopDb || p.noise_floor_db < -1000.0) {
    return kBadNoiseFloor;
  }
  return check_mel_bins(p);
}

Status mfe_output_shape(const MfeParams& p, size_t signal_length, MfeShape* shape) {
  if (!shape) return kNullArgument;
  Status status = mfe_validate(p);
  if (status != kOk) return status;
  const size_t length = mfe_seconds_to_samples(p.sampling_frequency, p.frame_length);
  const size_t stride = mfe_seconds_to_samples(p.sampling_frequency, p.frame_stride);
  // floor((N - (L - S)) / S) without signed arithmetic: 0 when N < L, else (N - L) / S + 1.
  if (signal_length < length) return kSignalTooShort;
  const size_t frames = (signal_length - length) / stride + 1;
  if (frames > static_cast<size_t>(INT_MAX / p.num_filters)) return kSignalTooLong;
  shape->frames = static_cast<int>(frames);
  shape->values = p.num_filters;
  return kOk;
}

size_t mfe_scratch_bytes(const MfeParams& p) {
  return mfe_validate(p) == kOk ? scratch_bytes_for(p) : 0;
}

Status mfe_prepare(const MfeParams& p, size_t signal_length, void* scratch, size_t scratch_bytes,
                   MfeState* state) {
  if (!state || !scratch) return kNullArgument;
  MfeShape shape;
  Status status = mfe_output_shape(p, signal_length, &shape);
  if (status != kOk) return status;
  if (scratch_bytes < scratch_bytes_for(p)) return kScratchTooSmall;

  ScratchArena arena(scratch, scratch_bytes);
  const size_t fft_bytes = rfft_scratch_bytes(p.fft_length);
  status = rfft_init(&state->fft, p.fft_length, arena.take<unsigned char>(fft_bytes), fft_bytes);
  if (status != kOk) return status;
  state->buffer = arena.take<float>(static_cast<size_t>(p.fft_length) + 2);
  int* first = arena.take<int>(static_cast<size_t>(p.num_filters));
  int* count = arena.take<int>(static_cast<size_t>(p.num_filters));
  float* weights = arena.take<float>(weight_capacity(p));
  if (!state->buffer || !first || !count || !weights) return kScratchTooSmall;

  // Filter i is the triangle over bins b[i], b[i+1], b[i+2]; keep its weights on [b[i], b[i+2]].
  // mfe_validate (through mfe_output_shape) checked that the bins are in order and inside the spectrum.
  const MelPoints mel = mel_points(p);
  int left = mel_point_bin(mel, 0);
  int middle = mel_point_bin(mel, 1);
  size_t used = 0;
  // Only the span from the first to the last non-zero weight is kept (the triangle's ends, k == left and
  // k == right, have weight 0 unless left == middle): leaving out products p * 0 = +0 at the ends of a sum
  // that starts at +0 changes no bit of it for finite powers, and saves two multiply-adds per filter.
  for (int i = 0; i < p.num_filters; ++i) {
    const int right = mel_point_bin(mel, i + 2);
    int lo = left;
    int hi = right;
    while (lo <= hi && triangle_weight(lo, left, middle, right) == 0.0f) ++lo;
    while (hi >= lo && triangle_weight(hi, left, middle, right) == 0.0f) --hi;
    first[i] = lo;
    count[i] = hi - lo + 1;
    for (int k = lo; k <= hi; ++k) weights[used++] = triangle_weight(k, left, middle, right);
    left = middle;
    middle = right;
  }

  state->signal_length = signal_length;
  state->frame_samples = static_cast<int>(mfe_seconds_to_samples(p.sampling_frequency, p.frame_length));
  state->frame_stride = static_cast<int>(mfe_seconds_to_samples(p.sampling_frequency, p.frame_stride));
  state->used_samples = state->frame_samples < p.fft_length ? state->frame_samples : p.fft_length;
  state->frames = shape.frames;
  state->fft_length = p.fft_length;
  state->num_filters = p.num_filters;
  state->noise_floor_db = static_cast<float>(p.noise_floor_db);
  state->filter_first = first;
  state->filter_count = count;
  state->filter_weights = weights;
  return kOk;
}

Status mfe_frame(const MfeState& s, const kiln_signal& signal, int frame, float* values) {
  if (!values || !signal.get_data) return kNullArgument;
  if (frame < 0 || frame >= s.frames) return kBadFrameIndex;
  if (signal.total_length != s.signal_length) return kSignalLengthMismatch;

  // buffer[0] = x[start - 1], buffer[1..used] = x[start .. start + used). The pre-emphasis wraps around, so
  // the first frame's previous sample is the last sample of the signal.
  float* buf = s.buffer;
  const size_t start = static_cast<size_t>(frame) * static_cast<size_t>(s.frame_stride);
  const size_t used = static_cast<size_t>(s.used_samples);
  if (start == 0) {
    if (signal.get_data(signal.ctx, s.signal_length - 1, 1, buf) != 0) return kSignalReadFailed;
    if (signal.get_data(signal.ctx, 0, used, buf + 1) != 0) return kSignalReadFailed;
  } else {
    if (signal.get_data(signal.ctx, start - 1, used + 1, buf) != 0) return kSignalReadFailed;
  }

  // Scale and pre-emphasise in place in float32, exactly as the reference: y = x - float(0.98 * x_prev).
  float previous = buf[0] * kInt16Scale;
  for (size_t j = 0; j < used; ++j) {
    const float current = buf[j + 1] * kInt16Scale;
    buf[j] = current - kPreEmphasis * previous;
    previous = current;
  }
  // Frames longer than the FFT are cut to its length (above); shorter ones are zero-padded.
  for (int j = s.used_samples; j < s.fft_length; ++j) buf[j] = 0.0f;

  rfft(s.fft, buf, buf);

  // Power spectrum |X[k]|^2 / fft_length, written over the spectrum: bin k reads slots 2k and 2k+1, then
  // writes slot k. fft_length is a power of two, so multiplying by its inverse is exactly the division.
  const int bins = s.fft_length / 2 + 1;
  const float inverse_n = 1.0f / static_cast<float>(s.fft_length);
  for (int k = 0; k < bins; ++k) {
    const float re = buf[2 * k], im = buf[2 * k + 1];
    buf[k] = (re * re + im * im) * inverse_n;
  }

  const float* w = s.filter_weights;
  const float floor_db = s.noise_floor_db;
  const float range_db = static_cast<float>(kTopDb) - floor_db;
  for (int i = 0; i < s.num_filters; ++i) {
    const float* power = buf + s.filter_first[i];
    float energy = 0.0f;
    for (int k = 0; k < s.filter_count[i]; ++k) energy += power[k] * w[k];
    w += s.filter_count[i];
    if (energy == 0.0f) energy = kZeroEnergy;
    if (energy < kMinEnergy) energy = kMinEnergy;
    float v = (10.0f * log10_f32(energy) - floor_db) / range_db;
    if (!(v > 0.0f)) v = 0.0f;  // also maps NaN (from non-finite input) to 0
    if (v > 1.0f) v = 1.0f;
    values[i] = v;
  }
  return kOk;
}

float mfe_quantize(float v) {
  // Round half to even like numpy.around. v * 256 is exact (power of two), and so is x - floor(x).
  const float x = v * 256.0f;
  if (!(x > 0.0f)) return 0.0f;  // also NaN
  // Top of the range: v*256 >= 255.5 rounds to 256. The Python reference then casts to uint8, which wraps 256
  // to 0, so Studio's training features hold 0.0 for the loudest bands. We output 1.0 instead, the monotonic
  // value that Edge Impulse's C++ SDK computes on the device (product decision; golden tests compare with
  // expected_no_wrap.f32). A Python-exact mode would be a separate, explicit option.
  if (x >= 255.5f) return 1.0f;
  int q = static_cast<int>(x);  // floor, x is in (0, 255.5)
  const float fraction = x - static_cast<float>(q);
  if (fraction > 0.5f || (fraction == 0.5f && (q & 1) != 0)) ++q;
  return static_cast<float>(q) / 256.0f;
}

Status mfe_run(const MfeParams& p, const kiln_signal& signal, void* scratch, size_t scratch_bytes, float* out,
               size_t out_capacity) {
  if (!out) return kNullArgument;
  MfeState state;
  Status status = mfe_prepare(p, signal.total_length, scratch, scratch_bytes, &state);
  if (status != kOk) return status;
  const size_t filters = static_cast<size_t>(state.num_filters);
  if (static_cast<size_t>(state.frames) * filters > out_capacity) return kOutputTooSmall;
  for (int f = 0; f < state.frames; ++f) {
    float* row = out + static_cast<size_t>(f) * filters;
    status = mfe_frame(state, signal, f, row);
    if (status != kOk) return status;
    for (size_t i = 0; i < filters; ++i) row[i] = mfe_quantize(row[i]);
  }
  return kOk;
}

size_t mfe_s8_scratch_bytes(const MfeParams& p) {
  if (mfe_validate(p) != kOk) return 0;
  return ScratchArena::bytes_for<float>(static_cast<size_t>(p.num_filters)) + scratch_bytes_for(p);
}

Status mfe_run_s8(const MfeParams& p, const kiln_signal& signal, void* scratch, size_t scratch_bytes,
                  float scale, int32_t zero_point, int8_t* out, size_t out_capacity) {
  if (!out || !scratch) return kNullArgument;
  Status status = mfe_validate(p);
  if (status != kOk) return status;
  // One frame of floats first, then mfe_prepare's memory in the rest of the block.
  const size_t filters = static_cast<size_t>(p.num_filters);
  const size_t frame_bytes = ScratchArena::bytes_for<float>(filters);
  if (scratch_bytes < frame_bytes) return kScratchTooSmall;
  ScratchArena arena(scratch, frame_bytes);
  float* row = arena.take<float>(filters);
  if (!row) return kScratchTooSmall;
  MfeState state;
  status = mfe_prepare(p, signal.total_length, static_cast<unsigned char*>(scratch) + frame_bytes,
                       scratch_bytes - frame_bytes, &state);
  if (status != kOk) return status;
  if (static_cast<size_t>(state.frames) * filters > out_capacity) return kOutputTooSmall;
  for (int f = 0; f < state.frames; ++f) {
    status = mfe_frame(state, signal, f, row);
    if (status != kOk) return status;
    int8_t* q = out + static_cast<size_t>(f) * filters;
    for (size_t i = 0; i < filters; ++i) q[i] = nn::quantize_s8(mfe_quantize(row[i]), scale, zero_point);
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
