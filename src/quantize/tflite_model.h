// A TFLite model as plain data (one subgraph), and its serialization to .tflite bytes following the TFLite
// schema (schema version 3): the fields written and their ids are those of tensorflow/lite/schema/schema.fbs.
// Only what Kiln's exporter needs is modelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln::tflite {

// TensorType
enum class TensorType : std::uint8_t { float32 = 0, int32 = 2, int8 = 9 };

// BuiltinOperator
enum BuiltinOp : std::int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kFullyConnected = 9,
  kMaxPool2D = 17,
  kMul = 18,
  kReshape = 22,
  kSoftmax = 25,
};

// Padding and ActivationFunctionType
enum class Padding : std::int8_t { same = 0, valid = 1 };
enum class Activation : std::int8_t { none = 0, relu = 1, relu6 = 3 };

struct Quantization {
  std::vector<float> scale;
  std::vector<std::int64_t> zero_point;
  int quantized_dimension = 0;
};

struct Tensor {
  std::string name;
  std::vector<int> shape;
  TensorType type = TensorType::float32;
  std::vector<std::uint8_t> data;  // constant contents (little-endian); empty for activations
  std::optional<Quantization> quantization;
};

// One operator. The option fields used depend on `code` (conv: padding, strides, activation; depthwise:
// also depth_multiplier; pools: also filter size; fully connected: activation, keep_num_dims; softmax: beta;
// reshape: new_shape; add/mul: activation).
struct Operator {
  BuiltinOp code = kAdd;
  int version = 1;  // OperatorCode.version
  std::vector<int> inputs, outputs;
  Padding padding = Padding::same;
  int stride_w = 1, stride_h = 1;
  int filter_w = 1, filter_h = 1;
  int depth_multiplier = 1;
  Activation activation = Activation::none;
  bool keep_num_dims = false;
  float beta = 1.0f;
  std::vector<int> new_shape;
};

struct Model {
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;
  std::vector<int> inputs, outputs;
  std::string description;
};

// The .tflite bytes (file identifier "TFL3", buffer 0 the empty sentinel, one buffer per constant tensor,
// 16-byte aligned constant data, operator codes with both the deprecated int8 and the int32 code).
std::vector<std::uint8_t> serialize(const Model& model);

// Constant tensor contents from typed values.
std::vector<std::uint8_t> to_bytes(const std::vector<float>& v);
std::vector<std::uint8_t> to_bytes(const std::vector<std::int32_t>& v);
std::vector<std::uint8_t> to_bytes(const std::vector<std::int8_t>& v);
std::vector<float> float_values(const Tensor& t);  // a float32 constant's values

}  // namespace kiln::tflite
