// Audio files (WAV, FLAC, OGG/Vorbis and anything else libsndfile decodes), any sample rate, bit depth and
// channel count.
#pragma once

#include <filesystem>

#include "data/sample_data.h"

namespace kiln {

// Decodes `path`, mixes it down to mono (the mean of the channels), resamples it to `frequency` Hz and
// returns it in int16 units (libsndfile's float scale * 32768, what Edge Impulse's audio blocks expect),
// clipped to
// [-32768, 32767]. Throws kiln::Error naming the file when it is not decodable audio, is truncated or
// corrupt, or holds no frames.
SampleData read_audio_file(const std::filesystem::path& path, double frequency);

}  // namespace kiln
