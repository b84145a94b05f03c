#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/fft.h"

#include <string.h>

#include "dsp/scratch_arena.h"

namespace kiln {
namespace dsp {
namespace {

const double kPi = 3.14159265358979323846;

// sin and cos of x in [0, pi/4] from their Taylor series, in double: the twiddles must not depend on the C
// library. libm's sin/cos (glibc on the host, newlib on the device) differ in the last bit of a double now
// and then; that reaches the float twiddle only when the double is within one double ulp of a float rounding
// midpoint (about one value in 2^28), so the risk was small, but this costs nothing (n/2 evaluations in
// rfft_init) and removes it: double + - * / are IEEE-exact everywhere, soft-float included. The series run to
// x^17 and x^16; the first omitted terms are below 1e-19. Every twiddle of every supported length equals the
// correctly rounded float of the true value (tests/unit/dsp/test_fft.cpp), so the tables did not change.
double series_sin(double x) {
  const double z = x * x;
  return x + x * z *
                 (-1.0 / 6.0 +
                  z * (1.0 / 120.0 +
                       z * (-1.0 / 5040.0 +
                            z * (1.0 / 362880.0 +
                                 z * (-1.0 / 39916800.0 +
                                      z * (1.0 / 6227020800.0 +
                                           z * (-1.0 / 1307674368000.0 + z * (1.0 / 355687428096000.0))))))));
}

double series_cos(double x) {
  const double z = x * x;
  return 1.0 + z * (-1.0 / 2.0 +
                    z * (1.0 / 24.0 +
                         z * (-1.0 / 720.0 +
                              z * (1.0 / 40320.0 +
                                   z * (-1.0 / 3628800.0 +
                                        z * (1.0 / 479001600.0 +
                                             z * (-1.0 / 87178291200.0 + z * (1.0 / 20922789888000.0))))))));
}

// cos and sin of 2*pi*k/n for 0 <= k < n/2, folded into the first octant so that values on the axes and the
// diagonals are exact and symmetric twiddles are bit-identical.
void unit_circle(int k, int n, double* c, double* s) {
  double sign_c = 1.0;
  if (4 * k > n) {  // theta > pi/2: cos(theta) = -cos(pi - theta), sin(theta) = sin(pi - theta)
    k = n / 2 - k;
    sign_c = -1.0;
  }
  if (8 * k > n) {  // pi/4 < theta <= pi/2: swap cos and sin of pi/2 - theta
    double angle = 2.0 * kPi * (n / 4 - k) / n;
    *c = sign_c * series_sin(angle);
    *s = series_cos(angle);
  } else {
    double angle = 2.0 * kPi * k / n;
    *c = sign_c * series_cos(angle);
    *s = series_sin(angle);
  }
}

void swap_complex(float* z, int a, int b) {
  float re = z[2 * a], im = z[2 * a + 1];
  z[2 * a] = z[2 * b];
  z[2 * a + 1] = z[2 * b + 1];
  z[2 * b] = re;
  z[2 * b + 1] = im;
}

// Reorders h complex values into bit-reversed index order, the input order of the iterative FFT below.
void bit_reverse_permute(float* z, int h) {
  int j = 0;
  for (int i = 0; i + 1 < h; ++i) {
    if (i < j) swap_complex(z, i, j);
    int bit = h >> 1;  // add one to j, counting with the bits reversed
    while (j & bit) {
      j ^= bit;
      bit >>= 1;
    }
    j |= bit;
  }
}

// In-place radix-2 decimation-in-time FFT of h complex values (already bit-reversed). The twiddle table
// belongs to the length-n real transform (n = 2h); a length-`span` butterfly uses every (n/span)-th entry.
void complex_fft(float* z, int h, const float* twiddles, int n) {
  if (h < 2) return;
  if (h == 2) {  // a single span-2 butterfly
    const float br = z[2], bi = z[3];
    z[2] = z[0] - br;
    z[3] = z[1] - bi;
    z[0] += br;
    z[1] += bi;
    return;
  }
  // Spans 2 and 4 in one pass: their twiddles are 1 and -i, so no multiplications are needed (and the results
  // are those of the general butterfly below, whose products with 0 and +-1 are exact).
  for (int i = 0; i < h; i += 4) {
    float* a = z + 2 * i;
    const float s0r = a[0] + a[2], s0i = a[1] + a[3];  // span 2 on values 0, 1 and on values 2, 3
    const float d0r = a[0] - a[2], d0i = a[1] - a[3];
    const float s1r = a[4] + a[6], s1i = a[5] + a[7];
    const float d1r = a[4] - a[6], d1i = a[5] - a[7];
    a[0] = s0r + s1r;  // span 4: twiddle 1 on the sums, -i on the differences (-i * (x + iy) = y - ix)
    a[1] = s0i + s1i;
    a[4] = s0r - s1r;
    a[5] = s0i - s1i;
    a[2] = d0r + d1i;
    a[3] = d0i - d1r;
    a[6] = d0r - d1i;
    a[7] = d0i + d1r;
  }
  for (int span = 8; span <= h; span <<= 1) {
    const int half = span >> 1;
    const int step = 2 * (n / span);
    for (int start = 0; start < h; start += span) {
      float* a = z + 2 * start;
      float* b = a + 2 * half;
      const float* w = twiddles;
      for (int j = 0; j < half; ++j, w += step) {
        float xr = b[2 * j], xi = b[2 * j + 1];
        float br = xr * w[0] - xi * w[1];
        float bi = xr * w[1] + xi * w[0];
        b[2 * j] = a[2 * j] - br;
        b[2 * j + 1] = a[2 * j + 1] - bi;
        a[2 * j] += br;
        a[2 * j + 1] += bi;
      }
    }
  }
}

}  // namespace

bool rfft_length_supported(int n) {
  return n >= kFftMinLength && n <= kFftMaxLength && (n & (n - 1)) == 0;
}

size_t rfft_scratch_bytes(int n) {
  if (!rfft_length_supported(n)) return 0;
  return ScratchArena::bytes_for<float>(static_cast<size_t>(n));
}

Status rfft_init(RfftPlan* plan, int n, void* scratch, size_t scratch_bytes) {
  if (!plan) return kNullArgument;
  if (!rfft_length_supported(n)) return kBadFftLength;
  ScratchArena arena(scratch, scratch_bytes);
  float* twiddles = arena.take<float>(static_cast<size_t>(n));
  if (!twiddles) return scratch ? kScratchTooSmall : kNullArgument;
  for (int k = 0; k < n / 2; ++k) {
    double c, s;
    unit_circle(k, n, &c, &s);
    twiddles[2 * k] = static_cast<float>(c);
    twiddles[2 * k + 1] = static_cast<float>(-s);
  }
  plan->length = n;
  plan->twiddles = twiddles;
  return kOk;
}

void rfft(const RfftPlan& plan, const float* in, float* out) {
  const int n = plan.length;
  const int h = n / 2;
  if (in != out) memcpy(out, in, static_cast<size_t>(n) * sizeof(float));
  // z[m] = in[2m] + i*in[2m+1]: the interleaved real input already is that complex array.
  bit_reverse_permute(out, h);
  complex_fft(out, h, plan.twiddles, n);

  // Split Z (the spectrum of z) into X: with E[k] = (Z[k] + conj(Z[h-k]))/2 (even samples) and
  // O[k] = (Z[k] - conj(Z[h-k]))/(2i) (odd samples), X[k] = E[k] + W^k O[k] and X[h-k] = conj(E[k] - W^k
  // O[k]), W = exp(-2*pi*i/n). Each pair (k, h-k) is read before either is written, so this works in place.
  const float r0 = out[0], i0 = out[1];
  out[0] = r0 + i0;
  out[1] = 0.0f;
  out[n] = r0 - i0;
  out[n + 1] = 0.0f;
  const float* w = plan.twiddles;
  for (int k = 1; 2 * k <= h; ++k) {
    const int m = h - k;
    const float ar = out[2 * k], ai = out[2 * k + 1];
    const float cr = out[2 * m], ci = out[2 * m + 1];
    const float er = 0.5f * (ar + cr), ei = 0.5f * (ai - ci);
    const float odd_r = 0.5f * (ai + ci), odd_i = 0.5f * (cr - ar);
    const float wr = w[2 * k], wi = w[2 * k + 1];
    const float tr = wr * odd_r - wi * odd_i;
    const float ti = wr * odd_i + wi * odd_r;
    out[2 * k] = er + tr;
    out[2 * k + 1] = ei + ti;
    out[2 * m] = er - tr;
    out[2 * m + 1] = ti - ei;
  }
}

}  // namespace dsp
}  // namespace kiln
