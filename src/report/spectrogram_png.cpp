#include "report/spectrogram_png.h"

#include <png.h>

#include <cstdint>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/viridis.h"

namespace kiln {

std::string spectrogram_png(const float* features, int frames, int bins, int scale) {
  if (features == nullptr || frames < 1 || bins < 1) {
    throw Error("spectrogram: no features to draw (" + std::to_string(frames) + " x " + std::to_string(bins) +
                ")");
  }
  if (scale < 1 || scale > 64)
    throw Error("spectrogram: scale " + std::to_string(scale) + " is outside 1..64");
  const std::int64_t width = std::int64_t{frames} * scale;
  const std::int64_t height = std::int64_t{bins} * scale;
  if (width * height > (std::int64_t{1} << 26)) {
    throw Error("spectrogram: " + std::to_string(width) + " x " + std::to_string(height) +
                " pixels is too large");
  }

  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width * height * 3));
  for (std::int64_t y = 0; y < height; ++y) {
    const int bin = bins - 1 - static_cast<int>(y / scale);  // row 0 is the top: the highest bin
    std::uint8_t* out = pixels.data() + y * width * 3;
    for (std::int64_t x = 0; x < width; ++x) {
      const Rgb c = viridis(features[(x / scale) * bins + bin]);
      out[x * 3] = c.r;
      out[x * 3 + 1] = c.g;
      out[x * 3 + 2] = c.b;
    }
  }

  // libpng's simplified API reports errors by return value, so no setjmp/longjmp crosses C++ frames.
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr)) {
    std::string msg = image.message;
    png_image_free(&image);
    throw Error("spectrogram: cannot encode PNG (" + msg + ")");
  }
  std::string png(size, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &size, 0, pixels.data(), 0, nullptr)) {
    std::string msg = image.message;
    png_image_free(&image);
    throw Error("spectrogram: cannot encode PNG (" + msg + ")");
  }
  png.resize(size);
  return png;
}

void write_spectrogram_png(const std::filesystem::path& path, const float* features, int frames, int bins,
                           int scale) {
  try {
    write_file_atomic(path, spectrogram_png(features, frames, bins, scale));
  } catch (const Error& e) {
    // Name the file: "spectrogram: ..." alone does not say which of many PNGs failed.
    const std::string what = e.what();
    if (what.rfind(path.string(), 0) == 0) throw;
    throw Error(path.string() + ": " + what);
  } catch (const std::filesystem::filesystem_error& e) {
    // Creating the parent directory failed (e.g. a file is in the way).
    throw Error(path.string() + ": cannot write (" + e.code().message() + ")");
  }
}

}  // namespace kiln
