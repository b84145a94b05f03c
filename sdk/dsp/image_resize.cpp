#include "dsp/image_resize.h"

#include <string.h>

namespace kiln {
namespace dsp {
namespace {

const int kPositionBits = 16;  // source positions in 1/65536 pixel
const int kWeightBits = 11;    // interpolation weights in 1/2048: 255 * 2048 * 2048 < 2^31
const uint32_t kWeightOne = 1u << kWeightBits;

bool side_ok(int side) {
  return side >= 1 && side <= kImageResizeMaxSide;
}

// Output index i of `out` pixels maps to source position (i + 0.5) * in / out - 0.5, in 1/65536 pixel, i.e.
// floor((2i + 1) * in * 32768 / out) - 32768. Stepped exactly with a quotient and a remainder: no division
// per pixel (a 64-bit division is a library call on Cortex-M). in, out <= 16384 keep every term below 2^31.
struct Stepper {
  uint32_t quotient, remainder;  // of (2i + 1) * in * 32768 / out
  uint32_t step_quotient, step_remainder, out;
};

Stepper stepper(int in, int out) {
  const uint32_t half = static_cast<uint32_t>(in) << (kPositionBits - 1);  // in * 32768
  const uint32_t step = half * 2u;                                         // in * 65536 <= 2^30
  Stepper s;
  s.out = static_cast<uint32_t>(out);
  s.quotient = half / s.out;
  s.remainder = half % s.out;
  s.step_quotient = step / s.out;
  s.step_remainder = step % s.out;
  return s;
}

void advance(Stepper* s) {
  s->quotient += s->step_quotient;
  s->remainder += s->step_remainder;
  if (s->remainder >= s->out) {
    s->remainder -= s->out;
    ++s->quotient;
  }
}

// The two source indices around the current position and the weight of the second, clamped to the edges.
struct Tap {
  int first, second;
  uint32_t weight;  // of `second`, in 1/2048
};

Tap tap(const Stepper& s, int in) {
  const uint32_t half_pixel = 1u << (kPositionBits - 1);
  const uint32_t last = static_cast<uint32_t>(in - 1) << kPositionBits;
  uint32_t position = s.quotient > half_pixel ? s.quotient - half_pixel : 0;  // clamp at the first pixel
  if (position > last) position = last;                                       // and at the last one
  Tap t;
  t.first = static_cast<int>(position >> kPositionBits);
  t.second = t.first + 1 < in ? t.first + 1 : t.first;
  // Round the 16-bit fraction to 11 bits; a fraction that rounds up to 1 moves to the next pixel.
  t.weight =
      ((position & 0xFFFFu) + (1u << (kPositionBits - kWeightBits - 1))) >> (kPositionBits - kWeightBits);
  if (t.weight == kWeightOne) {
    t.first = t.second;
    t.weight = 0;
  }
  return t;
}

}  // namespace

Status image_resize_geometry(int src_width, int src_height, int dst_width, int dst_height,
                             ImageResizeMode mode, ImageRect* source, ImageRect* target) {
  if (!source || !target) return kNullArgument;
  if (!side_ok(src_width) || !side_ok(src_height) || !side_ok(dst_width) || !side_ok(dst_height)) {
    return kBadImageSize;
  }
  ImageRect s = {0, 0, src_width, src_height};
  ImageRect t = {0, 0, dst_width, dst_height};
  // Aspect ratios compared as cross products (at most 2^28): no rounding.
  const long long src_w = src_width, src_h = src_height, dst_w = dst_width, dst_h = dst_height;
  const bool source_wider = src_w * dst_h > src_h * dst_w;
  switch (mode) {
    case kResizeSquash:
      break;
    case kResizeFitShort:
      if (source_wider) {
        s.width = static_cast<int>(src_h * dst_w / dst_h);
        if (s.width < 1) s.width = 1;
        s.x = (src_width - s.width) / 2;
      } else {
        s.height = static_cast<int>(src_w * dst_h / dst_w);
        if (s.height < 1) s.height = 1;
        s.y = (src_height - s.height) / 2;
      }
      break;
    case kResizeFitLong:
      if (source_wider) {
        t.height = static_cast<int>(src_h * dst_w / src_w);
        if (t.height < 1) t.height = 1;
        t.y = (dst_height - t.height) / 2;
      } else {
        t.width = static_cast<int>(src_w * dst_h / src_h);
        if (t.width < 1) t.width = 1;
        t.x = (dst_width - t.width) / 2;
      }
      break;
    default:
      return kBadResizeMode;
  }
  *source = s;
  *target = t;
  return kOk;
}

Status image_resize(const uint8_t* src, int src_width, int src_height, int channels, ImageResizeMode mode,
                    uint8_t* dst, int dst_width, int dst_height, size_t dst_capacity) {
  if (!src || !dst) return kNullArgument;
  if (channels != 1 && channels != 3) return kBadImageChannels;
  ImageRect from, to;
  Status status = image_resize_geometry(src_width, src_height, dst_width, dst_height, mode, &from, &to);
  if (status != kOk) return status;
  const size_t c = static_cast<size_t>(channels);
  const size_t dst_stride = static_cast<size_t>(dst_width) * c;
  if (dst_capacity / dst_stride < static_cast<size_t>(dst_height)) return kOutputTooSmall;

  // Letterbox bands (fit-long) are black; only they are cleared.
  if (to.width != dst_width || to.height != dst_height) {
    for (int y = 0; y < dst_height; ++y) {
      uint8_t* row = dst + static_cast<size_t>(y) * dst_stride;
      if (y < to.y || y >= to.y + to.height) {
        memset(row, 0, dst_stride);
      } else {
        memset(row, 0, static_cast<size_t>(to.x) * c);
        const size_t right = static_cast<size_t>(to.x + to.width) * c;
        memset(row + right, 0, dst_stride - right);
      }
    }
  }

  const size_t src_stride = static_cast<size_t>(src_width) * c;
  const uint8_t* origin = src + static_cast<size_t>(from.y) * src_stride + static_cast<size_t>(from.x) * c;
  const uint32_t round = 1u << (2 * kWeightBits - 1);
  Stepper sy = stepper(from.height, to.height);
  for (int y = 0; y < to.height; ++y, advance(&sy)) {
    const Tap ty = tap(sy, from.height);
    const uint8_t* top = origin + static_cast<size_t>(ty.first) * src_stride;
    const uint8_t* bottom = origin + static_cast<size_t>(ty.second) * src_stride;
    uint8_t* out = dst + static_cast<size_t>(to.y + y) * dst_stride + static_cast<size_t>(to.x) * c;
    Stepper sx = stepper(from.width, to.width);
    for (int x = 0; x < to.width; ++x, advance(&sx)) {
      const Tap tx = tap(sx, from.width);
      const size_t left = static_cast<size_t>(tx.first) * c, right = static_cast<size_t>(tx.second) * c;
      for (size_t k = 0; k < c; ++k) {
        const uint32_t upper = top[left + k] * (kWeightOne - tx.weight) + top[right + k] * tx.weight;
        const uint32_t lower = bottom[left + k] * (kWeightOne - tx.weight) + bottom[right + k] * tx.weight;
        const uint32_t v = upper * (kWeightOne - ty.weight) + lower * ty.weight;  // <= 255 * 2^22
        *out++ = static_cast<uint8_t>((v + round) >> (2 * kWeightBits));
      }
    }
  }
  return kOk;
}

}  // namespace dsp
}  // namespace kiln
