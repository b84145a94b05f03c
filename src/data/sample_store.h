// Content-addressed sample files: data/samples/<hash>.f32, raw little-endian float32, interleaved by sample.
// A file's name is the hash of its content, so it is written once and never changes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace kiln {

class Generation;

class SampleStore {
 public:
  // `generation`: where writes and removals are staged (null for a read-only store).
  SampleStore(std::filesystem::path dir, Generation* generation) : dir_(std::move(dir)), gen_(generation) {}

  std::filesystem::path path_for(const std::string& hash) const { return dir_ / (hash + ".f32"); }
  // True when the file exists with exactly `values` floats (published, or staged in this generation).
  bool has(const std::string& hash, std::size_t values) const;
  // Staged in the generation: the file appears when the generation is published.
  void write(const std::string& hash, const std::vector<float>& values) const;
  // Throws kiln::Error naming the file when it is missing or does not hold exactly `values` floats.
  std::vector<float> read(const std::string& hash, std::size_t values) const;
  void remove(const std::string& hash) const;                 // staged; no error when already gone
  void remove_file(const std::filesystem::path& file) const;  // any file of the folder (a stray), staged

 private:
  std::filesystem::path current(const std::string& hash) const;
  std::filesystem::path dir_;
  Generation* gen_;
};

}  // namespace kiln
