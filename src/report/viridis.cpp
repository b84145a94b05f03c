#include "report/viridis.h"

#include <cmath>

namespace kiln {
namespace {

// Seventeen evenly spaced anchors of viridis (van der Walt & Smith); linear interpolation between them stays
// within one or two levels of the full 256-entry table, invisible in a spectrogram.
constexpr Rgb kAnchors[] = {
    {0x44, 0x01, 0x54}, {0x48, 0x18, 0x6a}, {0x47, 0x2d, 0x7b}, {0x42, 0x40, 0x86}, {0x3b, 0x52, 0x8b},
    {0x33, 0x63, 0x8d}, {0x2c, 0x72, 0x8e}, {0x26, 0x82, 0x8e}, {0x21, 0x91, 0x8c}, {0x1f, 0xa0, 0x88},
    {0x28, 0xae, 0x80}, {0x3f, 0xbc, 0x73}, {0x5e, 0xc9, 0x62}, {0x84, 0xd4, 0x4b}, {0xad, 0xdc, 0x30},
    {0xd8, 0xe2, 0x19}, {0xfd, 0xe7, 0x25},
};
constexpr int kSegments = sizeof(kAnchors) / sizeof(kAnchors[0]) - 1;

std::uint8_t mix(std::uint8_t a, std::uint8_t b, float t) {
  return static_cast<std::uint8_t>(std::lround(a + (static_cast<float>(b) - a) * t));
}

}  // namespace

Rgb viridis(float v) {
  if (!(v > 0.0f)) return kAnchors[0];  // also NaN
  if (v >= 1.0f) return kAnchors[kSegments];
  const float pos = v * kSegments;
  const int i = static_cast<int>(pos);
  const float t = pos - static_cast<float>(i);
  const Rgb& a = kAnchors[i];
  const Rgb& b = kAnchors[i + 1];
  return {mix(a.r, b.r, t), mix(a.g, b.g, t), mix(a.b, b.b, t)};
}

}  // namespace kiln
