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
    case kBadAxes:
      return "number of axes not supported by this block";
    case kBadNumCepstral:
      return "number of cepstral coefficients must be between 1 and the number of filters";
    case kBadWinSize:
      return "CMVN window size must be 0 or an odd number of frames";
    case kBadPreEmphasis:
      return "pre-emphasis coefficient must be finite and its shift at least 1 and shorter than the signal";
    case kBadScale:
      return "scale must be a finite number";
    case kBadDecimationRatio:
      return "input decimation ratio must be 1, 3, 10, 30, 100 or 1000";
    case kBadFilterType:
      return "filter type must be none, low or high";
    case kBadFilterCutoff:
      return "filter cut-off must be above 0 and below half the sampling frequency";
    case kBadFilterOrder:
      return "filter order out of range";
    case kBadAnalysisType:
      return "analysis type must be FFT or Wavelet";
    case kBadWavelet:
      return "unknown wavelet";
    case kBadWaveletLevel:
      return "wavelet level out of range or too deep for the signal length";
    case kBadImageSize:
      return "image width and height must be from 1 to 4096 pixels";
    case kBadImageChannels:
      return "image colour depth must be RGB or Grayscale";
    case kBadResizeMode:
      return "resize mode must be squash, fit-short, fit-long or crop";
    case kNoFeatures:
      return "no feature selected: the block would output nothing";
    case kBadLifter:
      return "cepstral lifter must be 0 (off) or a finite number above 0";
    case kBadImageScaling:
      return "image scaling must be 0..1, 0..255, -1..1 or -128..127";
  }
  return "unknown status";
}

}  // namespace dsp
}  // namespace kiln
