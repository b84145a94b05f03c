#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/flatten.h"

#include <limits.h>
#include <math.h>

#include "dsp/scratch_arena.h"
#include "nn/quantize.h"

// Numerics (see flatten.h): two passes over the signal, both in float32. Pass 1 finds each axis's minimum,
// maximum and mean; the mean is the first sample plus the Kahan-summed mean of the offsets from it, so an
// axis sitting on a large constant (9.81 m/s^2 of gravity) keeps the precision of its small variations.
// Pass 2 sums the second, third and fourth powers of the deviations from the mean (Kahan again), after
// scaling the deviations by the power of two that brings the largest to [0.5, 1]: powers of two are exact, so
// skewness and kurtosis (scale-free ratios) are unchanged, and c^4 can neither overflow (values of 1e10) nor
// underflow (values of 1e-12). Built without floating-point contraction (no_fp_contract.h), which the Kahan
// sums rely on as much as on bit-identical results between host and device.

namespace kiln {
namespace dsp {
namespace {

const int kMaxAxes = 4096;       // far above any sensor; keeps every size computation far from overflow
const size_t kChunkValues = 64;  // values read per get_data call (on the stack: 256 bytes)

struct AxisState {
  float offset;  // the axis's first value: the others are summed as offsets from it
  float minimum, maximum;
  float sum, sum_error;                            // Kahan sum of (value - offset)
  float mean_offset;                               // mean of (value - offset)
  float scale;                                     // 2^-e: deviations times this lie in [-1, 1]
  float s2, s2_error, s3, s3_error, s4, s4_error;  // Kahan sums of c^2, c^3, c^4 (scaled deviations)
};

void kahan_add(float* sum, float* error, float x) {
  const float y = x - *error;
  const float t = *sum + y;
  *error = (t - *sum) - y;
  *sum = t;
}

bool finite(double x) {
  return x == x && x - x == 0.0;
}

bool finite_f(float x) {
  return x == x && x - x == 0.0f;
}

// The power of two 2^-e with |deviation| * 2^-e <= 1 for the largest deviation `magnitude`.
float deviation_scale(float magnitude) {
  if (!(magnitude > 0.0f) || !finite_f(magnitude)) return 1.0f;
  int e = 0;
  frexpf(magnitude, &e);   // magnitude = f * 2^e, f in [0.5, 1)
  if (e < -125) e = -125;  // 2^125 is still a normal float
  if (e > 126) e = 126;
  return ldexpf(1.0f, -e);
}

// sqrt(a^2 + b^2) without overflow for large a, b (Cortex-M has no hypotf worth trusting bit-wise).
float root_sum_squares(float a, float b) {
  a = fabsf(a);
  b = fabsf(b);
  const float big = a > b ? a : b;
  if (!(big > 1e18f)) return sqrtf(a * a + b * b);
  const float x = a / big, y = b / big;
  return big * sqrtf(x * x + y * y);
}

template <typename Visit>
Status for_each_value(const kiln_signal& signal, int axes, Visit visit) {
  float chunk[kChunkValues];
  int axis = 0;
  for (size_t offset = 0; offset < signal.total_length; offset += kChunkValues) {
    const size_t left = signal.total_length - offset;
    const size_t n = left < kChunkValues ? left : kChunkValues;
    if (signal.get_data(signal.ctx, offset, n, chunk) != 0) return kSignalReadFailed;
    for (size_t i = 0; i < n; ++i) {
      visit(axis, offset + i, chunk[i]);
      if (++axis == axes) axis = 0;
    }
  }
  return kOk;
}

// Both passes; on success state[a] holds each axis's sums.
Status accumulate(const FlattenParams& p, int axes, const kiln_signal& signal, AxisState* state) {
  const float s = static_cast<float>(p.scale_axes);
  const size_t first_frame_end = static_cast<size_t>(axes);
  Status status = for_each_value(signal, axes, [&](int a, size_t index, float x) {
    const float v = x * s;
    AxisState& st = state[a];
    if (index < first_frame_end) {
      st.offset = v;
      st.minimum = v;
      st.maximum = v;
      st.sum = 0.0f;
      st.sum_error = 0.0f;
      return;
    }
    if (v < st.minimum) st.minimum = v;
    if (v > st.maximum) st.maximum = v;
    kahan_add(&st.sum, &st.sum_error, v - st.offset);
  });
  if (status != kOk) return status;

  const float n = static_cast<float>(signal.total_length / static_cast<size_t>(axes));
  for (int a = 0; a < axes; ++a) {
    AxisState& st = state[a];
    st.mean_offset = st.sum / n;
    const float mean = st.offset + st.mean_offset;
    const float above = st.maximum - mean, below = mean - st.minimum;
    st.scale = deviation_scale(above > below ? above : below);
    st.s2 = st.s2_error = st.s3 = st.s3_error = st.s4 = st.s4_error = 0.0f;
  }

  return for_each_value(signal, axes, [&](int a, size_t, float x) {
    AxisState& st = state[a];
    const float c = ((x * s - st.offset) - st.mean_offset) * st.scale;
    const float c2 = c * c;
    kahan_add(&st.s2, &st.s2_error, c2);
    kahan_add(&st.s3, &st.s3_error, c2 * c);
    kahan_add(&st.s4, &st.s4_error, c2 * c2);
  });
}

// Axis `st`'s enabled statistics, in the block's order, into values[0..count).
int statistics(const FlattenParams& p, const AxisState& st, float n, float* values) {
  const float mean = st.offset + st.mean_offset;
  const float m2 = st.s2 / n, m3 = st.s3 / n, m4 = st.s4 / n;  // of the scaled deviations
  const float stdev = sqrtf(m2) / st.scale;                    // exact rescaling: scale is a power of two
  int k = 0;
  if (p.average) values[k++] = mean;
  if (p.minimum) values[k++] = st.minimum;
  if (p.maximum) values[k++] = st.maximum;
  if (p.rms) values[k++] = root_sum_squares(mean, stdev);  // mean(x^2) = mean^2 + variance
  if (p.stdev) values[k++] = stdev;
  // A constant axis has no shape: 0, as Edge Impulse's C++ SDK (scipy returns NaN there).
  if (p.skewness) values[k++] = m2 > 0.0f ? m3 / (m2 * sqrtf(m2)) : 0.0f;
  if (p.kurtosis) values[k++] = m2 > 0.0f ? m4 / (m2 * m2) - 3.0f : 0.0f;
  return k;
}

// Validation, the signal length and the memory of the run; on success *state points into the scratch.
Status prepare(const FlattenParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
               size_t scratch_bytes, size_t out_capacity, AxisState** state) {
  if (!signal.get_data) return kNullArgument;
  Status status = flatten_validate(p, fs, axes);
  if (status != kOk) return status;
  if (signal.total_length == 0) return kSignalTooShort;
  if (signal.total_length % static_cast<size_t>(axes) != 0) return kSignalLengthMismatch;
  if (!scratch) return kNullArgument;
  // The documented size, not what happens to fit at this alignment: a caller that passes less than
  // flatten_scratch_bytes() has a bug that another alignment would reveal.
  if (scratch_bytes < ScratchArena::bytes_for<AxisState>(static_cast<size_t>(axes))) return kScratchTooSmall;
  ScratchArena arena(scratch, scratch_bytes);
  *state = arena.take<AxisState>(static_cast<size_t>(axes));
  if (!*state) return kScratchTooSmall;
  const size_t values = static_cast<size_t>(axes) * static_cast<size_t>(flatten_values_per_axis(p));
  if (values > out_capacity) return kOutputTooSmall;
  return kOk;
}

}  // namespace

FlattenParams flatten_default_params() {
  FlattenParams p;
  p.scale_axes = 1.0;
  p.average = p.minimum = p.maximum = p.rms = p.stdev = p.skewness = p.kurtosis = true;
  return p;
}

int flatten_values_per_axis(const FlattenParams& p) {
  return static_cast<int>(p.average) + static_cast<int>(p.minimum) + static_cast<int>(p.maximum) +
         static_cast<int>(p.rms) + static_cast<int>(p.stdev) + static_cast<int>(p.skewness) +
         static_cast<int>(p.kurtosis);
}

Status flatten_validate(const FlattenParams& p, double, int axes) {
  if (!finite(p.scale_axes) || !finite_f(static_cast<float>(p.scale_axes))) return kBadScale;
  if (axes < 1 || axes > kMaxAxes) return kBadAxes;
  if (flatten_values_per_axis(p) == 0) return kNoFeatures;
  return kOk;
}

Status flatten_output_shape(const FlattenParams& p, double fs, int axes, size_t samples_per_axis,
                            FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = flatten_validate(p, fs, axes);
  if (status != kOk) return status;
  if (samples_per_axis == 0) return kSignalTooShort;
  shape->frames = 1;
  shape->values = axes * flatten_values_per_axis(p);
  return kOk;
}

size_t flatten_scratch_bytes(const FlattenParams& p, double fs, int axes, size_t) {
  if (flatten_validate(p, fs, axes) != kOk) return 0;
  return ScratchArena::bytes_for<AxisState>(static_cast<size_t>(axes));
}

Status flatten_run(const FlattenParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
                   size_t scratch_bytes, float* out, size_t out_capacity) {
  if (!out) return kNullArgument;
  AxisState* state = 0;
  Status status = prepare(p, fs, axes, signal, scratch, scratch_bytes, out_capacity, &state);
  if (status != kOk) return status;
  status = accumulate(p, axes, signal, state);
  if (status != kOk) return status;
  const float n = static_cast<float>(signal.total_length / static_cast<size_t>(axes));
  for (int a = 0; a < axes; ++a) out += statistics(p, state[a], n, out);
  return kOk;
}

Status flatten_run_s8(const FlattenParams& p, double fs, int axes, const kiln_signal& signal, void* scratch,
                      size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                      size_t out_capacity) {
  if (!out) return kNullArgument;
  AxisState* state = 0;
  Status status = prepare(p, fs, axes, signal, scratch, scratch_bytes, out_capacity, &state);
  if (status != kOk) return status;
  status = accumulate(p, axes, signal, state);
  if (status != kOk) return status;
  const float n = static_cast<float>(signal.total_length / static_cast<size_t>(axes));
  float values[kFlattenMaxStatistics];
  for (int a = 0; a < axes; ++a) {
    const int k = statistics(p, state[a], n, values);
    for (int i = 0; i < k; ++i) *out++ = nn::quantize_s8(values[i], scale, zero_point);
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
