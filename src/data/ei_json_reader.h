// Edge Impulse data-acquisition JSON (what the Edge Impulse uploader and daemon produce):
//   {"payload": {"interval_ms": 16, "sensors": [{"name": "accX", "units": "m/s2"}, ...],
//                "values": [[x, y, z], ...]}}          (or a flat "values": [v, ...] for one axis)
// "protected", "signature" and the device fields are ignored.
#pragma once

#include <filesystem>

#include "data/sample_data.h"

namespace kiln {

// Parses the file; frequency = 1000 / interval_ms. Throws kiln::Error naming the file for malformed JSON
// (with line and column), a missing or ill-typed payload field, rows whose width does not match
// payload.sensors, and non-numeric values (with their index).
SampleData read_ei_json_file(const std::filesystem::path& path);

}  // namespace kiln
