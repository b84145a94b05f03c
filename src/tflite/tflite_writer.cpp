// Serialization of tflite::Model with the field ids and union types of kiln/tflite_schema.h.
#include <cstring>
#include <map>
#include <stdexcept>

#include "tflite/flatbuffer_builder.h"
#include "tflite/tflite_model.h"

namespace kiln::tflite {

namespace {

constexpr std::uint32_t kSchemaVersion = 3;

// The options table of an operator, and its BuiltinOptions union type (kOptionsNone: none).
std::pair<std::uint8_t, fb::Builder::Ref> options(fb::Builder& b, const Operator& op) {
  const auto act = static_cast<std::int8_t>(op.activation);
  const auto pad = static_cast<std::int8_t>(op.padding);
  switch (op.code) {
    case kOpConv2D: {
      using F = fields::Conv2DOptions;
      auto t = b.table();
      b.add_i8(t, F::kPadding, pad);
      b.add_i32(t, F::kStrideW, op.stride_w);
      b.add_i32(t, F::kStrideH, op.stride_h);
      b.add_i8(t, F::kFusedActivationFunction, act);
      b.add_i32(t, F::kDilationWFactor, 1);
      b.add_i32(t, F::kDilationHFactor, 1);
      return {kConv2DOptions, t};
    }
    case kOpDepthwiseConv2D: {
      using F = fields::DepthwiseConv2DOptions;
      auto t = b.table();
      b.add_i8(t, F::kPadding, pad);
      b.add_i32(t, F::kStrideW, op.stride_w);
      b.add_i32(t, F::kStrideH, op.stride_h);
      b.add_i32(t, F::kDepthMultiplier, op.depth_multiplier);
      b.add_i8(t, F::kFusedActivationFunction, act);
      b.add_i32(t, F::kDilationWFactor, 1);
      b.add_i32(t, F::kDilationHFactor, 1);
      return {kDepthwiseConv2DOptions, t};
    }
    case kOpAveragePool2D:
    case kOpMaxPool2D: {
      using F = fields::Pool2DOptions;
      auto t = b.table();
      b.add_i8(t, F::kPadding, pad);
      b.add_i32(t, F::kStrideW, op.stride_w);
      b.add_i32(t, F::kStrideH, op.stride_h);
      b.add_i32(t, F::kFilterWidth, op.filter_w);
      b.add_i32(t, F::kFilterHeight, op.filter_h);
      b.add_i8(t, F::kFusedActivationFunction, act);
      return {kPool2DOptions, t};
    }
    case kOpFullyConnected: {
      using F = fields::FullyConnectedOptions;
      auto t = b.table();
      b.add_i8(t, F::kFusedActivationFunction, act);
      b.add_i8(t, F::kWeightsFormat, kWeightsDefault);
      b.add_bool(t, F::kKeepNumDims, op.keep_num_dims);
      return {kFullyConnectedOptions, t};
    }
    case kOpSoftmax: {
      auto t = b.table();
      b.add_f32(t, fields::SoftmaxOptions::kBeta, op.beta);
      return {kSoftmaxOptions, t};
    }
    case kOpAdd: {
      auto t = b.table();
      b.add_i8(t, fields::AddOptions::kFusedActivationFunction, act);
      return {kAddOptions, t};
    }
    case kOpReshape: {
      auto t = b.table();
      b.add_ref(t, fields::ReshapeOptions::kNewShape, b.vector_i32(op.new_shape));
      return {kReshapeOptions, t};
    }
    case kOpMul: {
      auto t = b.table();
      b.add_i8(t, fields::MulOptions::kFusedActivationFunction, act);
      return {kMulOptions, t};
    }
    case kOpLeakyRelu: {
      auto t = b.table();
      b.add_f32(t, fields::LeakyReluOptions::kAlpha, op.alpha);
      return {kLeakyReluOptions, t};
    }
    default:
      return {kOptionsNone, -1};
  }
}

std::size_t element_size(TensorType t) {
  return t == kTypeInt8 ? 1 : 4;
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
      b.add_ref(buf, fields::Buffer::kData, b.vector_bytes(t.data.data(), t.data.size(), 1, 16));
      buffer = static_cast<std::uint32_t>(buffers.size());
      buffers.push_back(buf);
    }
    using T = fields::Tensor;
    using Q = fields::QuantizationParameters;
    auto tt = b.table();
    b.add_ref(tt, T::kShape, b.vector_i32(std::vector<std::int32_t>(t.shape.begin(), t.shape.end())));
    b.add_u8(tt, T::kType, static_cast<std::uint8_t>(t.type));
    b.add_u32(tt, T::kBuffer, buffer);
    b.add_ref(tt, T::kName, b.string(t.name));
    if (t.quantization) {
      auto q = b.table();
      b.add_ref(q, Q::kScale, b.vector_f32(t.quantization->scale));
      b.add_ref(q, Q::kZeroPoint, b.vector_i64(t.quantization->zero_point));
      b.add_i32(q, Q::kQuantizedDimension, t.quantization->quantized_dimension);
      b.add_ref(tt, T::kQuantization, q);
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
      using C = fields::OperatorCode;
      auto c = b.table();
      // Codes below 127 are also stored in the deprecated int8 field, which older readers use.
      b.add_i8(c, C::kDeprecatedBuiltinCode, static_cast<std::int8_t>(op.code < 127 ? op.code : 127));
      b.add_i32(c, C::kVersion, op.version);
      b.add_i32(c, C::kBuiltinCode, op.code);
      it = code_index.emplace(key, static_cast<std::uint32_t>(codes.size())).first;
      codes.push_back(c);
    }
    using O = fields::Operator;
    auto o = b.table();
    b.add_u32(o, O::kOpcodeIndex, it->second);
    b.add_ref(o, O::kInputs, b.vector_i32(op.inputs));
    b.add_ref(o, O::kOutputs, b.vector_i32(op.outputs));
    auto [type, opts] = options(b, op);
    if (type != kOptionsNone) {
      b.add_u8(o, O::kBuiltinOptionsType, type);
      b.add_ref(o, O::kBuiltinOptions, opts);
    }
    operators.push_back(o);
  }

  using G = fields::SubGraph;
  auto subgraph = b.table();
  b.add_ref(subgraph, G::kTensors, b.vector_refs(tensors));
  b.add_ref(subgraph, G::kInputs, b.vector_i32(model.inputs));
  b.add_ref(subgraph, G::kOutputs, b.vector_i32(model.outputs));
  b.add_ref(subgraph, G::kOperators, b.vector_refs(operators));
  b.add_ref(subgraph, G::kName, b.string("main"));

  using M = fields::Model;
  auto root = b.table();
  b.add_u32(root, M::kVersion, kSchemaVersion);
  b.add_ref(root, M::kOperatorCodes, b.vector_refs(codes));
  b.add_ref(root, M::kSubgraphs, b.vector_refs({subgraph}));
  b.add_ref(root, M::kDescription, b.string(model.description));
  b.add_ref(root, M::kBuffers, b.vector_refs(buffers));
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
