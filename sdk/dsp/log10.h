// Deterministic float32 log10 for the DSP blocks.
//
// libm's log10f differs between C libraries in the last bit (glibc on the host, newlib on the device), and
// the MFE block rounds 10*log10(energy) to 1/256 steps, so a last-bit difference occasionally moves a feature
// by a whole step and the device's int8 scores stop matching the host's. log10_f32 uses only integer bit
// manipulation and IEEE float + - * /, which give the same bits on x86 (SSE), Cortex-M4F/M7 (FPU) and
// soft-float targets, as long as the SDK is built without floating-point contraction (-ffp-contract=off).
#ifndef KILN_DSP_LOG10_H
#define KILN_DSP_LOG10_H

namespace kiln {
namespace dsp {

// log10(x) for float x: within 1 ulp of the exact value for every positive finite x (subnormals included),
// exact at powers of ten; log10_f32(0) = -infinity, NaN for negative x and NaN, +infinity for +infinity.
float log10_f32(float x);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_LOG10_H
