// The table entry of the raw block (sdk/dsp/raw.h), for the impulse runtime.
#ifndef KILN_IMPULSE_RAW_BLOCK_H
#define KILN_IMPULSE_RAW_BLOCK_H

#include "dsp/raw.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kRawBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_RAW_BLOCK_H
