#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/mel_filterbank.h"

#include <math.h>

#include "dsp/framing.h"

// The mel points keep libm's log/exp in double: they only choose integer bins (floor of (fft_length + 1) *
// hz / fs), which a last-bit difference could move only when that product is within about 1e-13 of an
// integer; numpy's reference uses libm in the same way, so our own log/exp would not be more faithful to it.

namespace kiln {
namespace dsp {
namespace {

double hz_to_mel(double hz) {
  return 1127.0 * log(1.0 + hz / 700.0);
}
double mel_to_hz(double mel) {
  return 700.0 * (exp(mel / 1127.0) - 1.0);
}

double effective_high_frequency(const MelSpec& s) {
  return s.high_frequency == 0.0 ? s.sampling_frequency / 2.0 : s.high_frequency;
}

// The num_filters + 2 points spread evenly on the mel scale from low to high (numpy.linspace: i * step +
// start, the last point exactly the end), converted back to Hz, the last point lowered by 0.001 Hz, and
// mapped to FFT bins with bin = floor((fft_length + 1) * hz / fs). Filter i is the triangle over points i,
// i+1, i+2.
struct MelPoints {
  double mel_low;
  double mel_high;
  double step;
  int count;
  int fft_length;
  double sampling_frequency;
};

MelPoints mel_points(const MelSpec& s) {
  MelPoints m;
  m.mel_low = hz_to_mel(s.low_frequency);
  m.mel_high = hz_to_mel(effective_high_frequency(s));
  m.count = s.num_filters + 2;
  m.step = (m.mel_high - m.mel_low) / (m.count - 1);
  m.fft_length = s.fft_length;
  m.sampling_frequency = s.sampling_frequency;
  return m;
}

int mel_point_bin(const MelPoints& m, int i) {
  const double hz = i == m.count - 1 ? mel_to_hz(m.mel_high) - 0.001 : mel_to_hz(i * m.step + m.mel_low);
  return static_cast<int>(floor((m.fft_length + 1) * hz / m.sampling_frequency));
}

// The reference's triangle: rising (k - left) / (middle - left) on (left, middle], falling
// (right - k) / (right - middle) on [middle, right) (the falling edge wins at k == middle), 0 elsewhere.
float triangle_weight(int k, int left, int middle, int right) {
  double w = 0.0;
  if (k > left && k <= middle) w = static_cast<double>(k - left) / (middle - left);
  if (k >= middle && k < right) w = static_cast<double>(right - k) / (right - middle);
  return static_cast<float>(w);
}

// Upper bound of the total number of triangle weights: with non-decreasing bins b[0..F+1] <= fft_length/2,
// the sum over filters of (b[i+2] - b[i] + 1) telescopes to at most fft_length + F.
size_t weight_capacity(const MelSpec& s) {
  return static_cast<size_t>(s.fft_length) + static_cast<size_t>(s.num_filters);
}

}  // namespace

Status mel_check_frequencies(const MelSpec& s) {
  const double fs = s.sampling_frequency;
  if (!dsp_finite(s.high_frequency) || s.high_frequency < 0.0 || s.high_frequency > fs / 2.0) {
    return kBadHighFrequency;
  }
  if (!dsp_finite(s.low_frequency) || s.low_frequency < 0.0 ||
      s.low_frequency >= effective_high_frequency(s)) {
    return kBadLowFrequency;
  }
  return kOk;
}

Status mel_check_bins(const MelSpec& s) {
  const MelPoints m = mel_points(s);
  int previous = 0;
  int run = 0;  // how many points in a row fall on the same bin
  for (int i = 0; i < m.count; ++i) {
    const int bin = mel_point_bin(m, i);
    if (bin < previous)
      return kBadLowFrequency;  // low and high so close that the 0.001 Hz shift reorders them
    if (bin > s.fft_length / 2) return kBadHighFrequency;
    run = (i > 0 && bin == previous) ? run + 1 : 1;
    if (run >= 3) return kEmptyMelFilter;  // left == middle == right: a filter without a non-zero weight
    previous = bin;
  }
  return kOk;
}

size_t mel_filterbank_scratch_bytes(const MelSpec& s) {
  const size_t filters = static_cast<size_t>(s.num_filters);
  return 2 * ScratchArena::bytes_for<int>(filters) + ScratchArena::bytes_for<float>(weight_capacity(s));
}

Status mel_filterbank_init(const MelSpec& s, ScratchArena* arena, MelFilterbank* bank) {
  if (!arena || !bank) return kNullArgument;
  int* first = arena->take<int>(static_cast<size_t>(s.num_filters));
  int* count = arena->take<int>(static_cast<size_t>(s.num_filters));
  float* weights = arena->take<float>(weight_capacity(s));
  if (!first || !count || !weights) return kScratchTooSmall;

  // Filter i is the triangle over bins b[i], b[i+1], b[i+2]; keep its weights on [b[i], b[i+2]].
  const MelPoints mel = mel_points(s);
  int left = mel_point_bin(mel, 0);
  int middle = mel_point_bin(mel, 1);
  size_t used = 0;
  // Only the span from the first to the last non-zero weight is kept (the triangle's ends, k == left and
  // k == right, have weight 0 unless left == middle): leaving out products p * 0 = +0 at the ends of a sum
  // that starts at +0 changes no bit of it for finite powers, and saves two multiply-adds per filter.
  for (int i = 0; i < s.num_filters; ++i) {
    const int right = mel_point_bin(mel, i + 2);
    int lo = left;
    int hi = right;
    while (lo <= hi && triangle_weight(lo, left, middle, right) == 0.0f) ++lo;
    while (hi >= lo && triangle_weight(hi, left, middle, right) == 0.0f) --hi;
    first[i] = lo;
    count[i] = hi - lo + 1;
    for (int k = lo; k <= hi; ++k) weights[used++] = triangle_weight(k, left, middle, right);
    left = middle;
    middle = right;
  }
  bank->num_filters = s.num_filters;
  bank->filter_first = first;
  bank->filter_count = count;
  bank->filter_weights = weights;
  return kOk;
}

void mel_filterbank_apply(const MelFilterbank& bank, const float* power, float* energies) {
  const float* w = bank.filter_weights;
  for (int i = 0; i < bank.num_filters; ++i) {
    const float* p = power + bank.filter_first[i];
    float energy = 0.0f;
    for (int k = 0; k < bank.filter_count[i]; ++k) energy += p[k] * w[k];
    w += bank.filter_count[i];
    energies[i] = energy;
  }
}

}  // namespace dsp
}  // namespace kiln
