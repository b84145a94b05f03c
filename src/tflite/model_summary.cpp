#include "tflite/model_summary.h"

#include <charconv>
#include <cstdio>

#include "core/error.h"
#include "core/number_text.h"
#include "nn/tflite_reader.h"

namespace kiln::tflite {
namespace {

TensorSummary tensor_summary(const ModelFile& file, int index) {
  const nn::Model& m = file.model();
  nn::TensorView v;
  const nn::Status s = nn::read_tensor(m, index, &v);
  if (s != nn::kOk) {  // model_load validated every tensor an operator uses; this is a bug if it happens
    throw Error(file.path().string() + ": tensor " + std::to_string(index) + ": " + nn::status_message(s));
  }
  TensorSummary t;
  t.index = index;
  t.name.assign(reinterpret_cast<const char*>(m.data + v.name), v.name_length);
  t.type = tensor_type_name(v.type);
  t.shape.assign(v.dims, v.dims + v.rank);
  t.bytes = v.bytes;
  t.constant = v.data != nullptr;
  t.channels = v.quant_count;
  t.quantized_dimension = v.quantized_dimension;
  for (std::uint32_t c = 0; c < v.quant_count; ++c) {
    t.scales.push_back(nn::tensor_channel_scale(m, v, c));
    t.zero_points.push_back(nn::tensor_channel_zero_point(m, v, c));
  }
  return t;
}

std::int64_t elements(const TensorSummary& t) {
  std::int64_t n = 1;
  for (std::int32_t d : t.shape) n *= d;
  return n;
}

nlohmann::json tensor_json(const TensorSummary& t) {
  nlohmann::json j = {{"index", t.index}, {"name", t.name},   {"type", t.type},
                      {"shape", t.shape}, {"bytes", t.bytes}, {"constant", t.constant}};
  if (t.channels == 0) {
    j["quantization"] = nullptr;
  } else if (t.channels == 1) {
    j["quantization"] = {{"scale", t.scales[0]}, {"zero_point", t.zero_points[0]}};
  } else {
    j["quantization"] = {{"per_channel", t.channels},
                         {"quantized_dimension", t.quantized_dimension},
                         {"scales", t.scales},
                         {"zero_points", t.zero_points}};
  }
  return j;
}

std::string tensor_line(const TensorSummary& t) {
  std::string line = "t" + std::to_string(t.index) + " " + shape_text(t);
  const std::string q = quantization_text(t);
  if (!q.empty()) line += " " + q;
  if (t.constant) line += " const";
  // Converter names can run to hundreds of characters; the text report shortens them (--json has them whole).
  constexpr std::size_t kMaxName = 48;
  if (!t.name.empty()) {
    line += " \"" + (t.name.size() > kMaxName ? t.name.substr(0, kMaxName - 3) + "..." : t.name) + "\"";
  }
  return line;
}

}  // namespace

std::int64_t operator_macs(int code, const std::vector<TensorSummary>& inputs,
                           const std::vector<TensorSummary>& outputs) {
  if (inputs.size() < 2 || outputs.empty()) return 0;
  const TensorSummary& weights = inputs[1];
  const std::int64_t out = elements(outputs[0]);
  switch (code) {
    case kOpConv2D:  // filter [out_channels, height, width, in_channels]
      if (weights.shape.size() != 4) return 0;
      return out * weights.shape[1] * weights.shape[2] * weights.shape[3];
    case kOpDepthwiseConv2D:  // filter [1, height, width, out_channels]
      if (weights.shape.size() != 4) return 0;
      return out * weights.shape[1] * weights.shape[2];
    case kOpFullyConnected:  // weights [units, input depth]
      if (weights.shape.size() != 2) return 0;
      return out * weights.shape[1];
    default:
      return 0;
  }
}

ModelSummary summarize(const ModelFile& file) {
  const nn::Model& m = file.model();
  ModelSummary s;
  s.model_bytes = file.size();
  for (int i = 0; i < nn::model_operator_count(m); ++i) {
    nn::OperatorView v;
    const nn::Status st = nn::read_operator(m, i, &v);
    if (st != nn::kOk) {
      throw Error(file.path().string() + ": operator " + std::to_string(i) + ": " + nn::status_message(st));
    }
    OperatorSummary op;
    op.index = i;
    op.code = v.code;
    op.name = nn::builtin_operator_name(v.code);
    for (std::uint32_t k = 0; k < v.num_inputs; ++k) {
      const int t = nn::operator_input(m, v, k);
      if (t >= 0) op.inputs.push_back(tensor_summary(file, t));
    }
    for (std::uint32_t k = 0; k < v.num_outputs; ++k) {
      const int t = nn::operator_output(m, v, k);
      if (t >= 0) op.outputs.push_back(tensor_summary(file, t));
    }
    op.macs = operator_macs(op.code, op.inputs, op.outputs);
    s.total_macs += op.macs;
    s.operators.push_back(std::move(op));
  }
  for (int i = 0; i < nn::model_input_count(m); ++i)
    s.inputs.push_back(tensor_summary(file, nn::model_input_tensor(m, i)));
  for (int i = 0; i < nn::model_output_count(m); ++i)
    s.outputs.push_back(tensor_summary(file, nn::model_output_tensor(m, i)));
  s.arena_bytes = file.arena_bytes();
  return s;
}

std::string shape_text(const TensorSummary& t) {
  std::string text = t.type + "[";
  for (std::size_t i = 0; i < t.shape.size(); ++i) text += (i ? "," : "") + std::to_string(t.shape[i]);
  return text + "]";
}

std::string quantization_text(const TensorSummary& t) {
  if (t.channels == 0) return "";
  if (t.channels == 1) return "q(" + number_text(t.scales[0]) + ", " + std::to_string(t.zero_points[0]) + ")";
  return "per-channel (" + std::to_string(t.channels) + ")";
}

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_summary(const ModelSummary& s, const std::string& model_name) {
  std::string text = model_name + ": " + thousands(s.model_bytes) + " bytes, " +
                     std::to_string(s.operators.size()) + " operators\n\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%4s  %-20s %14s\n", "op", "operator", "MACs");
  text += buf;
  for (const OperatorSummary& op : s.operators) {
    std::snprintf(buf, sizeof buf, "%4d  %-20s %14s\n", op.index, op.name.c_str(),
                  op.macs ? thousands(static_cast<std::uint64_t>(op.macs)).c_str() : "-");
    text += buf;
    for (const TensorSummary& t : op.inputs) text += "        in  " + tensor_line(t) + "\n";
    for (const TensorSummary& t : op.outputs) text += "        out " + tensor_line(t) + "\n";
  }
  text += "\ninputs:\n";
  for (const TensorSummary& t : s.inputs)
    text += "  " + tensor_line(t) + ", " + thousands(t.bytes) + " bytes\n";
  text += "outputs:\n";
  for (const TensorSummary& t : s.outputs)
    text += "  " + tensor_line(t) + ", " + thousands(t.bytes) + " bytes\n";
  text += "total MACs: " + thousands(static_cast<std::uint64_t>(s.total_macs)) + "\n";
  text += "arena: " + thousands(s.arena_bytes) + " bytes (sdk/nn plan)\n";
  return text;
}

nlohmann::json summary_json(const ModelSummary& s, const std::string& model_name) {
  nlohmann::json ops = nlohmann::json::array();
  for (const OperatorSummary& op : s.operators) {
    nlohmann::json in = nlohmann::json::array(), out = nlohmann::json::array();
    for (const TensorSummary& t : op.inputs) in.push_back(tensor_json(t));
    for (const TensorSummary& t : op.outputs) out.push_back(tensor_json(t));
    ops.push_back({{"index", op.index},
                   {"code", op.code},
                   {"operator", op.name},
                   {"inputs", in},
                   {"outputs", out},
                   {"macs", op.macs}});
  }
  nlohmann::json in = nlohmann::json::array(), out = nlohmann::json::array();
  for (const TensorSummary& t : s.inputs) in.push_back(tensor_json(t));
  for (const TensorSummary& t : s.outputs) out.push_back(tensor_json(t));
  return {{"model", model_name},
          {"model_bytes", s.model_bytes},
          {"operators", ops},
          {"inputs", in},
          {"outputs", out},
          {"total_macs", s.total_macs},
          {"arena_bytes", s.arena_bytes}};
}

}  // namespace kiln::tflite
