#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/mfe.h"

#include "dsp/framing.h"
#include "dsp/log10.h"
#include "dsp/mel_filterbank.h"
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
// come from our own series too (fft.cpp). The mel points keep libm's log/exp in double (mel_filterbank.cpp
// says why). kiln deploy can check the bins the device computes against the host's.
//
// Framing, the power spectrum and the filterbank are shared with MFCC and Spectrogram (framing.h,
// mel_filterbank.h).

namespace kiln {
namespace dsp {
namespace {

const float kInt16Scale =
    1.0f / 32768.0f;               // int16 PCM units to [-1, 1); a power of two, so the product is exact
const float kPreEmphasis = 0.98f;  // y[n] = x[n] - 0.98 x[n-1], the coefficient rounded to float32
const float kZeroEnergy = 1e-10f;  // the reference replaces exactly-zero band energies by 1e-10
const float kMinEnergy = 1e-30f;   // ... and clips every energy below at 1e-30 before the log
const double kTopDb = 12.0;        // v = (dB - noise_floor) / (12 - noise_floor)

MelSpec mel_spec(const MfeParams& p) {
  MelSpec m;
  m.sampling_frequency = p.sampling_frequency;
  m.fft_length = p.fft_length;
  m.num_filters = p.num_filters;
  m.low_frequency = p.low_frequency;
  m.high_frequency = p.high_frequency;
  return m;
}

// mfe_scratch_bytes for parameters already validated.
size_t scratch_bytes_for(const MfeParams& p) {
  return rfft_scratch_bytes(p.fft_length) +
         ScratchArena::bytes_for<float>(static_cast<size_t>(p.fft_length) + 2) +
         mel_filterbank_scratch_bytes(mel_spec(p));
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
  return frame_seconds_to_samples(sampling_frequency, seconds);
}

Status mfe_validate(const MfeParams& p) {
  Framing framing;
  Status status = framing_init(p.sampling_frequency, p.frame_length, p.frame_stride, &framing);
  if (status != kOk) return status;
  if (p.num_filters < kMfeMinFilters || p.num_filters > kMfeMaxFilters) return kBadNumFilters;
  if (p.fft_length < kMfeMinFftLength || p.fft_length > kMfeMaxFftLength ||
      !rfft_length_supported(p.fft_length)) {
    return kBadFftLength;
  }
  const MelSpec mel = mel_spec(p);
  status = mel_check_frequencies(mel);
  if (status != kOk) return status;
  if (!dsp_finite(p.noise_floor_db) || p.noise_floor_db >= kTopDb || p.noise_floor_db < -1000.0) {
    return kBadNoiseFloor;
  }
  return mel_check_bins(mel);
}

Status mfe_output_shape(const MfeParams& p, size_t signal_length, MfeShape* shape) {
  if (!shape) return kNullArgument;
  Status status = mfe_validate(p);
  if (status != kOk) return status;
  Framing framing;
  framing_init(p.sampling_frequency, p.frame_length, p.frame_stride, &framing);
  int frames = 0;
  status = framing_frame_count(framing, signal_length, p.num_filters, &frames);
  if (status != kOk) return status;
  shape->frames = frames;
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
  if (!state->buffer) return kScratchTooSmall;
  // mfe_validate (through mfe_output_shape) checked that the bins are in order and inside the spectrum.
  MelFilterbank bank;
  status = mel_filterbank_init(mel_spec(p), &arena, &bank);
  if (status != kOk) return status;

  Framing framing;
  framing_init(p.sampling_frequency, p.frame_length, p.frame_stride, &framing);
  state->signal_length = signal_length;
  state->frame_samples = static_cast<int>(framing.length);
  state->frame_stride = static_cast<int>(framing.stride);
  state->used_samples = framing_fft_samples(framing, p.fft_length);
  state->frames = shape.frames;
  state->fft_length = p.fft_length;
  state->num_filters = p.num_filters;
  state->noise_floor_db = static_cast<float>(p.noise_floor_db);
  state->filter_first = bank.filter_first;
  state->filter_count = bank.filter_count;
  state->filter_weights = bank.filter_weights;
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
  frame_zero_pad(buf, s.used_samples, s.fft_length);
  frame_power_spectrum(s.fft, buf);

  MelFilterbank bank;
  bank.num_filters = s.num_filters;
  bank.filter_first = s.filter_first;
  bank.filter_count = s.filter_count;
  bank.filter_weights = s.filter_weights;
  mel_filterbank_apply(bank, buf, values);

  const float floor_db = s.noise_floor_db;
  const float range_db = static_cast<float>(kTopDb) - floor_db;
  for (int i = 0; i < s.num_filters; ++i) {
    float energy = values[i];
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
