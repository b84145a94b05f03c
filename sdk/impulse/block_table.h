// Every processing block the SDK has. The host (kiln.toml, `kiln dsp`, features) looks blocks up by name
// here; a deployed library references only its own block's entry, so the others cost it no flash.
#ifndef KILN_IMPULSE_BLOCK_TABLE_H
#define KILN_IMPULSE_BLOCK_TABLE_H

#include "impulse/block.h"
#include "impulse/flatten_block.h"
#include "impulse/image_block.h"
#include "impulse/mfcc_block.h"
#include "impulse/mfe_block.h"
#include "impulse/raw_block.h"
#include "impulse/spectral_analysis_block.h"
#include "impulse/spectrogram_block.h"

namespace kiln {
namespace impulse {

// The entries, in the order `kiln dsp --help` lists them.
const BlockSpec* const* all_blocks(int* count);

// The entry named `name`, or 0.
const BlockSpec* find_block(const char* name);

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_BLOCK_TABLE_H
