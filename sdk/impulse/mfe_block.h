// The table entry of the MFE block (sdk/dsp/mfe.h), for the impulse runtime.
#ifndef KILN_IMPULSE_MFE_BLOCK_H
#define KILN_IMPULSE_MFE_BLOCK_H

#include "dsp/mfe.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kMfeBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_MFE_BLOCK_H
