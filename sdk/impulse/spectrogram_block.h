// The table entry of the spectrogram block (sdk/dsp/spectrogram.h), for the impulse runtime.
#ifndef KILN_IMPULSE_SPECTROGRAM_BLOCK_H
#define KILN_IMPULSE_SPECTROGRAM_BLOCK_H

#include "dsp/spectrogram.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kSpectrogramBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_SPECTROGRAM_BLOCK_H
