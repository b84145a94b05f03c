// The table entry of the mfcc block (sdk/dsp/mfcc.h), for the impulse runtime.
#ifndef KILN_IMPULSE_MFCC_BLOCK_H
#define KILN_IMPULSE_MFCC_BLOCK_H

#include "dsp/mfcc.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kMfccBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_MFCC_BLOCK_H
