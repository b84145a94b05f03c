// Content-addressed sample files: data/samples/<hash>.f32, raw little-endian float32, interleaved by sample.
// A file's name is the hash of its content, so it is written once and never changes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace kiln {

class SampleStore {
 public:
  explicit SampleStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::filesystem::path path_for(const std::string& hash) const { return dir_ / (hash + ".f32"); }
  // True when the file exists with exactly `values` floats (a complete earlier write).
  bool has(const std::string& hash, std::size_t values) const;
  // Atomic (temporary file, fsync, rename): a crash leaves the complete file or none.
  void write(const std::string& hash, const std::vector<float>& values) const;
  // Throws kiln::Error naming the file when it is missing or does not hold exactly `values` floats.
  std::vector<float> read(const std::string& hash, std::size_t values) const;
  void remove(const std::string& hash) const;  // no error when already gone

 private:
  std::filesystem::path dir_;
};

}  // namespace kiln
