// Atomic file writes: write to a temporary file beside the target, fsync, rename. A crash mid-write leaves
// either the old file or the new one, never a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

namespace kiln {

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);
std::string read_file(const std::filesystem::path& path);  // throws kiln::Error naming the file

}  // namespace kiln
