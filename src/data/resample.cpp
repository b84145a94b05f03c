#include "data/resample.h"

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "data/sample_limits.h"

namespace kiln {

std::vector<float> resample(const std::vector<float>& interleaved, int channels, double from_hz, double to_hz,
                            const std::string& name) {
  const std::size_t ch = static_cast<std::size_t>(channels);
  const std::size_t frames = interleaved.size() / ch;
  if (frames == 0 || from_hz == to_hz) return interleaved;
  const double ratio = to_hz / from_hz;
  if (!(ratio >= 1.0 / 256 && ratio <= 256)) {
    char rates[96];
    std::snprintf(rates, sizeof rates, "%g Hz to %g Hz", from_hz, to_hz);
    throw Error(name + ": cannot resample from " + rates +
                " (libsamplerate converts by a factor of at most 256)");
  }
  const std::size_t want = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(frames * ratio)));
  if (want > kMaxSampleValues / ch) {
    char rates[96];
    std::snprintf(rates, sizeof rates, "%g Hz to %g Hz", from_hz, to_hz);
    throw Error(name + ": resampled from " + rates + ", the sample would hold " + std::to_string(want * ch) +
                " values, more than the " + std::to_string(kMaxSampleValues) +
                " a sample may hold (split the recording into shorter files)");
  }

  // A sinc filter rings at a step, and the signal steps from 0 (what the filter assumes before and after it)
  // to its first and last values: an accelerometer axis reading 9.81 would ring by about 9% of that near both
  // ends. So the straight line through the first and last frame of each channel is taken out before, and
  // added back after: the rest starts and ends at 0, and a line resamples exactly.
  std::vector<double> first(ch), slope(ch);
  for (std::size_t c = 0; c < ch; ++c) {
    first[c] = interleaved[c];
    slope[c] =
        frames > 1 ? (interleaved[(frames - 1) * ch + c] - first[c]) / static_cast<double>(frames - 1) : 0;
  }
  // libsamplerate can stop a frame or two short of frames * ratio at the end of the input; trailing zeros
  // (what the detrended signal is beyond its end anyway) let it produce every output frame we keep.
  const std::size_t pad = static_cast<std::size_t>(std::ceil(8.0 / std::min(ratio, 1.0)));
  std::vector<float> in((frames + pad) * ch, 0.0f);
  for (std::size_t i = 0; i < frames; ++i) {
    for (std::size_t c = 0; c < ch; ++c) {
      in[i * ch + c] =
          static_cast<float>(interleaved[i * ch + c] - (first[c] + slope[c] * static_cast<double>(i)));
    }
  }
  std::vector<float> out((want + static_cast<std::size_t>(std::ceil(pad * ratio)) + 16) * ch);

  SRC_DATA d{};
  d.data_in = in.data();
  d.input_frames = static_cast<long>(frames + pad);
  d.data_out = out.data();
  d.output_frames = static_cast<long>(out.size() / ch);
  d.src_ratio = ratio;
  int err = src_simple(&d, SRC_SINC_BEST_QUALITY, channels);
  if (err != 0) throw Error(name + ": resampling failed (" + src_strerror(err) + ")");
  if (static_cast<std::size_t>(d.output_frames_gen) < want) {
    throw Error(name + ": resampling failed (libsamplerate produced " + std::to_string(d.output_frames_gen) +
                " of " + std::to_string(want) + " frames)");
  }
  out.resize(want * ch);
  // Output frame k is at input position k / ratio.
  for (std::size_t k = 0; k < want; ++k) {
    const double position = static_cast<double>(k) / ratio;
    for (std::size_t c = 0; c < ch; ++c)
      out[k * ch + c] += static_cast<float>(first[c] + slope[c] * position);
  }
  return out;
}

}  // namespace kiln
