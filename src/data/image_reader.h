// Image files: PNG (libpng), JPEG (libjpeg-turbo) and BMP (our own reader), decoded to 8-bit RGB.
//
// What each format may hold:
//   PNG  every colour type and bit depth (grey, grey + alpha, palette, RGB, RGBA; 1..16 bits; interlaced):
//        16-bit channels keep their high byte, grey becomes R = G = B.
//   JPEG baseline and progressive, greyscale, YCbCr/RGB and CMYK/YCCK (Adobe's inverted CMYK, as
//        Photoshop writes it). A JPEG whose data ends early or is damaged is an error, not a grey-filled
//        image.
//   BMP  uncompressed 1, 4 and 8-bit palette, 24-bit and 32-bit pixels (BI_RGB, or BI_BITFIELDS with the
//        standard 8-bit masks), bottom-up and top-down rows, OS/2 (12-byte) and Windows (40..124-byte)
//        headers. Palette indices beyond the palette are black.
// Transparency is dropped, not blended (what PIL's convert('RGB') does when Edge Impulse ingests an image).
// Colour profiles and EXIF orientation are not applied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace kiln {

// Decoded pixels: width x height, row-major, top row first, 3 bytes per pixel (R, G, B).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

// Limits, checked from the header before any pixel is decoded. 8192 x 8192 pixels (the area limit, 64
// Mi pixels, 192 MiB of RGB) is far above any camera image meant for training; a side may reach 65535 for
// panoramas and line-scan strips as long as the area fits.
inline constexpr int kMaxImageSide = 65535;
inline constexpr std::uint64_t kMaxImagePixels = std::uint64_t{1} << 26;
// Bytes of an image file: 256 MiB (a 64 Mi pixel 32-bit BMP is 256 MiB plus its header; such a file is
// refused by the area limit anyway).
inline constexpr std::uintmax_t kMaxImageFileBytes = std::uintmax_t{256} << 20;

// Reads and decodes `path`, recognised by its first bytes (not its extension). Throws kiln::Error, one line
// naming the file, when it is not a regular file, is larger than kMaxImageFileBytes, is empty, is not a
// PNG, JPEG or BMP, announces a size of 0 or beyond the limits, is truncated or corrupt, or uses a variant
// this reader does not decode (e.g. RLE-compressed BMP, 12-bit JPEG).
Image read_image_file(const std::filesystem::path& path);

// The same decoder on bytes already in memory; `name` is what the messages call the file.
Image decode_image(std::string_view bytes, const std::string& name);

}  // namespace kiln
