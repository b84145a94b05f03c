// Audio files (WAV, FLAC, OGG/Vorbis and anything else libsndfile decodes), any sample rate, bit depth and
// channel count.
#pragma once

#include <filesystem>

#include "data/sample_data.h"

namespace kiln {

// Decodes `path`, mixes it down to mono (the mean of the channels), resamples it to `frequency` Hz and
// returns it in int16 units (libsndfile's float scale * 32768, what Edge Impulse's audio blocks expect),
// clipped to [-32768, 32767]. Throws kiln::Error naming the file when it is not a regular file, is larger
// than kMaxAudioFileBytes, holds (or would hold at `frequency`) more than kMaxSampleValues values
// (data/sample_limits.h; checked from the header before decoding when it gives the length), is not
// decodable audio, is truncated or corrupt, holds NaN, infinite or out-of-range values, or holds no frames.
SampleData read_audio_file(const std::filesystem::path& path, double frequency);

}  // namespace kiln
