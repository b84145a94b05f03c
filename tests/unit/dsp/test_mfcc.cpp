// MFCC block (sdk/dsp/mfcc.h): every golden case within the README's tolerance, a float64 re-implementation
// of the README's description (checked against the golden cases itself) on what the golden set does not
// cover (win_size 0, the lifter, pre_shift > 1, frames cut to the FFT, band edges, other rates, a CMVN window
// wider than twice the frames, a single frame), the int8 variant, and the parameter, memory and signal
// contracts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "dsp/framing.h"
#include "dsp/mfcc.h"
#include "golden_cases.h"
#include "nn/quantize.h"

namespace {

using namespace kiln::dsp;

const double kPi = 3.14159265358979323846;

MfccParams params_of(const nlohmann::json& j) {
  MfccParams p = mfcc_default_params();
  for (const auto& [name, v] : j.items()) {
    if (name == "num_cepstral")
      p.num_cepstral = v.get<int>();
    else if (name == "frame_length")
      p.frame_length = v.get<double>();
    else if (name == "frame_stride")
      p.frame_stride = v.get<double>();
    else if (name == "num_filters")
      p.num_filters = v.get<int>();
    else if (name == "fft_length")
      p.fft_length = v.get<int>();
    else if (name == "win_size")
      p.win_size = v.get<int>();
    else if (name == "low_frequency")
      p.low_frequency = v.get<double>();
    else if (name == "high_frequency")
      p.high_frequency = v.get<double>();
    else if (name == "pre_cof")
      p.pre_cof = v.get<double>();
    else if (name == "pre_shift")
      p.pre_shift = v.get<int>();
    else
      ADD_FAILURE() << "unexpected MFCC parameter " << name;
  }
  return p;
}

// README tolerance: 2e-3 absolute; without the CMVN (raw cepstra up to +-20 and more) 2e-3 + 1e-4 |ref|.
double tolerance(const MfccParams& p, double ref) {
  return p.win_size > 0 ? 2e-3 : 2e-3 + 1e-4 * std::fabs(ref);
}

Status run(const MfccParams& p, double fs, const std::vector<float>& x, std::vector<float>* out,
           FeatureShape* shape_out = nullptr) {
  FeatureShape shape{};
  Status s = mfcc_output_shape(p, fs, 1, x.size(), &shape);
  if (s != kOk) return s;
  if (shape_out) *shape_out = shape;
  out->assign(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values), NAN);
  std::vector<unsigned char> scratch(mfcc_scratch_bytes(p, fs, 1, x.size()));
  kiln_float_array array = {x.data(), x.size()};
  return mfcc_run(p, fs, 1, kiln_signal_from_array(&array), scratch.data(), scratch.size(), out->data(),
                  out->size());
}

// --- A float64 re-implementation of the README's description (not of the SDK's code)
// -------------------------

// numpy.pad(rows, ((pad, pad), (0, 0)), 'symmetric') the way numpy does it: mirror (edge included) chunks of
// at most the length filled so far, on both sides, until the pad is filled.
std::vector<std::vector<double>> pad_symmetric(const std::vector<std::vector<double>>& rows, int pad) {
  std::vector<std::vector<double>> out(rows);
  int left = pad, right = pad;
  while (left > 0 || right > 0) {
    const int filled = static_cast<int>(out.size());
    if (left > 0) {
      const int chunk = std::min(filled, left);
      std::vector<std::vector<double>> mirrored(out.begin(), out.begin() + chunk);
      std::reverse(mirrored.begin(), mirrored.end());
      out.insert(out.begin(), mirrored.begin(), mirrored.end());
      left -= chunk;
    }
    if (right > 0) {
      const int chunk = std::min(filled, right);
      std::vector<std::vector<double>> mirrored(out.end() - chunk, out.end());
      std::reverse(mirrored.begin(), mirrored.end());
      out.insert(out.end(), mirrored.begin(), mirrored.end());
      right -= chunk;
    }
  }
  return out;
}

std::vector<double> reference(const MfccParams& p, double fs, const std::vector<float>& input) {
  const std::size_t n = input.size();
  std::vector<double> y(n);
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t d = (t + n - static_cast<std::size_t>(p.pre_shift) % n) % n;
    y[t] = static_cast<double>(input[t]) - p.pre_cof * static_cast<double>(input[d]);
  }
  const std::size_t frame_length = frame_seconds_to_samples(fs, p.frame_length);
  const std::size_t stride = frame_seconds_to_samples(fs, p.frame_stride);
  const int frames = static_cast<int>((n - frame_length) / stride + 1);
  const int nfft = p.fft_length, bins = nfft / 2 + 1, nf = p.num_filters;

  // Mel filterbank.
  const double high = p.high_frequency == 0 ? fs / 2 : p.high_frequency;
  auto mel = [](double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); };
  auto hz = [](double m) { return 700.0 * (std::exp(m / 1127.0) - 1.0); };
  std::vector<int> b(static_cast<std::size_t>(nf) + 2);
  for (int i = 0; i < nf + 2; ++i) {
    const double m =
        i == nf + 1 ? mel(high) : mel(p.low_frequency) + i * (mel(high) - mel(p.low_frequency)) / (nf + 1);
    const double f = i == nf + 1 ? hz(m) - 0.001 : hz(m);
    b[static_cast<std::size_t>(i)] = static_cast<int>(std::floor((nfft + 1) * f / fs));
  }
  std::vector<std::vector<double>> bank(static_cast<std::size_t>(nf), std::vector<double>(bins, 0.0));
  for (int i = 0; i < nf; ++i) {
    const int l = b[i], m = b[i + 1], r = b[i + 2];
    for (int k = 0; k < bins; ++k) {
      double w = 0;
      if (k > l && k <= m) w = static_cast<double>(k - l) / (m - l);
      if (k >= m && k < r) w = static_cast<double>(r - k) / (r - m);
      bank[i][k] = w;
    }
  }

  std::vector<double> cos_table(nfft), sin_table(nfft);  // exp(-2 pi i a / nfft), a = k t mod nfft
  for (int a = 0; a < nfft; ++a) {
    cos_table[a] = std::cos(2 * kPi * a / nfft);
    sin_table[a] = std::sin(2 * kPi * a / nfft);
  }
  std::vector<std::vector<double>> cep(static_cast<std::size_t>(frames));
  for (int f = 0; f < frames; ++f) {
    std::vector<double> frame(nfft, 0.0);
    for (std::size_t t = 0; t < std::min<std::size_t>(frame_length, nfft); ++t) frame[t] = y[f * stride + t];
    std::vector<double> power(bins);
    double energy = 0;
    for (int k = 0; k < bins; ++k) {
      double re = 0, im = 0;
      for (int t = 0; t < nfft; ++t) {
        const std::size_t a = static_cast<std::size_t>((static_cast<long long>(k) * t) % nfft);
        re += frame[t] * cos_table[a];
        im -= frame[t] * sin_table[a];
      }
      power[k] = (re * re + im * im) / nfft;
      energy += power[k];
    }
    std::vector<double> logs(nf);
    for (int i = 0; i < nf; ++i) {
      double e = 0;
      for (int k = 0; k < bins; ++k) e += power[k] * bank[i][k];
      logs[i] = std::log(e == 0 ? 1e-10 : e);
    }
    std::vector<double> c(p.num_cepstral);
    for (int k = 0; k < p.num_cepstral; ++k) {
      double s = 0;
      for (int i = 0; i < nf; ++i) s += logs[i] * std::cos(kPi * k * (2 * i + 1) / (2.0 * nf));
      c[k] = s * (k == 0 ? std::sqrt(1.0 / nf) : std::sqrt(2.0 / nf));
      if (p.lifter > 0) c[k] *= 1 + p.lifter / 2 * std::sin(kPi * k / p.lifter);
    }
    c[0] = std::log(energy == 0 ? 1e-10 : energy);
    cep[f] = c;
  }

  std::vector<double> out;
  if (p.win_size == 0) {
    for (const auto& row : cep) out.insert(out.end(), row.begin(), row.end());
    return out;
  }
  const int pad = (p.win_size - 1) / 2;
  const auto padded = pad_symmetric(cep, pad);
  std::vector<std::vector<double>> m(static_cast<std::size_t>(frames), std::vector<double>(p.num_cepstral));
  for (int f = 0; f < frames; ++f) {
    for (int k = 0; k < p.num_cepstral; ++k) {
      double s = 0;
      for (int w = 0; w < p.win_size; ++w) s += padded[f + w][k];
      m[f][k] = static_cast<float>(cep[f][k] - s / p.win_size);  // stored as float32
    }
  }
  const auto padded_m = pad_symmetric(m, pad);
  for (int f = 0; f < frames; ++f) {
    for (int k = 0; k < p.num_cepstral; ++k) {
      double s = 0, ss = 0;
      for (int w = 0; w < p.win_size; ++w) s += padded_m[f + w][k];
      const double mean = s / p.win_size;
      for (int w = 0; w < p.win_size; ++w) ss += (padded_m[f + w][k] - mean) * (padded_m[f + w][k] - mean);
      out.push_back(static_cast<float>(m[f][k] / (std::sqrt(ss / p.win_size) + 1e-10)));
    }
  }
  return out;
}

struct Error {
  double max_abs = 0;
  double worst_excess = -1e9;  // max over elements of |out - ref| - tolerance (<= 0 means all within)
  std::size_t worst = 0;
};

Error compare(const MfccParams& p, const std::vector<float>& out, const std::vector<double>& ref) {
  Error e;
  EXPECT_EQ(out.size(), ref.size());
  for (std::size_t i = 0; i < std::min(out.size(), ref.size()); ++i) {
    const double d = std::fabs(static_cast<double>(out[i]) - ref[i]);
    if (!(d == d)) {
      e.worst_excess = INFINITY;
      e.worst = i;
      continue;
    }
    e.max_abs = std::max(e.max_abs, d);
    if (d - tolerance(p, ref[i]) > e.worst_excess) {
      e.worst_excess = d - tolerance(p, ref[i]);
      e.worst = i;
    }
  }
  return e;
}

std::vector<float> speech_like(std::size_t n, unsigned seed, double amplitude = 6000) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.05 * amplitude);
  std::vector<float> x(n);
  for (std::size_t t = 0; t < n; ++t) {
    const double s = static_cast<double>(t) / 16000.0;
    const double envelope = 0.5 + 0.5 * std::sin(2 * kPi * 3 * s);
    const double v = amplitude * envelope *
                         (std::sin(2 * kPi * 220 * s) + 0.5 * std::sin(2 * kPi * 1250 * s + 0.3) +
                          0.25 * std::sin(2 * kPi * (500 + 3000 * s) * s)) +
                     noise(rng);
    x[t] = static_cast<float>(std::clamp(std::round(v), -32768.0, 32767.0));
  }
  return x;
}

// --- Golden vectors
// ----------------------------------------------------------------------------------------------

TEST(DspMfccGolden, EveryCaseWithinTolerance) {
  if (!kiln::test::golden_available()) GTEST_SKIP() << "no golden vectors";
  const auto cases = kiln::test::load_golden_cases("mfcc");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(c.version, 4);
    ASSERT_EQ(c.axes, 1);
    const MfccParams p = params_of(c.params);
    std::vector<float> out;
    FeatureShape shape{};
    ASSERT_EQ(run(p, c.frequency, c.input, &out, &shape), kOk);
    EXPECT_EQ(shape.frames, c.shape.at(0));
    EXPECT_EQ(shape.values, c.shape.at(1));
    std::vector<double> ref(c.expected.begin(), c.expected.end());
    const Error e = compare(p, out, ref);
    std::printf("%s: max abs error %.3g (tolerance %s)\n", c.id.c_str(), e.max_abs,
                p.win_size > 0 ? "2e-3" : "2e-3 + 1e-4 |ref|");
    EXPECT_LE(e.worst_excess, 0.0) << "element " << e.worst << ": " << out[e.worst] << " vs " << ref[e.worst];

    // The float64 re-implementation below is faithful to the reference (so it can judge what the golden
    // set does not cover): well within float32 rounding of it.
    const Error own = compare(p, std::vector<float>(c.expected.begin(), c.expected.end()),
                              reference(p, c.frequency, c.input));
    std::printf("%s: float64 re-implementation vs reference: max abs %.3g\n", c.id.c_str(), own.max_abs);
    EXPECT_LT(own.max_abs, 1e-5);
  }
}

// --- Against the float64 re-implementation -----------------------------------------------------------------

struct Variant {
  const char* name;
  double fs;
  std::size_t n;
  void (*change)(MfccParams&);
};

TEST(DspMfccReference, VariantsTheGoldenSetDoesNotCover) {
  const Variant variants[] = {
      {"no CMVN (win_size 0)", 16000, 16000, [](MfccParams& p) { p.win_size = 0; }},
      {"no CMVN, lifter 22", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.lifter = 22;
       }},
      {"lifter 22 with CMVN", 16000, 16000, [](MfccParams& p) { p.lifter = 22; }},
      {"lifter 7.5, 20 coefficients", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.lifter = 7.5;
         p.num_cepstral = 20;
       }},
      {"pre_shift 3, pre_cof 0.9", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.pre_shift = 3;
         p.pre_cof = 0.9;
       }},
      {"pre_shift 400 (longer than a frame)", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.pre_shift = 400;
       }},
      {"frame 320 cut to FFT 128, 24 filters", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.fft_length = 128;
         p.num_filters = 24;
       }},
      {"band 300..3400 Hz at 8 kHz", 8000, 8000,
       [](MfccParams& p) {
         p.win_size = 0;
         p.low_frequency = 300;
         p.high_frequency = 3400;
       }},
      {"44.1 kHz, 25 ms / 10 ms, FFT 2048, 64 filters", 44100, 22050,
       [](MfccParams& p) {
         p.win_size = 0;
         p.frame_length = 0.025;
         p.frame_stride = 0.01;
         p.fft_length = 2048;
         p.num_filters = 64;
       }},
      {"CMVN 301 over 20 frames (several periods of the padding)", 16000, 6720,
       [](MfccParams& p) {
         p.win_size = 301;
         p.frame_stride = 0.02;
       }},
      {"CMVN 41 over 99 frames", 16000, 16000,
       [](MfccParams& p) {
         p.win_size = 41;
         p.frame_stride = 0.01;
       }},
      {"CMVN 3", 16000, 8000, [](MfccParams& p) { p.win_size = 3; }},
      {"CMVN 1 (every value 0)", 16000, 8000, [](MfccParams& p) { p.win_size = 1; }},
      {"one frame, CMVN 101", 16000, 320, [](MfccParams& p) { p.win_size = 101; }},
      {"one frame, no CMVN", 16000, 320, [](MfccParams& p) { p.win_size = 0; }},
      {"two frames, CMVN 5", 16000, 640, [](MfccParams& p) { p.win_size = 5; }},
  };
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    MfccParams p = mfcc_default_params();
    v.change(p);
    const std::vector<float> x = speech_like(v.n, 7);
    std::vector<float> out;
    ASSERT_EQ(run(p, v.fs, x, &out), kOk);
    const std::vector<double> ref = reference(p, v.fs, x);
    const Error e = compare(p, out, ref);
    std::printf("%s: max abs error %.3g\n", v.name, e.max_abs);
    EXPECT_LE(e.worst_excess, 0.0) << "element " << e.worst << ": " << out[e.worst] << " vs " << ref[e.worst];
  }
}

TEST(DspMfccReference, SilenceAndDigitalZeros) {
  // Exact-zero band and frame energies become 1e-10 (ln = -23.03): all-zero frames are finite, and with the
  // CMVN a constant track gives 0, not NaN.
  for (int win : {0, 101}) {
    MfccParams p = mfcc_default_params();
    p.win_size = win;
    std::vector<float> x(16000, 0.0f);
    for (std::size_t t = 8000; t < 12000; ++t) x[t] = static_cast<float>((t * 7919) % 2001) - 1000.0f;
    std::vector<float> out;
    ASSERT_EQ(run(p, 16000, x, &out), kOk);
    for (float v : out) ASSERT_TRUE(std::isfinite(v));
    const Error e = compare(p, out, reference(p, 16000, x));
    std::printf("silence + noise, win_size %d: max abs error %.3g\n", win, e.max_abs);
    EXPECT_LE(e.worst_excess, 0.0);
    if (win == 0) {
      EXPECT_NEAR(out[0], std::log(1e-10), 1e-4);  // frame 0 is digital silence
    }
  }
}

TEST(DspMfccReference, LifterZeroIsExactlyNoLifter) {
  MfccParams p = mfcc_default_params();
  const std::vector<float> x = speech_like(16000, 3);
  std::vector<float> a, b;
  ASSERT_EQ(run(p, 16000, x, &a), kOk);
  p.lifter = 0;
  ASSERT_EQ(run(p, 16000, x, &b), kOk);
  EXPECT_EQ(a, b);
  // And a lifter changes coefficients 1.. but not 0 (its factor is 1 there).
  p.win_size = 0;
  ASSERT_EQ(run(p, 16000, x, &a), kOk);
  p.lifter = 22;
  ASSERT_EQ(run(p, 16000, x, &b), kOk);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_NEAR(b[5], a[5] * (1 + 11 * std::sin(kPi * 5 / 22)), 1e-4 * std::fabs(b[5]) + 1e-5);
}

// --- int8
// -----------------------------------------------------------------------------------------------------

TEST(DspMfccS8, EqualsQuantizedFloatOutput) {
  for (int win : {0, 31}) {
    MfccParams p = mfcc_default_params();
    p.win_size = win;
    const std::vector<float> x = speech_like(16000, 11);
    std::vector<float> f;
    ASSERT_EQ(run(p, 16000, x, &f), kOk);
    const float scale = win ? 0.02f : 0.15f;
    const int32_t zero_point = 3;
    std::vector<unsigned char> scratch(mfcc_s8_scratch_bytes(p, 16000, 1, x.size()));
    EXPECT_GT(scratch.size(), mfcc_scratch_bytes(p, 16000, 1, x.size()));
    std::vector<int8_t> q(f.size());
    kiln_float_array array = {x.data(), x.size()};
    ASSERT_EQ(mfcc_run_s8(p, 16000, 1, kiln_signal_from_array(&array), scratch.data(), scratch.size(), scale,
                          zero_point, q.data(), q.size()),
              kOk);
    for (std::size_t i = 0; i < f.size(); ++i) {
      ASSERT_EQ(q[i], kiln::nn::quantize_s8(f[i], scale, zero_point)) << i;
    }
    EXPECT_EQ(mfcc_run_s8(p, 16000, 1, kiln_signal_from_array(&array), scratch.data(), scratch.size() - 1,
                          scale, zero_point, q.data(), q.size()),
              kScratchTooSmall);
    EXPECT_EQ(mfcc_run_s8(p, 16000, 1, kiln_signal_from_array(&array), scratch.data(), scratch.size(), scale,
                          zero_point, q.data(), q.size() - 1),
              kOutputTooSmall);
  }
}

// --- Parameters, memory, signal
// ---------------------------------------------------------------------------------

TEST(DspMfccParams, ValidationNamesTheBadParameter) {
  const MfccParams ok = mfcc_default_params();
  EXPECT_EQ(mfcc_validate(ok, 16000, 1), kOk);
  auto with = [&](auto change, double fs = 16000, int axes = 1) {
    MfccParams p = ok;
    change(p);
    return mfcc_validate(p, fs, axes);
  };
  auto same = [](MfccParams&) {};
  EXPECT_EQ(with(same, 16000, 0), kBadAxes);
  EXPECT_EQ(with(same, 16000, 3), kBadAxes);
  EXPECT_EQ(with(same, 0), kBadSamplingFrequency);
  EXPECT_EQ(with(same, NAN), kBadSamplingFrequency);
  EXPECT_EQ(with([](MfccParams& p) { p.frame_length = 0; }), kBadFrameLength);
  EXPECT_EQ(with([](MfccParams& p) { p.frame_length = NAN; }), kBadFrameLength);
  EXPECT_EQ(with([](MfccParams& p) { p.frame_stride = -0.01; }), kBadFrameStride);
  EXPECT_EQ(with([](MfccParams& p) { p.num_filters = 1; }), kBadNumFilters);
  EXPECT_EQ(with([](MfccParams& p) { p.num_filters = 513; }), kBadNumFilters);
  EXPECT_EQ(with([](MfccParams& p) { p.num_cepstral = 0; }), kBadNumCepstral);
  EXPECT_EQ(with([](MfccParams& p) { p.num_cepstral = 33; }), kBadNumCepstral);  // > num_filters 32
  EXPECT_EQ(with([](MfccParams& p) { p.num_cepstral = 32; }), kOk);
  EXPECT_EQ(with([](MfccParams& p) { p.fft_length = 100; }), kBadFftLength);
  EXPECT_EQ(with([](MfccParams& p) { p.fft_length = 16384; }), kBadFftLength);
  EXPECT_EQ(with([](MfccParams& p) { p.win_size = 100; }), kBadWinSize);
  EXPECT_EQ(with([](MfccParams& p) { p.win_size = -1; }), kBadWinSize);
  EXPECT_EQ(with([](MfccParams& p) { p.win_size = 0; }), kOk);
  EXPECT_EQ(with([](MfccParams& p) { p.high_frequency = 8001; }), kBadHighFrequency);
  EXPECT_EQ(with([](MfccParams& p) { p.high_frequency = -1; }), kBadHighFrequency);
  EXPECT_EQ(with([](MfccParams& p) { p.low_frequency = 8000; }), kBadLowFrequency);
  EXPECT_EQ(with([](MfccParams& p) {
              p.low_frequency = 3000;
              p.high_frequency = 3000;
            }),
            kBadLowFrequency);
  EXPECT_EQ(with([](MfccParams& p) { p.pre_cof = NAN; }), kBadPreEmphasis);
  EXPECT_EQ(with([](MfccParams& p) { p.pre_cof = INFINITY; }), kBadPreEmphasis);
  EXPECT_EQ(with([](MfccParams& p) { p.pre_shift = 0; }), kBadPreEmphasis);
  EXPECT_EQ(with([](MfccParams& p) { p.pre_cof = 0; }), kOk);  // no pre-emphasis at all
  EXPECT_EQ(with([](MfccParams& p) { p.lifter = -1; }), kBadLifter);
  EXPECT_EQ(with([](MfccParams& p) { p.lifter = NAN; }), kBadLifter);
  EXPECT_EQ(with([](MfccParams& p) { p.num_filters = 128; }), kEmptyMelFilter);  // FFT 256: too many
  EXPECT_EQ(with([](MfccParams& p) {
              p.fft_length = 32;
              p.num_cepstral = 8;
              p.num_filters = 8;
            }),
            kOk);
  EXPECT_EQ(with([](MfccParams& p) { p.fft_length = 16; }), kEmptyMelFilter);
  // Invalid parameters need no memory.
  MfccParams bad = ok;
  bad.win_size = 2;
  EXPECT_EQ(mfcc_scratch_bytes(bad, 16000, 1, 16000), 0u);
  EXPECT_EQ(mfcc_s8_scratch_bytes(bad, 16000, 1, 16000), 0u);
}

TEST(DspMfccShape, FramesAndSignalLimits) {
  const MfccParams p = mfcc_default_params();
  FeatureShape s{};
  ASSERT_EQ(mfcc_output_shape(p, 16000, 1, 16000, &s), kOk);
  EXPECT_EQ(s.frames, 50);  // 320-sample frames every 320 samples
  EXPECT_EQ(s.values, 13);
  ASSERT_EQ(mfcc_output_shape(p, 16000, 1, 320, &s), kOk);
  EXPECT_EQ(s.frames, 1);
  EXPECT_EQ(mfcc_output_shape(p, 16000, 1, 319, &s), kSignalTooShort);
  EXPECT_EQ(mfcc_scratch_bytes(p, 16000, 1, 319), 0u);
  EXPECT_EQ(mfcc_output_shape(p, 16000, 1, 16000, nullptr), kNullArgument);
  MfccParams shifted = p;
  shifted.pre_shift = 320;  // the pre-emphasis delay must be shorter than the window
  EXPECT_EQ(mfcc_output_shape(shifted, 16000, 1, 320, &s), kBadPreEmphasis);
  EXPECT_EQ(mfcc_output_shape(shifted, 16000, 1, 321, &s), kOk);
}

TEST(DspMfccMemory, ScratchGrowsWithFramesOnlyForTheCmvn) {
  MfccParams p = mfcc_default_params();
  const std::size_t one = mfcc_scratch_bytes(p, 16000, 1, 16000);
  const std::size_t two = mfcc_scratch_bytes(p, 16000, 1, 32000);
  EXPECT_EQ(two - one, 50u * 13u * sizeof(float));  // 50 more frames of 13 mean-subtracted values
  p.win_size = 0;
  EXPECT_EQ(mfcc_scratch_bytes(p, 16000, 1, 16000), mfcc_scratch_bytes(p, 16000, 1, 32000));
  std::printf("MFCC defaults, 1 s at 16 kHz: %zu scratch bytes (%zu with win_size 0), s8 %zu\n", one,
              mfcc_scratch_bytes(p, 16000, 1, 16000),
              mfcc_s8_scratch_bytes(mfcc_default_params(), 16000, 1, 16000));
}

TEST(DspMfccMemory, TooSmallScratchOrOutputAndUnalignedScratch) {
  for (int win : {0, 101}) {
    MfccParams p = mfcc_default_params();
    p.win_size = win;
    const std::vector<float> x = speech_like(16000, 5);
    kiln_float_array array = {x.data(), x.size()};
    const kiln_signal signal = kiln_signal_from_array(&array);
    const std::size_t bytes = mfcc_scratch_bytes(p, 16000, 1, x.size());
    std::vector<unsigned char> scratch(bytes + 8);
    std::vector<float> out(50 * 13), expected;
    ASSERT_EQ(run(p, 16000, x, &expected), kOk);
    // Any alignment of the caller's block works with exactly the queried size.
    for (std::size_t offset = 0; offset < 4; ++offset) {
      ASSERT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data() + offset, bytes, out.data(), out.size()), kOk);
      EXPECT_EQ(out, expected);
    }
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data(), bytes - 1, out.data(), out.size()),
              kScratchTooSmall);
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data(), 0, out.data(), out.size()), kScratchTooSmall);
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data(), bytes, out.data(), out.size() - 1),
              kOutputTooSmall);
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, nullptr, bytes, out.data(), out.size()), kNullArgument);
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data(), bytes, nullptr, out.size()), kNullArgument);
    EXPECT_EQ(mfcc_run(p, 16000, 2, signal, scratch.data(), bytes, out.data(), out.size()), kBadAxes);
  }
}

// A signal that fails on one read: the n-th get_data call, or any read that touches a given sample.
struct FailingSignal {
  const std::vector<float>* data;
  int fail_call = -1;
  std::size_t fail_sample = static_cast<std::size_t>(-1);
  int calls = 0;
  static int get(void* ctx, std::size_t offset, std::size_t length, float* out) {
    FailingSignal* s = static_cast<FailingSignal*>(ctx);
    if (s->calls++ == s->fail_call) return 1;
    if (s->fail_sample >= offset && s->fail_sample < offset + length) return 1;
    if (offset + length > s->data->size()) return 1;
    std::copy(s->data->begin() + static_cast<std::ptrdiff_t>(offset),
              s->data->begin() + static_cast<std::ptrdiff_t>(offset + length), out);
    return 0;
  }
};

TEST(DspMfccSignal, ReadFailuresAreReported) {
  const MfccParams p = mfcc_default_params();
  const std::vector<float> x = speech_like(16000, 9);
  std::vector<unsigned char> scratch(mfcc_s8_scratch_bytes(p, 16000, 1, x.size()));
  std::vector<float> out(50 * 13);
  std::vector<int8_t> q(out.size());
  // The first call, a later frame, and the last sample, which only frame 0's pre-emphasis reads (wrapping).
  for (int which = 0; which < 3; ++which) {
    FailingSignal f{&x};
    if (which == 0) f.fail_call = 0;
    if (which == 1) f.fail_call = 37;
    if (which == 2) f.fail_sample = x.size() - 1;
    kiln_signal signal = {x.size(), FailingSignal::get, &f};
    EXPECT_EQ(mfcc_run(p, 16000, 1, signal, scratch.data(), scratch.size(), out.data(), out.size()),
              kSignalReadFailed)
        << which;
    f.calls = 0;
    EXPECT_EQ(mfcc_run_s8(p, 16000, 1, signal, scratch.data(), scratch.size(), 0.1f, 0, q.data(), q.size()),
              kSignalReadFailed)
        << which;
  }
  kiln_signal no_reader = {x.size(), nullptr, nullptr};
  EXPECT_EQ(mfcc_run(p, 16000, 1, no_reader, scratch.data(), scratch.size(), out.data(), out.size()),
            kNullArgument);
  // A signal whose length gives no frame.
  FailingSignal f{&x};
  kiln_signal short_signal = {100, FailingSignal::get, &f};
  EXPECT_EQ(mfcc_run(p, 16000, 1, short_signal, scratch.data(), scratch.size(), out.data(), out.size()),
            kSignalTooShort);
}

TEST(DspMfccSignal, PreEmphasisWrapsAroundTheWindow) {
  // With no CMVN, frame 0 depends on the window's last pre_shift samples and on nothing else outside it.
  MfccParams p = mfcc_default_params();
  p.win_size = 0;
  p.pre_shift = 5;
  std::vector<float> x = speech_like(3200, 13);
  std::vector<float> a, b;
  ASSERT_EQ(run(p, 16000, x, &a), kOk);
  x[3200 - 6] += 5000;  // outside frame 0 and outside its delayed samples: frame 0 unchanged
  ASSERT_EQ(run(p, 16000, x, &b), kOk);
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + 13, b.begin()));
  x[3200 - 5] += 5000;  // x[-5]: the delayed sample of frame 0's first sample
  ASSERT_EQ(run(p, 16000, x, &b), kOk);
  EXPECT_FALSE(std::equal(a.begin(), a.begin() + 13, b.begin()));
  const Error e = compare(p, b, reference(p, 16000, x));
  EXPECT_LE(e.worst_excess, 0.0);
}

}  // namespace
