#include "data/sample_store.h"

#include <bit>
#include <fstream>
#include <stdexcept>

#include "core/error.h"
#include "core/generation.h"

namespace kiln {

// The files are the in-memory floats; Kiln runs on little-endian hosts (x86-64, AArch64).
static_assert(std::endian::native == std::endian::little, "sample files are little-endian float32");

std::filesystem::path SampleStore::current(const std::string& hash) const {
  return gen_ ? gen_->current(path_for(hash)) : path_for(hash);
}

bool SampleStore::has(const std::string& hash, std::size_t values) const {
  std::error_code ec;
  auto size = std::filesystem::file_size(current(hash), ec);
  return !ec && size == values * sizeof(float);
}

void SampleStore::write(const std::string& hash, const std::vector<float>& values) const {
  if (!gen_) throw std::logic_error("SampleStore::write on a read-only dataset");
  gen_->write(path_for(hash),
              std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

std::vector<float> SampleStore::read(const std::string& hash, std::size_t values) const {
  const std::filesystem::path path = path_for(hash), file = current(hash);
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) throw Error(path.string() + ": sample file missing from the dataset (" + ec.message() + ")");
  if (size != values * sizeof(float)) {
    throw Error(path.string() + ": sample file has " + std::to_string(size) + " bytes, the index expects " +
                std::to_string(values * sizeof(float)) + " (the dataset is damaged)");
  }
  std::vector<float> out(values);
  std::ifstream in(file, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size))) {
    throw Error(path.string() + ": cannot read sample file");
  }
  return out;
}

void SampleStore::remove(const std::string& hash) const {
  remove_file(path_for(hash));
}

void SampleStore::remove_file(const std::filesystem::path& file) const {
  if (!gen_) throw std::logic_error("SampleStore::remove on a read-only dataset");
  gen_->remove(file);
}

}  // namespace kiln
