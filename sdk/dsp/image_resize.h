// Resizing a camera frame to the impulse's input size with Edge Impulse's resize modes (Create impulse,
// "Resize mode"), in the caller's memory, no heap:
//   squash    the whole frame scaled to width x height; the aspect ratio is not kept.
//   fit-short "Fit shortest axis": the frame is cropped to the target's aspect ratio around its centre
//             (the shorter side is kept whole), then scaled.
//   fit-long  "Fit longest axis": the whole frame is scaled to fit inside the target (the longer side fills
//             it) and centred; the bands left over are black (letterbox).
// Crop and letterbox geometry as Edge Impulse's runners compute it (offsets = half the difference, rounded
// down), in exact integer arithmetic: cropped width = floor(src_h * dst_w / dst_h) (or the height, alike),
// letterboxed size = floor(src * dst / src_long).
//
// Interpolation: bilinear on pixel centres (source x = (x_out + 0.5) * src_w / dst_w - 0.5, clamped to the
// edge pixels), in fixed point: positions to 1/65536 pixel, weights to 1/2048, 32-bit integer sums, rounded
// to nearest. The same bytes on every target; equal sizes copy the pixels unchanged. Like Edge Impulse's C++
// SDK each output pixel looks at a 2x2 neighbourhood, so reductions beyond about 3x alias; pick a camera
// resolution near the impulse's when that matters.
#ifndef KILN_DSP_IMAGE_RESIZE_H
#define KILN_DSP_IMAGE_RESIZE_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/status.h"

namespace kiln {
namespace dsp {

enum ImageResizeMode {
  kResizeSquash = 0,    // "squash"
  kResizeFitShort = 1,  // "fit-short" (fit shortest axis: crop)
  kResizeFitLong = 2,   // "fit-long" (fit longest axis: letterbox)
};

const int kImageResizeMaxSide = 16384;  // source or target side, pixels

// A rectangle of pixels: the source region that is used, or the target region it lands on.
struct ImageRect {
  int x, y, width, height;
};

// Where the frame goes: *source is the part of the src_width x src_height frame that is used (all of it
// except with fit-short), *target the part of the dst_width x dst_height output it is scaled onto (all of it
// except with fit-long; the rest is black). kBadImageSize for a side outside 1..kImageResizeMaxSide,
// kBadResizeMode for an unknown mode.
Status image_resize_geometry(int src_width, int src_height, int dst_width, int dst_height,
                             ImageResizeMode mode, ImageRect* source, ImageRect* target);

// Resizes `src` (src_width x src_height pixels, row-major, top row first, `channels` bytes per pixel: 3 for
// RGB888, 1 for 8-bit grey) into `dst` (dst_width x dst_height, same channels), dst_capacity bytes of room.
// src and dst must not overlap. kBadImageChannels for channels other than 1 or 3, kOutputTooSmall,
// kNullArgument, and the statuses of image_resize_geometry.
Status image_resize(const uint8_t* src, int src_width, int src_height, int channels, ImageResizeMode mode,
                    uint8_t* dst, int dst_width, int dst_height, size_t dst_capacity);

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_IMAGE_RESIZE_H
