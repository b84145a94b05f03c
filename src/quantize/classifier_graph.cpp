#include "quantize/classifier_graph.h"

#include <cmath>

#include "core/error.h"
#include "train/layer_geometry.h"

namespace kiln {

namespace {

constexpr double kBatchNormEpsilon = 1e-3;  // Keras's default, as used in training

tflite::ActivationFunctionType fused(const std::string& activation) {
  if (activation == "relu") return tflite::kActRelu;
  if (activation == "relu6") return tflite::kActRelu6;
  return tflite::kActNone;
}

std::vector<int> with_batch(const std::vector<int>& shape) {
  std::vector<int> out{1};
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

class GraphBuilder {
 public:
  explicit GraphBuilder(const ClassifierModel& model) : model_(model) {}

  tflite::Model build() {
    const int classes = static_cast<int>(model_.labels.size());
    const auto shapes = check_layers(model_.layers, model_.input_shape, classes);
    cur_ = activation_tensor("input", with_batch(model_.input_shape));
    g_.inputs = {cur_};
    for (std::size_t i = 0; i < model_.layers.size(); ++i) {
      const std::vector<int>& in = i == 0 ? model_.input_shape : shapes[i - 1];
      lower(i, model_.layers[i], in, shapes[i]);
    }
    to_shape(with_batch(shapes.back()), "output_reshape");
    g_.outputs = {cur_};
    g_.description = "Kiln classifier (" + std::to_string(classes) + " labels)";
    return std::move(g_);
  }

 private:
  int add_tensor(tflite::Tensor t) {
    g_.tensors.push_back(std::move(t));
    return static_cast<int>(g_.tensors.size() - 1);
  }
  int activation_tensor(const std::string& name, std::vector<int> shape) {
    tflite::Tensor t;
    t.name = name;
    t.shape = std::move(shape);
    return add_tensor(std::move(t));
  }
  int const_tensor(const std::string& name, std::vector<int> shape, const std::vector<float>& values) {
    tflite::Tensor t;
    t.name = name;
    t.shape = std::move(shape);
    t.data = tflite::to_bytes(values);
    return add_tensor(std::move(t));
  }
  const std::vector<int>& shape_of(int tensor) const {
    return g_.tensors[static_cast<std::size_t>(tensor)].shape;
  }

  // Adds an operator reading `inputs` (cur_ first) and writing a new activation tensor of `shape`.
  tflite::Operator& emit(tflite::Operator op, const std::string& name, std::vector<int> shape) {
    op.outputs = {activation_tensor(name, std::move(shape))};
    cur_ = op.outputs[0];
    g_.operators.push_back(std::move(op));
    foldable_ = -1;
    return g_.operators.back();
  }

  void to_shape(const std::vector<int>& shape, const std::string& name) {
    if (shape_of(cur_) == shape) return;
    tflite::Operator op;
    op.code = tflite::kOpReshape;
    op.new_shape = shape;
    tflite::Tensor s;
    s.name = name + "/shape";
    s.shape = {static_cast<int>(shape.size())};
    s.type = tflite::kTypeInt32;
    s.data = tflite::to_bytes(std::vector<std::int32_t>(shape.begin(), shape.end()));
    op.inputs = {cur_, add_tensor(std::move(s))};
    emit(std::move(op), name, shape);
  }

  // Separate activations: softmax (the fused ones were set on the operator).
  void activation(const LayerSpec& l, const std::string& name) {
    if (l.activation != "softmax") return;
    tflite::Operator op;
    op.code = tflite::kOpSoftmax;
    op.beta = 1.0f;
    op.inputs = {cur_};
    emit(std::move(op), name + "/softmax", shape_of(cur_));
  }

  void lower(std::size_t index, const LayerSpec& l, const std::vector<int>& in, const std::vector<int>& out) {
    const std::string name = "layer" + std::to_string(index + 1) + "." + l.type;
    const std::string& t = l.type;
    const bool one_d = t == "conv1d" || t == "max_pool1d" || t == "avg_pool1d";
    const auto pad = l.padding == "same" ? tflite::kPaddingSame : tflite::kPaddingValid;
    if (t == "dropout") return;
    if (t == "conv1d" || t == "conv2d" || t == "depthwise_conv2d") {
      // 1-D: the time axis is the image width, height 1.
      to_shape(one_d ? std::vector<int>{1, 1, in[0], in[1]} : with_batch(in), name + "/input");
      const LayerWeights& k = layer_weights(model_, index, "kernel");
      const LayerWeights& b = layer_weights(model_, index, "bias");
      tflite::Operator op;
      op.code = t == "depthwise_conv2d" ? tflite::kOpDepthwiseConv2D : tflite::kOpConv2D;
      op.padding = pad;
      op.stride_h = one_d ? 1 : l.strides;
      op.stride_w = l.strides;
      op.depth_multiplier = l.depth_multiplier;
      op.activation = fused(l.activation);
      op.inputs = {cur_, const_tensor(weight_name(index, "kernel"), k.shape, k.values),
                   const_tensor(weight_name(index, "bias"), b.shape, b.values)};
      const bool foldable = l.activation == "none";
      emit(std::move(op), name, one_d ? std::vector<int>{1, 1, out[0], out[1]} : with_batch(out));
      if (foldable) foldable_ = static_cast<int>(g_.operators.size() - 1);
      activation(l, name);
      return;
    }
    if (t == "max_pool1d" || t == "avg_pool1d" || t == "max_pool2d" || t == "avg_pool2d") {
      to_shape(one_d ? std::vector<int>{1, 1, in[0], in[1]} : with_batch(in), name + "/input");
      tflite::Operator op;
      op.code = t[0] == 'm' ? tflite::kOpMaxPool2D : tflite::kOpAveragePool2D;
      op.padding = pad;
      op.stride_h = one_d ? 1 : pool_stride(l);
      op.stride_w = pool_stride(l);
      op.filter_h = one_d ? 1 : l.pool_size;
      op.filter_w = l.pool_size;
      op.inputs = {cur_};
      emit(std::move(op), name, one_d ? std::vector<int>{1, 1, out[0], out[1]} : with_batch(out));
      return;
    }
    if (t == "dense") {
      to_shape(with_batch(in), name + "/input");
      const LayerWeights& k = layer_weights(model_, index, "kernel");
      const LayerWeights& b = layer_weights(model_, index, "bias");
      tflite::Operator op;
      op.code = tflite::kOpFullyConnected;
      op.activation = fused(l.activation);
      op.keep_num_dims = in.size() > 1;  // Keras Dense on the last axis
      op.version = op.keep_num_dims ? 5 : 1;
      op.inputs = {cur_, const_tensor(weight_name(index, "kernel"), k.shape, k.values),
                   const_tensor(weight_name(index, "bias"), b.shape, b.values)};
      const bool foldable = l.activation == "none";
      emit(std::move(op), name, with_batch(out));
      if (foldable) foldable_ = static_cast<int>(g_.operators.size() - 1);
      activation(l, name);
      return;
    }
    if (t == "batch_norm") {
      batch_norm(index, name);
      return;
    }
    if (t == "flatten" || t == "reshape") {
      to_shape(with_batch(out), name);
      return;
    }
    throw Error("layer " + std::to_string(index + 1) + " (" + t + "): no TFLite form for this layer type");
  }

  // y = x * m + a per channel (the last axis), m = gamma / sqrt(var + eps), a = beta - mean * m.
  void batch_norm(std::size_t index, const std::string& name) {
    const auto& gamma = layer_weights(model_, index, "gamma").values;
    const auto& beta = layer_weights(model_, index, "beta").values;
    const auto& mean = layer_weights(model_, index, "moving_mean").values;
    const auto& var = layer_weights(model_, index, "moving_variance").values;
    const std::size_t c = gamma.size();
    std::vector<float> m(c), a(c);
    for (std::size_t i = 0; i < c; ++i) {
      const double mi = gamma[i] / std::sqrt(static_cast<double>(var[i]) + kBatchNormEpsilon);
      m[i] = static_cast<float>(mi);
      a[i] = static_cast<float>(beta[i] - mean[i] * mi);
    }
    if (foldable_ >= 0) {
      fold(g_.operators[static_cast<std::size_t>(foldable_)], m, a);
      return;  // still foldable: a second batch norm folds as well
    }
    tflite::Operator mul;
    mul.code = tflite::kOpMul;
    mul.inputs = {cur_, const_tensor(weight_name(index, "multiplier"), {static_cast<int>(c)}, m)};
    emit(std::move(mul), name + "/mul", shape_of(cur_));
    tflite::Operator add;
    add.code = tflite::kOpAdd;
    add.inputs = {cur_, const_tensor(weight_name(index, "offset"), {static_cast<int>(c)}, a)};
    emit(std::move(add), name + "/add", shape_of(cur_));
  }

  // Scales output channel c of a conv/dense by m[c] and maps its bias b to b * m + a.
  void fold(const tflite::Operator& op, const std::vector<float>& m, const std::vector<float>& a) {
    tflite::Tensor& kernel = g_.tensors[static_cast<std::size_t>(op.inputs[1])];
    tflite::Tensor& bias = g_.tensors[static_cast<std::size_t>(op.inputs[2])];
    std::vector<float> k = tflite::float_values(kernel), b = tflite::float_values(bias);
    const std::size_t channels = m.size();
    const bool last_axis = op.code == tflite::kOpDepthwiseConv2D;  // [1, k, k, C]; others [C, ...]
    const std::size_t per_channel = k.size() / channels;
    for (std::size_t i = 0; i < k.size(); ++i) {
      const std::size_t ch = last_axis ? i % channels : i / per_channel;
      k[i] *= m[ch];
    }
    for (std::size_t ch = 0; ch < channels; ++ch) b[ch] = b[ch] * m[ch] + a[ch];
    kernel.data = tflite::to_bytes(k);
    bias.data = tflite::to_bytes(b);
  }

  const ClassifierModel& model_;
  tflite::Model g_;
  int cur_ = -1;
  int foldable_ = -1;  // the operator a following batch_norm folds into (a conv/dense without activation)
};

}  // namespace

tflite::Model classifier_graph(const ClassifierModel& model) {
  check_model(model);
  return GraphBuilder(model).build();
}

}  // namespace kiln
