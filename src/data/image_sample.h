// Image files as samples of an image impulse ([input] type = "image"): decoded by data/image_reader.h (PNG,
// JPEG, BMP to 8-bit RGB: grey, grey + alpha, palette, RGBA and 16-bit files converted, transparency
// dropped), resized to the impulse's width x height with its resize mode by the SDK's resizer
// (sdk/dsp/image_resize.h, the one a device runs on camera frames), and stored as one float per pixel holding
// the packed value 0xRRGGBB: the signal the image block reads (sdk/dsp/image.h). One image is one window.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "data/image_reader.h"
#include "data/sample_data.h"
#include "project/impulse.h"

namespace kiln {

// The resize modes by their kiln.toml names, in the order of dsp::ImageResizeMode: "squash", "fit-short",
// "fit-long".
const std::vector<std::string>& image_resize_modes();

// `image` converted for `input` (an image input): resized when its size differs (refused, naming `name`,
// when a side is beyond what the resizer takes, sdk/dsp/image_resize.h kImageResizeMaxSide).
SampleData image_sample(const Image& image, const InputSettings& input, const std::string& name);

// read_image_file + image_sample.
SampleData read_image_sample(const std::filesystem::path& path, const InputSettings& input);

}  // namespace kiln
