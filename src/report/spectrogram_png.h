// Spectrogram images: a feature matrix [frames][bins] (e.g. MFE output) as a PNG, time left to right, low
// frequencies at the bottom, values in [0,1] through the viridis colour map (values outside are clamped).
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"  // thrown for bad input; callers catch it

namespace kiln {

// PNG bytes of a (frames * scale) x (bins * scale) RGB image; each cell becomes a scale x scale block.
// Throws kiln::Error for frames or bins < 1, scale outside 1..64, or an image over 64 megapixels.
std::string spectrogram_png(const float* features, int frames, int bins, int scale);

// The same image written atomically to `path` (parent directories are created).
void write_spectrogram_png(const std::filesystem::path& path, const float* features, int frames, int bins,
                           int scale);

}  // namespace kiln
