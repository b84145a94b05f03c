// Atomic file writes: write to a temporary file beside the target, fsync, rename. A crash mid-write leaves
// either the old file or the new one, never a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

namespace kiln {

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);
// Reads a file Kiln wrote itself (a model, a record, the feature cache): a regular file of at most 1 GiB, read
// with the checks of core/file_read.h (a project copied from someone else is input like any other). Throws
// kiln::Error naming the file.
std::string read_file(const std::filesystem::path& path);

}  // namespace kiln
