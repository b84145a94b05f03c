// Spectrogram PNGs decode (with libpng) to the expected size, orientation and viridis colours.
#include <gtest/gtest.h>
#include <png.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/spectrogram_png.h"
#include "report/viridis.h"

using namespace kiln;

namespace {

struct Decoded {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  Rgb at(int x, int y) const {
    const std::uint8_t* p = rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
    return {p[0], p[1], p[2]};
  }
};

Decoded decode(const std::string& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    ADD_FAILURE() << "not a PNG: " << image.message;
    return {};
  }
  image.format = PNG_FORMAT_RGB;
  Decoded d;
  d.width = static_cast<int>(image.width);
  d.height = static_cast<int>(image.height);
  d.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, d.rgb.data(), 0, nullptr)) {
    ADD_FAILURE() << "PNG decode failed: " << image.message;
  }
  return d;
}

void expect_rgb(Rgb got, int r, int g, int b, const char* what) {
  EXPECT_EQ(got.r, r) << what;
  EXPECT_EQ(got.g, g) << what;
  EXPECT_EQ(got.b, b) << what;
}

}  // namespace

TEST(Viridis, EndsAndMiddle) {
  expect_rgb(viridis(0.0f), 0x44, 0x01, 0x54, "0");
  expect_rgb(viridis(1.0f), 0xfd, 0xe7, 0x25, "1");
  expect_rgb(viridis(0.5f), 0x21, 0x91, 0x8c, "0.5");
  expect_rgb(viridis(-3.0f), 0x44, 0x01, 0x54, "clamped low");
  expect_rgb(viridis(7.0f), 0xfd, 0xe7, 0x25, "clamped high");
  expect_rgb(viridis(NAN), 0x44, 0x01, 0x54, "NaN");
  // Perceptually ordered: brightness (sum) rises monotonically along the map.
  int previous = -1;
  for (int i = 0; i <= 64; ++i) {
    Rgb c = viridis(i / 64.0f);
    int sum = c.r + c.g + c.b;
    EXPECT_GE(sum, previous) << i;
    previous = sum;
  }
}

TEST(SpectrogramPng, SizeOrientationAndColours) {
  const int frames = 5, bins = 4, scale = 3;
  std::vector<float> f(frames * bins, 0.0f);
  f[2 * bins + 0] = 1.0f;  // frame 2, lowest bin: must land at the bottom, third block from the left
  f[4 * bins + 3] = 0.5f;  // last frame, highest bin: top right
  std::string png = spectrogram_png(f.data(), frames, bins, scale);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  Decoded d = decode(png);
  ASSERT_EQ(d.width, frames * scale);
  ASSERT_EQ(d.height, bins * scale);
  for (int dy = 0; dy < scale; ++dy) {
    for (int dx = 0; dx < scale; ++dx) {
      expect_rgb(d.at(2 * scale + dx, d.height - 1 - dy), 0xfd, 0xe7, 0x25, "value 1 at bottom");
      expect_rgb(d.at(4 * scale + dx, dy), 0x21, 0x91, 0x8c, "value 0.5 at top right");
    }
  }
  expect_rgb(d.at(0, 0), 0x44, 0x01, 0x54, "value 0 top left");
  expect_rgb(d.at(2 * scale, 0), 0x44, 0x01, 0x54, "value 0 above the 1");
  expect_rgb(d.at(3 * scale, d.height - 1), 0x44, 0x01, 0x54, "value 0 right of the 1");
}

TEST(SpectrogramPng, TypicalMfeSize) {
  std::vector<float> f(199 * 40);
  for (std::size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>(i % 97) / 96.0f;
  Decoded d = decode(spectrogram_png(f.data(), 199, 40, 3));
  EXPECT_EQ(d.width, 597);
  EXPECT_EQ(d.height, 120);
}

TEST(SpectrogramPng, BadInputThrows) {
  std::vector<float> f(16, 0.5f);
  EXPECT_THROW(spectrogram_png(nullptr, 4, 4, 1), Error);
  EXPECT_THROW(spectrogram_png(f.data(), 0, 4, 1), Error);
  EXPECT_THROW(spectrogram_png(f.data(), 4, -1, 1), Error);
  EXPECT_THROW(spectrogram_png(f.data(), 4, 4, 0), Error);
  EXPECT_THROW(spectrogram_png(f.data(), 4, 4, 65), Error);
  EXPECT_THROW(spectrogram_png(f.data(), 1 << 20, 1 << 10, 1), Error);  // a gigapixel: refused before reading
}

TEST(SpectrogramPng, WritesFileAtomically) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "kiln_png_test";
  std::filesystem::remove_all(dir);
  std::vector<float> f(6, 1.0f);
  const auto path = dir / "noise" / "a.png";
  write_spectrogram_png(path, f.data(), 3, 2, 2);
  EXPECT_EQ(read_file(path), spectrogram_png(f.data(), 3, 2, 2));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "noise"))
    files += entry.is_regular_file();
  EXPECT_EQ(files, 1);  // no temporary left behind
  // A path under a regular file cannot be written: the error names the file.
  try {
    write_spectrogram_png(path / "x.png", f.data(), 3, 2, 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.png"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}
