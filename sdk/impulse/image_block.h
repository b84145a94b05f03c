// The table entry of the image block (sdk/dsp/image.h), for the impulse runtime.
#ifndef KILN_IMPULSE_IMAGE_BLOCK_H
#define KILN_IMPULSE_IMAGE_BLOCK_H

#include "dsp/image.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kImageBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_IMAGE_BLOCK_H
