#include "data/image_sample.h"

#include <stdexcept>

#include "core/error.h"
#include "core/quote.h"
#include "dsp/image_resize.h"

namespace kiln {

const std::vector<std::string>& image_resize_modes() {
  static const std::vector<std::string> modes = {"squash", "fit-short", "fit-long"};
  return modes;
}

SampleData image_sample(const Image& image, const InputSettings& input, const std::string& name) {
  if (!input.is_image()) throw std::logic_error("image_sample: not an image input");
  const std::vector<std::string>& modes = image_resize_modes();
  std::size_t mode = 0;
  while (mode < modes.size() && modes[mode] != input.resize_mode) ++mode;
  if (mode == modes.size()) throw std::logic_error("image_sample: unknown resize mode " + input.resize_mode);

  SampleData data;
  data.axes = 1;
  data.frequency = 0;
  data.width = input.width;
  data.height = input.height;
  const std::uint8_t* rgb = image.rgb.data();
  std::vector<std::uint8_t> resized;
  if (image.width != input.width || image.height != input.height) {
    if (image.width > dsp::kImageResizeMaxSide || image.height > dsp::kImageResizeMaxSide) {
      throw Error(name + ": " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                  " pixels; Kiln resizes images of up to " + std::to_string(dsp::kImageResizeMaxSide) +
                  " pixels a side (scale it down first)");
    }
    resized.resize(static_cast<std::size_t>(input.width) * static_cast<std::size_t>(input.height) * 3);
    const dsp::Status s = dsp::image_resize(image.rgb.data(), image.width, image.height, 3,
                                            static_cast<dsp::ImageResizeMode>(mode), resized.data(),
                                            input.width, input.height, resized.size());
    if (s != dsp::kOk) throw Error(name + ": cannot resize the image (" + dsp::status_message(s) + ")");
    rgb = resized.data();
    data.resize_mode = input.resize_mode;
  }
  const std::size_t pixels = static_cast<std::size_t>(input.width) * static_cast<std::size_t>(input.height);
  data.values.resize(pixels);
  for (std::size_t i = 0; i < pixels; ++i, rgb += 3) {
    data.values[i] =
        static_cast<float>((std::uint32_t{rgb[0]} << 16) | (std::uint32_t{rgb[1]} << 8) | rgb[2]);
  }
  return data;
}

SampleData read_image_sample(const std::filesystem::path& path, const InputSettings& input) {
  return image_sample(read_image_file(path), input, display_path(path));
}

}  // namespace kiln
