// The table entry of the spectral-analysis block (sdk/dsp/spectral_analysis.h), for the impulse runtime.
#ifndef KILN_IMPULSE_SPECTRAL_ANALYSIS_BLOCK_H
#define KILN_IMPULSE_SPECTRAL_ANALYSIS_BLOCK_H

#include "dsp/spectral_analysis.h"
#include "impulse/block.h"

namespace kiln {
namespace impulse {

extern const BlockSpec kSpectralAnalysisBlock;

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_SPECTRAL_ANALYSIS_BLOCK_H
