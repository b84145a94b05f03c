// Included first by every DSP source: no fused multiply-add, whatever the build flags. The SDK's CMake passes
// -ffp-contract=off, but a user's build may not (GCC contracts a * b + c into one FMA by default in its GNU
// dialects, which Arduino and many vendor IDEs use, and Cortex-M4F/M7 have VFMA). The DSP features must be
// the same bits on the host and on every device, so the source itself switches contraction off.
#ifndef KILN_DSP_NO_FP_CONTRACT_H
#define KILN_DSP_NO_FP_CONTRACT_H

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#endif  // KILN_DSP_NO_FP_CONTRACT_H
