// A TFLite model as plain data (one subgraph), and its serialization to .tflite bytes following the TFLite
// schema (schema version 3): the enums and field ids are kiln/tflite_schema.h's, shared with the device
// reader (sdk/nn). Only what Kiln's exporter (and its tests) need is modelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiln/tflite_schema.h"

namespace kiln::tflite {

struct Quantization {
  std::vector<float> scale;
  std::vector<std::int64_t> zero_point;
  int quantized_dimension = 0;
};

struct Tensor {
  std::string name;
  std::vector<int> shape;
  TensorType type = kTypeFloat32;
  std::vector<std::uint8_t> data;  // constant contents (little-endian); empty for activations
  std::optional<Quantization> quantization;
};

// One operator. The option fields used depend on `code` (conv: padding, strides, activation; depthwise:
// also depth_multiplier; pools: also filter size; fully connected: activation, keep_num_dims; softmax: beta;
// reshape: new_shape; add/mul: activation; leaky relu: alpha).
struct Operator {
  BuiltinOperator code = kOpAdd;
  int version = 1;  // OperatorCode.version
  std::vector<int> inputs, outputs;
  Padding padding = kPaddingSame;
  int stride_w = 1, stride_h = 1;
  int filter_w = 1, filter_h = 1;
  int depth_multiplier = 1;
  ActivationFunctionType activation = kActNone;
  bool keep_num_dims = false;
  float beta = 1.0f;
  std::vector<int> new_shape;
  float alpha = 0.2f;  // LEAKY_RELU
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
