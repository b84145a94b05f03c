// Image files (data/image_reader.h): PNG written here with libpng in every colour type (grey, palette, RGB,
// RGBA, 1 to 16 bits, interlaced), JPEG written with libjpeg (RGB, grey, progressive, Adobe CMYK), BMP
// written byte by byte (1/4/8-bit palette, 24 and 32 bits, bottom-up and top-down, OS/2 header, bit fields,
// missing last-row padding); and bad files: missing, a directory, empty, wrong magic, truncated, corrupt, a
// header announcing a huge or empty image, unsupported variants. Every error is one line naming the file.
#include <gtest/gtest.h>

// clang-format off
#include <cstdio>
#include <jpeglib.h>
#include <png.h>
// clang-format on

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "data/image_reader.h"
#include "image_files.h"
#include "sample_files.h"
#include "support/error_of.h"

namespace kiln {
namespace {

using test::bmp_bytes;
using test::BmpSpec;
using test::fresh_dir;
using test::jpeg_bytes;
using test::PngSpec;
using test::put16;
using test::put32;
using test::write_png;
using test::write_text;
namespace fs = std::filesystem;

// An RGB test pattern: distinct values in every channel and pixel.
std::vector<std::uint8_t> pattern(int w, int h) {
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
      p[0] = static_cast<std::uint8_t>(x * 255 / std::max(1, w - 1));
      p[1] = static_cast<std::uint8_t>(y * 255 / std::max(1, h - 1));
      p[2] = static_cast<std::uint8_t>((x * 7 + y * 13) & 0xFF);
    }
  }
  return rgb;
}

// A smooth image (JPEG's loss stays small on it).
std::vector<std::uint8_t> smooth(int w, int h) {
  std::vector<std::uint8_t> rgb;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      rgb.insert(rgb.end(),
                 {static_cast<std::uint8_t>(x * 255 / (w - 1)), static_cast<std::uint8_t>(y * 255 / (h - 1)),
                  static_cast<std::uint8_t>(128 + (x - y))});
    }
  }
  return rgb;
}

double mean_abs_difference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(static_cast<int>(a[i]) - static_cast<int>(b[i]));
  return sum / static_cast<double>(a.size());
}

std::string image_error(const fs::path& path) {
  return test::error_of([&] { read_image_file(path); });
}

// The message is one line that starts with the file's name.
void expect_error(const fs::path& path, const std::string& words) {
  const std::string e = image_error(path);
  EXPECT_EQ(e.rfind(path.string() + ": ", 0), 0u) << e;
  EXPECT_NE(e.find(words), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_LT(e.size(), path.string().size() + 300) << e;
}

TEST(ImageReaderPng, EveryColourTypeAndDepth) {
  const fs::path dir = fresh_dir("image-png");
  const int w = 13, h = 7;
  const std::vector<std::uint8_t> rgb = pattern(w, h);

  PngSpec s{w, h, PNG_COLOR_TYPE_RGB, 8};
  s.data = rgb;
  write_png(dir / "rgb.png", s);
  Image img = read_image_file(dir / "rgb.png");
  EXPECT_EQ(img.width, w);
  EXPECT_EQ(img.height, h);
  EXPECT_EQ(img.rgb, rgb);

  s.interlaced = true;  // Adam7: seven passes
  write_png(dir / "interlaced.png", s);
  EXPECT_EQ(read_image_file(dir / "interlaced.png").rgb, rgb);

  // RGBA: alpha dropped, colour kept as it is (not blended).
  PngSpec a{w, h, PNG_COLOR_TYPE_RGB_ALPHA, 8};
  for (std::size_t i = 0; i < rgb.size() / 3; ++i) {
    a.data.insert(a.data.end(), {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], static_cast<std::uint8_t>(i)});
  }
  write_png(dir / "rgba.png", a);
  EXPECT_EQ(read_image_file(dir / "rgba.png").rgb, rgb);

  // 16-bit RGB: the high byte of each sample.
  PngSpec d{w, h, PNG_COLOR_TYPE_RGB, 16};
  for (std::uint8_t v : rgb) d.data.insert(d.data.end(), {v, static_cast<std::uint8_t>(255 - v)});
  write_png(dir / "rgb16.png", d);
  EXPECT_EQ(read_image_file(dir / "rgb16.png").rgb, rgb);

  // 8-bit grey: R = G = B.
  PngSpec g{w, h, PNG_COLOR_TYPE_GRAY, 8};
  for (std::size_t i = 0; i < rgb.size(); i += 3) g.data.push_back(rgb[i]);
  write_png(dir / "grey.png", g);
  img = read_image_file(dir / "grey.png");
  for (std::size_t i = 0; i < g.data.size(); ++i) {
    ASSERT_EQ(img.rgb[3 * i], g.data[i]);
    ASSERT_EQ(img.rgb[3 * i + 1], g.data[i]);
    ASSERT_EQ(img.rgb[3 * i + 2], g.data[i]);
  }

  // 1-bit grey, 10 pixels a row (two bytes): 0 -> black, 1 -> white.
  PngSpec bits{10, 2, PNG_COLOR_TYPE_GRAY, 1};
  bits.data = {0b10100000, 0b01000000, 0b01011111, 0b10000000};
  write_png(dir / "bits.png", bits);
  img = read_image_file(dir / "bits.png");
  const int expected_bits[20] = {1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0};
  for (int i = 0; i < 20; ++i) ASSERT_EQ(img.rgb[3 * i + 1], expected_bits[i] ? 255 : 0) << i;

  // 4-bit palette with transparency (dropped).
  PngSpec p{4, 1, PNG_COLOR_TYPE_PALETTE, 4};
  p.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
  p.transparency = {0, 128};
  p.data = {0x01, 0x23};
  write_png(dir / "palette.png", p);
  EXPECT_EQ(read_image_file(dir / "palette.png").rgb,
            (std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30}));

  // Grey + alpha, 16 bits.
  PngSpec ga{2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 16};
  ga.data = {0x12, 0x34, 0xFF, 0xFF, 0xAB, 0xCD, 0x00, 0x00};
  write_png(dir / "grey-alpha16.png", ga);
  EXPECT_EQ(read_image_file(dir / "grey-alpha16.png").rgb,
            (std::vector<std::uint8_t>{0x12, 0x12, 0x12, 0xAB, 0xAB, 0xAB}));
}

TEST(ImageReaderJpeg, RgbGreyProgressiveAndCmyk) {
  const fs::path dir = fresh_dir("image-jpeg");
  const int w = 40, h = 24;
  const std::vector<std::uint8_t> rgb = smooth(w, h);
  write_text(dir / "a.jpg", jpeg_bytes(w, h, 3, JCS_RGB, rgb));
  const Image img = read_image_file(dir / "a.jpg");
  EXPECT_EQ(img.width, w);
  EXPECT_EQ(img.height, h);
  ASSERT_EQ(img.rgb.size(), rgb.size());
  EXPECT_LT(mean_abs_difference(img.rgb, rgb), 2.0);  // lossy, quality 95

  // Progressive: the same coefficients, so the same pixels as the baseline file.
  write_text(dir / "p.jpg", jpeg_bytes(w, h, 3, JCS_RGB, rgb, true));
  EXPECT_EQ(read_image_file(dir / "p.jpg").rgb, img.rgb);

  std::vector<std::uint8_t> grey(static_cast<std::size_t>(w) * h);
  for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<std::uint8_t>(i * 3);
  write_text(dir / "g.jpg", jpeg_bytes(w, h, 1, JCS_GRAYSCALE, grey));
  const Image g = read_image_file(dir / "g.jpg");
  for (std::size_t i = 0; i < grey.size(); ++i) {
    ASSERT_EQ(g.rgb[3 * i], g.rgb[3 * i + 1]);
    ASSERT_EQ(g.rgb[3 * i], g.rgb[3 * i + 2]);
    ASSERT_NEAR(g.rgb[3 * i], grey[i], 12);
  }

  // Adobe CMYK (inverted: 255 = no ink): no cyan, full magenta and yellow, no black = red.
  std::vector<std::uint8_t> cmyk;
  for (int i = 0; i < 16 * 16; ++i) cmyk.insert(cmyk.end(), {255, 0, 0, 255});
  write_text(dir / "cmyk.jpg", jpeg_bytes(16, 16, 4, JCS_CMYK, cmyk));
  const Image red = read_image_file(dir / "cmyk.jpg");
  for (std::size_t i = 0; i < red.rgb.size(); i += 3) {
    ASSERT_GE(red.rgb[i], 250);
    ASSERT_LE(red.rgb[i + 1], 5);
    ASSERT_LE(red.rgb[i + 2], 5);
  }
}

TEST(ImageReaderBmp, PaletteAndTrueColourVariants) {
  const fs::path dir = fresh_dir("image-bmp");
  const int w = 5, h = 3;  // 5 pixels: every row needs padding in every depth
  const std::vector<std::uint8_t> rgb = pattern(w, h);
  for (int bits : {24, 32}) {
    for (int height : {h, -h}) {
      BmpSpec s{w, height, bits, rgb};
      const fs::path f = dir / ("b" + std::to_string(bits) + (height < 0 ? "-top-down" : "") + ".bmp");
      write_text(f, bmp_bytes(s));
      const Image img = read_image_file(f);
      EXPECT_EQ(img.width, w) << f;
      EXPECT_EQ(img.height, h) << f;
      EXPECT_EQ(img.rgb, rgb) << f;
    }
  }
  BmpSpec fields{w, h, 32, rgb};
  fields.bitfields = true;
  write_text(dir / "fields.bmp", bmp_bytes(fields));
  EXPECT_EQ(read_image_file(dir / "fields.bmp").rgb, rgb);
  fields.header = 124;  // BITMAPV5HEADER: the masks inside it
  write_text(dir / "v5.bmp", bmp_bytes(fields));
  EXPECT_EQ(read_image_file(dir / "v5.bmp").rgb, rgb);
  BmpSpec os2{w, h, 24, rgb};
  os2.header = 12;
  write_text(dir / "os2.bmp", bmp_bytes(os2));
  EXPECT_EQ(read_image_file(dir / "os2.bmp").rgb, rgb);
  BmpSpec short_row{w, h, 24, rgb};
  short_row.drop_last_padding = true;
  write_text(dir / "short.bmp", bmp_bytes(short_row));
  EXPECT_EQ(read_image_file(dir / "short.bmp").rgb, rgb);

  // Palettes: 8, 4 and 1 bits; an index beyond a short palette is black.
  const std::vector<std::uint32_t> colours = {0xFF0000, 0x00FF00, 0x0000FF, 0x123456};
  for (int bits : {8, 4, 1}) {
    BmpSpec s{w, bits == 8 ? -h : h, bits};
    s.palette_rgb = bits == 1 ? std::vector<std::uint32_t>{0x000000, 0xFFFFFF} : colours;
    const int n = bits == 1 ? 2 : (bits == 8 ? 6 : 4);  // 8 bits: index 4 and 5 lie beyond the palette
    for (int i = 0; i < w * h; ++i) s.indices.push_back(static_cast<std::uint8_t>(i % n));
    const fs::path f = dir / ("p" + std::to_string(bits) + ".bmp");
    write_text(f, bmp_bytes(s));
    const Image img = read_image_file(f);
    for (int i = 0; i < w * h; ++i) {
      const int index = i % n;
      std::uint32_t c = 0;
      if (bits == 1)
        c = index ? 0xFFFFFF : 0;
      else if (index < 4)
        c = colours[index];
      EXPECT_EQ(img.rgb[3 * i], c >> 16) << bits << " " << i;
      EXPECT_EQ(img.rgb[3 * i + 1], (c >> 8) & 0xFF) << bits << " " << i;
      EXPECT_EQ(img.rgb[3 * i + 2], c & 0xFF) << bits << " " << i;
    }
  }
}

// CRC-32 of PNG chunks (ISO 3309), to forge headers.
std::uint32_t crc32(const std::string& s, std::size_t from, std::size_t to) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = from; i < to; ++i) {
    c ^= static_cast<unsigned char>(s[i]);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void put32be(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

TEST(ImageReaderErrors, MissingDirectoryEmptyAndWrongMagic) {
  const fs::path dir = fresh_dir("image-errors");
  expect_error(dir / "nope.png", "no such file or directory");
  expect_error(dir, "is a directory");
  write_text(dir / "empty.png", "");
  expect_error(dir / "empty.png", "empty file, not an image");
  write_text(dir / "text.jpg", "timestamp,accX\n0,1\n");
  expect_error(dir / "text.jpg", "not a PNG, JPEG or BMP image");
  write_text(dir / "gif.png", "GIF89a\x01\x00\x01\x00");
  expect_error(dir / "gif.png", "not a PNG, JPEG or BMP image");
  EXPECT_EQ(image_error("/dev/zero"),
            "/dev/zero: not a regular file (a device, pipe or socket; Kiln reads files only)");
}

TEST(ImageReaderErrors, TruncatedAndCorruptFiles) {
  const fs::path dir = fresh_dir("image-truncated");
  PngSpec s{64, 64, PNG_COLOR_TYPE_RGB, 8};
  s.data = pattern(64, 64);
  write_png(dir / "full.png", s);
  const std::string png = test::read_bytes(dir / "full.png");
  for (std::size_t keep :
       {std::size_t{8}, std::size_t{20}, std::size_t{40}, png.size() / 2, png.size() - 12, png.size() - 1}) {
    const fs::path f = dir / ("cut" + std::to_string(keep) + ".png");
    write_text(f, png.substr(0, keep));
    expect_error(f, "corrupt or truncated PNG image (libpng: ");
  }
  std::string bad_crc = png;
  bad_crc[29] = static_cast<char>(bad_crc[29] ^ 0x01);  // IHDR's CRC
  write_text(dir / "crc.png", bad_crc);
  expect_error(dir / "crc.png", "corrupt or truncated PNG image (libpng: IHDR: CRC error)");
  std::string bad_data = png;
  for (std::size_t i = 60; i < 200; ++i) bad_data[i] = static_cast<char>(0x5A);  // inside the IDAT stream
  write_text(dir / "data.png", bad_data);
  expect_error(dir / "data.png", "corrupt or truncated PNG image");

  const std::string jpg = jpeg_bytes(64, 64, 3, JCS_RGB, pattern(64, 64));
  for (std::size_t keep : {std::size_t{3}, std::size_t{100}, jpg.size() / 2, jpg.size() - 2}) {
    const fs::path f = dir / ("cut" + std::to_string(keep) + ".jpg");
    write_text(f, jpg.substr(0, keep));
    expect_error(f, "corrupt or truncated JPEG image (libjpeg: ");
  }
  write_text(dir / "eof.jpg", jpg.substr(0, jpg.size() / 2));
  expect_error(dir / "eof.jpg", "Premature end of JPEG file");

  BmpSpec b{5, 3, 24, pattern(5, 3)};
  const std::string bmp = bmp_bytes(b);
  write_text(dir / "cut.bmp", bmp.substr(0, bmp.size() - 10));
  expect_error(dir / "cut.bmp",
               "truncated BMP file (the pixels need 47 bytes from offset 54, the file has 38)");
  write_text(dir / "header.bmp", bmp.substr(0, 30));
  expect_error(dir / "header.bmp", "truncated BMP file (the header is cut short)");
  write_text(dir / "tiny.bmp", "BM\x01");
  expect_error(dir / "tiny.bmp", "truncated BMP file (3 bytes, no complete header)");
}

TEST(ImageReaderErrors, HugeOrEmptyDimensionsAreRefusedFromTheHeader) {
  const fs::path dir = fresh_dir("image-huge");
  PngSpec s{4, 4, PNG_COLOR_TYPE_RGB, 8};
  s.data = pattern(4, 4);
  write_png(dir / "small.png", s);
  std::string png = test::read_bytes(dir / "small.png");
  // IHDR: length at 8, "IHDR" at 12, width at 16, height at 20, CRC over bytes 12..28 at 29.
  put32be(png, 16, 100000);
  put32be(png, 20, 100000);
  put32be(png, 29, crc32(png, 12, 29));
  write_text(dir / "huge.png", png);
  expect_error(dir / "huge.png", "100000 x 100000 pixels, more than the 67108864 pixels (8192 x 8192");
  put32be(png, 16, 9000);
  put32be(png, 20, 9000);
  put32be(png, 29, crc32(png, 12, 29));
  write_text(dir / "area.png", png);
  expect_error(dir / "area.png", "9000 x 9000 pixels, more than");
  put32be(png, 16, 0);
  put32be(png, 29, crc32(png, 12, 29));
  write_text(dir / "zero.png", png);
  expect_error(dir / "zero.png", "corrupt or truncated PNG image (libpng: Invalid IHDR data)");

  std::string jpg = jpeg_bytes(8, 8, 3, JCS_RGB, pattern(8, 8));
  const std::size_t sof = jpg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  // SOF0: marker, length (2), precision (1), height (2), width (2).
  jpg[sof + 5] = static_cast<char>(0xFD);
  jpg[sof + 6] = static_cast<char>(0xE8);  // 65000
  jpg[sof + 7] = static_cast<char>(0xFD);
  jpg[sof + 8] = static_cast<char>(0xE8);
  write_text(dir / "huge.jpg", jpg);
  expect_error(dir / "huge.jpg", "65000 x 65000 pixels, more than");
  jpg[sof + 5] = 0;
  jpg[sof + 6] = 0;  // height 0: libjpeg refuses it itself
  write_text(dir / "zero.jpg", jpg);
  expect_error(dir / "zero.jpg", "corrupt or truncated JPEG image (libjpeg: ");

  BmpSpec b{5, 3, 24, pattern(5, 3)};
  std::string bmp = bmp_bytes(b);
  put32(bmp, 18, 100000);
  put32(bmp, 22, static_cast<std::uint32_t>(-100000));
  write_text(dir / "huge.bmp", bmp);
  expect_error(dir / "huge.bmp", "100000 x 100000 pixels, more than");
  put32(bmp, 18, 0);
  put32(bmp, 22, 3);
  write_text(dir / "zero.bmp", bmp);
  expect_error(dir / "zero.bmp", "the image is 0 x 3 pixels (empty)");
  put32(bmp, 18, 5);
  put32(bmp, 22, 0x80000000u);  // INT32_MIN rows
  write_text(dir / "min.bmp", bmp);
  expect_error(dir / "min.bmp", "5 x 2147483648 pixels, more than");
}

TEST(ImageReaderErrors, UnsupportedBmpVariants) {
  const fs::path dir = fresh_dir("image-bmp-variants");
  BmpSpec b{5, 3, 24, pattern(5, 3)};
  std::string bmp = bmp_bytes(b);
  std::string rle = bmp;
  put32(rle, 30, 1);  // BI_RLE8
  write_text(dir / "rle.bmp", rle);
  expect_error(dir / "rle.bmp", "a compressed BMP (compression 1; this reads uncompressed BMP files only)");
  std::string sixteen = bmp;
  put16(sixteen, 28, 16);
  write_text(dir / "16.bmp", sixteen);
  expect_error(dir / "16.bmp", "a 16-bit BMP (this reads 1, 4, 8, 24 and 32 bits per pixel)");
  std::string header = bmp;
  put32(header, 14, 64);  // an OS/2 2.x header size
  write_text(dir / "header64.bmp", header);
  EXPECT_EQ(image_error(dir / "header64.bmp").find("not a BMP variant"),
            std::string::npos);  // 40..124 accepted
  put32(header, 14, 200);
  write_text(dir / "header200.bmp", header);
  expect_error(dir / "header200.bmp", "not a BMP variant this reads (header of 200 bytes)");
  BmpSpec odd{5, 3, 32, pattern(5, 3)};
  odd.bitfields = true;
  std::string masks = bmp_bytes(odd);
  put32(masks, 54, 0x0000FF00u);
  write_text(dir / "masks.bmp", masks);
  expect_error(dir / "masks.bmp", "a BMP with unusual colour masks");
}

TEST(ImageReader, DecodeFromMemoryNamesTheGivenName) {
  EXPECT_EQ(test::error_of([] { decode_image("P6\n1 1\n255\n\x01\x02\x03", "camera.ppm"); }),
            "camera.ppm: not a PNG, JPEG or BMP image");
  const Image img = decode_image(bmp_bytes(BmpSpec{1, 1, 24, {9, 8, 7}}), "one.bmp");
  EXPECT_EQ(img.rgb, (std::vector<std::uint8_t>{9, 8, 7}));
}

// The fuzz target's committed seeds (tests/fuzz/seeds/image_reader, written by make_image_seeds) are valid
// images of every variant, so fuzzing starts from inside each decoder.
TEST(ImageReader, FuzzSeedsAreValidImages) {
  const fs::path seeds = fs::path(KILN_SOURCE_DIR) / "tests" / "fuzz" / "seeds" / "image_reader";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(seeds)) {
    SCOPED_TRACE(entry.path().string());
    const Image img = read_image_file(entry.path());
    EXPECT_GE(img.width, 1);
    EXPECT_EQ(img.rgb.size(), static_cast<std::size_t>(img.width) * img.height * 3);
    ++count;
  }
  EXPECT_GE(count, 14);
}

}  // namespace
}  // namespace kiln
