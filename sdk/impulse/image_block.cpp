// The table entry of Image (sdk/dsp/image.h): Edge Impulse's Image v1 parameter "channels", Kiln's "scaling",
// and the image's width and height, which are the impulse input's ([input] width and height), not parameters.
#include "impulse/image_block.h"

#include "impulse/block_adapter.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::ImageParams;

// In the order of dsp::ImageChannels and dsp::ImageScaling.
const char* const kChannels[] = {"RGB", "Grayscale"};
const char* const kScalings[] = {"0..1", "0..255", "-1..1", "-128..127"};

const ParamSpec kParams[] = {
    {"channels", kParamChoice, offsetof(ImageParams, channels), kChannels, 2,
     KILN_PARAM_HELP("RGB (3 values a pixel) or Grayscale (1: the luma)")},
    {"scaling", kParamChoice, offsetof(ImageParams, scaling), kScalings, 4,
     KILN_PARAM_HELP("range of the values: 0..1 (Edge Impulse), or what a model trained elsewhere takes")},
    {"width", kParamInput, offsetof(ImageParams, width), 0, 0, KILN_PARAM_HELP("image width in pixels")},
    {"height", kParamInput, offsetof(ImageParams, height), 0, 0, KILN_PARAM_HELP("image height in pixels")},
};

// Without an input the size is 0 x 0, which image_validate refuses: the host always sets it.
ImageParams defaults() {
  return dsp::image_default_params(0, 0);
}

typedef BlockAdapter<ImageParams, defaults, dsp::image_validate, dsp::image_output_shape,
                     dsp::image_scratch_bytes, dsp::image_run, dsp::image_scratch_bytes, dsp::image_run_s8>
    A;

const char* status_param(dsp::Status status) {
  switch (status) {
    case dsp::kBadImageChannels:
      return "channels";
    case dsp::kBadImageScaling:
      return "scaling";
    default:
      return 0;
  }
}

}  // namespace

const BlockSpec kImageBlock = A::spec("image", "ei-1", kParams, status_param);

}  // namespace impulse
}  // namespace kiln
