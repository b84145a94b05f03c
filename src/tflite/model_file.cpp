#include "tflite/model_file.h"

#include <cstring>

#include "core/error.h"
#include "core/file_read.h"

namespace kiln::tflite {
namespace {

std::string load_error(const std::filesystem::path& path, nn::Status status, const nn::Model& m) {
  std::string msg = path.string() + ": not a usable .tflite model: " + nn::status_message(status);
  if (m.error_operator >= 0) {
    msg += " (operator " + std::to_string(m.error_operator);
    const int code = nn::model_operator_code(m, m.error_operator);
    if (code >= 0)
      msg += std::string(" ") + nn::builtin_operator_name(code) + ", code " + std::to_string(code);
    msg += ")";
  } else if (m.error_tensor >= 0) {
    msg += " (tensor " + std::to_string(m.error_tensor) + ")";
  }
  return msg;
}

std::size_t tensor_bytes(const nn::Model& m, int tensor) {
  nn::TensorInfo info{};
  if (nn::model_tensor_info(m, tensor, &info) != nn::kOk) return 0;
  return info.bytes;
}

}  // namespace

ModelFile::ModelFile(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    throw Error(path.string() + ": is a directory, not a model file");
  const std::string text = read_file(path, kMaxModelFileBytes);
  if (text.empty()) throw Error(path.string() + ": empty file, not a .tflite model");
  bytes_.assign(text.begin(), text.end());
  const nn::Status s = nn::model_load(&model_, bytes_.data(), bytes_.size());
  if (s != nn::kOk) throw Error(load_error(path, s, model_));
}

std::size_t ModelFile::arena_bytes() const {
  std::vector<std::uint8_t> scratch(nn::plan_scratch_bytes(model_) + 1);
  std::size_t need = 0;
  const nn::Status s = nn::arena_bytes_needed(model_, scratch.data(), scratch.size(), &need);
  if (s != nn::kOk) throw Error(path_.string() + ": cannot plan the arena: " + nn::status_message(s));
  return need;
}

std::size_t ModelFile::input_bytes() const {
  std::size_t total = 0;
  for (int i = 0; i < nn::model_input_count(model_); ++i)
    total += tensor_bytes(model_, nn::model_input_tensor(model_, i));
  return total;
}

std::size_t ModelFile::output_bytes() const {
  std::size_t total = 0;
  for (int i = 0; i < nn::model_output_count(model_); ++i)
    total += tensor_bytes(model_, nn::model_output_tensor(model_, i));
  return total;
}

std::string invoke_once(const ModelFile& file, std::string_view input, const std::string& input_name) {
  const nn::Model& m = file.model();
  const std::size_t expected = file.input_bytes();
  if (input.size() != expected) {
    throw Error(input_name + ": " + std::to_string(input.size()) + " bytes, but " + file.path().string() +
                " expects " + std::to_string(expected) + " bytes of input (all inputs concatenated)");
  }
  const std::size_t need = file.arena_bytes();
  std::vector<std::uint64_t> arena(need / sizeof(std::uint64_t) + 1);  // 8-byte aligned
  nn::Interpreter interp{};
  nn::Status s = nn::interpreter_init(&interp, &m, arena.data(), need);
  if (s != nn::kOk) throw Error(file.path().string() + ": " + nn::status_message(s));
  std::size_t offset = 0;
  for (int i = 0; i < nn::model_input_count(m); ++i) {
    const std::size_t n = tensor_bytes(m, nn::model_input_tensor(m, i));
    if (n) std::memcpy(nn::interpreter_input(&interp, i), input.data() + offset, n);
    offset += n;
  }
  s = nn::interpreter_invoke(&interp);
  if (s != nn::kOk) throw Error(file.path().string() + ": inference failed: " + nn::status_message(s));
  std::string out;
  out.reserve(file.output_bytes());
  for (int i = 0; i < nn::model_output_count(m); ++i) {
    const std::size_t n = tensor_bytes(m, nn::model_output_tensor(m, i));
    const char* p = static_cast<const char*>(nn::interpreter_output(&interp, i));
    out.append(p, n);
  }
  return out;
}

const char* tensor_type_name(nn::TensorType type) {
  switch (type) {
    case nn::kTypeFloat32:
      return "float32";
    case nn::kTypeInt32:
      return "int32";
    case nn::kTypeUInt8:
      return "uint8";
    case nn::kTypeInt64:
      return "int64";
    case nn::kTypeBool:
      return "bool";
    case nn::kTypeInt16:
      return "int16";
    case nn::kTypeInt8:
      return "int8";
    default:  // types sdk/nn rejects when it loads a model
      return "unknown";
  }
}

}  // namespace kiln::tflite
