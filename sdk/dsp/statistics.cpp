#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/statistics.h"

#include <math.h>

namespace kiln {
namespace dsp {
namespace {

const int kHistogramBins = 100;

// Pairwise sum of f(x[i]) for the moment sums; blocks of 8 are summed in a row, as numpy does.
template <typename F>
float pairwise(const float* x, size_t n, const F& f) {
  if (n <= 8) {
    float s = 0.0f;
    for (size_t i = 0; i < n; ++i) s += f(x[i]);
    return s;
  }
  const size_t half = n / 2;
  return pairwise(x, half, f) + pairwise(x + half, n - half, f);
}

struct Identity {
  float operator()(float v) const { return v; }
};

struct ScaledPower {
  float centre, inverse_scale;
  int power;
  float operator()(float v) const {
    const float d = (v - centre) * inverse_scale;
    const float d2 = d * d;
    return power == 2 ? d2 : power == 3 ? d2 * d : d2 * d2;
  }
};

void sift_down(float* x, size_t root, size_t n) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && x[child + 1] > x[child]) ++child;
    if (!(x[child] > x[root])) return;
    const float t = x[root];
    x[root] = x[child];
    x[child] = t;
    root = child;
  }
}

}  // namespace

float stats_sum(const float* x, size_t n) {
  return pairwise(x, n, Identity());
}

float stats_mean(const float* x, size_t n) {
  return n == 0 ? 0.0f : stats_sum(x, n) / static_cast<float>(n);
}

float stats_rms(const float* x, size_t n) {
  if (n == 0) return 0.0f;
  float largest = 0.0f;
  for (size_t i = 0; i < n; ++i) largest = fabsf(x[i]) > largest ? fabsf(x[i]) : largest;
  if (largest == 0.0f) return 0.0f;
  if (!(largest - largest ==
        0.0f)) {  // infinity or NaN somewhere: let it propagate as the plain formula would
    ScaledPower plain = {0.0f, 1.0f, 2};
    return sqrtf(pairwise(x, n, plain) / static_cast<float>(n));
  }
  ScaledPower square = {0.0f, 1.0f / largest, 2};
  return largest * sqrtf(pairwise(x, n, square) / static_cast<float>(n));
}

StatsMoments stats_moments(const float* x, size_t n) {
  StatsMoments m = {0.0f, 0.0f, 0.0f, 0.0f};
  if (n == 0) return m;
  m.mean = stats_mean(x, n);
  float largest = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    const float d = fabsf(x[i] - m.mean);
    largest = d > largest ? d : largest;
  }
  if (!(largest > 0.0f)) return m;  // all values equal (or NaN): no spread, skewness and kurtosis 0
  const float inverse = 1.0f / largest;
  const float count = static_cast<float>(n);
  ScaledPower p2 = {m.mean, inverse, 2};
  ScaledPower p3 = {m.mean, inverse, 3};
  ScaledPower p4 = {m.mean, inverse, 4};
  const float m2 = pairwise(x, n, p2) / count;  // in units of largest^2
  const float m3 = pairwise(x, n, p3) / count;
  const float m4 = pairwise(x, n, p4) / count;
  m.variance = m2 * largest * largest;
  if (m2 > 0.0f) {
    m.skewness = m3 / (m2 * sqrtf(m2));
    m.kurtosis = m4 / (m2 * m2) - 3.0f;
  }
  return m;
}

void stats_sort(float* x, size_t n) {
  if (n < 2) return;
  for (size_t i = n / 2; i-- > 0;) sift_down(x, i, n);
  for (size_t end = n - 1; end > 0; --end) {
    const float t = x[0];
    x[0] = x[end];
    x[end] = t;
    sift_down(x, 0, end);
  }
}

float stats_percentile_sorted(const float* sorted, size_t n, double percent) {
  size_t index = static_cast<size_t>(static_cast<double>(n - 1) * percent / 100.0 + 0.5);
  if (index >= n) index = n - 1;
  return sorted[index];
}

float stats_histogram_entropy(const float* x, size_t n) {
  if (n == 0) return 0.0f;
  float lo = x[0], hi = x[0];
  for (size_t i = 1; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  // Bin edges as numpy.linspace makes them (first + i * step, the last exactly `last`), in double like numpy;
  // a value goes to the bin whose edges enclose it, the top edge belonging to the last bin.
  double first = lo, last = hi;
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  const double step = (last - first) / kHistogramBins;
  const double norm = kHistogramBins / (last - first);
  int counts[kHistogramBins] = {0};
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    int b = static_cast<int>((v - first) * norm);
    if (b >= kHistogramBins) b = kHistogramBins - 1;
    if (b < 0) b = 0;
    const double lower = b * step + first;
    const double upper = b + 1 == kHistogramBins ? last : (b + 1) * step + first;
    if (v < lower && b > 0) {
      --b;
    } else if (v >= upper && b + 1 < kHistogramBins) {
      ++b;
    }
    ++counts[b];
  }
  float entropy = 0.0f;
  const float inverse_n = 1.0f / static_cast<float>(n);
  for (int b = 0; b < kHistogramBins; ++b) {
    if (counts[b] == 0) continue;
    const float p = static_cast<float>(counts[b]) * inverse_n;
    entropy -= p * logf(p);
  }
  return entropy;
}

float stats_crossing_rate(const float* x, size_t n, float threshold) {
  if (n == 0) return 0.0f;
  size_t crossings = 0;
  for (size_t i = 0; i + 1 < n; ++i) crossings += (x[i] > threshold) != (x[i + 1] > threshold) ? 1 : 0;
  return static_cast<float>(crossings) / static_cast<float>(n);
}

}  // namespace dsp
}  // namespace kiln
