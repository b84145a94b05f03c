// Writes the image fuzz target's seed corpus (tests/fuzz/seeds/image_reader/): tiny files of each format and
// variant data/image_reader decodes, a few hundred bytes each: PNG (RGB, interlaced, palette with
// transparency, grey + alpha 16-bit, 1-bit grey) with libpng, JPEG (baseline, progressive, grey, Adobe CMYK)
// with libjpeg, BMP (24-bit bottom-up, 32-bit top-down bit fields, 8-bit and 1-bit palette, OS/2 header) by
// hand. Usage: make_image_seeds DIR. The committed seeds were made with it; see README.md.
// clang-format off
#include <cstdio>
#include <jpeglib.h>
#include <png.h>
// clang-format on

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::vector<std::uint8_t> pattern(int w, int h, int channels) {
  std::vector<std::uint8_t> v;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        v.push_back(static_cast<std::uint8_t>((x * 40 + y * 25 + c * 70) & 0xFF));
  return v;
}

bool write_file(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

bool png(const std::string& path, int w, int h, int type, int depth, bool interlaced,
         const std::vector<std::uint8_t>& data, const std::vector<png_color>& palette = {},
         const std::vector<png_byte>& trns = {}) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(p);
  if (setjmp(png_jmpbuf(p))) {
    std::fclose(f);
    return false;
  }
  png_init_io(p, f);
  png_set_IHDR(p, info, w, h, depth, type, interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(p, info, palette.data(), static_cast<int>(palette.size()));
  if (!trns.empty())
    png_set_tRNS(p, info, const_cast<png_bytep>(trns.data()), static_cast<int>(trns.size()), nullptr);
  png_write_info(p, info);
  const std::size_t row = data.size() / h;
  std::vector<png_bytep> rows;
  for (int y = 0; y < h; ++y) rows.push_back(const_cast<png_bytep>(data.data() + y * row));
  png_write_image(p, rows.data());  // all seven passes when interlaced
  png_write_end(p, nullptr);
  png_destroy_write_struct(&p, &info);
  return std::fclose(f) == 0;
}

bool jpeg(const std::string& path, int w, int h, int components, J_COLOR_SPACE space, bool progressive) {
  const std::vector<std::uint8_t> pixels = pattern(w, h, components);
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = w;
  c.image_height = h;
  c.input_components = components;
  c.in_color_space = space;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 50, TRUE);
  if (progressive) jpeg_simple_progression(&c);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW r =
        const_cast<JSAMPROW>(pixels.data() + static_cast<std::size_t>(c.next_scanline) * w * components);
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  const std::string bytes(reinterpret_cast<char*>(out), size);
  jpeg_destroy_compress(&c);
  std::free(out);
  return write_file(path, bytes);
}

void put(std::string& s, std::size_t at, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A BMP of w x h (h < 0: top-down) with `bits` per pixel; palettes get `colours` grey levels.
bool bmp(const std::string& path, int w, int h, int bits, int header, bool bitfields) {
  const int rows = h < 0 ? -h : h;
  const std::size_t stride = (static_cast<std::size_t>(w) * bits + 31) / 32 * 4;
  const std::size_t colours = bits <= 8 ? (std::size_t{1} << bits) : 0;
  const std::size_t entry = header == 12 ? 3 : 4;
  const std::size_t offset = 14 + header + (bitfields && header == 40 ? 12 : 0) + colours * entry;
  std::string b(offset + stride * rows, '\0');
  b[0] = 'B';
  b[1] = 'M';
  put(b, 2, static_cast<std::uint32_t>(b.size()), 4);
  put(b, 10, static_cast<std::uint32_t>(offset), 4);
  put(b, 14, static_cast<std::uint32_t>(header), 4);
  if (header == 12) {
    put(b, 18, w, 2);
    put(b, 20, rows, 2);
    put(b, 22, 1, 2);
    put(b, 24, bits, 2);
  } else {
    put(b, 18, w, 4);
    put(b, 22, static_cast<std::uint32_t>(h), 4);
    put(b, 26, 1, 2);
    put(b, 28, bits, 2);
    put(b, 30, bitfields ? 3 : 0, 4);
    put(b, 46, static_cast<std::uint32_t>(colours), 4);
    if (bitfields) {
      put(b, 54, 0x00FF0000u, 4);
      put(b, 58, 0x0000FF00u, 4);
      put(b, 62, 0x000000FFu, 4);
    }
  }
  for (std::size_t i = 0; i < colours; ++i) {
    const std::size_t at = offset - colours * entry + i * entry;
    const auto level = static_cast<char>(i * 255 / (colours - 1));
    b[at] = b[at + 1] = b[at + 2] = level;
  }
  for (std::size_t i = offset; i < b.size(); ++i) b[i] = static_cast<char>((i * 37) & 0xFF);
  return write_file(path, b);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string d = std::string(argv[1]) + "/";
  bool ok = true;
  ok &= png(d + "rgb.png", 6, 4, PNG_COLOR_TYPE_RGB, 8, false, pattern(6, 4, 3));
  ok &= png(d + "interlaced.png", 9, 9, PNG_COLOR_TYPE_RGB, 8, true, pattern(9, 9, 3));
  ok &= png(d + "palette-trns.png", 8, 2, PNG_COLOR_TYPE_PALETTE, 4, false,
            {0x01, 0x23, 0x30, 0x12, 0x01, 0x23, 0x30, 0x12},
            {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {9, 9, 9}}, {0, 128});
  ok &= png(d + "grey-alpha16.png", 3, 2, PNG_COLOR_TYPE_GRAY_ALPHA, 16, false, pattern(3, 2, 4));
  ok &= png(d + "grey1.png", 10, 2, PNG_COLOR_TYPE_GRAY, 1, false, {0xA5, 0x40, 0x5F, 0x80});
  ok &= jpeg(d + "baseline.jpg", 16, 16, 3, JCS_RGB, false);
  ok &= jpeg(d + "progressive.jpg", 16, 8, 3, JCS_RGB, true);
  ok &= jpeg(d + "grey.jpg", 8, 8, 1, JCS_GRAYSCALE, false);
  ok &= jpeg(d + "cmyk.jpg", 8, 8, 4, JCS_CMYK, false);
  ok &= bmp(d + "rgb24.bmp", 5, 3, 24, 40, false);
  ok &= bmp(d + "bgrx32-top-down-fields.bmp", 3, -2, 32, 40, true);
  ok &= bmp(d + "palette8-v5.bmp", 5, 2, 8, 124, false);
  ok &= bmp(d + "palette1.bmp", 9, 2, 1, 40, false);
  ok &= bmp(d + "os2-24.bmp", 3, 2, 24, 12, false);
  if (!ok) std::fprintf(stderr, "could not write every seed to %s\n", argv[1]);
  return ok ? 0 : 1;
}
