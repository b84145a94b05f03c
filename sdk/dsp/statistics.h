// Descriptive statistics over float32 arrays for the feature blocks (Spectral Analysis, Flatten), with the
// definitions numpy/scipy use in Edge Impulse's reference blocks: population moments, Fisher kurtosis and
// skewness without bias correction (scipy.stats defaults), percentiles by index into the sorted array,
// entropy of a 100-bin histogram, crossing rates.
//
// Sums are pairwise (as numpy's), which keeps float32 sums of a few thousand values within a few ulp of the
// exact sum, and the higher moments are taken of deviations scaled by the largest one, so that x^4 can
// neither overflow nor underflow in float32.
#ifndef KILN_DSP_STATISTICS_H
#define KILN_DSP_STATISTICS_H

#include <stddef.h>

namespace kiln {
namespace dsp {

// Pairwise sum of x[0..n).
float stats_sum(const float* x, size_t n);

// Arithmetic mean; 0 for n == 0.
float stats_mean(const float* x, size_t n);

// sqrt(mean(x^2)); 0 for n == 0.
float stats_rms(const float* x, size_t n);

struct StatsMoments {
  float mean;
  float variance;  // population (ddof = 0): m2
  float skewness;  // m3 / m2^1.5; 0 when m2 == 0 (scipy gives NaN there)
  float kurtosis;  // m4 / m2^2 - 3 (Fisher); 0 when m2 == 0 (scipy gives NaN there)
};

// Mean and central moments of x[0..n), two passes. n >= 1.
StatsMoments stats_moments(const float* x, size_t n);

// Sorts x[0..n) ascending in place (heapsort: no recursion, no memory).
void stats_sort(float* x, size_t n);

// Edge Impulse's percentile of a sorted array: sorted[int((n - 1) * percent / 100 + 0.5)]. n >= 1.
float stats_percentile_sorted(const float* sorted, size_t n, double percent);

// scipy.stats.entropy (natural log) of numpy.histogram(x, bins=100, density=True)[0]: the bins split
// [min, max] (or [v - 0.5, v + 0.5] when all values are v) into 100 equal parts, each half-open except the
// last; with p_i = count_i / n, -sum p_i ln p_i. n >= 1.
float stats_histogram_entropy(const float* x, size_t n);

// Number of i < n-1 where (x[i] > threshold) != (x[i+1] > threshold), divided by n; 0 for n == 0.
float stats_crossing_rate(const float* x, size_t n, float threshold);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_STATISTICS_H
