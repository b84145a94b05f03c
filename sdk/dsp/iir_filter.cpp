#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/iir_filter.h"

#include <math.h>

// Design follows the textbook route scipy.signal takes (and so the reference's filters): poles of the
// normalised analogue prototype, frequency scaling to the pre-warped edge 4*tan(pi*wn/2) (bilinear transform
// with fs = 2), for a high-pass the inversion s -> w/s, then z = (4 + s) / (4 - s). The sections pair each
// complex pole with its conjugate (an odd order's real pole with a pole at 0) and take two of the zeros,
// which all sit at z = -1 (low-pass) or z = +1 (high-pass); they are ordered as scipy's zpk2sos orders them
// (the section whose poles are closest to the unit circle last) with the gain in the first one. The order
// matters only for rounding, but matching it keeps the float32-rounded coefficients the reference uses.

namespace kiln {
namespace dsp {
namespace {

const double kPi = 3.14159265358979323846;

struct Cpx {
  double re, im;
};

Cpx cadd(Cpx a, Cpx b) {
  Cpx c = {a.re + b.re, a.im + b.im};
  return c;
}
Cpx csub(Cpx a, Cpx b) {
  Cpx c = {a.re - b.re, a.im - b.im};
  return c;
}
Cpx cmul(Cpx a, Cpx b) {
  Cpx c = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
  return c;
}
Cpx cdiv(Cpx a, Cpx b) {
  const double d = b.re * b.re + b.im * b.im;
  Cpx c = {(a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d};
  return c;
}
Cpx cscale(Cpx a, double s) {
  Cpx c = {a.re * s, a.im * s};
  return c;
}
double cabs(Cpx a) {
  return sqrt(a.re * a.re + a.im * a.im);
}

// A digital design: `count` poles (one of each conjugate pair has im > 0; real poles have im == 0), all zeros
// at `zero` (-1 or +1), and the overall gain.
struct Zpk {
  Cpx poles[kIirMaxOrder];
  int count;
  double zero;
  double gain;
};

// Analogue prototype poles (cut-off 1 rad/s) -> digital design for `band` with the pre-warped edge.
// `prototype_gain` is the prototype's k (its H(s) = k / prod(s - p)).
void analogue_to_digital(const Cpx* proto, int n, double prototype_gain, double wn, IirBand band, Zpk* out) {
  const double fs2 = 4.0;  // 2 * fs with fs = 2 (frequencies as fractions of Nyquist)
  const double warped = fs2 * tan(kPi * wn / 2.0);
  Cpx analogue[kIirMaxOrder];
  double gain = prototype_gain;
  if (band == kIirLowPass) {
    // s -> s / warped: poles scale by warped, k by warped^n (no zeros).
    for (int i = 0; i < n; ++i) analogue[i] = cscale(proto[i], warped);
    for (int i = 0; i < n; ++i) gain *= warped;
  } else {
    // s -> warped / s: poles warped / p, n zeros at s = 0, k * 1 / prod(-p).
    Cpx prod = {1.0, 0.0};
    const Cpx w = {warped, 0.0};
    for (int i = 0; i < n; ++i) {
      analogue[i] = cdiv(w, proto[i]);
      const Cpx minus = {-proto[i].re, -proto[i].im};
      prod = cmul(prod, minus);
    }
    const Cpx one = {1.0, 0.0};
    gain *= cdiv(one, prod).re;
  }
  // Bilinear transform: z = (fs2 + s) / (fs2 - s); analogue zeros at infinity (low-pass) go to -1, zeros at
  // s = 0 (high-pass) to +1; k * prod(fs2 - z_s) / prod(fs2 - p_s).
  Cpx num = {1.0, 0.0};
  Cpx den = {1.0, 0.0};
  const Cpx f = {fs2, 0.0};
  for (int i = 0; i < n; ++i) {
    out->poles[i] = cdiv(cadd(f, analogue[i]), csub(f, analogue[i]));
    den = cmul(den, csub(f, analogue[i]));
    if (band == kIirHighPass) num = cmul(num, f);  // fs2 - 0 for each zero at s = 0
  }
  out->count = n;
  out->zero = band == kIirLowPass ? -1.0 : 1.0;
  out->gain = gain * cdiv(num, den).re;
}

// Pairs poles and zeros into sections as scipy's zpk2sos does (pairing 'nearest'): an odd order gets an extra
// pole and zero at 0; repeatedly the pole closest to the unit circle (one of a conjugate pair) takes its
// conjugate, or a real pole the remaining real pole closest to the unit circle, and the zero nearest to it
// plus the nearest of the rest. Then the sections are reversed and the gain goes into the first one. Which
// zero (-1, +1 or the extra 0) lands in which section depends on where the poles are (near z = 1 for a low
// cut-off, near z = -1 for a high one), exactly as in scipy.
int zpk_to_sos(const Zpk& d, SosSection* sections) {
  // One pole of each conjugate pair (im > 0) and the real ones (the prototypes make them exactly real).
  Cpx pool[kIirMaxOrder + 1];
  double zeros[kIirMaxOrder + 1];
  int left = 0;
  int zeros_left = 0;
  for (int i = 0; i < d.count; ++i) {
    if (d.poles[i].im >= 0.0) pool[left++] = d.poles[i];
    zeros[zeros_left++] = d.zero;
  }
  if (d.count % 2 == 1) {
    const Cpx zero = {0.0, 0.0};
    pool[left++] = zero;
    zeros[zeros_left++] = 0.0;
  }
  const int sections_needed = (d.count + 1) / 2;
  int made = 0;
  SosSection picked[kIirMaxSections];
  while (left > 0 && made < sections_needed) {
    int best = 0;
    for (int i = 1; i < left; ++i) {
      if (fabs(1.0 - cabs(pool[i])) < fabs(1.0 - cabs(pool[best]))) best = i;
    }
    const Cpx p1 = pool[best];
    pool[best] = pool[--left];
    SosSection s;
    s.b0 = 1.0;
    if (p1.im != 0.0) {
      s.a1 = -2.0 * p1.re;
      s.a2 = p1.re * p1.re + p1.im * p1.im;
    } else {
      // A real pole: its partner is the remaining real pole closest to the unit circle.
      int partner = -1;
      for (int i = 0; i < left; ++i) {
        if (pool[i].im != 0.0) continue;
        if (partner < 0 || fabs(1.0 - fabs(pool[i].re)) < fabs(1.0 - fabs(pool[partner].re))) partner = i;
      }
      if (partner < 0) return 0;  // cannot happen: odd orders got a pole at 0
      const double p2 = pool[partner].re;
      pool[partner] = pool[--left];
      s.a1 = -(p1.re + p2);
      s.a2 = p1.re * p2;
    }
    // The two zeros nearest to p1 (all zeros are real).
    double z[2];
    for (int k = 0; k < 2; ++k) {
      if (zeros_left == 0) return 0;
      int nearest = 0;
      for (int i = 1; i < zeros_left; ++i) {
        const Cpx di = {zeros[i] - p1.re, -p1.im};
        const Cpx dn = {zeros[nearest] - p1.re, -p1.im};
        if (cabs(di) < cabs(dn)) nearest = i;
      }
      z[k] = zeros[nearest];
      zeros[nearest] = zeros[--zeros_left];
    }
    s.b1 = -(z[0] + z[1]);
    s.b2 = z[0] * z[1];
    picked[made++] = s;
  }
  if (made != sections_needed) return 0;
  for (int i = 0; i < made; ++i) sections[i] = picked[made - 1 - i];
  sections[0].b0 *= d.gain;
  sections[0].b1 *= d.gain;
  sections[0].b2 *= d.gain;
  return made;
}

bool order_ok(int order) {
  return order >= 1 && order <= kIirMaxOrder;
}

bool wn_ok(double wn) {
  return wn > 0.0 && wn < 1.0;  // also false for NaN
}

}  // namespace

int iir_section_count(int order) {
  return order_ok(order) ? (order + 1) / 2 : 0;
}

int butterworth_design(int order, double wn, IirBand band, SosSection* sections) {
  if (!order_ok(order) || !wn_ok(wn) || !sections) return 0;
  // Prototype: p = -exp(j*pi*m/(2n)), m = -n+1, -n+3, ..., n-1; k = 1.
  Cpx proto[kIirMaxOrder];
  for (int i = 0; i < order; ++i) {
    const int m = -order + 1 + 2 * i;
    const double angle = kPi * m / (2.0 * order);
    proto[i].re = -cos(angle);
    proto[i].im = m == 0 ? 0.0 : -sin(angle);
  }
  Zpk d;
  analogue_to_digital(proto, order, 1.0, wn, band, &d);
  return zpk_to_sos(d, sections);
}

int chebyshev1_lowpass_design(int order, double ripple_db, double wn, SosSection* sections) {
  if (!order_ok(order) || !wn_ok(wn) || !sections || !(ripple_db > 0.0) || ripple_db > 100.0) return 0;
  // Prototype: eps = sqrt(10^(rp/10) - 1), mu = asinh(1/eps)/n, p = -sinh(mu + j*theta) with
  // theta = pi*m/(2n) (m as for Butterworth); k = prod(-p), divided by sqrt(1 + eps^2) for even n so that the
  // ripple lies below 0 dB.
  const double eps = sqrt(pow(10.0, 0.1 * ripple_db) - 1.0);
  const double mu = asinh(1.0 / eps) / order;
  Cpx proto[kIirMaxOrder];
  Cpx prod = {1.0, 0.0};
  for (int i = 0; i < order; ++i) {
    const int m = -order + 1 + 2 * i;
    const double theta = kPi * m / (2.0 * order);
    // sinh(mu + j theta) = sinh(mu) cos(theta) + j cosh(mu) sin(theta)
    proto[i].re = -sinh(mu) * cos(theta);
    proto[i].im = m == 0 ? 0.0 : -cosh(mu) * sin(theta);
    const Cpx minus = {-proto[i].re, -proto[i].im};
    prod = cmul(prod, minus);
  }
  double k = prod.re;
  if (order % 2 == 0) k /= sqrt(1.0 + eps * eps);
  Zpk d;
  analogue_to_digital(proto, order, k, wn, kIirLowPass, &d);
  return zpk_to_sos(d, sections);
}

void sos_steady_state(const SosSection* s, int count, double* zi) {
  // For a constant input u the section's output settles at G*u with G = sum(b) / sum(a), and its transposed
  // direct form II states at z1 = b2*u - a2*G*u, z0 = b1*u - a1*G*u + z1. Each section's input is the
  // previous sections' DC gain times 1.
  double scale = 1.0;
  for (int i = 0; i < count; ++i) {
    const double gain = (s[i].b0 + s[i].b1 + s[i].b2) / (1.0 + s[i].a1 + s[i].a2);
    const double z1 = s[i].b2 - s[i].a2 * gain;
    const double z0 = s[i].b1 - s[i].a1 * gain + z1;
    zi[2 * i] = scale * z0;
    zi[2 * i + 1] = scale * z1;
    scale *= gain;
  }
}

double sos_magnitude(const SosSection* s, int count, double w) {
  const Cpx z1 = {cos(kPi * w), -sin(kPi * w)};  // z^-1 on the unit circle
  const Cpx z2 = cmul(z1, z1);
  double magnitude = 1.0;
  for (int i = 0; i < count; ++i) {
    const Cpx one = {1.0, 0.0};
    const Cpx num = cadd(cadd(cscale(one, s[i].b0), cscale(z1, s[i].b1)), cscale(z2, s[i].b2));
    const Cpx den = cadd(cadd(one, cscale(z1, s[i].a1)), cscale(z2, s[i].a2));
    magnitude *= cabs(num) / cabs(den);
  }
  return magnitude;
}

void sos_to_f32(const SosSection* s, int count, SosSectionF32* out) {
  for (int i = 0; i < count; ++i) {
    out[i].b0 = static_cast<float>(s[i].b0);
    out[i].b1 = static_cast<float>(s[i].b1);
    out[i].b2 = static_cast<float>(s[i].b2);
    out[i].a1 = static_cast<float>(s[i].a1);
    out[i].a2 = static_cast<float>(s[i].a2);
  }
}

void sos_filter_f32(const SosSectionF32* s, int count, float* z, float* x, size_t n) {
  // Section by section over the whole chunk: each section's loop keeps its two states in registers.
  for (int i = 0; i < count; ++i) {
    const SosSectionF32 c = s[i];
    float z0 = z[2 * i];
    float z1 = z[2 * i + 1];
    for (size_t t = 0; t < n; ++t) {
      const float in = x[t];
      const float out = c.b0 * in + z0;
      z0 = c.b1 * in - c.a1 * out + z1;
      z1 = c.b2 * in - c.a2 * out;
      x[t] = out;
    }
    z[2 * i] = z0;
    z[2 * i + 1] = z1;
  }
}

}  // namespace dsp
}  // namespace kiln
