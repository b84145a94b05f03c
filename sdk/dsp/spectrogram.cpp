#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/spectrogram.h"

#include "dsp/fft.h"
#include "dsp/framing.h"
#include "dsp/log10.h"
#include "dsp/scratch_arena.h"
#include "nn/quantize.h"

// Numerics. The reference computes in float64; this runs in float32 (Cortex-M4F) with our own FFT and log10
// (host == device bit for bit, see log10.h). The float32 FFT's rounding noise sits about 140-150 dB below the
// frame's loudest bin, so a bin's error grows as it nears that: 80 dB below the peak it is about 0.01 dB
// (1.5e-4 in v with the default floor: the worst element of the golden cases, README tolerance 5e-4). The
// rectangular window's leakage keeps every bin of real or noisy signals far above that noise. Only a
// spectrum that is exactly zero between its lines (e.g. a pure int16 tone whose period divides the FFT
// length) leaves bins holding nothing but rounding noise: the reference's (float64) is clipped to 0 by any
// floor, ours (float32) can reach just above a -52 dB floor near full scale (measured: 1.1e-3 in v for a
// full-scale 1 kHz tone at 16 kHz, above the 5e-4 tolerance; a float32 FFT cannot do better).

namespace kiln {
namespace dsp {
namespace {

const float kMinPower = 1e-30f;  // the reference clips the power at 1e-30 before the log
const double kTopDb = 12.0;      // v = (dB - noise_floor) / (12 - noise_floor)

struct Plan {
  Framing framing;
  int frames;
  int fft_length;
  int bins;  // fft_length / 2 + 1
  int used;  // samples of a frame that go into the FFT
  float floor_db;
  float range_db;
  RfftPlan fft;
  float* buffer;  // fft_length + 2 floats
};

size_t scratch_bytes_for(const SpectrogramParams& p) {
  return rfft_scratch_bytes(p.fft_length) +
         ScratchArena::bytes_for<float>(static_cast<size_t>(p.fft_length) + 2);
}

Status prepare(const SpectrogramParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
               size_t scratch_bytes, size_t out_capacity, Plan* plan) {
  if (!scratch || !signal.get_data) return kNullArgument;
  FeatureShape shape;
  Status status = spectrogram_output_shape(p, fs, axes, signal.total_length, &shape);
  if (status != kOk) return status;
  if (scratch_bytes < scratch_bytes_for(p)) return kScratchTooSmall;
  if (static_cast<size_t>(shape.frames) * static_cast<size_t>(shape.values) > out_capacity)
    return kOutputTooSmall;

  ScratchArena arena(scratch, scratch_bytes);
  const size_t fft_bytes = rfft_scratch_bytes(p.fft_length);
  status = rfft_init(&plan->fft, p.fft_length, arena.take<unsigned char>(fft_bytes), fft_bytes);
  if (status != kOk) return status;
  plan->buffer = arena.take<float>(static_cast<size_t>(p.fft_length) + 2);
  if (!plan->buffer) return kScratchTooSmall;
  framing_init(fs, p.frame_length, p.frame_stride, &plan->framing);
  plan->frames = shape.frames;
  plan->fft_length = p.fft_length;
  plan->bins = shape.values;
  plan->used = framing_fft_samples(plan->framing, p.fft_length);
  plan->floor_db = static_cast<float>(p.noise_floor_db);
  plan->range_db = static_cast<float>(kTopDb) - plan->floor_db;
  return kOk;
}

// Frame `frame`'s values into plan.buffer[0 .. bins).
Status run_frame(const Plan& plan, const kiln_signal& signal, int frame) {
  float* buf = plan.buffer;
  const size_t start = framing_frame_start(plan.framing, frame);
  if (signal.get_data(signal.ctx, start, static_cast<size_t>(plan.used), buf) != 0) return kSignalReadFailed;
  frame_zero_pad(buf, plan.used, plan.fft_length);
  frame_power_spectrum(plan.fft, buf);
  for (int k = 0; k < plan.bins; ++k) {
    float power = buf[k];
    if (power < kMinPower) power = kMinPower;
    const float v = (10.0f * log10_f32(power) - plan.floor_db) / plan.range_db;
    buf[k] = v > 0.0f ? v : 0.0f;  // also maps NaN (from non-finite input) to 0; no upper clip in v4
  }
  return kOk;
}

}  // namespace

SpectrogramParams spectrogram_default_params() {
  SpectrogramParams p;
  p.frame_length = 0.02;
  p.frame_stride = 0.01;
  p.fft_length = 128;
  p.noise_floor_db = -52.0;
  return p;
}

Status spectrogram_validate(const SpectrogramParams& p, double fs, int axes) {
  if (axes != 1) return kBadAxes;
  Framing framing;
  Status status = framing_init(fs, p.frame_length, p.frame_stride, &framing);
  if (status != kOk) return status;
  if (p.fft_length < kSpectrogramMinFftLength || p.fft_length > kSpectrogramMaxFftLength ||
      !rfft_length_supported(p.fft_length)) {
    return kBadFftLength;
  }
  if (!dsp_finite(p.noise_floor_db) || p.noise_floor_db >= kTopDb || p.noise_floor_db < -1000.0) {
    return kBadNoiseFloor;
  }
  return kOk;
}

Status spectrogram_output_shape(const SpectrogramParams& p, double fs, int axes, size_t samples_per_axis,
                                FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = spectrogram_validate(p, fs, axes);
  if (status != kOk) return status;
  Framing framing;
  framing_init(fs, p.frame_length, p.frame_stride, &framing);
  const int bins = p.fft_length / 2 + 1;
  int frames = 0;
  status = framing_frame_count(framing, samples_per_axis, bins, &frames);
  if (status != kOk) return status;
  shape->frames = frames;
  shape->values = bins;
  return kOk;
}

size_t spectrogram_scratch_bytes(const SpectrogramParams& p, double fs, int axes, size_t samples_per_axis) {
  FeatureShape shape;
  if (spectrogram_output_shape(p, fs, axes, samples_per_axis, &shape) != kOk) return 0;
  return scratch_bytes_for(p);
}

size_t spectrogram_s8_scratch_bytes(const SpectrogramParams& p, double fs, int axes,
                                    size_t samples_per_axis) {
  return spectrogram_scratch_bytes(p, fs, axes, samples_per_axis);
}

Status spectrogram_run(const SpectrogramParams& p, double fs, int axes, const kiln_signal& signal,
                       void* scratch, size_t scratch_bytes, float* out, size_t out_capacity) {
  if (!out) return kNullArgument;
  Plan plan;
  Status status = prepare(p, fs, axes, signal, scratch, scratch_bytes, out_capacity, &plan);
  if (status != kOk) return status;
  for (int f = 0; f < plan.frames; ++f) {
    status = run_frame(plan, signal, f);
    if (status != kOk) return status;
    float* row = out + static_cast<size_t>(f) * static_cast<size_t>(plan.bins);
    for (int k = 0; k < plan.bins; ++k) row[k] = plan.buffer[k];
  }
  return kOk;
}

Status spectrogram_run_s8(const SpectrogramParams& p, double fs, int axes, const kiln_signal& signal,
                          void* scratch, size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                          size_t out_capacity) {
  if (!out) return kNullArgument;
  Plan plan;
  Status status = prepare(p, fs, axes, signal, scratch, scratch_bytes, out_capacity, &plan);
  if (status != kOk) return status;
  for (int f = 0; f < plan.frames; ++f) {
    status = run_frame(plan, signal, f);
    if (status != kOk) return status;
    int8_t* row = out + static_cast<size_t>(f) * static_cast<size_t>(plan.bins);
    for (int k = 0; k < plan.bins; ++k) row[k] = nn::quantize_s8(plan.buffer[k], scale, zero_point);
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
