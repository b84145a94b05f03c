// kiln deploy finds a block's SDK table entry by the naming rule of impulse/dsp_block.h (dsp_entry_header,
// dsp_entry_symbol): every block of the table must keep to it, and its entry's closure of files must not pull in
// another block, so a deployed library carries only its own block.
#include <gtest/gtest.h>

#include <string>

#include "deploy/resources.h"
#include "impulse/dsp_block.h"

namespace {

TEST(BlockEntries, EveryBlockHasItsEntryHeaderAndNoOtherBlock) {
  const std::vector<kiln::deploy::Resource> sdk = kiln::deploy::sdk_sources();
  const std::vector<std::string> blocks = kiln::dsp_block_names();
  ASSERT_FALSE(blocks.empty());
  for (const std::string& block : blocks) {
    SCOPED_TRACE(block);
    const std::string header = kiln::dsp_entry_header(block);
    const std::string text(kiln::deploy::resource_text(sdk, header));
    ASSERT_FALSE(text.empty()) << header << " is not in the SDK";
    const std::string symbol = kiln::dsp_entry_symbol(block);
    EXPECT_NE(text.find("extern const BlockSpec " + symbol + ";"), std::string::npos) << header;
    const std::set<std::string> closure = kiln::deploy::sdk_closure({header});
    EXPECT_EQ(closure.count("impulse/block_table.cpp"), 0u) << "the table of every block";
    for (const std::string& other : blocks) {
      if (other != block) {
        EXPECT_EQ(closure.count(kiln::dsp_entry_header(other)), 0u) << other;
      }
    }
  }
}

}  // namespace
