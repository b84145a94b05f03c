// libFuzzer target: every input is an image file (input.img) read by read_image_file: the bounded read, the
// format sniffing, libpng and libjpeg-turbo behind their longjmp error handlers (every error path must free
// the library's state: LeakSanitizer checks), our BMP reader; then a decoded image goes through the SDK's
// image path as a device would: image_resize to 32 x 24 in each mode, and the image block (RGB and
// Grayscale, float and int8) on the result. See README.md.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/image_reader.h"
#include "dsp/image.h"
#include "dsp/image_resize.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiln;
  const std::filesystem::path path = fuzz::write_input("input.img", data, size);
  fuzz::expect_only_kiln_errors(path, [&] {
    const Image img = read_image_file(path);
    if (img.width < 1 || img.height < 1 || img.width > kMaxImageSide || img.height > kMaxImageSide ||
        static_cast<std::uint64_t>(img.width) * static_cast<std::uint64_t>(img.height) > kMaxImagePixels) {
      fuzz::fail("image of " + std::to_string(img.width) + " x " + std::to_string(img.height) + " pixels");
    }
    if (img.rgb.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 3) {
      fuzz::fail("pixel buffer of " + std::to_string(img.rgb.size()) + " bytes");
    }
    if (img.width > dsp::kImageResizeMaxSide || img.height > dsp::kImageResizeMaxSide) return;
    const int w = 32, h = 24;
    std::vector<std::uint8_t> small(static_cast<std::size_t>(w) * h * 3);
    std::vector<float> features(static_cast<std::size_t>(w) * h * 3);
    std::vector<std::int8_t> tensor(features.size());
    for (dsp::ImageResizeMode mode : {dsp::kResizeSquash, dsp::kResizeFitShort, dsp::kResizeFitLong}) {
      if (dsp::image_resize(img.rgb.data(), img.width, img.height, 3, mode, small.data(), w, h,
                            small.size()) != dsp::kOk) {
        fuzz::fail("image_resize refused a decoded image");
      }
      const dsp::ImageBuffer buffer = {small.data(), w, h, 3};
      const kiln_signal signal = dsp::image_buffer_signal(&buffer);
      for (dsp::ImageChannels channels : {dsp::kImageRgb, dsp::kImageGrayscale}) {
        dsp::ImageParams p = dsp::image_default_params(w, h);
        p.channels = channels;
        if (dsp::image_run(p, 0, 1, signal, nullptr, 0, features.data(), features.size()) != dsp::kOk ||
            dsp::image_run_s8(p, 0, 1, signal, nullptr, 0, 1.0f / 255, -128, tensor.data(), tensor.size()) !=
                dsp::kOk) {
          fuzz::fail("the image block refused a resized image");
        }
        const std::size_t n = static_cast<std::size_t>(w) * h * dsp::image_values_per_pixel(channels);
        for (std::size_t i = 0; i < n; ++i) {
          if (!(features[i] >= 0.0f && features[i] <= 1.0f)) fuzz::fail("a feature outside [0, 1]");
        }
      }
    }
  });
  return 0;
}
