// Serialization of tflite::Model. Field ids (schema.fbs, version 3):
//   Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4
//   OperatorCode: deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 (int)
//   SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4
//   Tensor: shape 0, type 1, buffer 2, name 3, quantization 4
//   QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details_type 4, details 5,
//     quantized_dimension 6
//   Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4
//   Buffer: data 0 (force_align 16)
// BuiltinOptions union indices: Conv2DOptions 1, DepthwiseConv2DOptions 2, Pool2DOptions 5,
// FullyConnectedOptions 8, SoftmaxOptions 9, AddOptions 11, ReshapeOptions 17, MulOptions 21.
#include <cstring>
#include <map>
#include <stdexcept>

#include "quantize/flatbuffer_builder.h"
#include "quantize/tflite_model.h"

namespace kiln::tflite {

namespace {

constexpr std::uint32_t kSchemaVersion = 3;

// The options table of an operator, and its BuiltinOptions union type (0: none).
std::pair<std::uint8_t, fb::Builder::Ref> options(fb::Builder& b, const Operator& op) {
  const auto act = static_cast<std::int8_t>(op.activation);
  const auto pad = static_cast<std::int8_t>(op.padding);
  switch (op.code) {
    case kConv2D: {
      auto t = b.table();
      b.add_i8(t, 0, pad);
      b.add_i32(t, 1, op.stride_w);
      b.add_i32(t, 2, op.stride_h);
      b.add_i8(t, 3, act);
      b.add_i32(t, 4, 1);  // dilation_w_factor
      b.add_i32(t, 5, 1);  // dilation_h_factor
      return {1, t};
    }
    case kDepthwiseConv2D: {
      auto t = b.table();
      b.add_i8(t, 0, pad);
      b.add_i32(t, 1, op.stride_w);
      b.add_i32(t, 2, op.stride_h);
      b.add_i32(t, 3, op.depth_multiplier);
      b.add_i8(t, 4, act);
      b.add_i32(t, 5, 1);
      b.add_i32(t, 6, 1);
      return {2, t};
    }
    case kAveragePool2D:
    case kMaxPool2D: {
      auto t = b.table();
      b.add_i8(t, 0, pad);
      b.add_i32(t, 1, op.stride_w);
      b.add_i32(t, 2, op.stride_h);
      b.add_i32(t, 3, op.filter_w);
      b.add_i32(t, 4, op.filter_h);
      b.add_i8(t, 5, act);
      return {5, t};
    }
    case kFullyConnected: {
      auto t = b.table();
      b.add_i8(t, 0, act);
      b.add_i8(t, 1, 0);  // weights_format DEFAULT
      b.add_bool(t, 2, op.keep_num_dims);
      return {8, t};
    }
    case kSoftmax: {
      auto t = b.table();
      b.add_f32(t, 0, op.beta);
      return {9, t};
    }
    case kAdd: {
      auto t = b.table();
      b.add_i8(t, 0, act);
      return {11, t};
    }
    case kReshape: {
      auto t = b.table();
      b.add_ref(t, 0, b.vector_i32(op.new_shape));
      return {17, t};
    }
    case kMul: {
      auto t = b.table();
      b.add_i8(t, 0, act);
      return {21, t};
    }
  }
  return {0, -1};
}

std::size_t element_size(TensorType t) {
  return t == TensorType::int8 ? 1 : 4;
}

}  // namespace

std::vector<std::uint8_t> serialize(const Model& model) {
  fb::Builder b;

  // Buffers: 0 is the empty sentinel; each constant tensor gets its own.
  std::vector<fb::Builder::Ref> buffers{b.table()};
  std::vector<fb::Builder::Ref> tensors;
  for (const Tensor& t : model.tensors) {
    std::size_t elements = 1;
    for (int d : t.shape) elements *= static_cast<std::size_t>(d);
    if (!t.data.empty() && t.data.size() != elements * element_size(t.type))
      throw std::logic_error("tflite writer: tensor " + t.name + " has the wrong number of bytes");
    std::uint32_t buffer = 0;
    if (!t.data.empty()) {
      auto buf = b.table();
      b.add_ref(buf, 0, b.vector_bytes(t.data.data(), t.data.size(), 1, 16));
      buffer = static_cast<std::uint32_t>(buffers.size());
      buffers.push_back(buf);
    }
    auto tt = b.table();
    b.add_ref(tt, 0, b.vector_i32(std::vector<std::int32_t>(t.shape.begin(), t.shape.end())));
    b.add_u8(tt, 1, static_cast<std::uint8_t>(t.type));
    b.add_u32(tt, 2, buffer);
    b.add_ref(tt, 3, b.string(t.name));
    if (t.quantization) {
      auto q = b.table();
      b.add_ref(q, 2, b.vector_f32(t.quantization->scale));
      b.add_ref(q, 3, b.vector_i64(t.quantization->zero_point));
      b.add_i32(q, 6, t.quantization->quantized_dimension);
      b.add_ref(tt, 4, q);
    }
    tensors.push_back(tt);
  }

  // Operator codes: one per (builtin, version), in order of first use.
  std::map<std::pair<int, int>, std::uint32_t> code_index;
  std::vector<fb::Builder::Ref> codes;
  std::vector<fb::Builder::Ref> operators;
  for (const Operator& op : model.operators) {
    auto key = std::make_pair(static_cast<int>(op.code), op.version);
    auto it = code_index.find(key);
    if (it == code_index.end()) {
      auto c = b.table();
      // Codes below 127 are also stored in the deprecated int8 field, which older readers use.
      b.add_i8(c, 0, static_cast<std::int8_t>(op.code < 127 ? op.code : 127));
      b.add_i32(c, 2, op.version);
      b.add_i32(c, 3, op.code);
      it = code_index.emplace(key, static_cast<std::uint32_t>(codes.size())).first;
      codes.push_back(c);
    }
    auto o = b.table();
    b.add_u32(o, 0, it->second);
    b.add_ref(o, 1, b.vector_i32(op.inputs));
    b.add_ref(o, 2, b.vector_i32(op.outputs));
    auto [type, opts] = options(b, op);
    if (type != 0) {
      b.add_u8(o, 3, type);
      b.add_ref(o, 4, opts);
    }
    operators.push_back(o);
  }

  auto subgraph = b.table();
  b.add_ref(subgraph, 0, b.vector_refs(tensors));
  b.add_ref(subgraph, 1, b.vector_i32(model.inputs));
  b.add_ref(subgraph, 2, b.vector_i32(model.outputs));
  b.add_ref(subgraph, 3, b.vector_refs(operators));
  b.add_ref(subgraph, 4, b.string("main"));

  auto root = b.table();
  b.add_u32(root, 0, kSchemaVersion);
  b.add_ref(root, 1, b.vector_refs(codes));
  b.add_ref(root, 2, b.vector_refs({subgraph}));
  b.add_ref(root, 3, b.string(model.description));
  b.add_ref(root, 4, b.vector_refs(buffers));
  return b.finish(root, "TFL3");
}

std::vector<std::uint8_t> to_bytes(const std::vector<float>& v) {
  std::vector<std::uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::vector<std::uint8_t> to_bytes(const std::vector<std::int32_t>& v) {
  std::vector<std::uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::vector<std::uint8_t> to_bytes(const std::vector<std::int8_t>& v) {
  return std::vector<std::uint8_t>(v.begin(), v.end());
}

std::vector<float> float_values(const Tensor& t) {
  std::vector<float> v(t.data.size() / 4);
  std::memcpy(v.data(), t.data.data(), v.size() * 4);
  return v;
}

}  // namespace kiln::tflite
