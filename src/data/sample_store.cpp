#include "data/sample_store.h"

#include <bit>
#include <fstream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace kiln {

// The files are the in-memory floats; Kiln runs on little-endian hosts (x86-64, AArch64).
static_assert(std::endian::native == std::endian::little, "sample files are little-endian float32");

bool SampleStore::has(const std::string& hash, std::size_t values) const {
  std::error_code ec;
  auto size = std::filesystem::file_size(path_for(hash), ec);
  return !ec && size == values * sizeof(float);
}

void SampleStore::write(const std::string& hash, const std::vector<float>& values) const {
  write_file_atomic(path_for(hash), std::string_view(reinterpret_cast<const char*>(values.data()),
                                                     values.size() * sizeof(float)));
}

std::vector<float> SampleStore::read(const std::string& hash, std::size_t values) const {
  const std::filesystem::path path = path_for(hash);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path.string() + ": sample file missing from the dataset (" + ec.message() + ")");
  if (size != values * sizeof(float)) {
    throw Error(path.string() + ": sample file has " + std::to_string(size) + " bytes, the index expects " +
                std::to_string(values * sizeof(float)) + " (the dataset is damaged)");
  }
  std::vector<float> out(values);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size))) {
    throw Error(path.string() + ": cannot read sample file");
  }
  return out;
}

void SampleStore::remove(const std::string& hash) const {
  std::error_code ec;
  std::filesystem::remove(path_for(hash), ec);
}

}  // namespace kiln
