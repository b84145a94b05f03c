// One entry point for every sample file format: audio (WAV, FLAC, OGG, ... via libsndfile), CSV time series,
// Edge Impulse JSON and images (PNG, JPEG, BMP: data/image_sample.h). Converts the file to what the impulse
// expects: its frequency and axis count, or its image size.
#pragma once

#include <filesystem>
#include <string>

#include "data/sample_data.h"
#include "project/impulse.h"

namespace kiln {

enum class SampleFormat { kAudio, kCsv, kEiJson, kImage };

// The format a file name announces (case-insensitive extension), or false when Kiln does not read that
// extension. Used when walking folders: only these files are picked up there.
bool sample_format_from_extension(const std::filesystem::path& path, SampleFormat* format);

// The accepted extensions, for messages: ".wav .wave .flac ... .csv .json".
std::string accepted_extensions();

// Reads `path` and converts it for `input`:
//  - audio files are mixed to mono and resampled to input.frequency; they need input.axes == 1;
//  - images are resized to the image input's size (data/image_sample.h); an image project takes only images,
//    and only image projects take images;
//  - CSV and JSON files must have input.axes axes (exactly 1 in an "audio" project); when their frequency
//  differs
//    from input.frequency by more than 1% they are resampled to it (within 1% the difference is timestamp
//    rounding, and the data is taken to be at input.frequency).
// The format comes from the extension; a file without a known extension is recognised by its content (audio
// magic numbers, or JSON). Throws kiln::Error naming the file for a missing path, a directory, an empty file,
// an unknown type, unreadable or corrupt content, and an axis count the impulse does not take.
SampleData read_sample_file(const std::filesystem::path& path, const InputSettings& input);

}  // namespace kiln
