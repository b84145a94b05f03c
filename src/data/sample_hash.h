// A sample's identity: the SHA-256 of its converted content, so the same recording stored as WAV and as FLAC
// (or added twice under different names) is one sample.
#pragma once

#include <string>

#include "data/sample_data.h"

namespace kiln {

// SHA-256 (hex) of: the values as little-endian float32, then axes as little-endian int32, then frequency as
// little-endian float64, and for an image its width and height as little-endian int32. Axis names and the
// resize mode are not part of it (they do not change what a model sees).
std::string sample_content_hash(const SampleData& data);

}  // namespace kiln
