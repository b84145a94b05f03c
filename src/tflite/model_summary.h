// What `kiln inspect` shows of a .tflite model: per operator its tensors (shape, type, quantization) and
// multiply-accumulates, the graph inputs and outputs, and the arena sdk/nn plans for it. Host-side analysis
// over sdk/nn's validated reader; nothing here runs on the device.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tflite/model_file.h"

namespace kiln::tflite {

struct TensorSummary {
  int index = -1;
  std::string name;
  std::string type;  // "int8", "float32", ...
  std::vector<std::int32_t> shape;
  std::size_t bytes = 0;
  bool constant = false;
  // Quantization: channels == 0 not quantized, 1 per-tensor, N > 1 per-channel along quantized_dimension.
  std::size_t channels = 0;
  int quantized_dimension = 0;
  std::vector<float> scales;
  std::vector<std::int64_t> zero_points;
};

struct OperatorSummary {
  int index = 0;
  int code = 0;
  std::string name;                   // "CONV_2D"
  std::vector<TensorSummary> inputs;  // omitted optional inputs are left out
  std::vector<TensorSummary> outputs;
  std::int64_t macs = 0;  // multiply-accumulates (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), else 0
};

struct ModelSummary {
  std::vector<OperatorSummary> operators;
  std::vector<TensorSummary> inputs;
  std::vector<TensorSummary> outputs;
  std::int64_t total_macs = 0;
  std::size_t arena_bytes = 0;
  std::size_t model_bytes = 0;
};

// Multiply-accumulates of one operator from its tensor shapes, as MLPerf Tiny and TFLM count them:
// CONV_2D: output elements x filter height x width x input channels; DEPTHWISE_CONV_2D: output elements x
// filter height x width; FULLY_CONNECTED: output elements x input depth. 0 for every other operator.
std::int64_t operator_macs(int code, const std::vector<TensorSummary>& inputs,
                           const std::vector<TensorSummary>& outputs);

ModelSummary summarize(const ModelFile& file);

// "int8[1,49,10,1]"
std::string shape_text(const TensorSummary& t);
// "q(0.584703, 83)", "per-channel (64)", "" when not quantized
std::string quantization_text(const TensorSummary& t);
// 2656768 -> "2,656,768"
std::string thousands(std::uint64_t n);

// The text report of `kiln inspect`, and the same as one JSON document.
std::string format_summary(const ModelSummary& s, const std::string& model_name);
nlohmann::json summary_json(const ModelSummary& s, const std::string& model_name);

}  // namespace kiln::tflite
