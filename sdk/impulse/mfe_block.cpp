// The table entry of MFE (sdk/dsp/mfe.h): Edge Impulse's MFE parameter names on MfeParams' fields.
#include <stddef.h>

#include "dsp/mfe.h"
#include "impulse/framing_params.h"
#include "impulse/mfe_block.h"

namespace kiln {
namespace impulse {
namespace {

const ParamSpec kParams[] = {
    {"frame_length", kParamReal, offsetof(dsp::MfeParams, frame_length), 0, 0,
     KILN_PARAM_HELP("frame length in seconds")},
    {"frame_stride", kParamReal, offsetof(dsp::MfeParams, frame_stride), 0, 0,
     KILN_PARAM_HELP("step between frames in seconds")},
    {"num_filters", kParamInt, offsetof(dsp::MfeParams, num_filters), 0, 0,
     KILN_PARAM_HELP("mel bands (values per frame)")},
    {"fft_length", kParamInt, offsetof(dsp::MfeParams, fft_length), 0, 0,
     KILN_PARAM_HELP("FFT points, a power of two")},
    {"low_frequency", kParamReal, offsetof(dsp::MfeParams, low_frequency), 0, 0,
     KILN_PARAM_HELP("lowest band edge in Hz")},
    {"high_frequency", kParamReal, offsetof(dsp::MfeParams, high_frequency), 0, 0,
     KILN_PARAM_HELP("highest band edge in Hz, 0 = half the sampling frequency")},
    {"noise_floor_db", kParamReal, offsetof(dsp::MfeParams, noise_floor_db), 0, 0,
     KILN_PARAM_HELP("dB below which everything is 0")},
};

// MFE v1/v2's normalisation window, ignored by v4.
const char* const kIgnored[] = {"win_size"};

dsp::MfeParams at_rate(const void* params, double frequency) {
  dsp::MfeParams p = *static_cast<const dsp::MfeParams*>(params);
  p.sampling_frequency = frequency;
  return p;
}

void set_defaults(void* params) {
  *static_cast<dsp::MfeParams*>(params) = dsp::mfe_default_params(0);
}

dsp::Status validate(const void* params, double frequency, int axes) {
  if (axes != 1) return dsp::kBadAxes;
  return dsp::mfe_validate(at_rate(params, frequency));
}

dsp::Status output_shape(const void* params, double frequency, int axes, size_t samples_per_axis,
                         dsp::FeatureShape* shape) {
  const dsp::Status status = validate(params, frequency, axes);
  if (status != dsp::kOk) return status;
  dsp::MfeShape mfe;
  const dsp::Status s = dsp::mfe_output_shape(at_rate(params, frequency), samples_per_axis, &mfe);
  if (s != dsp::kOk) return s;
  shape->frames = mfe.frames;
  shape->values = mfe.values;
  return dsp::kOk;
}

size_t scratch_bytes(const void* params, double frequency, int, size_t) {
  return dsp::mfe_scratch_bytes(at_rate(params, frequency));
}

dsp::Status run(const void* params, double frequency, int axes, const kiln_signal& signal, void* scratch,
                size_t bytes, float* out, size_t capacity) {
  if (axes != 1) return dsp::kBadAxes;
  return dsp::mfe_run(at_rate(params, frequency), signal, scratch, bytes, out, capacity);
}

size_t scratch_bytes_s8(const void* params, double frequency, int, size_t) {
  return dsp::mfe_s8_scratch_bytes(at_rate(params, frequency));
}

dsp::Status run_s8(const void* params, double frequency, int axes, const kiln_signal& signal, void* scratch,
                   size_t bytes, float scale, int32_t zero_point, int8_t* out, size_t capacity) {
  if (axes != 1) return dsp::kBadAxes;
  return dsp::mfe_run_s8(at_rate(params, frequency), signal, scratch, bytes, scale, zero_point, out,
                         capacity);
}

}  // namespace

const BlockSpec kMfeBlock = {"mfe",
                             "ei-4",
                             kParams,
                             sizeof kParams / sizeof kParams[0],
                             kIgnored,
                             sizeof kIgnored / sizeof kIgnored[0],
                             sizeof(dsp::MfeParams),
                             set_defaults,
                             validate,
                             output_shape,
                             scratch_bytes,
                             run,
                             scratch_bytes_s8,
                             run_s8,
                             framing_status_param};

}  // namespace impulse
}  // namespace kiln
