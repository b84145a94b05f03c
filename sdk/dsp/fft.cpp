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

// Number of index pairs (i, j), i < j, that the bit-reversal permutation of h values swaps: all h indices but
// the 2^ceil(m/2) palindromes of m = log2(h) bits, in pairs.
int bit_reverse_pair_count(int h) {
  int m = 0;
  while ((1 << m) < h) ++m;
  return (h - (1 << ((m + 1) / 2))) / 2;
}

// Writes the pairs (i, rev(i)), i < rev(i), of the bit-reversal permutation of h values; returns their
// number.
int bit_reverse_pairs(int h, uint16_t* pairs) {
  int count = 0;
  int j = 0;
  for (int i = 0; i + 1 < h; ++i) {
    if (i < j) {
      pairs[2 * count] = static_cast<uint16_t>(i);
      pairs[2 * count + 1] = static_cast<uint16_t>(j);
      ++count;
    }
    int bit = h >> 1;  // add one to j, counting with the bits reversed
    while (j & bit) {
      j ^= bit;
      bit >>= 1;
    }
    j |= bit;
  }
  return count;
}

// Reorders the complex values into bit-reversed index order, the input order of the iterative FFT below.
void bit_reverse_permute(float* z, const uint16_t* pairs, int count) {
  for (const uint16_t* end = pairs + 2 * count; pairs < end; pairs += 2) {
    float* a = z + 2 * pairs[0];
    float* b = z + 2 * pairs[1];
    const float re = a[0], im = a[1];
    a[0] = b[0];
    a[1] = b[1];
    b[0] = re;
    b[1] = im;
  }
}

// z[a] * w with the radix-2 butterfly's rounding: (ar*wr - ai*wi, ar*wi + ai*wr).
#define KILN_CMUL(outr, outi, ar, ai, wr, wi)   \
  const float outr = (ar) * (wr) - (ai) * (wi); \
  const float outi = (ar) * (wi) + (ai) * (wr)

// One radix-2 pass: every length-`span` butterfly of the decimation-in-time FFT.
void radix2_pass(float* z, int h, int span, const float* twiddles, int n) {
  const int half = span >> 1;
  const int step = 2 * (n / span);
  for (int start = 0; start < h; start += span) {
    float* a = z + 2 * start;
    float* b = a + 2 * half;
    const float* w = twiddles;
    for (int j = 0; j < half; ++j, w += step) {
      const float xr = b[2 * j], xi = b[2 * j + 1];
      KILN_CMUL(br, bi, xr, xi, w[0], w[1]);
      const float ar = a[2 * j], ai = a[2 * j + 1];
      b[2 * j] = ar - br;
      b[2 * j + 1] = ai - bi;
      a[2 * j] = ar + br;
      a[2 * j + 1] = ai + bi;
    }
  }
}

// The radix-2 passes of spans s and 2s in one pass. For j < q = s/2, the four values j, j+q, j+2q, j+3q of a
// 2s-block go through the span-s butterflies (j, j+q) and (j+2q, j+3q), both with twiddle W_s^j, then the
// span-2s butterflies (j, j+2q) with W_2s^j and (j+q, j+3q) with W_2s^(j+q) = -i * W_2s^j. The table holds
// that last identity exactly (every twiddle is the correctly rounded float of its value, and rounding is
// symmetric), and (x*wr - y*wi, x*wi + y*wr) with (wr, wi) = (W.im, -W.re) rounds to exactly (v.im, -v.re)
// for v = (x, y) * W: so the fourth product costs no multiplication and every float equals the radix-2
// result bit for bit (up to the sign of zeros, which no later magnitude depends on).
void radix4_pass(float* z, int h, int span, const float* twiddles, int n) {
  const int q = span >> 1;
  const int block = 2 * span;
  const int step1 = 2 * (n / span);   // W_s^j = twiddles[j * n/s]
  const int step2 = 2 * (n / block);  // W_2s^j = twiddles[j * n/2s]
  const float* w1 = twiddles;
  const float* w2 = twiddles;
  for (int j = 0; j < q; ++j, w1 += step1, w2 += step2) {
    const float w1r = w1[0], w1i = w1[1];
    const float w2r = w2[0], w2i = w2[1];
    for (float* p = z + 2 * j; p < z + 2 * h; p += 2 * block) {
      float* p1 = p + 2 * q;
      float* p2 = p + 4 * q;
      float* p3 = p + 6 * q;
      const float x1r = p1[0], x1i = p1[1];
      const float x3r = p3[0], x3i = p3[1];
      KILN_CMUL(t1r, t1i, x1r, x1i, w1r, w1i);
      KILN_CMUL(t3r, t3i, x3r, x3i, w1r, w1i);
      const float x0r = p[0], x0i = p[1];
      const float x2r = p2[0], x2i = p2[1];
      const float y0r = x0r + t1r, y0i = x0i + t1i;
      const float y1r = x0r - t1r, y1i = x0i - t1i;
      const float y2r = x2r + t3r, y2i = x2i + t3i;
      const float y3r = x2r - t3r, y3i = x2i - t3i;
      KILN_CMUL(u2r, u2i, y2r, y2i, w2r, w2i);
      KILN_CMUL(vr, vi, y3r, y3i, w2r, w2i);  // u3 = -i * v = (vi, -vr)
      p[0] = y0r + u2r;
      p[1] = y0i + u2i;
      p2[0] = y0r - u2r;
      p2[1] = y0i - u2i;
      p1[0] = y1r + vi;
      p1[1] = y1i - vr;
      p3[0] = y1r - vi;
      p3[1] = y1i + vr;
    }
  }
}

#undef KILN_CMUL

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
  // The remaining spans two at a time (spans s and 2s fused into one radix-4 pass over the data), then a last
  // radix-2 span when the count is odd. The arithmetic is exactly that of two radix-2 passes, only the order
  // of the memory accesses changes: see radix4_pass.
  int span = 8;
  for (; 2 * span <= h; span <<= 2) radix4_pass(z, h, span, twiddles, n);
  if (span <= h) radix2_pass(z, h, span, twiddles, n);
}

}  // namespace

bool rfft_length_supported(int n) {
  return n >= kFftMinLength && n <= kFftMaxLength && (n & (n - 1)) == 0;
}

size_t rfft_scratch_bytes(int n) {
  if (!rfft_length_supported(n)) return 0;
  return ScratchArena::bytes_for<float>(static_cast<size_t>(n)) +
         ScratchArena::bytes_for<uint16_t>(2 * static_cast<size_t>(bit_reverse_pair_count(n / 2)));
}

Status rfft_init(RfftPlan* plan, int n, void* scratch, size_t scratch_bytes) {
  if (!plan) return kNullArgument;
  if (!rfft_length_supported(n)) return kBadFftLength;
  ScratchArena arena(scratch, scratch_bytes);
  if (!scratch) return kNullArgument;
  float* twiddles = arena.take<float>(static_cast<size_t>(n));
  const int pair_count = bit_reverse_pair_count(n / 2);
  uint16_t* pairs = arena.take<uint16_t>(2 * static_cast<size_t>(pair_count));
  if (!twiddles || !pairs) return kScratchTooSmall;
  for (int k = 0; k < n / 2; ++k) {
    double c, s;
    unit_circle(k, n, &c, &s);
    twiddles[2 * k] = static_cast<float>(c);
    twiddles[2 * k + 1] = static_cast<float>(-s);
  }
  if (bit_reverse_pairs(n / 2, pairs) != pair_count) return kScratchTooSmall;  // cannot happen
  plan->length = n;
  plan->twiddles = twiddles;
  plan->swaps = pairs;
  plan->swap_count = pair_count;
  return kOk;
}

void rfft(const RfftPlan& plan, const float* in, float* out) {
  const int n = plan.length;
  const int h = n / 2;
  if (in != out) memcpy(out, in, static_cast<size_t>(n) * sizeof(float));
  // z[m] = in[2m] + i*in[2m+1]: the interleaved real input already is that complex array.
  bit_reverse_permute(out, plan.swaps, plan.swap_count);
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
