#include "impulse/block_table.h"

#include <string.h>

namespace kiln {
namespace impulse {
namespace {

const BlockSpec* const kBlocks[] = {&kMfeBlock,     &kMfccBlock, &kSpectrogramBlock, &kSpectralAnalysisBlock,
                                    &kFlattenBlock, &kRawBlock,  &kImageBlock};

}  // namespace

const BlockSpec* const* all_blocks(int* count) {
  *count = static_cast<int>(sizeof kBlocks / sizeof kBlocks[0]);
  return kBlocks;
}

const BlockSpec* find_block(const char* name) {
  for (const BlockSpec* block : kBlocks) {
    if (strcmp(block->name, name) == 0) return block;
  }
  return 0;
}

}  // namespace impulse
}  // namespace kiln
