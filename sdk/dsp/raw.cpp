#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/raw.h"

#include <limits.h>

#include "nn/quantize.h"

namespace kiln {
namespace dsp {
namespace {

const int kMaxAxes = 4096;
const size_t kChunkValues = 64;  // raw_run_s8 reads this many floats at a time (on the stack)

bool finite(double x) {
  return x == x && x - x == 0.0;
}

// Validation and the signal's length; the output needs total_length values.
Status check_run(const RawParams& p, double fs, int axes, const kiln_signal& signal, size_t out_capacity) {
  if (!signal.get_data) return kNullArgument;
  FeatureShape shape;
  if (axes >= 1 && signal.total_length % static_cast<size_t>(axes) != 0) return kSignalLengthMismatch;
  Status status =
      raw_output_shape(p, fs, axes, axes >= 1 ? signal.total_length / static_cast<size_t>(axes) : 0, &shape);
  if (status != kOk) return status;
  if (signal.total_length > out_capacity) return kOutputTooSmall;
  return kOk;
}

}  // namespace

RawParams raw_default_params() {
  RawParams p;
  p.scale_axes = 1.0;
  return p;
}

Status raw_validate(const RawParams& p, double, int axes) {
  if (!finite(p.scale_axes) || !finite(static_cast<float>(p.scale_axes))) return kBadScale;
  if (axes < 1 || axes > kMaxAxes) return kBadAxes;
  return kOk;
}

Status raw_output_shape(const RawParams& p, double fs, int axes, size_t samples_per_axis,
                        FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = raw_validate(p, fs, axes);
  if (status != kOk) return status;
  if (samples_per_axis == 0) return kSignalTooShort;
  if (samples_per_axis > static_cast<size_t>(INT_MAX / axes)) return kSignalTooLong;
  shape->frames = 1;
  shape->values = axes * static_cast<int>(samples_per_axis);
  return kOk;
}

size_t raw_scratch_bytes(const RawParams&, double, int, size_t) {
  return 0;
}

Status raw_run(const RawParams& p, double fs, int axes, const kiln_signal& signal, void*, size_t, float* out,
               size_t out_capacity) {
  if (!out) return kNullArgument;
  Status status = check_run(p, fs, axes, signal, out_capacity);
  if (status != kOk) return status;
  if (signal.get_data(signal.ctx, 0, signal.total_length, out) != 0) return kSignalReadFailed;
  const float s = static_cast<float>(p.scale_axes);
  if (s != 1.0f) {
    for (size_t i = 0; i < signal.total_length; ++i) out[i] *= s;
  }
  return kOk;
}

Status raw_run_s8(const RawParams& p, double fs, int axes, const kiln_signal& signal, void*, size_t,
                  float scale, int32_t zero_point, int8_t* out, size_t out_capacity) {
  if (!out) return kNullArgument;
  Status status = check_run(p, fs, axes, signal, out_capacity);
  if (status != kOk) return status;
  const float s = static_cast<float>(p.scale_axes);
  float chunk[kChunkValues];
  for (size_t offset = 0; offset < signal.total_length; offset += kChunkValues) {
    const size_t left = signal.total_length - offset;
    const size_t n = left < kChunkValues ? left : kChunkValues;
    if (signal.get_data(signal.ctx, offset, n, chunk) != 0) return kSignalReadFailed;
    for (size_t i = 0; i < n; ++i) out[offset + i] = nn::quantize_s8(chunk[i] * s, scale, zero_point);
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
