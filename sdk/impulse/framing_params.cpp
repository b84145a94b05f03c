#include "impulse/framing_params.h"

namespace kiln {
namespace impulse {

const char* framing_status_param(dsp::Status status) {
  switch (status) {
    case dsp::kBadFrameLength:
    case dsp::kSignalTooShort:
      return "frame_length";
    case dsp::kBadFrameStride:
      return "frame_stride";
    case dsp::kBadFftLength:
      return "fft_length";
    case dsp::kBadNumFilters:
    case dsp::kEmptyMelFilter:
      return "num_filters";
    case dsp::kBadLowFrequency:
      return "low_frequency";
    case dsp::kBadHighFrequency:
      return "high_frequency";
    case dsp::kBadNoiseFloor:
      return "noise_floor_db";
    default:
      return 0;
  }
}

}  // namespace impulse
}  // namespace kiln
