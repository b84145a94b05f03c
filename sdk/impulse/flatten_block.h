// The table entry of the flatten block (sdk/dsp/flatten.h), for the impulse runtime.
#ifndef KILN_IMPULSE_FLATTEN_BLOCK_H
#define KILN_IMPULSE_FLATTEN_BLOCK_H

#include "dsp/flatten.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kFlattenBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_FLATTEN_BLOCK_H
