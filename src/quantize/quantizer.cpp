#include "quantize/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "core/error.h"
#include "core/generation.h"
#include "quantize/classifier_graph.h"
#include "tflite/nn_runner.h"
#include "train/layer_geometry.h"

namespace kiln {

namespace {

tflite::Quantization per_tensor(float scale, std::int64_t zero_point) {
  tflite::Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

// Asymmetric int8 parameters covering [min, max] (widened to include 0, as TFLite does).
tflite::Quantization asymmetric(float min, float max) {
  const double lo = std::min(0.0, static_cast<double>(min));
  double hi = std::max(0.0, static_cast<double>(max));
  if (hi - lo < 1e-9) hi = lo + 1.0;  // a constant-zero tensor: any scale represents it
  const auto scale = static_cast<float>((hi - lo) / 255.0);
  const double zp = std::round(-128.0 - lo / static_cast<double>(scale));
  return per_tensor(scale, static_cast<std::int64_t>(std::clamp(zp, -128.0, 127.0)));
}

// Symmetric int8 weights with one scale per slice along `dim` (or one for all).
void quantize_weights(tflite::Tensor& w, int dim, bool per_channel) {
  const std::vector<float> v = tflite::float_values(w);
  std::size_t channels = per_channel ? static_cast<std::size_t>(w.shape[static_cast<std::size_t>(dim)]) : 1;
  std::size_t inner = 1;  // elements after `dim`
  for (std::size_t i = static_cast<std::size_t>(dim) + 1; i < w.shape.size(); ++i)
    inner *= static_cast<std::size_t>(w.shape[i]);
  auto channel_of = [&](std::size_t i) { return channels == 1 ? 0 : (i / inner) % channels; };
  std::vector<float> max_abs(channels, 0.0f);
  for (std::size_t i = 0; i < v.size(); ++i)
    max_abs[channel_of(i)] = std::max(max_abs[channel_of(i)], std::fabs(v[i]));
  tflite::Quantization q;
  q.quantized_dimension = per_channel ? dim : 0;
  for (float m : max_abs) {
    q.scale.push_back(m > 0 ? m / 127.0f : 1.0f);
    q.zero_point.push_back(0);
  }
  std::vector<std::int8_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double r = std::round(static_cast<double>(v[i]) / q.scale[channel_of(i)]);
    out[i] = static_cast<std::int8_t>(std::clamp(r, -127.0, 127.0));
  }
  w.type = tflite::kTypeInt8;
  w.data = tflite::to_bytes(out);
  w.quantization = q;
}

// int32 bias with scale input_scale * weight_scale[c] (TFLite multiplies the two in float).
void quantize_bias(tflite::Tensor& b, float input_scale, const tflite::Quantization& weights) {
  const std::vector<float> v = tflite::float_values(b);
  tflite::Quantization q;
  for (float ws : weights.scale) {
    q.scale.push_back(input_scale * ws);
    q.zero_point.push_back(0);
  }
  std::vector<std::int32_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const float s = q.scale.size() == 1 ? q.scale[0] : q.scale[i];
    const double r = std::round(static_cast<double>(v[i]) / static_cast<double>(s));
    out[i] = static_cast<std::int32_t>(std::clamp(r, -2147483647.0, 2147483647.0));
  }
  b.type = tflite::kTypeInt32;
  b.data = tflite::to_bytes(out);
  b.quantization = q;
}

// A float value quantized with (scale, zero_point) to int8, as TFLite's converter rounds it (half away from
// zero).
std::int8_t quantize_value(float x, float scale, std::int32_t zero_point) {
  const double q = std::round(static_cast<double>(x) / static_cast<double>(scale)) + zero_point;
  return static_cast<std::int8_t>(std::clamp(q, -128.0, 127.0));
}

// Asymmetric per-tensor int8 constant (MUL/ADD operands).
void quantize_constant(tflite::Tensor& t) {
  const std::vector<float> v = tflite::float_values(t);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  tflite::Quantization q = asymmetric(*lo, *hi);
  std::vector<std::int8_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    out[i] = quantize_value(v[i], q.scale[0], static_cast<std::int32_t>(q.zero_point[0]));
  t.type = tflite::kTypeInt8;
  t.data = tflite::to_bytes(out);
  t.quantization = q;
}

// OperatorCode versions of the int8 forms (the TFLite converter's choice for these features).
int int8_version(const tflite::Operator& op) {
  switch (op.code) {
    case tflite::kOpConv2D:
    case tflite::kOpDepthwiseConv2D:
      return 3;
    case tflite::kOpFullyConnected:
      return op.keep_num_dims ? 5 : 4;
    case tflite::kOpReshape:
      return 1;
    default:
      return 2;
  }
}

}  // namespace

std::vector<TensorRange> calibrate(const std::vector<std::uint8_t>& float_tflite, const float* x,
                                   std::size_t count, std::size_t max_windows) {
  NnRunner runner(float_tflite, "model-f32.tflite");
  const nn::Model& m = runner.model();
  const int tensors = nn::model_tensor_count(m), ops = nn::model_operator_count(m);
  std::vector<TensorRange> ranges(static_cast<std::size_t>(tensors));
  std::vector<std::size_t> elements(static_cast<std::size_t>(tensors), 0);
  for (int t = 0; t < tensors; ++t) {
    nn::TensorInfo info;
    nn::model_tensor_info(m, t, &info);
    if (!info.is_constant && info.type == nn::kTypeFloat32)
      elements[static_cast<std::size_t>(t)] = info.bytes / 4;
  }
  auto update = [&](int t, const float* v) {
    TensorRange& r = ranges[static_cast<std::size_t>(t)];
    for (std::size_t i = 0; i < elements[static_cast<std::size_t>(t)]; ++i) {
      if (!r.seen || v[i] < r.min) r.min = v[i];
      if (!r.seen || v[i] > r.max) r.max = v[i];
      r.seen = true;
    }
  };
  const std::size_t used = std::min(count, max_windows);
  const int input = nn::model_input_tensor(m, 0);
  for (std::size_t k = 0; k < used; ++k) {
    const std::size_t w = used == count ? k : k * count / used;
    const float* row = x + w * runner.input_elements();
    runner.set_input(row);
    update(input, row);
    for (int op = 0; op < ops; ++op) {
      runner.run_operator(op);
      const int out = nn::model_operator_output(m, op, 0);
      if (elements[static_cast<std::size_t>(out)]) update(out, static_cast<const float*>(runner.tensor(out)));
    }
  }
  return ranges;
}

tflite::Model quantize_graph(const tflite::Model& float_graph, const std::vector<TensorRange>& ranges,
                             bool per_channel) {
  tflite::Model q = float_graph;
  auto tensor = [&](int i) -> tflite::Tensor& { return q.tensors.at(static_cast<std::size_t>(i)); };
  auto calibrated = [&](int i) {
    const TensorRange& r = ranges.at(static_cast<std::size_t>(i));
    if (!r.seen) throw Error("quantizer: tensor '" + tensor(i).name + "' was not reached during calibration");
    tflite::Tensor& t = tensor(i);
    t.type = tflite::kTypeInt8;
    t.quantization = asymmetric(r.min, r.max);
  };
  auto same_as = [&](int out, int in) {
    tensor(out).type = tflite::kTypeInt8;
    tensor(out).quantization = tensor(in).quantization;
  };
  for (int i : q.inputs) calibrated(i);
  for (tflite::Operator& op : q.operators) {
    const int in = op.inputs[0], out = op.outputs[0];
    if (!tensor(in).quantization) throw Error("quantizer: tensor '" + tensor(in).name + "' is not quantized");
    switch (op.code) {
      case tflite::kOpConv2D:
      case tflite::kOpDepthwiseConv2D:
      case tflite::kOpFullyConnected: {
        quantize_weights(tensor(op.inputs[1]), op.code == tflite::kOpDepthwiseConv2D ? 3 : 0, per_channel);
        quantize_bias(tensor(op.inputs[2]), tensor(in).quantization->scale[0],
                      *tensor(op.inputs[1]).quantization);
        calibrated(out);
        break;
      }
      case tflite::kOpMaxPool2D:
      case tflite::kOpAveragePool2D:
      case tflite::kOpReshape:
        same_as(out, in);
        break;
      case tflite::kOpSoftmax:
        tensor(out).type = tflite::kTypeInt8;
        tensor(out).quantization = per_tensor(1.0f / 256.0f, -128);
        break;
      case tflite::kOpMul:
      case tflite::kOpAdd:
        quantize_constant(tensor(op.inputs[1]));
        calibrated(out);
        break;
      default:  // classifier_graph.cpp writes only the operators above
        throw Error("quantizer: no int8 form for operator code " + std::to_string(op.code));
    }
    op.version = int8_version(op);
  }
  q.description += ", int8";
  return q;
}

TfliteModels export_tflite(const ClassifierModel& model, const FeatureSet& features,
                           const QuantizeOptions& options) {
  if (features.shape != model.input_shape) {
    throw Error("calibration features have shape " + shape_string(features.shape) + ", the model expects " +
                shape_string(model.input_shape));
  }
  std::size_t row = 1;
  for (int d : features.shape) row *= static_cast<std::size_t>(d);
  const std::size_t count = row ? features.x.size() / row : 0;
  if (count == 0) throw Error("no training features to calibrate the int8 model on");
  const tflite::Model graph = classifier_graph(model);
  TfliteModels out;
  out.per_channel = options.per_channel;
  out.float32 = tflite::serialize(graph);
  const std::vector<TensorRange> ranges = calibrate(
      out.float32, features.x.data(), count, std::max<std::size_t>(1, options.max_calibration_windows));
  out.calibration_windows = std::min(count, options.max_calibration_windows);
  out.int8 = tflite::serialize(quantize_graph(graph, ranges, options.per_channel));
  NnRunner check(out.int8, "model-int8.tflite");  // the device runtime must accept what we wrote
  return out;
}

std::filesystem::path float_tflite_path(const std::filesystem::path& dir) {
  return dir / "model-f32.tflite";
}
std::filesystem::path int8_tflite_path(const std::filesystem::path& dir) {
  return dir / "model-int8.tflite";
}

void write_tflite(Generation& generation, const std::filesystem::path& dir, const TfliteModels& models) {
  auto view = [](const std::vector<std::uint8_t>& b) {
    return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
  };
  generation.write(float_tflite_path(dir), view(models.float32));
  generation.write(int8_tflite_path(dir), view(models.int8));
}

}  // namespace kiln
