// Result codes of the SDK's DSP functions (no exceptions on the device). 0 is success; each failure names
// what was wrong so the host can turn it into a message that points at the right parameter.
#ifndef KILN_DSP_STATUS_H
#define KILN_DSP_STATUS_H

namespace kiln {
namespace dsp {

enum Status {
  kOk = 0,
  kBadFftLength,          // not a supported power of two
  kBadSamplingFrequency,  // not finite or <= 0
  kBadFrameLength,        // not finite, <= 0, or shorter than one sample
  kBadFrameStride,        // not finite, <= 0, or shorter than one sample
  kBadNumFilters,         // out of range
  kBadLowFrequency,       // negative, not finite, or not below the high frequency
  kBadHighFrequency,      // negative, not finite, or above the Nyquist frequency
  kBadNoiseFloor,         // not finite or not below +12 dB
  kEmptyMelFilter,        // a mel filter covers no FFT bin: too many filters for the FFT length
  kSignalTooShort,        // the signal is shorter than one frame
  kSignalTooLong,         // more frames than fit in an int
  kScratchTooSmall,       // the caller's scratch memory is smaller than the *_scratch_bytes() query says
  kOutputTooSmall,        // the caller's output buffer is smaller than the output shape
  kSignalReadFailed,      // kiln_signal::get_data returned non-zero
  kNullArgument,          // a required pointer was null
  kBadFrameIndex,         // frame index outside [0, frames)
  kSignalLengthMismatch,  // the signal is not as long as the one the state was prepared for
  kBadAxes,               // axis count not supported by the block
  kBadNumCepstral,        // number of cepstral coefficients out of range (1..num_filters)
  kBadWinSize,            // CMVN window: not odd, or negative
  kBadPreEmphasis,        // pre-emphasis coefficient not finite, or shift out of range
  kBadScale,              // scale-axes not finite
  kBadDecimationRatio,    // input decimation ratio not one of the supported values
  kBadFilterType,         // filter type not none/low/high
  kBadFilterCutoff,       // filter cut-off not in (0, fs/2)
  kBadFilterOrder,        // filter order out of range
  kBadAnalysisType,       // analysis type not FFT/Wavelet
  kBadWavelet,            // unknown wavelet name
  kBadWaveletLevel,       // wavelet level out of range or too deep for the signal
  kBadImageSize,          // image width/height out of range
  kBadImageChannels,      // colour depth not RGB or grayscale, or input channels not 1 or 3
  kBadResizeMode,         // resize mode not one of the supported ones
  kNoFeatures,            // no output value selected (e.g. flatten with every statistic disabled)
  kBadLifter,             // MFCC cepstral lifter negative or not finite
  kBadImageScaling        // image pixel scaling not one of the supported ranges
};

// A short English description, e.g. "FFT length must be a power of two in the supported range".
const char* status_message(Status status);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_STATUS_H
