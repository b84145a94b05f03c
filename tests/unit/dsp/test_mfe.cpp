// MFE block (sdk/dsp/mfe.h): framing and shapes, filterbank placement, the noise floor and the top of the
// scale, quantisation, pre-emphasis wrap-around, frame truncation and the signal/scratch contracts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "dsp/mfe.h"

namespace {

using namespace kiln::dsp;

const double kPi = 3.14159265358979323846;

std::vector<float> tone(double frequency, double amplitude, double fs, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t t = 0; t < n; ++t) {
    x[t] = static_cast<float>(
        std::round(amplitude * std::sin(2 * kPi * frequency * static_cast<double>(t) / fs)));
  }
  return x;
}

// The block's output (quantised).
std::vector<float> run(const MfeParams& p, const std::vector<float>& x) {
  std::vector<unsigned char> scratch(mfe_scratch_bytes(p));
  MfeShape shape;
  EXPECT_EQ(mfe_output_shape(p, x.size(), &shape), kOk);
  std::vector<float> out(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values));
  kiln_float_array array = {x.data(), x.size()};
  EXPECT_EQ(
      mfe_run(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(), out.data(), out.size()),
      kOk);
  return out;
}

// Unquantised values v of every frame.
std::vector<float> unquantised(const MfeParams& p, const std::vector<float>& x) {
  std::vector<unsigned char> scratch(mfe_scratch_bytes(p));
  MfeState state;
  EXPECT_EQ(mfe_prepare(p, x.size(), scratch.data(), scratch.size(), &state), kOk);
  std::vector<float> v(static_cast<std::size_t>(state.frames) * static_cast<std::size_t>(p.num_filters));
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  for (int f = 0; f < state.frames; ++f) {
    EXPECT_EQ(mfe_frame(state, signal, f, v.data() + static_cast<std::size_t>(f) * p.num_filters), kOk);
  }
  return v;
}

int argmax_band(const std::vector<float>& v, int frame, int filters) {
  auto row = v.begin() + static_cast<std::ptrdiff_t>(frame) * filters;
  return static_cast<int>(std::max_element(row, row + filters) - row);
}

MfeShape shape_of(const MfeParams& p, std::size_t n) {
  MfeShape s{-1, -1};
  EXPECT_EQ(mfe_output_shape(p, n, &s), kOk);
  return s;
}

TEST(DspMfeShape, StudioDefaults) {
  const MfeParams p = mfe_default_params(16000);
  EXPECT_EQ(shape_of(p, 16000).frames, 99);  // 1 s: floor((16000 - (320 - 160)) / 160)
  EXPECT_EQ(shape_of(p, 16000).values, 40);
  EXPECT_EQ(shape_of(p, 32000).frames, 199);  // 2 s windows
  EXPECT_EQ(shape_of(p, 320).frames, 1);      // exactly one frame
  EXPECT_EQ(shape_of(p, 479).frames, 1);
  EXPECT_EQ(shape_of(p, 480).frames, 2);
  MfeShape s;
  EXPECT_EQ(mfe_output_shape(p, 319, &s), kSignalTooShort);
  EXPECT_EQ(mfe_output_shape(p, 0, &s), kSignalTooShort);
}

TEST(DspMfeShape, SamplesRoundingRule) {
  // floor(fs*t) when fs*t is less than 0.001 above its floor, else ceil(fs*t) (README examples first).
  EXPECT_EQ(mfe_seconds_to_samples(16000, 0.016), 256u);
  EXPECT_EQ(mfe_seconds_to_samples(44100, 0.025), 1103u);   // 1102.5
  EXPECT_EQ(mfe_seconds_to_samples(44100, 0.005), 221u);    // 220.5
  EXPECT_EQ(mfe_seconds_to_samples(16000.04, 0.02), 320u);  // 320.0008: within 0.001 of the floor
  EXPECT_EQ(mfe_seconds_to_samples(16000.1, 0.02), 321u);   // 320.002: rounded up
  EXPECT_EQ(mfe_seconds_to_samples(11025.5, 0.02), 221u);   // 220.51
  EXPECT_EQ(mfe_seconds_to_samples(16000, 0.00001), 1u);    // 0.16 rounds up
  EXPECT_EQ(mfe_seconds_to_samples(16000, 1e-8), 0u);       // 0.00016 rounds down to no sample at all
}

TEST(DspMfeShape, FractionalSamplingFrequency) {
  MfeParams p = mfe_default_params(11025.5);
  // L = ceil(220.51) = 221, S = ceil(110.255) = 111, frames = floor((11025 - 110) / 111) = 98.
  EXPECT_EQ(shape_of(p, 11025).frames, 98);
  p = mfe_default_params(44100);
  p.frame_length = 0.025;
  p.frame_stride = 0.005;
  p.fft_length = 1024;
  // L = 1103, S = 221: floor((44100 - 882) / 221) = 195.
  EXPECT_EQ(shape_of(p, 44100).frames, 195);
}

TEST(DspMfeShape, SignalsLongerThan500FramesAreAccepted) {
  const MfeParams p = mfe_default_params(16000);
  EXPECT_EQ(shape_of(p, 16000 * 10).frames, 999);
}

TEST(DspMfeParams, ValidationNamesTheBadParameter) {
  const MfeParams ok = mfe_default_params(16000);
  EXPECT_EQ(mfe_validate(ok), kOk);
  auto with = [&](auto change) {
    MfeParams p = ok;
    change(p);
    return mfe_validate(p);
  };
  EXPECT_EQ(with([](MfeParams& p) { p.sampling_frequency = 0; }), kBadSamplingFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.sampling_frequency = NAN; }), kBadSamplingFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.frame_length = 0; }), kBadFrameLength);
  EXPECT_EQ(with([](MfeParams& p) { p.frame_length = -0.02; }), kBadFrameLength);
  EXPECT_EQ(with([](MfeParams& p) { p.frame_length = 0.00000001; }), kBadFrameLength);  // rounds to 0 samples
  EXPECT_EQ(with([](MfeParams& p) { p.frame_stride = INFINITY; }), kBadFrameStride);
  EXPECT_EQ(with([](MfeParams& p) { p.num_filters = 1; }), kBadNumFilters);
  EXPECT_EQ(with([](MfeParams& p) { p.num_filters = kMfeMaxFilters + 1; }), kBadNumFilters);
  EXPECT_EQ(with([](MfeParams& p) { p.fft_length = 300; }), kBadFftLength);
  EXPECT_EQ(with([](MfeParams& p) { p.fft_length = 16; }), kBadFftLength);
  EXPECT_EQ(with([](MfeParams& p) { p.fft_length = 8192; }), kBadFftLength);
  EXPECT_EQ(with([](MfeParams& p) {
              p.fft_length = 32;
              p.num_filters = 8;
            }),
            kOk);
  EXPECT_EQ(with([](MfeParams& p) { p.fft_length = 4096; }), kOk);
  EXPECT_EQ(with([](MfeParams& p) { p.high_frequency = 8001; }), kBadHighFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.high_frequency = -1; }), kBadHighFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.high_frequency = 8000; }), kOk);
  EXPECT_EQ(with([](MfeParams& p) { p.low_frequency = -1; }), kBadLowFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.low_frequency = 8000; }), kBadLowFrequency);
  EXPECT_EQ(with([](MfeParams& p) {
              p.low_frequency = 300;
              p.high_frequency = 300;
            }),
            kBadLowFrequency);
  EXPECT_EQ(with([](MfeParams& p) { p.noise_floor_db = 12; }), kBadNoiseFloor);
  // 128 mel filters on a 256-point FFT at 16 kHz: the lowest points all fall on bin 0, so a filter has no
  // non-zero weight; the reference refuses this ("a row of the mel filterbank contains all zeros").
  EXPECT_EQ(with([](MfeParams& p) { p.num_filters = 128; }), kEmptyMelFilter);
  EXPECT_EQ(with([](MfeParams& p) { p.num_filters = 64; }), kEmptyMelFilter);
  EXPECT_EQ(with([](MfeParams& p) {
              p.num_filters = 128;
              p.fft_length = 1024;
            }),
            kOk);
  EXPECT_EQ(with([](MfeParams& p) { p.noise_floor_db = NAN; }), kBadNoiseFloor);
  EXPECT_EQ(mfe_scratch_bytes([&] {
              MfeParams p = ok;
              p.fft_length = 300;
              return p;
            }()),
            0u);
}

TEST(DspMfe, SilenceGivesAllZeros) {
  const MfeParams p = mfe_default_params(16000);
  for (float v : run(p, std::vector<float>(16000, 0.0f))) ASSERT_EQ(v, 0.0f);
  // +-1 LSB noise is about -90 dB per band: far below the -52 dB noise floor.
  std::mt19937 rng(3);
  std::vector<float> hiss(16000);
  for (float& v : hiss) v = static_cast<float>(static_cast<int>(rng() % 3) - 1);
  for (float v : run(p, hiss)) ASSERT_EQ(v, 0.0f);
}

TEST(DspMfe, PureToneLandsInItsMelBand) {
  // 1062.5 Hz is exactly FFT bin 17 of 256 at 16 kHz (no leakage). With 40 filters from 0 to 8000 Hz the mel
  // points 14, 15, 16 fall on bins 15, 17, 18, so filter 14 peaks on bin 17; its neighbours are 0 there.
  const MfeParams p = mfe_default_params(16000);
  const std::vector<float> v = unquantised(p, tone(1062.5, 8000, 16000, 16000));
  for (int f = 0; f < 99; ++f) {
    ASSERT_EQ(argmax_band(v, f, 40), 14) << "frame " << f;
    const float* row = v.data() + f * 40;
    EXPECT_GT(row[14], 0.5f);
    EXPECT_GT(row[14] - std::max(row[13], row[15]), 0.2f) << "frame " << f;  // > 12 dB above the neighbours
  }
}

TEST(DspMfe, ToneBandFollowsFrequency) {
  const MfeParams p = mfe_default_params(16000);
  int previous = -1;
  for (double hz : {250.0, 500.0, 1000.0, 2000.0, 4000.0, 7000.0}) {
    const std::vector<float> v = unquantised(p, tone(hz, 8000, 16000, 4000));
    const int band = argmax_band(v, 10, 40);
    EXPECT_GT(band, previous) << hz << " Hz";
    previous = band;
  }
  EXPECT_GE(previous, 37);  // 7 kHz is near the top of 0..8 kHz
}

TEST(DspMfe, LoudBandsSaturateAtOneNotZero) {
  // A full-scale 6 kHz tone is well above +12 dB in its band: v clips to 1. The Python reference's uint8 cast
  // turns 256 into 0 there; we output 1.0 (monotonic; see mfe_quantize).
  MfeParams p = mfe_default_params(16000);
  p.num_filters = 32;
  const std::vector<float> x = tone(6000, 32000, 16000, 16000);
  const std::vector<float> v = unquantised(p, x);
  const std::vector<float> out = run(p, x);
  int saturated = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] * 256.0f >= 255.5f) {
      ++saturated;
      ASSERT_EQ(out[i], 1.0f) << i;
    }
    ASSERT_GE(out[i], 0.0f);
    ASSERT_LE(out[i], 1.0f);
  }
  EXPECT_GE(saturated, 99);  // at least the 6 kHz band in every frame
}

TEST(DspMfe, QuantizeRoundsHalfToEvenOnSteps) {
  EXPECT_EQ(mfe_quantize(0.0f), 0.0f);
  EXPECT_EQ(mfe_quantize(0.5f / 256), 0.0f);        // tie: to even (0)
  EXPECT_EQ(mfe_quantize(1.5f / 256), 2.0f / 256);  // tie: to even (2)
  EXPECT_EQ(mfe_quantize(2.5f / 256), 2.0f / 256);  // tie: to even (2)
  EXPECT_EQ(mfe_quantize(2.51f / 256), 3.0f / 256);
  EXPECT_EQ(mfe_quantize(100.49f / 256), 100.0f / 256);
  EXPECT_EQ(mfe_quantize(254.5f / 256), 254.0f / 256);
  EXPECT_EQ(mfe_quantize(255.4f / 256), 255.0f / 256);
  EXPECT_EQ(mfe_quantize(255.5f / 256), 1.0f);  // the top: 1.0, not the Python wrap to 0
  EXPECT_EQ(mfe_quantize(1.0f), 1.0f);
  EXPECT_EQ(mfe_quantize(-0.25f), 0.0f);
  EXPECT_EQ(mfe_quantize(NAN), 0.0f);
}

TEST(DspMfe, PreEmphasisWrapsAroundToTheLastSample) {
  // 16005 samples: 99 frames cover [0, 16000), so the last 5 samples are in no frame. Changing x[N-1] may
  // only change frame 0, through y[0] = x[0] - 0.98 x[N-1].
  const MfeParams p = mfe_default_params(16000);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pcm(-3000, 3000);
  std::vector<float> x(16005);
  for (float& v : x) v = static_cast<float>(pcm(rng));
  std::vector<float> changed = x;
  changed.back() = 30000;
  const std::vector<float> a = unquantised(p, x), b = unquantised(p, changed);
  ASSERT_EQ(a.size(), 99u * 40u);
  EXPECT_NE(std::vector<float>(a.begin(), a.begin() + 40), std::vector<float>(b.begin(), b.begin() + 40));
  EXPECT_EQ(std::vector<float>(a.begin() + 40, a.end()), std::vector<float>(b.begin() + 40, b.end()));
}

TEST(DspMfe, FramesLongerThanTheFftAreCut) {
  // Frame 0 spans samples [0, 320) but only its first 256 go into the FFT of length 256: changing sample 300
  // leaves frame 0 untouched (frame 1, [160, 480), does see it).
  const MfeParams p = mfe_default_params(16000);
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> pcm(-3000, 3000);
  std::vector<float> x(4000);
  for (float& v : x) v = static_cast<float>(pcm(rng));
  std::vector<float> changed = x;
  changed[300] = -25000;
  const std::vector<float> a = unquantised(p, x), b = unquantised(p, changed);
  EXPECT_EQ(std::vector<float>(a.begin(), a.begin() + 40), std::vector<float>(b.begin(), b.begin() + 40));
  EXPECT_NE(std::vector<float>(a.begin() + 40, a.begin() + 80),
            std::vector<float>(b.begin() + 40, b.begin() + 80));
}

struct CheckedSource {
  const std::vector<float>* data;
  std::size_t reads = 0;
  bool out_of_range = false;
  std::size_t fail_after = static_cast<std::size_t>(-1);
};

int checked_get_data(void* ctx, std::size_t offset, std::size_t length, float* out) {
  auto* s = static_cast<CheckedSource*>(ctx);
  if (offset >= s->data->size() || length > s->data->size() - offset || length == 0) {
    s->out_of_range = true;
    return -1;
  }
  if (s->reads++ >= s->fail_after) return 5;
  std::copy(s->data->begin() + static_cast<std::ptrdiff_t>(offset),
            s->data->begin() + static_cast<std::ptrdiff_t>(offset + length), out);
  return 0;
}

TEST(DspMfe, ReadsTheSignalInChunksInsideItsBounds) {
  const MfeParams p = mfe_default_params(16000);
  std::mt19937 rng(7);
  std::vector<float> x(16000);
  for (float& v : x) v = static_cast<float>(static_cast<int>(rng() % 20001) - 10000);
  CheckedSource source{&x};
  const kiln_signal signal = {x.size(), checked_get_data, &source};
  std::vector<unsigned char> scratch(mfe_scratch_bytes(p));
  std::vector<float> out(99 * 40);
  ASSERT_EQ(mfe_run(p, signal, scratch.data(), scratch.size(), out.data(), out.size()), kOk);
  EXPECT_FALSE(source.out_of_range);
  EXPECT_EQ(out, run(p, x));  // same result as reading from an array

  CheckedSource failing{&x};
  failing.fail_after = 10;
  const kiln_signal bad = {x.size(), checked_get_data, &failing};
  EXPECT_EQ(mfe_run(p, bad, scratch.data(), scratch.size(), out.data(), out.size()), kSignalReadFailed);
}

TEST(DspMfe, ChecksScratchOutputAndArguments) {
  const MfeParams p = mfe_default_params(16000);
  std::vector<float> x(16000, 100.0f);
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  const std::size_t need = mfe_scratch_bytes(p);
  ASSERT_GT(need, 0u);
  std::vector<unsigned char> scratch(need + 16);
  std::vector<float> out(99 * 40);
  EXPECT_EQ(mfe_run(p, signal, scratch.data(), need - 1, out.data(), out.size()), kScratchTooSmall);
  EXPECT_EQ(mfe_run(p, signal, scratch.data(), need, out.data(), out.size() - 1), kOutputTooSmall);
  EXPECT_EQ(mfe_run(p, signal, nullptr, need, out.data(), out.size()), kNullArgument);
  EXPECT_EQ(mfe_run(p, signal, scratch.data(), need, nullptr, out.size()), kNullArgument);

  MfeState state;
  ASSERT_EQ(mfe_prepare(p, x.size(), scratch.data(), need, &state), kOk);
  float row[40];
  EXPECT_EQ(mfe_frame(state, signal, -1, row), kBadFrameIndex);
  EXPECT_EQ(mfe_frame(state, signal, 99, row), kBadFrameIndex);
  kiln_float_array shorter = {x.data(), x.size() - 1};
  EXPECT_EQ(mfe_frame(state, kiln_signal_from_array(&shorter), 0, row), kSignalLengthMismatch);

  // Any alignment of the caller's scratch block gives the same result.
  const std::vector<float> reference = run(p, x);
  for (std::size_t offset = 1; offset < 8; ++offset) {
    ASSERT_EQ(mfe_run(p, signal, scratch.data() + offset, need, out.data(), out.size()), kOk);
    EXPECT_EQ(out, reference) << offset;
  }
}

}  // namespace
