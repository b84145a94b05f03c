#include "image_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace kiln::test {

namespace fs = std::filesystem;

void write_png(const fs::path& path, const PngSpec& s) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  ASSERT_FALSE(setjmp(png_jmpbuf(png)));
  png_init_io(png, f);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.color_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) png_set_PLTE(png, info, s.palette.data(), static_cast<int>(s.palette.size()));
  if (!s.transparency.empty())
    png_set_tRNS(png, info, s.transparency.data(), static_cast<int>(s.transparency.size()), nullptr);
  png_write_info(png, info);
  const std::size_t row_bytes = s.data.size() / static_cast<std::size_t>(s.height);
  std::vector<png_bytep> rows(static_cast<std::size_t>(s.height));
  for (int y = 0; y < s.height; ++y) rows[y] = const_cast<png_bytep>(s.data.data() + y * row_bytes);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

std::string jpeg_bytes(int w, int h, int components, J_COLOR_SPACE space,
                       const std::vector<std::uint8_t>& pixels, bool progressive, int quality) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = static_cast<JDIMENSION>(w);
  c.image_height = static_cast<JDIMENSION>(h);
  c.input_components = components;
  c.in_color_space = space;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  if (progressive) jpeg_simple_progression(&c);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row =
        const_cast<JSAMPROW>(pixels.data() + static_cast<std::size_t>(c.next_scanline) * w * components);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  std::string bytes(reinterpret_cast<char*>(out), size);
  jpeg_destroy_compress(&c);
  std::free(out);
  return bytes;
}

void put16(std::string& s, std::size_t at, std::uint32_t v) {
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  put16(s, at, v & 0xFFFF);
  put16(s, at + 2, v >> 16);
}

std::string bmp_bytes(const BmpSpec& s) {
  const int w = s.width, h = std::abs(s.height);
  const std::size_t stride = (static_cast<std::size_t>(w) * s.bits + 31) / 32 * 4;
  const std::size_t entry = s.header == 12 ? 3 : 4;
  const std::size_t masks = s.bitfields && s.header == 40 ? 12 : 0;
  const std::size_t offset = 14 + s.header + masks + s.palette_rgb.size() * entry;
  std::string b(offset + stride * h, '\0');
  b[0] = 'B';
  b[1] = 'M';
  put32(b, 2, static_cast<std::uint32_t>(b.size()));
  put32(b, 10, static_cast<std::uint32_t>(offset));
  put32(b, 14, static_cast<std::uint32_t>(s.header));
  if (s.header == 12) {
    put16(b, 18, static_cast<std::uint32_t>(w));
    put16(b, 20, static_cast<std::uint32_t>(h));
    put16(b, 22, 1);
    put16(b, 24, static_cast<std::uint32_t>(s.bits));
  } else {
    put32(b, 18, static_cast<std::uint32_t>(w));
    put32(b, 22, static_cast<std::uint32_t>(s.height));
    put16(b, 26, 1);
    put16(b, 28, static_cast<std::uint32_t>(s.bits));
    put32(b, 30, s.bitfields ? 3 : 0);
    put32(b, 46, static_cast<std::uint32_t>(s.palette_rgb.size()));
    if (s.bitfields) {
      put32(b, 54, 0x00FF0000u);
      put32(b, 58, 0x0000FF00u);
      put32(b, 62, 0x000000FFu);
    }
  }
  std::size_t at = 14 + s.header + masks;
  for (std::uint32_t c : s.palette_rgb) {
    b[at] = static_cast<char>(c & 0xFF);
    b[at + 1] = static_cast<char>((c >> 8) & 0xFF);
    b[at + 2] = static_cast<char>(c >> 16);
    at += entry;
  }
  for (int row = 0; row < h; ++row) {
    const int y = s.height < 0 ? row : h - 1 - row;  // the image row stored at file row `row`
    char* out = &b[offset + row * stride];
    for (int x = 0; x < w; ++x) {
      if (s.bits <= 8) {
        const std::size_t bit = static_cast<std::size_t>(x) * s.bits;
        out[bit / 8] = static_cast<char>(out[bit / 8] | (s.indices[y * w + x] << (8 - s.bits - bit % 8)));
      } else {
        const std::uint8_t* p = &s.rgb[(static_cast<std::size_t>(y) * w + x) * 3];
        char* q = out + x * (s.bits / 8);
        q[0] = static_cast<char>(p[2]);
        q[1] = static_cast<char>(p[1]);
        q[2] = static_cast<char>(p[0]);
        if (s.bits == 32) q[3] = static_cast<char>(0x80);  // alpha or padding: ignored
      }
    }
  }
  if (s.drop_last_padding) b.resize(b.size() - (stride - (static_cast<std::size_t>(w) * s.bits + 7) / 8));
  return b;
}

void write_rgb_png(const fs::path& path, int w, int h, const std::vector<std::uint8_t>& rgb) {
  PngSpec s(w, h, PNG_COLOR_TYPE_RGB, 8);
  s.data = rgb;
  write_png(path, s);
}

void write_rgb_jpeg(const fs::path& path, int w, int h, const std::vector<std::uint8_t>& rgb) {
  std::ofstream(path, std::ios::binary) << jpeg_bytes(w, h, 3, JCS_RGB, rgb);
}

void write_rgb_bmp(const fs::path& path, int w, int h, const std::vector<std::uint8_t>& rgb) {
  std::ofstream(path, std::ios::binary) << bmp_bytes(BmpSpec(w, h, 24, rgb));
}

std::vector<std::uint8_t> shape_picture(int shape, int w, int h, unsigned seed) {
  unsigned state = 2166136261u ^ (seed * 16777619u) ^ static_cast<unsigned>(shape);
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7FFF;
  };
  const int side = std::min(w, h);
  const int size = side / 3 + static_cast<int>(next() % static_cast<unsigned>(side / 4 + 1));
  const int cx = w / 2 + static_cast<int>(next() % static_cast<unsigned>(w / 4 + 1)) - w / 8;
  const int cy = h / 2 + static_cast<int>(next() % static_cast<unsigned>(h / 4 + 1)) - h / 8;
  static const std::uint8_t kColours[4][3] = {{220, 40, 40}, {40, 200, 60}, {50, 70, 230}, {230, 210, 40}};
  const std::uint8_t* colour = kColours[std::min(shape, 3)];
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int dx = x - cx, dy = y - cy, r = size / 2;
      bool inside = false;
      switch (shape) {
        case 0:
          inside = dx * dx + dy * dy <= r * r;
          break;
        case 1:
          inside = std::abs(dx) <= r && std::abs(dy) <= r;
          break;
        case 2:
          inside = std::abs(dx) <= r && std::abs(dy) <= r / 3;
          break;
        default:
          inside =
              (std::abs(dx) <= r && std::abs(dy) <= r / 5) || (std::abs(dy) <= r && std::abs(dx) <= r / 5);
          break;
      }
      std::uint8_t* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
      for (int c = 0; c < 3; ++c) {
        const int noise = static_cast<int>(next() % 41) - 20;
        p[c] = static_cast<std::uint8_t>(std::clamp((inside ? colour[c] : 128) + noise, 0, 255));
      }
    }
  }
  return rgb;
}

std::vector<fs::path> write_shape_folders(const fs::path& dir, const std::vector<std::string>& labels,
                                          int count, int w, int h, int first) {
  std::vector<fs::path> files;
  for (std::size_t l = 0; l < labels.size(); ++l) {
    fs::create_directories(dir / labels[l]);
    for (int i = first; i < first + count; ++i) {
      const int odd = i % 3 == 2 ? (i / 3) % 2 + 1 : 0;  // 0: w x h; 1: wider; 2: taller
      const int pw = odd == 1 ? w * 3 / 2 : w, ph = odd == 2 ? h * 3 / 2 : h;
      const std::vector<std::uint8_t> rgb =
          shape_picture(static_cast<int>(l), pw, ph, static_cast<unsigned>(i * 31 + static_cast<int>(l)));
      const fs::path stem = dir / labels[l] / (labels[l] + "-" + std::to_string(i));
      fs::path file;
      switch (i % 3) {
        case 0:
          write_rgb_png(file = stem.string() + ".png", pw, ph, rgb);
          break;
        case 1:
          write_rgb_jpeg(file = stem.string() + ".jpg", pw, ph, rgb);
          break;
        default:
          write_rgb_bmp(file = stem.string() + ".bmp", pw, ph, rgb);
          break;
      }
      files.push_back(file);
    }
  }
  return files;
}

}  // namespace kiln::test
