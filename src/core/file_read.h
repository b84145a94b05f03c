// Bounded reads of files a user names. Every reader of a user-supplied file (samples, kiln.toml, .tflite
// models, raw inputs) goes through these, so a wrong path such as /dev/zero, a FIFO or a disk image is
// refused with one clear line instead of being read until the machine runs out of memory. Only regular files
// are read: a device or a pipe has no size to check beforehand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace kiln {

// The size of `path` (symbolic links followed) when it is a regular file of at most `max_bytes` bytes.
// Throws kiln::Error naming the file otherwise: "FILE: no such file or directory", "FILE: is a directory",
// "FILE: not a regular file (...)", "FILE: N bytes, more than the M this reads (is it the right file?)".
// For readers that hand the path to a library (libsndfile) after checking it.
std::uintmax_t checked_file_size(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The whole content of `path`, after the checks of checked_file_size (made on the opened file, so the file
// cannot be swapped in between). Never holds more than max_bytes + 1 bytes, even when the file grows while
// it is read.
std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

}  // namespace kiln
