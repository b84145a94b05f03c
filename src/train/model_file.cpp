// The model file (.kmodel):
//   line 1   "kiln-model 1"                         magic and format version
//   line 2   one line of JSON                       labels, input_shape, layers, weights (name, shape,
//   offset,
//                                                   count), data_bytes, data_sha256, metadata
//   rest     data_bytes bytes                       every weight array as little-endian float32, at its
//   offset
// A person can read the header with `head -2`; a reader in any language needs only a JSON parser. Everything
// is checked on load (a model file is input like any other): a truncated, corrupt or inconsistent file gives
// an Error naming the file, never a crash.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/atomic_file.h"
#include "core/error.h"
#include "data/sha256.h"
#include "project/impulse_toml.h"  // layer_keys
#include "train/classifier.h"

namespace kiln {

namespace {

const char kMagic[] = "kiln-model";
const int kVersion = 1;

using nlohmann::json;

json layer_to_json(const LayerSpec& l) {
  json j = {{"type", l.type}};
  for (const std::string& k : layer_keys(l.type)) {
    if (k == "units") j[k] = l.units;
    if (k == "filters") j[k] = l.filters;
    if (k == "kernel_size") j[k] = l.kernel_size;
    if (k == "strides") j[k] = l.strides;
    if (k == "pool_size") j[k] = l.pool_size;
    if (k == "depth_multiplier") j[k] = l.depth_multiplier;
    if (k == "padding") j[k] = l.padding;
    if (k == "activation") j[k] = l.activation;
    if (k == "rate") j[k] = l.rate;
    if (k == "shape") j[k] = l.shape;
  }
  return j;
}

LayerSpec layer_from_json(const json& j, std::size_t index) {
  std::string where = "layer " + std::to_string(index + 1);
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) throw Error(where + " has no type");
  LayerSpec l;
  l.type = j["type"].get<std::string>();
  std::vector<std::string> keys = layer_keys(l.type);
  for (const std::string& k : keys) {
    if (!j.contains(k)) throw Error(where + " (" + l.type + ") has no '" + k + "'");
    const json& v = j[k];
    if (k == "units") l.units = v.get<int>();
    if (k == "filters") l.filters = v.get<int>();
    if (k == "kernel_size") l.kernel_size = v.get<int>();
    if (k == "strides") l.strides = v.get<int>();
    if (k == "pool_size") l.pool_size = v.get<int>();
    if (k == "depth_multiplier") l.depth_multiplier = v.get<int>();
    if (k == "padding") l.padding = v.get<std::string>();
    if (k == "activation") l.activation = v.get<std::string>();
    if (k == "rate") l.rate = v.get<double>();
    if (k == "shape") l.shape = v.get<std::vector<int>>();
  }
  if (j.size() != keys.size() + 1) throw Error(where + " (" + l.type + ") has unknown keys");
  return l;
}

void append_le_floats(std::string& out, const std::vector<float>& values) {
  std::size_t at = out.size();
  out.resize(at + values.size() * 4);
  for (float f : values) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int b = 0; b < 4; ++b) out[at++] = static_cast<char>((u >> (8 * b)) & 0xff);
  }
}

std::vector<float> read_le_floats(const std::string& data, std::size_t offset, std::size_t count) {
  std::vector<float> values(count);
  const auto* p = reinterpret_cast<const unsigned char*>(data.data() + offset);
  for (std::size_t i = 0; i < count; ++i, p += 4) {
    std::uint32_t u = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                      std::uint32_t(p[3]) << 24;
    std::memcpy(&values[i], &u, 4);
  }
  return values;
}

ClassifierModel parse_header(const json& h, const std::string& data) {
  ClassifierModel m;
  m.labels = h.at("labels").get<std::vector<std::string>>();
  m.input_shape = h.at("input_shape").get<std::vector<int>>();
  const json& layers = h.at("layers");
  if (!layers.is_array()) throw Error("'layers' is not an array");
  for (std::size_t i = 0; i < layers.size(); ++i) m.layers.push_back(layer_from_json(layers[i], i));
  const json& weights = h.at("weights");
  if (!weights.is_array()) throw Error("'weights' is not an array");
  for (const json& w : weights) {
    LayerWeights lw;
    lw.name = w.at("name").get<std::string>();
    lw.shape = w.at("shape").get<std::vector<int>>();
    std::uint64_t offset = w.at("offset").get<std::uint64_t>();
    std::uint64_t count = w.at("count").get<std::uint64_t>();
    if (offset % 4 != 0 || offset > data.size() || count > (data.size() - offset) / 4) {
      throw Error("weights '" + lw.name + "' lie outside the data (offset " + std::to_string(offset) + ", " +
                  std::to_string(count) + " values, " + std::to_string(data.size()) + " data bytes)");
    }
    lw.values = read_le_floats(data, offset, count);
    m.weights.push_back(std::move(lw));
  }
  m.metadata = h.contains("metadata") ? h["metadata"] : json::object();
  if (!m.metadata.is_object()) throw Error("'metadata' is not an object");
  return m;
}

}  // namespace

void save_model(const std::filesystem::path& path, const ClassifierModel& model) {
  try {
    check_model(model);
  } catch (const Error& e) {
    throw Error(path.string() + ": refusing to save an inconsistent model: " + e.what());
  }
  std::string data;
  json weights = json::array();
  for (const LayerWeights& w : model.weights) {
    weights.push_back(
        {{"name", w.name}, {"shape", w.shape}, {"offset", data.size()}, {"count", w.values.size()}});
    append_le_floats(data, w.values);
  }
  json layers = json::array();
  for (const LayerSpec& l : model.layers) layers.push_back(layer_to_json(l));
  json header = {{"labels", model.labels},
                 {"input_shape", model.input_shape},
                 {"layers", layers},
                 {"weights", weights},
                 {"data_bytes", data.size()},
                 {"data_sha256", sha256_hex(data)},
                 {"metadata", model.metadata.is_null() ? json::object() : model.metadata}};
  // dump() escapes newlines inside strings, so the header is exactly one line.
  std::string bytes = std::string(kMagic) + " " + std::to_string(kVersion) + "\n" +
                      header.dump(-1, ' ', false, json::error_handler_t::replace) + "\n" + data;
  write_file_atomic(path, bytes);
}

ClassifierModel load_model(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  auto fail = [&](const std::string& what) -> Error { return Error(path.string() + ": " + what); };

  std::size_t eol = bytes.find('\n');
  std::string first = bytes.substr(0, std::min(eol, std::size_t{64}));
  if (first.rfind(std::string(kMagic) + " ", 0) != 0) {
    throw fail("not a Kiln model file (expected a first line \"kiln-model " + std::to_string(kVersion) +
               "\")");
  }
  if (eol == std::string::npos || first != std::string(kMagic) + " " + std::to_string(kVersion)) {
    throw fail("unsupported model format '" + first + "' (this kiln reads \"kiln-model " +
               std::to_string(kVersion) + "\"; retrain with `kiln train`)");
  }
  std::size_t header_end = bytes.find('\n', eol + 1);
  if (header_end == std::string::npos) throw fail("truncated model file (the header line does not end)");
  json header;
  try {
    header = json::parse(bytes.begin() + static_cast<std::ptrdiff_t>(eol + 1),
                         bytes.begin() + static_cast<std::ptrdiff_t>(header_end));
  } catch (const json::exception& e) {
    throw fail(std::string("corrupt model header (") + e.what() + ")");
  }
  if (!header.is_object()) throw fail("corrupt model header (not a JSON object)");
  const std::string data = bytes.substr(header_end + 1);

  ClassifierModel model;
  try {
    std::uint64_t expected = header.at("data_bytes").get<std::uint64_t>();
    if (data.size() < expected) {
      throw Error("truncated model file (" + std::to_string(data.size()) + " of " + std::to_string(expected) +
                  " weight bytes)");
    }
    if (data.size() > expected) {
      throw Error("corrupt model file (" + std::to_string(data.size() - expected) +
                  " unexpected bytes after the weights)");
    }
    if (sha256_hex(data) != header.at("data_sha256").get<std::string>()) {
      throw Error("corrupt model file (the weights do not match their checksum)");
    }
    model = parse_header(header, data);
    check_model(model);
  } catch (const json::exception& e) {
    throw fail(std::string("corrupt model header (") + e.what() + ")");
  } catch (const Error& e) {
    throw fail(e.what());
  }
  return model;
}

}  // namespace kiln
