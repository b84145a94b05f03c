// Raw block, implementation version 1: reproduces Edge Impulse processing-blocks Raw v1 (see
// shared/reference/dsp/README.md): the window as it is, every value multiplied by scale-axes, in the input's
// interleaved order (s0a0 s0a1 ... s1a0 ...). Output: flat, axes * samples_per_axis values (frames = 1).
//
// Numerics: one float32 product per value. The reference multiplies in float64 and rounds once; the float32
// product of x and float32(scale) is bit-identical to that whenever the scale is exactly a float32 (1, 0.5,
// 2, 0.25, 3, ...: the exact product of two floats fits in a double), and otherwise at most one float32 ulp
// away (the scale itself was rounded once).
#ifndef KILN_DSP_RAW_H
#define KILN_DSP_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

// The parameters use Edge Impulse's names (Studio's parameters.json) in the comments.
struct RawParams {
  double scale_axes;  // "scale-axes": every value is multiplied by it
};

// Studio's default: scale 1.
RawParams raw_default_params();

// kBadScale for a scale that is not finite (or not finite as a float32), kBadAxes for fewer than 1 axis.
// The sampling frequency is not used (as in the reference).
Status raw_validate(const RawParams& params, double sampling_frequency, int axes);

// frames = 1, values = axes * samples_per_axis. kSignalTooShort for 0 samples, kSignalTooLong beyond INT_MAX
// values.
Status raw_output_shape(const RawParams& params, double sampling_frequency, int axes, size_t samples_per_axis,
                        FeatureShape* shape);

// Always 0: raw_run reads the signal straight into the output, and raw_run_s8 through a 256-byte stack
// buffer.
size_t raw_scratch_bytes(const RawParams& params, double sampling_frequency, int axes,
                         size_t samples_per_axis);

// The whole block; scratch may be null. signal.total_length = axes * samples_per_axis.
Status raw_run(const RawParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
               void* scratch, size_t scratch_bytes, float* out, size_t out_capacity);

// raw_run, each value then quantized with nn::quantize_s8(value, scale, zero_point) into an int8 tensor,
// chunk by chunk: no float copy of the window.
Status raw_run_s8(const RawParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
                  void* scratch, size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                  size_t out_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_RAW_H
