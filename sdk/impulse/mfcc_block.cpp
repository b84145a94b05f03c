// The table entry of MFCC (sdk/dsp/mfcc.h): Edge Impulse's MFCC v4 parameter names (and our `lifter`).
#include "impulse/mfcc_block.h"

#include "impulse/block_adapter.h"
#include "impulse/framing_params.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::MfccParams;

const ParamSpec kParams[] = {
    {"num_cepstral", kParamInt, offsetof(MfccParams, num_cepstral), 0, 0,
     KILN_PARAM_HELP("cepstral coefficients per frame")},
    {"frame_length", kParamReal, offsetof(MfccParams, frame_length), 0, 0,
     KILN_PARAM_HELP("frame length in seconds")},
    {"frame_stride", kParamReal, offsetof(MfccParams, frame_stride), 0, 0,
     KILN_PARAM_HELP("step between frames in seconds")},
    {"num_filters", kParamInt, offsetof(MfccParams, num_filters), 0, 0, KILN_PARAM_HELP("mel bands")},
    {"fft_length", kParamInt, offsetof(MfccParams, fft_length), 0, 0,
     KILN_PARAM_HELP("FFT points, a power of two")},
    {"win_size", kParamInt, offsetof(MfccParams, win_size), 0, 0,
     KILN_PARAM_HELP("normalisation window in frames, odd; 0 = none")},
    {"low_frequency", kParamReal, offsetof(MfccParams, low_frequency), 0, 0,
     KILN_PARAM_HELP("lowest band edge in Hz")},
    {"high_frequency", kParamReal, offsetof(MfccParams, high_frequency), 0, 0,
     KILN_PARAM_HELP("highest band edge in Hz, 0 = half the sampling frequency")},
    {"pre_cof", kParamReal, offsetof(MfccParams, pre_cof), 0, 0, KILN_PARAM_HELP("pre-emphasis coefficient")},
    {"pre_shift", kParamInt, offsetof(MfccParams, pre_shift), 0, 0,
     KILN_PARAM_HELP("pre-emphasis delay in samples")},
    {"lifter", kParamReal, offsetof(MfccParams, lifter), 0, 0,
     KILN_PARAM_HELP("cepstral lifter (HTK CEPLIFTER, e.g. 22); 0 = none, as Edge Impulse")},
};

typedef BlockAdapter<MfccParams, dsp::mfcc_default_params, dsp::mfcc_validate, dsp::mfcc_output_shape,
                     dsp::mfcc_scratch_bytes, dsp::mfcc_run, dsp::mfcc_s8_scratch_bytes, dsp::mfcc_run_s8>
    A;

const char* status_param(dsp::Status status) {
  switch (status) {
    case dsp::kBadNumCepstral:
      return "num_cepstral";
    case dsp::kBadWinSize:
      return "win_size";
    case dsp::kBadPreEmphasis:
      return "pre_shift";
    case dsp::kBadLifter:
      return "lifter";
    default:
      return framing_status_param(status);
  }
}

}  // namespace

const BlockSpec kMfccBlock = A::spec("mfcc", "ei-4", kParams, status_param);

}  // namespace impulse
}  // namespace kiln
