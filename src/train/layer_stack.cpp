// The layer stack: the default audio network, the output layer, and shape inference with errors that name the
// layer. Torch-free, so `kiln train` checks kiln.toml before any work.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "train/classifier.h"
#include "train/layer_geometry.h"

namespace kiln {

namespace {

LayerSpec make_layer(const std::string& type) {
  LayerSpec l;
  l.type = type;
  return l;
}

LayerSpec conv1d(int filters) {
  LayerSpec l = make_layer("conv1d");
  l.filters = filters;
  l.kernel_size = 3;
  l.strides = 1;
  l.padding = "same";
  l.activation = "relu";
  return l;
}

LayerSpec max_pool1d() {
  LayerSpec l = make_layer("max_pool1d");
  l.pool_size = 2;
  l.strides = 2;
  l.padding = "same";
  return l;
}

LayerSpec dropout(double rate) {
  LayerSpec l = make_layer("dropout");
  l.rate = rate;
  return l;
}

LayerSpec output_layer(int classes) {
  LayerSpec l = make_layer("dense");
  l.units = classes;
  l.activation = "softmax";
  return l;
}

bool is_output_layer(const LayerSpec& l) {
  return l.type == "dense" && l.activation == "softmax";
}

std::int64_t product(const std::vector<int>& shape) {
  std::int64_t p = 1;
  for (int d : shape) p *= d;
  return p;
}

class LayerChecker {
 public:
  LayerChecker(const LayerSpec& layer, std::size_t index)
      : l_(layer), prefix_("layer " + std::to_string(index + 1) + " (" + layer.type + "): ") {}

  std::vector<int> output_shape(const std::vector<int>& in) const {
    const std::string& t = l_.type;
    if (t == "dense") {
      positive("units", l_.units);
      activation();
      std::vector<int> out = in;
      out.back() = l_.units;
      return out;
    }
    if (t == "conv1d") {
      rank(in, 2, "a 2-D input [time, channels]");
      positive("filters", l_.filters);
      conv_common();
      return {window(in[0], l_.kernel_size, l_.strides, "kernel_size", "length"), l_.filters};
    }
    if (t == "conv2d" || t == "depthwise_conv2d") {
      rank(in, 3, "a 3-D input [h, w, c]");
      int channels = l_.filters;
      if (t == "conv2d") {
        positive("filters", l_.filters);
      } else {
        positive("depth_multiplier", l_.depth_multiplier);
        channels = in[2] * l_.depth_multiplier;
      }
      conv_common();
      return {window(in[0], l_.kernel_size, l_.strides, "kernel_size", "height"),
              window(in[1], l_.kernel_size, l_.strides, "kernel_size", "width"), channels};
    }
    if (t == "max_pool1d" || t == "avg_pool1d") {
      rank(in, 2, "a 2-D input [time, channels]");
      pool_common();
      return {window(in[0], l_.pool_size, pool_stride(l_), "pool_size", "length"), in[1]};
    }
    if (t == "max_pool2d" || t == "avg_pool2d") {
      rank(in, 3, "a 3-D input [h, w, c]");
      pool_common();
      int s = pool_stride(l_);
      return {window(in[0], l_.pool_size, s, "pool_size", "height"),
              window(in[1], l_.pool_size, s, "pool_size", "width"), in[2]};
    }
    if (t == "dropout") {
      if (!(l_.rate >= 0.0 && l_.rate < 1.0)) fail("rate must be in [0, 1), got " + std::to_string(l_.rate));
      return in;
    }
    if (t == "batch_norm") return in;
    if (t == "flatten") return {static_cast<int>(product(in))};
    if (t == "reshape") return reshape(in);
    fail(
        "unknown layer type (known: dense, conv1d, conv2d, depthwise_conv2d, max_pool1d, avg_pool1d, "
        "max_pool2d, avg_pool2d, dropout, batch_norm, flatten, reshape)");
  }

  [[noreturn]] void fail(const std::string& what) const { throw Error(prefix_ + what); }

 private:
  void positive(const char* key, int v) const {
    if (v < 1) fail(std::string("needs ") + key + " >= 1, got " + std::to_string(v));
  }
  void rank(const std::vector<int>& in, std::size_t r, const char* what) const {
    if (in.size() != r) fail(std::string("expects ") + what + ", got " + shape_string(in));
  }
  void activation() const {
    const std::string& a = l_.activation;
    if (a != "none" && a != "relu" && a != "relu6" && a != "softmax") {
      fail("unknown activation '" + a + "' (none, relu, relu6, softmax)");
    }
  }
  void padding() const {
    if (l_.padding != "same" && l_.padding != "valid")
      fail("padding must be same or valid, got '" + l_.padding + "'");
  }
  void conv_common() const {
    positive("kernel_size", l_.kernel_size);
    positive("strides", l_.strides);
    padding();
    activation();
  }
  void pool_common() const {
    positive("pool_size", l_.pool_size);
    if (l_.strides < 0) fail("needs strides >= 0 (0 = pool_size), got " + std::to_string(l_.strides));
    padding();
  }
  int window(int in, int k, int stride, const char* key, const char* axis) const {
    bool same = l_.padding == "same";
    if (!same && k > in) {
      fail(std::string(key) + " " + std::to_string(k) + " is larger than the input " + axis + " " +
           std::to_string(in) + " (padding valid)");
    }
    return axis_window(in, k, stride, same).out;
  }
  std::vector<int> reshape(const std::vector<int>& in) const {
    if (l_.shape.empty()) fail("needs a target shape");
    int wildcard = -1;
    std::int64_t known = 1;
    for (std::size_t i = 0; i < l_.shape.size(); ++i) {
      int d = l_.shape[i];
      if (d == -1) {
        if (wildcard >= 0) fail("shape " + shape_string(l_.shape) + " has more than one -1");
        wildcard = static_cast<int>(i);
      } else if (d < 1) {
        fail("shape " + shape_string(l_.shape) + " has a dimension < 1 (only one -1 is allowed)");
      } else {
        known *= d;
      }
    }
    std::int64_t total = product(in);
    std::vector<int> out = l_.shape;
    if (wildcard >= 0) {
      if (total % known != 0) {
        fail("cannot reshape " + shape_string(in) + " (" + std::to_string(total) + " values) to " +
             shape_string(l_.shape));
      }
      out[wildcard] = static_cast<int>(total / known);
    } else if (known != total) {
      fail("cannot reshape " + shape_string(in) + " (" + std::to_string(total) + " values) to " +
           shape_string(l_.shape) + " (" + std::to_string(known) + " values)");
    }
    return out;
  }

  const LayerSpec& l_;
  std::string prefix_;
};

void check_input(const std::vector<int>& input_shape, int classes) {
  if (classes < 2) throw Error("a classifier needs at least 2 labels, got " + std::to_string(classes));
  if (input_shape.empty()) throw Error("the feature shape is empty");
  for (int d : input_shape) {
    if (d < 1) throw Error("the feature shape " + shape_string(input_shape) + " has a dimension < 1");
  }
}

// Output shapes of `layers` without any output-layer handling.
std::vector<std::vector<int>> infer_shapes(const std::vector<LayerSpec>& layers,
                                           const std::vector<int>& input) {
  std::vector<std::vector<int>> shapes;
  std::vector<int> cur = input;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    cur = LayerChecker(layers[i], i).output_shape(cur);
    shapes.push_back(cur);
  }
  return shapes;
}

}  // namespace

AxisWindow axis_window(int in, int kernel, int stride, bool same_padding) {
  AxisWindow w;
  if (!same_padding) {
    w.out = (in - kernel) / stride + 1;
    return w;
  }
  w.out = (in + stride - 1) / stride;
  int total = (w.out - 1) * stride + kernel - in;
  if (total < 0) total = 0;
  w.pad_before = total / 2;
  w.pad_after = total - w.pad_before;
  return w;
}

int pool_stride(const LayerSpec& layer) {
  return layer.strides == 0 ? layer.pool_size : layer.strides;
}

std::vector<ParamSpec> layer_params(const LayerSpec& l, const std::vector<int>& in) {
  auto kernel = [](std::vector<int> shape, int fan_in, int fan_out) {
    return ParamSpec{"kernel", std::move(shape), ParamInit::glorot_uniform, true, fan_in, fan_out};
  };
  auto vec = [](const char* name, int n, ParamInit init, bool trainable) {
    return ParamSpec{name, {n}, init, trainable, 0, 0};
  };
  const int c = in.back();
  const int k = l.kernel_size;
  if (l.type == "dense") {
    return {kernel({l.units, c}, c, l.units), vec("bias", l.units, ParamInit::zeros, true)};
  }
  if (l.type == "conv1d") {
    // Keras kernel [k, c, filters]: fan_in = k * c, fan_out = k * filters.
    return {kernel({l.filters, 1, k, c}, k * c, k * l.filters),
            vec("bias", l.filters, ParamInit::zeros, true)};
  }
  if (l.type == "conv2d") {
    return {kernel({l.filters, k, k, c}, k * k * c, k * k * l.filters),
            vec("bias", l.filters, ParamInit::zeros, true)};
  }
  if (l.type == "depthwise_conv2d") {
    // Keras kernel [k, k, c, multiplier].
    int m = l.depth_multiplier;
    return {kernel({1, k, k, c * m}, k * k * c, k * k * m), vec("bias", c * m, ParamInit::zeros, true)};
  }
  if (l.type == "batch_norm") {
    return {vec("gamma", c, ParamInit::ones, true), vec("beta", c, ParamInit::zeros, true),
            vec("moving_mean", c, ParamInit::zeros, false),
            vec("moving_variance", c, ParamInit::ones, false)};
  }
  return {};
}

std::string weight_name(std::size_t index, const std::string& param) {
  return "layer" + std::to_string(index + 1) + "." + param;
}

std::string shape_string(const std::vector<int>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::vector<LayerSpec> default_audio_network() {
  return {conv1d(8),    max_pool1d(),  dropout(0.25),        conv1d(16),
          max_pool1d(), dropout(0.25), make_layer("flatten")};
}

std::vector<LayerSpec> default_image_network() {
  LayerSpec a = make_layer("conv2d"), b;
  a.filters = 8;
  a.kernel_size = 3;
  a.strides = 1;
  a.padding = "same";
  a.activation = "relu";
  b = a;
  b.filters = 16;
  LayerSpec pool = make_layer("max_pool2d");
  pool.pool_size = 2;
  pool.strides = 2;
  pool.padding = "same";
  return {a, pool, b, pool, dropout(0.25), make_layer("flatten")};
}

std::vector<LayerSpec> default_network(const std::vector<int>& feature_shape) {
  return feature_shape.size() == 3 ? default_image_network() : default_audio_network();
}

std::vector<LayerSpec> resolve_layers(const std::vector<LayerSpec>& layers,
                                      const std::vector<int>& input_shape, int classes) {
  check_input(input_shape, classes);
  std::vector<std::vector<int>> shapes = infer_shapes(layers, input_shape);
  std::vector<LayerSpec> resolved = layers;
  const std::vector<int>& out = shapes.empty() ? input_shape : shapes.back();
  if (!layers.empty() && is_output_layer(layers.back())) {
    if (out != std::vector<int>{classes}) {
      LayerChecker(layers.back(), layers.size() - 1)
          .fail("the output layer must give one score per label: expected " + shape_string({classes}) +
                ", got " + shape_string(out) + (out.size() > 1 ? " (add a flatten before it)" : ""));
    }
    return resolved;
  }
  if (out.size() > 1) resolved.push_back(make_layer("flatten"));
  resolved.push_back(output_layer(classes));
  return resolved;
}

std::vector<std::vector<int>> check_layers(const std::vector<LayerSpec>& layers,
                                           const std::vector<int>& input_shape, int classes) {
  return infer_shapes(resolve_layers(layers, input_shape, classes), input_shape);
}

}  // namespace kiln
