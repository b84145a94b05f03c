// Real image files for tests: PNG written with libpng (every colour type and depth), JPEG with libjpeg, BMP
// byte by byte; and simple labelled pictures (a coloured shape per label) for image projects.
#pragma once

// clang-format off
#include <cstdio>
#include <jpeglib.h>
#include <png.h>
// clang-format on

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kiln::test {

// ---- PNG writer (libpng) ----

struct PngSpec {
  PngSpec(int w, int h, int type, int depth) : width(w), height(h), color_type(type), bit_depth(depth) {}
  int width, height;
  int color_type;  // PNG_COLOR_TYPE_*
  int bit_depth;
  bool interlaced = false;
  std::vector<std::uint8_t> data;  // packed rows as libpng expects them (big-endian 16-bit samples)
  std::vector<png_color> palette;
  std::vector<png_byte> transparency;
};

void write_png(const std::filesystem::path& path, const PngSpec& s);

// ---- JPEG writer (libjpeg) ----

std::string jpeg_bytes(int w, int h, int components, J_COLOR_SPACE space,
                       const std::vector<std::uint8_t>& pixels, bool progressive = false, int quality = 95);

// ---- BMP writer (by hand) ----

void put16(std::string& s, std::size_t at, std::uint32_t v);
void put32(std::string& s, std::size_t at, std::uint32_t v);

struct BmpSpec {
  BmpSpec(int w, int h, int depth, std::vector<std::uint8_t> pixels = {})
      : width(w), height(h), bits(depth), rgb(std::move(pixels)) {}
  int width, height;  // height < 0: top-down
  int bits;
  std::vector<std::uint8_t> rgb;           // the image, top row first (for 24/32 bits)
  std::vector<std::uint8_t> indices;       // palette images, top row first
  std::vector<std::uint32_t> palette_rgb;  // 0xRRGGBB
  int header = 40;                         // 12 (OS/2), 40, 108, 124
  bool bitfields = false;                  // 32-bit BI_BITFIELDS with the BGRX masks
  bool drop_last_padding = false;
};

std::string bmp_bytes(const BmpSpec& s);

// 8-bit RGB pixels (row-major, top row first) as a file: an RGB PNG, a JPEG (quality 95) or a 24-bit BMP.
void write_rgb_png(const std::filesystem::path& path, int w, int h, const std::vector<std::uint8_t>& rgb);
void write_rgb_jpeg(const std::filesystem::path& path, int w, int h, const std::vector<std::uint8_t>& rgb);
void write_rgb_bmp(const std::filesystem::path& path, int w, int h, const std::vector<std::uint8_t>& rgb);

// A w x h picture for label `shape` (0: a red disc, 1: a green square, 2: a blue horizontal bar, others: a
// yellow cross) on a grey background with seeded noise, its position and size varied by `seed`.
std::vector<std::uint8_t> shape_picture(int shape, int w, int h, unsigned seed);

// Writes `count` pictures per label into dir/<label>/ (label i draws shape i), numbered from `first`: PNG,
// JPEG and BMP in turn, at w x h or, for every third one, at 3/2 w x h and w x 3/2 h in turn (so `kiln add`
// resizes them). Returns the files, label by label.
std::vector<std::filesystem::path> write_shape_folders(const std::filesystem::path& dir,
                                                       const std::vector<std::string>& labels, int count,
                                                       int w, int h, int first = 0);

}  // namespace kiln::test
