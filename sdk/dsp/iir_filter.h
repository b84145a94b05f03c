// IIR filters as cascades of second-order sections (biquads), designed once at setup in double precision the
// way scipy.signal designs them with output='sos' (analogue prototype poles, frequency transform, bilinear
// transform with pre-warping, poles paired into sections), then run in float32 on the device.
//
// The Spectral Analysis block uses two designs: the Butterworth low/high-pass of its filter stage (the
// reference casts those coefficients to float32 and filters with a zero initial state) and the Chebyshev
// type I low-pass of its decimation stages (order 8, 0.05 dB ripple, cut-off 0.8/r of Nyquist, started in
// the steady state of the first sample, as scipy's sosfilt_zi(sos) * x[0]).
#ifndef KILN_DSP_IIR_FILTER_H
#define KILN_DSP_IIR_FILTER_H

#include <stddef.h>

namespace kiln {
namespace dsp {

// One section: y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2). A first-order section has b2 = a2 = 0.
struct SosSection {
  double b0, b1, b2, a1, a2;
};

// The same section rounded to float32, as the filters run.
struct SosSectionF32 {
  float b0, b1, b2, a1, a2;
};

enum IirBand { kIirLowPass, kIirHighPass };

const int kIirMaxOrder = 16;
const int kIirMaxSections = kIirMaxOrder / 2;

// Number of sections of an order-`order` design: ceil(order / 2).
int iir_section_count(int order);

// Butterworth of order 1..kIirMaxOrder with the -3 dB point at `wn` (fraction of Nyquist, 0 < wn < 1), as
// scipy.signal.butter(order, wn, band, output='sos'): sections ordered from the poles farthest from the unit
// circle to the closest, the overall gain in the first section. Returns the section count, 0 on bad input.
int butterworth_design(int order, double wn, IirBand band, SosSection* sections);

// Chebyshev type I low-pass of order 1..kIirMaxOrder, `ripple_db` pass-band ripple, pass-band edge `wn`
// (fraction of Nyquist), as scipy.signal.cheby1(order, ripple_db, wn, output='sos'). Same conventions.
int chebyshev1_lowpass_design(int order, double ripple_db, double wn, SosSection* sections);

// Steady-state section states for a constant input of 1 (scipy's sosfilt_zi): starting from them the
// cascade outputs the DC gain at once, so a filter started with zi * x[0] has no start-up transient.
// zi holds 2 values per section (the transposed direct form II states).
void sos_steady_state(const SosSection* sections, int count, double* zi);

// Frequency response magnitude |H(e^{j pi w})| at w (fraction of Nyquist), for tests and design checks.
double sos_magnitude(const SosSection* sections, int count, double w);

// Rounds every coefficient to float32.
void sos_to_f32(const SosSection* sections, int count, SosSectionF32* out);

// Runs the cascade in place over x[0..n) in float32 (transposed direct form II), with the states `z` (2 per
// section) carried in and out, so that a signal can be filtered in chunks.
void sos_filter_f32(const SosSectionF32* sections, int count, float* z, float* x, size_t n);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_IIR_FILTER_H
