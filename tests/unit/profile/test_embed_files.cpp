// cmake/embed_files.cmake: the generated tables carry every byte of every file (text, binary, empty), and
// src/profile embeds all of tools/cortex-m.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "profile/embedded_files.h"

namespace kiln::embedded {
extern const File embed_test_files[];
extern const std::size_t embed_test_files_count;
extern const File cortex_m_files[];
extern const std::size_t cortex_m_files_count;
}  // namespace kiln::embedded

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_directory_embedded(const fs::path& dir, const kiln::embedded::File* files, std::size_t count) {
  std::size_t on_disk = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++on_disk;
    const std::string rel = fs::relative(entry.path(), dir).generic_string();
    const kiln::embedded::File* file = kiln::embedded::find(files, count, rel);
    ASSERT_NE(file, nullptr) << rel << " is not embedded";
    EXPECT_EQ(kiln::embedded::contents(*file), read_bytes(entry.path())) << rel;
    EXPECT_EQ(file->text[file->size], '\0') << rel;
  }
  EXPECT_EQ(count, on_disk);
}

TEST(EmbedFiles, EveryByteOfTextBinaryAndEmptyFiles) {
  const fs::path dir = fs::path(KILN_SOURCE_DIR) / "tests/unit/profile/embed_data";
  expect_directory_embedded(dir, kiln::embedded::embed_test_files, kiln::embedded::embed_test_files_count);
  const kiln::embedded::File* bin = kiln::embedded::find(
      kiln::embedded::embed_test_files, kiln::embedded::embed_test_files_count, "sub/bytes.bin");
  ASSERT_NE(bin, nullptr);
  ASSERT_EQ(bin->size, 768u);
  for (std::size_t i = 0; i < bin->size; ++i)
    ASSERT_EQ(static_cast<unsigned char>(bin->text[i]), i % 256) << i;
  const kiln::embedded::File* empty = kiln::embedded::find(
      kiln::embedded::embed_test_files, kiln::embedded::embed_test_files_count, "empty.txt");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(
      kiln::embedded::find(kiln::embedded::embed_test_files, kiln::embedded::embed_test_files_count, "nope"),
      nullptr);
}

TEST(EmbedFiles, CortexMHarnessIsInTheLibrary) {
  expect_directory_embedded(fs::path(KILN_SOURCE_DIR) / "tools/cortex-m", kiln::embedded::cortex_m_files,
                            kiln::embedded::cortex_m_files_count);
  for (const char* name : {"startup.c", "mps2.ld", "kiln_markers.h", "kiln_markers.c", "kiln_count_plugin.c"})
    EXPECT_NE(
        kiln::embedded::find(kiln::embedded::cortex_m_files, kiln::embedded::cortex_m_files_count, name),
        nullptr)
        << name;
}

}  // namespace
