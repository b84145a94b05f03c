// The window each processing block is benchmarked on (bench_blocks on the host, bench_blocks_m4f on a
// Cortex-M4F, which compiles this header into its device program: C++11, no library beyond <math.h>): what a
// typical impulse of that kind reads, with the block's Studio defaults. A block not named here is benchmarked
// on the motion window.
#ifndef KILN_BENCH_BLOCK_INPUTS_H
#define KILN_BENCH_BLOCK_INPUTS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "impulse/impulse.h"

namespace kiln {
namespace bench {

enum InputKind { kAudio, kMotion, kImage };

struct BlockInput {
  InputKind kind;
  const char* what;  // for the table
  double frequency;  // Hz
  int axes;
  size_t samples_per_axis;
  int width, height;  // an image's size: the block's kParamInput parameters "width" and "height"
};

inline BlockInput block_input(const char* block) {
  if (!strcmp(block, "mfe") || !strcmp(block, "mfcc") || !strcmp(block, "spectrogram")) {
    const BlockInput audio = {kAudio, "1 s audio, 16 kHz", 16000, 1, 16000, 0, 0};
    return audio;
  }
  if (!strcmp(block, "image")) {
    const BlockInput image = {kImage, "96x96 RGB image", 1, 1, 96 * 96, 96, 96};
    return image;
  }
  const BlockInput motion = {kMotion, "2 s motion, 3 axes, 62.5 Hz", 62.5, 3, 125, 0, 0};
  return motion;
}

// The block's parameter values in table order: Studio's defaults, with the input's size where the block takes
// it (values holds block.param_count doubles).
inline void block_values(const impulse::BlockSpec& block, const BlockInput& in, double* values) {
  union {
    double align;
    unsigned char bytes[impulse::kMaxParamsBytes];
  } defaults;
  block.set_defaults(defaults.bytes);
  for (int i = 0; i < block.param_count; ++i) {
    values[i] = impulse::param_value(block.params[i], defaults.bytes);
    if (!strcmp(block.params[i].name, "width") && in.width > 0) values[i] = in.width;
    if (!strcmp(block.params[i].name, "height") && in.height > 0) values[i] = in.height;
  }
}

// Deterministic values in the units the block reads: int16-range PCM for audio (a 1 kHz square tone with
// noise), accelerations in m/s^2 for motion, packed 0xRRGGBB pixels for images.
inline float block_sample(InputKind kind, size_t i) {
  uint32_t x = static_cast<uint32_t>(i) * 2654435761u;
  x ^= x >> 13;
  const float noise = static_cast<float>(x & 0x3FF) / 1024.0f - 0.5f;
  switch (kind) {
    case kAudio:
      return (i % 16 < 8 ? 12000.0f : -12000.0f) + 1024.0f * noise;
    case kImage:
      return static_cast<float>(x & 0xFFFFFF);
    case kMotion:
      break;
  }
  return sinf(0.3f * static_cast<float>(i / 3)) * 4.0f + noise + (i % 3 == 2 ? 9.81f : 0.0f);
}

}  // namespace bench
}  // namespace kiln

#endif  // KILN_BENCH_BLOCK_INPUTS_H
