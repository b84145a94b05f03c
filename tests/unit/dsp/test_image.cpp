// Image block (sdk/dsp/image.h) and resizing (sdk/dsp/image_resize.h): pixel values against the Python
// reference's formulas for every colour (RGB bit-exact, Grayscale within one float32 ulp), layout and frames,
// the int8 path, camera buffers as signals, the three resize modes' geometry, bilinear values against a
// float64 bilinear, and every parameter, memory and signal contract.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "dsp/image.h"
#include "dsp/image_resize.h"
#include "nn/quantize.h"

namespace {

using namespace kiln::dsp;

std::int64_t ulps(float a, float b) {
  std::int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  return std::llabs(static_cast<std::int64_t>(ia) - ib);  // both >= 0 here
}

float packed(int r, int g, int b) {
  return static_cast<float>((r << 16) | (g << 8) | b);
}

std::vector<float> run(const ImageParams& p, const std::vector<float>& pixels) {
  FeatureShape shape{};
  EXPECT_EQ(image_output_shape(p, 0, 1, pixels.size(), &shape), kOk);
  std::vector<float> out(static_cast<std::size_t>(shape.frames) * shape.values, NAN);
  kiln_float_array array = {pixels.data(), pixels.size()};
  EXPECT_EQ(image_run(p, 0, 1, kiln_signal_from_array(&array), nullptr, 0, out.data(), out.size()), kOk);
  return out;
}

TEST(DspImage, RgbIsEachChannelOver255ExactlyAsTheReference) {
  float v[3];
  for (std::uint32_t c = 0; c < 256; ++c) {
    ASSERT_EQ(image_pixel_values(kImageRgb, kImageScale0To1, c << 16 | (255 - c) << 8 | (c ^ 0x55), v), 3);
    // The reference: float64 byte / 255.0, later stored as float32.
    EXPECT_EQ(v[0], static_cast<float>(c / 255.0));
    EXPECT_EQ(v[1], static_cast<float>((255 - c) / 255.0));
    EXPECT_EQ(v[2], static_cast<float>((c ^ 0x55) / 255.0));
  }
}

TEST(DspImage, GrayscaleLumaWithinOneUlpOfTheReferenceForEveryColour) {
  std::int64_t worst = 0;
  std::size_t exact = 0;
  float v;
  for (std::uint32_t rgb = 0; rgb < (1u << 24); ++rgb) {
    ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScale0To1, rgb, &v), 1);
    const double r = rgb >> 16, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    // image/dsp.py v1: (0.299 / 255.0) * R + (0.587 / 255.0) * G + (0.114 / 255.0) * B in float64.
    const float ref = static_cast<float>((0.299 / 255.0) * r + (0.587 / 255.0) * g + (0.114 / 255.0) * b);
    const std::int64_t d = ulps(v, ref);
    worst = std::max(worst, d);
    exact += d == 0;
  }
  std::printf("grayscale: %zu of %u colours bit-exact with the float64 reference, max %lld ulp\n", exact,
              1u << 24, static_cast<long long>(worst));
  EXPECT_LE(worst, 1);
  EXPECT_GT(exact, (1u << 24) * 0.99);
  ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScale0To1, 0xFFFFFF, &v), 1);
  EXPECT_EQ(v, 1.0f);
  ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScale0To1, 0, &v), 1);
  EXPECT_EQ(v, 0.0f);
}

TEST(DspImage, LayoutFramesAndOddPixelValues) {
  // 2 x 2 image: red, green / blue, white; then a second frame.
  const std::vector<float> px = {packed(255, 0, 0),     packed(0, 255, 0), packed(0, 0, 255),
                                 packed(255, 255, 255), packed(1, 2, 3),   packed(4, 5, 6),
                                 packed(7, 8, 9),       packed(10, 11, 12)};
  ImageParams p = image_default_params(2, 2);
  EXPECT_EQ(p.channels, kImageRgb);
  FeatureShape shape{};
  ASSERT_EQ(image_output_shape(p, 0, 1, px.size(), &shape), kOk);
  EXPECT_EQ(shape.frames, 2);
  EXPECT_EQ(shape.values, 12);
  const std::vector<float> rgb = run(p, px);
  ASSERT_EQ(rgb.size(), 24u);
  const float expected_first[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(rgb[i], expected_first[i]) << i;
  for (int i = 0; i < 12; ++i) EXPECT_EQ(rgb[12 + i], static_cast<float>((i + 1) / 255.0)) << i;
  p.channels = kImageGrayscale;
  const std::vector<float> grey = run(p, px);
  ASSERT_EQ(grey.size(), 8u);
  EXPECT_FLOAT_EQ(grey[0], 0.299f);
  EXPECT_FLOAT_EQ(grey[1], 0.587f);
  EXPECT_FLOAT_EQ(grey[2], 0.114f);
  EXPECT_EQ(grey[3], 1.0f);
  // Not a packed integer: integer part, clamped (NaN and negatives to black, beyond 0xFFFFFF to white).
  p = image_default_params(5, 1);
  const std::vector<float> odd = run(p, {NAN, -5.0f, 1e30f, 256.75f, INFINITY});
  const std::vector<float> odd_expected = {0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1.0f / 255, 0, 1, 1, 1};
  EXPECT_EQ(odd, odd_expected);
}

TEST(DspImageParams, ValidationAndShape) {
  const ImageParams ok = image_default_params(96, 96);
  EXPECT_EQ(image_validate(ok, 0, 1), kOk);
  EXPECT_EQ(image_validate(ok, 0, 3), kBadAxes);
  ImageParams p = ok;
  p.channels = static_cast<ImageChannels>(7);
  EXPECT_EQ(image_validate(p, 0, 1), kBadImageChannels);
  EXPECT_EQ(image_values_per_pixel(p.channels), 0);
  for (int side : {0, -1, kImageMaxSide + 1}) {
    p = ok;
    p.width = side;
    EXPECT_EQ(image_validate(p, 0, 1), kBadImageSize) << side;
    p = ok;
    p.height = side;
    EXPECT_EQ(image_validate(p, 0, 1), kBadImageSize) << side;
  }
  FeatureShape shape{};
  EXPECT_EQ(image_output_shape(ok, 0, 1, 0, &shape), kSignalTooShort);
  EXPECT_EQ(image_output_shape(ok, 0, 1, 96 * 96 - 1, &shape), kSignalLengthMismatch);
  EXPECT_EQ(image_output_shape(ok, 0, 1, 96 * 96 + 1, &shape), kSignalLengthMismatch);
  EXPECT_EQ(image_output_shape(ok, 0, 1, 96 * 96, nullptr), kNullArgument);
  EXPECT_EQ(image_output_shape(ok, 0, 1, std::size_t{96} * 96 * 300000, &shape), kSignalTooLong);
  ASSERT_EQ(image_output_shape(ok, 0, 1, 96 * 96, &shape), kOk);
  EXPECT_EQ(shape.frames, 1);
  EXPECT_EQ(shape.values, 96 * 96 * 3);
  p = ok;
  p.channels = kImageGrayscale;
  ASSERT_EQ(image_output_shape(p, 0, 1, 96 * 96, &shape), kOk);
  EXPECT_EQ(shape.values, 96 * 96);
  EXPECT_EQ(image_scratch_bytes(ok, 0, 1, 96 * 96), 0u);
}

int failing_read(void*, std::size_t offset, std::size_t length, float* out) {
  if (offset > 0) return 1;
  for (std::size_t i = 0; i < length; ++i) out[i] = 0;
  return 0;
}

TEST(DspImage, MemoryAndSignalContracts) {
  const ImageParams p = image_default_params(10, 10);
  std::vector<float> px(100, packed(1, 2, 3)), out(300);
  std::vector<int8_t> q(300);
  kiln_float_array array = {px.data(), px.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  EXPECT_EQ(image_run(p, 0, 1, signal, nullptr, 0, out.data(), 299), kOutputTooSmall);
  EXPECT_EQ(image_run_s8(p, 0, 1, signal, nullptr, 0, 1.0f / 255, -128, q.data(), 299), kOutputTooSmall);
  EXPECT_EQ(image_run(p, 0, 1, signal, nullptr, 0, nullptr, 300), kNullArgument);
  const kiln_signal broken = {100, failing_read, nullptr};  // the second chunk of 64 pixels fails
  EXPECT_EQ(image_run(p, 0, 1, broken, nullptr, 0, out.data(), 300), kSignalReadFailed);
  EXPECT_EQ(image_run_s8(p, 0, 1, broken, nullptr, 0, 1.0f / 255, -128, q.data(), 300), kSignalReadFailed);
  ImageParams grey = p;
  grey.channels = kImageGrayscale;
  EXPECT_EQ(image_run_s8(grey, 0, 1, broken, nullptr, 0, 1.0f / 255, -128, q.data(), 300), kSignalReadFailed);
  const kiln_signal no_callback = {100, nullptr, nullptr};
  EXPECT_EQ(image_run(p, 0, 1, no_callback, nullptr, 0, out.data(), 300), kNullArgument);
  // A minimal image: one pixel.
  EXPECT_EQ(run(image_default_params(1, 1), {packed(0, 51, 255)}), (std::vector<float>{0, 0.2f, 1}));
}

TEST(DspImage, Int8IsTheQuantizedFloatOutput) {
  std::mt19937 rng(9);
  std::vector<float> px(32 * 24 * 2);  // two frames, not a multiple of the 64-pixel chunk per frame
  for (float& v : px) v = static_cast<float>(rng() & 0xFFFFFF);
  for (ImageChannels channels : {kImageRgb, kImageGrayscale}) {
    ImageParams p = image_default_params(32, 24);
    p.channels = channels;
    const std::vector<float> out = run(p, px);
    std::vector<int8_t> q(out.size());
    kiln_float_array array = {px.data(), px.size()};
    for (auto [scale, zero_point] :
         {std::pair{1.0f / 255, -128}, std::pair{0.0078125f, 0}, std::pair{0.01f, -100}}) {
      ASSERT_EQ(image_run_s8(p, 0, 1, kiln_signal_from_array(&array), nullptr, 0, scale, zero_point, q.data(),
                             q.size()),
                kOk);
      for (std::size_t i = 0; i < out.size(); ++i)
        ASSERT_EQ(q[i], kiln::nn::quantize_s8(out[i], scale, zero_point)) << channels << " " << i;
    }
  }
}

TEST(DspImage, ScalingGivesTheRangeAModelWasTrainedOn) {
  // Each value is the float nearest to the exact one: (m v - o) / d with exact integers.
  const std::uint32_t px = packed(0, 128, 255);
  float v[3];
  ASSERT_EQ(image_pixel_values(kImageRgb, kImageScale0To255, px, v), 3);
  EXPECT_EQ(std::vector<float>(v, v + 3), (std::vector<float>{0, 128, 255}));
  ASSERT_EQ(image_pixel_values(kImageRgb, kImageScaleMinus128To127, px, v), 3);
  EXPECT_EQ(std::vector<float>(v, v + 3), (std::vector<float>{-128, 0, 127}));
  ASSERT_EQ(image_pixel_values(kImageRgb, kImageScaleMinus1To1, px, v), 3);
  EXPECT_EQ(std::vector<float>(v, v + 3), (std::vector<float>{-1, 1.0f / 255, 1}));
  ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScale0To255, packed(100, 100, 100), v), 1);
  EXPECT_EQ(v[0], 100.0f);
  ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScaleMinus128To127, packed(10, 20, 30), v), 1);
  EXPECT_EQ(v[0], static_cast<float>(299 * 10 + 587 * 20 + 114 * 30 - 128000) / 1000.0f);
  ASSERT_EQ(image_pixel_values(kImageGrayscale, kImageScaleMinus1To1, packed(255, 255, 255), v), 1);
  EXPECT_EQ(v[0], 1.0f);

  // The int8 path is the quantized float path for every scaling, e.g. ResNet-8's q(1, -128) at 0..255
  // gives pixel - 128.
  std::vector<float> pixels;
  for (int i = 0; i < 64; ++i) pixels.push_back(static_cast<float>(packed(i * 4, 255 - i, (i * 37) & 255)));
  for (ImageScaling s :
       {kImageScale0To1, kImageScale0To255, kImageScaleMinus1To1, kImageScaleMinus128To127}) {
    for (ImageChannels c : {kImageRgb, kImageGrayscale}) {
      ImageParams p = image_default_params(8, 8);
      p.scaling = s;
      p.channels = c;
      const std::vector<float> out = run(p, pixels);
      std::vector<int8_t> q(out.size());
      kiln_float_array array = {pixels.data(), pixels.size()};
      ASSERT_EQ(
          image_run_s8(p, 0, 1, kiln_signal_from_array(&array), nullptr, 0, 1.0f, -128, q.data(), q.size()),
          kOk);
      for (std::size_t i = 0; i < out.size(); ++i)
        ASSERT_EQ(q[i], kiln::nn::quantize_s8(out[i], 1.0f, -128)) << s << " " << c << " " << i;
      if (s == kImageScale0To255 && c == kImageRgb) {
        EXPECT_EQ(q[0], -128);  // red 0: pixel - 128
        EXPECT_EQ(q[1], 127);   // green 255
      }
    }
  }
  ImageParams bad = image_default_params(8, 8);
  bad.scaling = static_cast<ImageScaling>(4);
  EXPECT_EQ(image_validate(bad, 0, 1), kBadImageScaling);
}

TEST(DspImage, CameraBufferAsSignal) {
  const std::uint8_t rgb[] = {10, 20, 30, 40, 50, 60, 255, 0, 128};
  ImageBuffer buffer = {rgb, 3, 1, 3};
  kiln_signal s = image_buffer_signal(&buffer);
  ASSERT_EQ(s.total_length, 3u);
  float v[3];
  ASSERT_EQ(s.get_data(s.ctx, 0, 3, v), 0);
  EXPECT_EQ(v[0], packed(10, 20, 30));
  EXPECT_EQ(v[1], packed(40, 50, 60));
  EXPECT_EQ(v[2], packed(255, 0, 128));
  EXPECT_NE(s.get_data(s.ctx, 2, 2, v), 0);  // beyond the image
  const std::uint8_t grey[] = {0, 77, 255};
  ImageBuffer g = {grey, 1, 3, 1};
  s = image_buffer_signal(&g);
  ASSERT_EQ(s.get_data(s.ctx, 0, 3, v), 0);
  EXPECT_EQ(v[1], packed(77, 77, 77));
  // Through the block: a grey byte comes out as itself / 255 (R = G = B, weights summing to 1).
  ImageParams p = image_default_params(1, 3);
  p.channels = kImageGrayscale;
  std::vector<float> out(3);
  ASSERT_EQ(image_run(p, 0, 1, s, nullptr, 0, out.data(), 3), kOk);
  EXPECT_EQ(out[1], 77.0f / 255.0f);
  ImageBuffer bad = {grey, 1, 3, 2};
  s = image_buffer_signal(&bad);
  EXPECT_NE(s.get_data(s.ctx, 0, 1, v), 0);
}

// ---- resizing ----

std::vector<std::uint8_t> random_image(int w, int h, int c, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> img(static_cast<std::size_t>(w) * h * c);
  for (auto& v : img) v = static_cast<std::uint8_t>(rng());
  return img;
}

std::vector<std::uint8_t> resize(const std::vector<std::uint8_t>& src, int sw, int sh, int c,
                                 ImageResizeMode mode, int dw, int dh) {
  std::vector<std::uint8_t> dst(static_cast<std::size_t>(dw) * dh * c, 0xAB);
  EXPECT_EQ(image_resize(src.data(), sw, sh, c, mode, dst.data(), dw, dh, dst.size()), kOk);
  return dst;
}

TEST(DspImageResize, GeometryOfTheThreeModes) {
  ImageRect s{}, t{};
  ASSERT_EQ(image_resize_geometry(640, 480, 96, 96, kResizeSquash, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{s.x, s.y, s.width, s.height, t.x, t.y, t.width, t.height}),
            (std::vector<int>{0, 0, 640, 480, 0, 0, 96, 96}));
  // Fit shortest axis: the centre 480 x 480 of a 640 x 480 frame.
  ASSERT_EQ(image_resize_geometry(640, 480, 96, 96, kResizeFitShort, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{s.x, s.y, s.width, s.height, t.x, t.y, t.width, t.height}),
            (std::vector<int>{80, 0, 480, 480, 0, 0, 96, 96}));
  // A tall frame into a wide target: full width, the centre rows.
  ASSERT_EQ(image_resize_geometry(480, 640, 160, 120, kResizeFitShort, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{s.x, s.y, s.width, s.height}), (std::vector<int>{0, 140, 480, 360}));
  // Fit longest axis: 640 x 480 into 96 x 96 is 96 x 72, 12 black rows above and below.
  ASSERT_EQ(image_resize_geometry(640, 480, 96, 96, kResizeFitLong, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{s.x, s.y, s.width, s.height, t.x, t.y, t.width, t.height}),
            (std::vector<int>{0, 0, 640, 480, 0, 12, 96, 72}));
  ASSERT_EQ(image_resize_geometry(300, 1000, 64, 64, kResizeFitLong, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{t.x, t.y, t.width, t.height}),
            (std::vector<int>{22, 0, 19, 64}));  // floor(19.2)
  // Same aspect ratio: every mode uses everything.
  for (ImageResizeMode m : {kResizeSquash, kResizeFitShort, kResizeFitLong}) {
    ASSERT_EQ(image_resize_geometry(320, 240, 96, 72, m, &s, &t), kOk);
    EXPECT_EQ((std::vector<int>{s.width, s.height, t.width, t.height}), (std::vector<int>{320, 240, 96, 72}));
  }
  // Extreme: a 16384 x 1 line into 1 x 1 keeps at least one pixel.
  ASSERT_EQ(image_resize_geometry(16384, 1, 1, 16384, kResizeFitShort, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{s.x, s.width, s.height}), (std::vector<int>{8191, 1, 1}));
  ASSERT_EQ(image_resize_geometry(16384, 1, 1, 16384, kResizeFitLong, &s, &t), kOk);
  EXPECT_EQ((std::vector<int>{t.width, t.height}), (std::vector<int>{1, 1}));
}

TEST(DspImageResize, EqualSizeCopiesAndConstantStaysConstant) {
  const auto img = random_image(37, 23, 3, 1);
  for (ImageResizeMode m : {kResizeSquash, kResizeFitShort, kResizeFitLong})
    EXPECT_EQ(resize(img, 37, 23, 3, m, 37, 23), img) << m;
  const std::vector<std::uint8_t> grey(640 * 480, 200);
  for (std::uint8_t v : resize(grey, 640, 480, 1, kResizeSquash, 96, 96)) ASSERT_EQ(v, 200);
  for (std::uint8_t v : resize(grey, 640, 480, 1, kResizeFitShort, 97, 31)) ASSERT_EQ(v, 200);
}

TEST(DspImageResize, FitLongLetterboxIsBlack) {
  const std::vector<std::uint8_t> white(64 * 32 * 3, 255);
  const auto out = resize(white, 64, 32, 3, kResizeFitLong, 16, 16);  // 16 x 8 at rows 4..11
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 16 * 3; ++x)
      ASSERT_EQ(out[y * 48 + x], (y >= 4 && y < 12) ? 255 : 0) << y << " " << x;
  }
}

TEST(DspImageResize, HalvingAveragesPairsAndFitShortTakesTheCentre) {
  // 4 x 1 grey 0, 100, 200, 255 -> 2 x 1: pixel centres at 0.5 and 2.5, the means of the pairs.
  EXPECT_EQ(resize({0, 100, 200, 255}, 4, 1, 1, kResizeSquash, 2, 1), (std::vector<std::uint8_t>{50, 228}));
  // 6 x 2 whose centre 2 x 2 is 9, the rest 0; fit-short into 1 x 1 averages only the centre square.
  const std::vector<std::uint8_t> img = {0, 0, 9, 9, 0, 0, 0, 0, 9, 9, 0, 0};
  EXPECT_EQ(resize(img, 6, 2, 1, kResizeFitShort, 1, 1), (std::vector<std::uint8_t>{9}));
  EXPECT_EQ(resize(img, 6, 2, 1, kResizeFitShort, 2, 2), (std::vector<std::uint8_t>{9, 9, 9, 9}));
}

// A float64 bilinear on pixel centres (the documented mapping): the fixed-point result is within one level.
TEST(DspImageResize, WithinOneLevelOfFloatBilinear) {
  const int sizes[][4] = {
      {640, 480, 96, 96}, {96, 96, 320, 240}, {33, 17, 7, 5}, {5, 7, 123, 45}, {320, 240, 160, 120}};
  for (const auto& sz : sizes) {
    const int sw = sz[0], sh = sz[1], dw = sz[2], dh = sz[3];
    const auto img = random_image(sw, sh, 3, static_cast<unsigned>(sw * dh));
    const auto out = resize(img, sw, sh, 3, kResizeSquash, dw, dh);
    int worst = 0;
    for (int y = 0; y < dh; ++y) {
      const double fy = std::clamp((y + 0.5) * sh / dh - 0.5, 0.0, sh - 1.0);
      const int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, sh - 1);
      for (int x = 0; x < dw; ++x) {
        const double fx = std::clamp((x + 0.5) * sw / dw - 0.5, 0.0, sw - 1.0);
        const int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, sw - 1);
        for (int k = 0; k < 3; ++k) {
          auto at = [&](int yy, int xx) { return static_cast<double>(img[(yy * sw + xx) * 3 + k]); };
          const double wx = fx - x0, wy = fy - y0;
          const double v = (at(y0, x0) * (1 - wx) + at(y0, x1) * wx) * (1 - wy) +
                           (at(y1, x0) * (1 - wx) + at(y1, x1) * wx) * wy;
          worst = std::max(worst, static_cast<int>(std::fabs(out[(y * dw + x) * 3 + k] - v) + 0.5));
        }
      }
    }
    EXPECT_LE(worst, 1) << sw << "x" << sh << " -> " << dw << "x" << dh;
  }
}

TEST(DspImageResize, Contracts) {
  std::vector<std::uint8_t> src(16 * 3, 1), dst(4 * 3);
  EXPECT_EQ(image_resize(src.data(), 4, 4, 3, kResizeSquash, dst.data(), 2, 2, dst.size()), kOk);
  EXPECT_EQ(image_resize(src.data(), 4, 4, 3, kResizeSquash, dst.data(), 2, 2, dst.size() - 1),
            kOutputTooSmall);
  EXPECT_EQ(image_resize(src.data(), 4, 4, 2, kResizeSquash, dst.data(), 2, 2, dst.size()),
            kBadImageChannels);
  EXPECT_EQ(image_resize(src.data(), 0, 4, 3, kResizeSquash, dst.data(), 2, 2, dst.size()), kBadImageSize);
  EXPECT_EQ(
      image_resize(src.data(), 4, 4, 3, kResizeSquash, dst.data(), 2, kImageResizeMaxSide + 1, dst.size()),
      kBadImageSize);
  EXPECT_EQ(image_resize(src.data(), 4, 4, 3, static_cast<ImageResizeMode>(9), dst.data(), 2, 2, dst.size()),
            kBadResizeMode);
  EXPECT_EQ(image_resize(nullptr, 4, 4, 3, kResizeSquash, dst.data(), 2, 2, dst.size()), kNullArgument);
  EXPECT_EQ(image_resize(src.data(), 4, 4, 3, kResizeSquash, nullptr, 2, 2, dst.size()), kNullArgument);
  ImageRect r{};
  EXPECT_EQ(image_resize_geometry(4, 4, 2, 2, kResizeSquash, nullptr, &r), kNullArgument);
}

TEST(DspImageResize, LargestSidesDoNotOverflow) {
  // 16384 x 1 -> 1 x 1 and 1 x 1 -> 16384 x 1: the position arithmetic at its limits.
  std::vector<std::uint8_t> line(16384);
  for (std::size_t i = 0; i < line.size(); ++i) line[i] = static_cast<std::uint8_t>(i * 255 / 16383);
  const auto one = resize(line, 16384, 1, 1, kResizeSquash, 1, 1);
  EXPECT_NEAR(one[0], 127.5, 1.0);  // the centre of the line
  const auto wide = resize({7}, 1, 1, 1, kResizeSquash, 16384, 1);
  for (std::uint8_t v : wide) ASSERT_EQ(v, 7);
  const auto back = resize(line, 16384, 1, 1, kResizeSquash, 16384, 1);
  EXPECT_EQ(back, line);
}

}  // namespace
