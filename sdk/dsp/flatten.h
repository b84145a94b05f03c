// Flatten block, implementation version 1: reproduces Edge Impulse processing-blocks Flatten v1 (see
// shared/reference/dsp/README.md). Each axis of a window becomes a few statistics: average, minimum, maximum,
// RMS, standard deviation (population), skewness (biased) and kurtosis (Fisher, biased), each only when
// enabled, computed on x * scale-axes.
//
// Output: flat, axis 0's enabled statistics in the order above, then axis 1's, ... (FeatureShape frames = 1).
//
// Numerics: float32 throughout (the device is a Cortex-M4F). The reference works in float64; to stay within
// its tolerance the higher moments are taken around the mean, which is found as the first sample plus the
// compensated (Kahan) mean of the offsets from it, so a large constant such as gravity (9.81) costs no
// precision; the deviations are scaled by a power of two (exact) so that their fourth powers can neither
// overflow nor underflow. A constant axis has standard deviation 0 and skewness and kurtosis 0 (scipy gives
// NaN there; Edge Impulse's C++ SDK gives 0, and a NaN feature would poison training).
#ifndef KILN_DSP_FLATTEN_H
#define KILN_DSP_FLATTEN_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// The parameters use Edge Impulse's names (Studio's parameters.json) in the comments.
struct FlattenParams {
  double scale_axes;  // "scale-axes": every value is multiplied by it first (float32 product)
  bool average;       // "average"
  bool minimum;       // "minimum"
  bool maximum;       // "maximum"
  bool rms;           // "rms": root mean square
  bool stdev;         // "stdev": population standard deviation (numpy.std)
  bool skewness;      // "skewness": scipy.stats.skew, biased
  bool kurtosis;      // "kurtosis": scipy.stats.kurtosis, Fisher (normal = 0), biased
};

const int kFlattenMaxStatistics = 7;

// Studio's defaults: scale 1, every statistic enabled.
FlattenParams flatten_default_params();

// How many statistics each axis gives (0..7).
int flatten_values_per_axis(const FlattenParams& params);

// kBadScale for a non-finite scale, kBadAxes for fewer than 1 axis, kNoFeatures when no statistic is
// enabled (the block would output nothing). The sampling frequency is not used (as in the reference).
Status flatten_validate(const FlattenParams& params, double sampling_frequency, int axes);

// frames = 1, values = axes * flatten_values_per_axis. kSignalTooShort for 0 samples.
Status flatten_output_shape(const FlattenParams& params, double sampling_frequency, int axes,
                            size_t samples_per_axis, FeatureShape* shape);

// Per-axis accumulators (a few dozen bytes per axis); the signal itself is read in small chunks twice and
// never held whole. 0 when the parameters are invalid.
size_t flatten_scratch_bytes(const FlattenParams& params, double sampling_frequency, int axes,
                             size_t samples_per_axis);

// The whole block. signal.total_length = axes * samples_per_axis (interleaved by sample); out_capacity is the
// room in floats. Reads the signal twice (mean first, then the moments around it).
Status flatten_run(const FlattenParams& params, double sampling_frequency, int axes,
                   const kiln_signal& signal, void* scratch, size_t scratch_bytes, float* out,
                   size_t out_capacity);

// flatten_run, each value then quantized with nn::quantize_s8(value, scale, zero_point) into an int8 tensor.
// Same scratch as flatten_run.
Status flatten_run_s8(const FlattenParams& params, double sampling_frequency, int axes,
                      const kiln_signal& signal, void* scratch, size_t scratch_bytes, float scale,
                      int32_t zero_point, int8_t* out, size_t out_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_FLATTEN_H
