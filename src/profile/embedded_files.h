// Files compiled into the kiln binary by cmake/embed_files.cmake (kiln_embed_files), so an installed kiln
// needs no source tree. Each generated table is `extern const File SYMBOL[]; extern const std::size_t
// SYMBOL_count;` in kiln::embedded; declare the ones you use next to the code that uses them (see
// profile/cortex_m.cpp).
#pragma once

#include <cstddef>
#include <string_view>

#ifndef KILN_EMBEDDED_FILE_DEFINED
#define KILN_EMBEDDED_FILE_DEFINED
namespace kiln::embedded {
struct File {
  const char* path;
  const char* text;
  std::size_t size;
};
}  // namespace kiln::embedded
#endif

namespace kiln::embedded {

// The file whose relative path is `path` ('/' separators), or nullptr.
inline const File* find(const File* files, std::size_t count, std::string_view path) {
  for (std::size_t i = 0; i < count; ++i)
    if (path == files[i].path) return &files[i];
  return nullptr;
}

inline std::string_view contents(const File& file) {
  return {file.text, file.size};
}

}  // namespace kiln::embedded
