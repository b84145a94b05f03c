// A .tflite file read into memory and validated by sdk/nn's model_load: the one place the host turns a model
// file into a kiln::nn::Model, so every command reports a bad file the same way ("FILE: not a usable .tflite
// model: <sdk/nn status message> (operator N)").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/nn.h"

namespace kiln::tflite {

// The largest .tflite file (and `kiln invoke` input) Kiln reads: 256 MiB, far beyond any microcontroller's
// flash; a larger file is refused before it is read.
inline constexpr std::uintmax_t kMaxModelFileBytes = std::uintmax_t{256} << 20;

class ModelFile {
 public:
  // Reads and validates path; throws kiln::Error naming the file and the problem.
  explicit ModelFile(const std::filesystem::path& path);
  ModelFile(const ModelFile&) = delete;
  ModelFile& operator=(const ModelFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const nn::Model& model() const { return model_; }
  std::size_t size() const { return bytes_.size(); }

  // Planned arena size for interpreter_init (sdk/nn's arena_bytes_needed).
  std::size_t arena_bytes() const;
  // Total bytes of all inputs (in input order), and of all outputs.
  std::size_t input_bytes() const;
  std::size_t output_bytes() const;

 private:
  std::filesystem::path path_;
  std::vector<std::uint8_t> bytes_;  // model_ points into these bytes
  nn::Model model_{};
};

// Runs one inference on `input` (all inputs concatenated, exactly input_bytes() long) and returns all outputs
// concatenated. Throws kiln::Error on a wrong input size.
std::string invoke_once(const ModelFile& model, std::string_view input, const std::string& input_name);

// "int8", "float32", ...
const char* tensor_type_name(nn::TensorType type);

}  // namespace kiln::tflite
