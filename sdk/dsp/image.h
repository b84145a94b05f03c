// Image block, implementation version 1: reproduces Edge Impulse processing-blocks Image v1 (image/dsp.py).
//
// Input: Edge Impulse's image signal, one float per pixel holding the packed value 0xRRGGBB (R * 65536 +
// G * 256 + B, an integer below 2^24, so exact in a float), row-major, top row first, width x height of the
// impulse's input (resize camera frames first: dsp/image_resize.h). Several images back to back (Studio's
// multi-frame image input) give several frames.
// Output per pixel, row-major: RGB -> R/255, G/255, B/255 (3 values); Grayscale -> the ITU-R 601-2 luma
// (0.299 R + 0.587 G + 0.114 B) / 255 (1 value), not rounded to an integer level first (the reference's v1
// computes it in float64 from the bytes, unlike PIL's convert('L')).
//
// Scaling (Kiln's addition, default 0..1 = the reference): the range the values are given in, for a model
// trained elsewhere on other pixel values (Edge Impulse applies the same choice, "input scaling" of a model
// brought in, between this block and the network): 0..255 gives the channel value v itself (or the luma
// L = (299 R + 587 G + 114 B) / 1000), -128..127 gives v - 128, -1..1 gives v / 127.5 - 1. MLPerf Tiny's
// ResNet-8, for one, takes 0..255 (its int8 input, scale 1 and zero point -128, holds pixel - 128).
//
// Numerics: R/255 is one correctly rounded float32 division, the same value as the reference's float64
// quotient rounded to float32. The luma is (299 R + 587 G + 114 B) / 255000: an exact integer numerator and
// one correctly rounded division, i.e. the float32 nearest to the exact luma; the reference's float64 sum
// rounded to float32 can differ from it by one ulp only if it lies within ~1e-16 of a float32 rounding
// boundary.
// The other scalings alike: each value is an exact integer numerator over an integer denominator, e.g.
// (2 R - 255) / 255 for -1..1 or (299 R + 587 G + 114 B - 128000) / 1000 for a -128..127 luma, divided once,
// so it is the float32 nearest to the exact value.
//
// A pixel float that is not an integer in [0, 0xFFFFFF] (never from a camera or Kiln's readers) is read as
// its integer part clamped to that range (negative and NaN as 0), so no input can make the block misbehave.
#ifndef KILN_DSP_IMAGE_H
#define KILN_DSP_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace dsp {

enum ImageChannels {
  kImageRgb = 0,        // "RGB"
  kImageGrayscale = 1,  // "Grayscale"
};

// The range of the output values (see the header comment).
enum ImageScaling {
  kImageScale0To1 = 0,          // "0..1" (Edge Impulse's Image block)
  kImageScale0To255 = 1,        // "0..255"
  kImageScaleMinus1To1 = 2,     // "-1..1"
  kImageScaleMinus128To127 = 3  // "-128..127"
};

// "channels" is the block's one parameter in Studio; width and height are the impulse's image input (Create
// impulse: image width / height), which the block needs to know what one frame is.
struct ImageParams {
  ImageChannels channels;  // "channels": "RGB" | "Grayscale"
  ImageScaling scaling;    // "scaling": "0..1" (default) | "0..255" | "-1..1" | "-128..127"
  int width;               // pixels, 1..kImageMaxSide
  int height;              // pixels, 1..kImageMaxSide
};

const int kImageMaxSide = 4096;

// Studio's default colour depth (RGB), scaling 0..1, for an impulse input of width x height.
ImageParams image_default_params(int width, int height);

// Output values per pixel: 3 (RGB) or 1 (Grayscale); 0 for an unknown colour depth.
int image_values_per_pixel(ImageChannels channels);

// kBadImageChannels, kBadImageScaling, kBadImageSize (a side outside 1..kImageMaxSide), kBadAxes (an image
// signal has 1 axis). The sampling frequency is not used.
Status image_validate(const ImageParams& params, double sampling_frequency, int axes);

// samples_per_axis = pixels of all frames: frames = samples / (width * height), values = width * height *
// image_values_per_pixel. kSignalTooShort for 0 pixels, kSignalLengthMismatch when the pixels are not whole
// frames, kSignalTooLong beyond INT_MAX output values.
Status image_output_shape(const ImageParams& params, double sampling_frequency, int axes,
                          size_t samples_per_axis, FeatureShape* shape);

// Always 0: pixels are read in small chunks through a stack buffer.
size_t image_scratch_bytes(const ImageParams& params, double sampling_frequency, int axes,
                           size_t samples_per_axis);

// The whole block (scratch may be null); out_capacity = room in floats.
Status image_run(const ImageParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
                 void* scratch, size_t scratch_bytes, float* out, size_t out_capacity);

// Straight into an int8 input tensor: each value of image_run quantized with nn::quantize_s8(value, scale,
// zero_point), without a float copy of the image (a 96x96 RGB image would take 108 KiB as floats).
Status image_run_s8(const ImageParams& params, double sampling_frequency, int axes, const kiln_signal& signal,
                    void* scratch, size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                    size_t out_capacity);

// The block's value of one packed pixel (0xRRGGBB), for callers that convert pixel by pixel: writes 3
// (RGB) or 1 (Grayscale) floats to values and returns how many.
int image_pixel_values(ImageChannels channels, ImageScaling scaling, uint32_t rgb, float* values);

// A camera frame as a signal for image_run: bytes in memory, row-major, top row first, `channels` bytes per
// pixel (3: R, G, B; 1: grey, read as R = G = B). image_buffer_signal() wraps it into a kiln_signal that
// delivers the packed 0xRRGGBB floats image_run expects; keep the ImageBuffer alive while the signal is used.
// Resize the frame to the impulse's size first (image_resize).
struct ImageBuffer {
  const uint8_t* pixels;
  int width;
  int height;
  int channels;  // 3 (RGB888) or 1 (8-bit grey)
};

kiln_signal image_buffer_signal(const ImageBuffer* buffer);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_IMAGE_H
