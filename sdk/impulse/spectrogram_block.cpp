// The table entry of Spectrogram (sdk/dsp/spectrogram.h): Edge Impulse's Spectrogram v4 parameter names.
#include "impulse/spectrogram_block.h"

#include "impulse/block_adapter.h"
#include "impulse/framing_params.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::SpectrogramParams;

const ParamSpec kParams[] = {
    {"frame_length", kParamReal, offsetof(SpectrogramParams, frame_length), 0, 0,
     KILN_PARAM_HELP("frame length in seconds")},
    {"frame_stride", kParamReal, offsetof(SpectrogramParams, frame_stride), 0, 0,
     KILN_PARAM_HELP("step between frames in seconds")},
    {"fft_length", kParamInt, offsetof(SpectrogramParams, fft_length), 0, 0,
     KILN_PARAM_HELP("FFT points, a power of two")},
    {"noise_floor_db", kParamReal, offsetof(SpectrogramParams, noise_floor_db), 0, 0,
     KILN_PARAM_HELP("dB below which everything is 0")},
};

// Studio's display-only option, deprecated.
const char* const kIgnored[] = {"show_axes"};

typedef BlockAdapter<SpectrogramParams, dsp::spectrogram_default_params, dsp::spectrogram_validate,
                     dsp::spectrogram_output_shape, dsp::spectrogram_scratch_bytes, dsp::spectrogram_run,
                     dsp::spectrogram_s8_scratch_bytes, dsp::spectrogram_run_s8>
    A;

}  // namespace

const BlockSpec kSpectrogramBlock = A::spec("spectrogram", "ei-4", kParams, kIgnored, framing_status_param);

}  // namespace impulse
}  // namespace kiln
