// The parameter a framing or mel-filterbank failure is about, in the Edge Impulse names MFE, MFCC and
// Spectrogram share (frame_length, fft_length, num_filters, ...): one mapping for their table entries.
#ifndef KILN_IMPULSE_FRAMING_PARAMS_H
#define KILN_IMPULSE_FRAMING_PARAMS_H

#include "dsp/status.h"

namespace kiln {
namespace impulse {

// 0 when the status is not one of framing's or the filterbank's.
const char* framing_status_param(dsp::Status status);

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_FRAMING_PARAMS_H
