#include "dsp/status.h"

namespace kiln {
namespace dsp {

const char* status_message(Status status) {
  switch (status) {
    case kOk:
      return "ok";
    case kBadFftLength:
      return "FFT length must be a power of two in the supported range";
    case kBadSamplingFrequency:
      return "sampling frequency must be a finite number above 0";
    case kBadFrameLength:
      return "frame length must be at least one sample";
    case kBadFrameStride:
      return "frame stride must be at least one sample";
    case kBadNumFilters:
      return "number of filters out of range";
    case kBadLowFrequency:
      return "low frequency must be >= 0 and below the high frequency";
    case kBadHighFrequency:
      return "high frequency must be >= 0 and at most half the sampling frequency";
    case kBadNoiseFloor:
      return "noise floor must be a finite number below 12 dB";
    case kEmptyMelFilter:
      return "a mel filter covers no FFT bin (too many filters for the FFT length)";
    case kSignalTooShort:
      return "signal is shorter than one frame";
    case kSignalTooLong:
      return "signal gives too many frames";
    case kScratchTooSmall:
      return "scratch memory too small";
    case kOutputTooSmall:
      return "output buffer too small";
    case kSignalReadFailed:
      return "reading the signal failed";
    case kNullArgument:
      return "null argument";
    case kBadFrameIndex:
      return "frame index out of range";
    case kSignalLengthMismatch:
      return "signal length differs from the prepared one";
  }
  return "unknown status";
}

}  // namespace dsp
}  // namespace kiln
