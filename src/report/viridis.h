// The viridis colour map (perceptually uniform, readable in grey and by colour-blind readers), for
// spectrograms.
#pragma once

#include <cstdint>

namespace kiln {

struct Rgb {
  std::uint8_t r, g, b;
};

// v in [0,1] -> colour; values outside are clamped, NaN maps to 0 (dark purple).
Rgb viridis(float v);

}  // namespace kiln
