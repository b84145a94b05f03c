// The classifier on libtorch: the network (Keras semantics, see classifier.h), training and float inference.
// This is the only file in Kiln that includes libtorch (its headers cost ~30 s and 1.3 GB to compile); it is
// built into the module libkiln_torch.so, which kiln loads only to train or predict (torch_module.h).
//
// Layout inside: the stored weights and the network's inputs are channels-last like Keras. torch's
// convolutions and pools want channels-first, so each activation carries a flag saying which layout it is in,
// and is permuted only when the next layer needs the other one (conv -> pool -> conv stays channels-first;
// flatten, reshape and dense see channels-last, so the flatten order is Keras's).
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "core/error.h"
#include "train/classifier.h"
#include "train/layer_geometry.h"
#include "train/torch_classifier.h"

namespace kiln {

namespace {

using torch::Tensor;

constexpr double kBatchNormMomentum = 0.99;
constexpr double kBatchNormEpsilon = 1e-3;
constexpr double kAdamBeta1 = 0.9;
constexpr double kAdamBeta2 = 0.999;
constexpr double kAdamEpsilon = 1e-7;
constexpr std::int64_t kEvalBatch = 256;

// A batch of activations. Per-window rank 1 ([N, C]) is the same in both layouts.
struct Activation {
  Tensor t;
  bool channels_first = false;
};

// Permuted copies are made contiguous: torch's CPU convolutions run slower on strided inputs.
Tensor channels_first(const Activation& a) {
  if (a.channels_first || a.t.dim() < 3) return a.t;
  return (a.t.dim() == 3 ? a.t.permute({0, 2, 1}) : a.t.permute({0, 3, 1, 2})).contiguous();
}

Tensor channels_last(const Activation& a) {
  if (!a.channels_first || a.t.dim() < 3) return a.t;
  return (a.t.dim() == 3 ? a.t.permute({0, 2, 1}) : a.t.permute({0, 2, 3, 1})).contiguous();
}

int channel_dim(const Activation& a) {
  return a.channels_first ? 1 : static_cast<int>(a.t.dim()) - 1;
}

// A per-channel vector shaped to broadcast against `a`.
Tensor per_channel(const Tensor& v, const Activation& a) {
  std::vector<std::int64_t> shape(a.t.dim(), 1);
  shape[channel_dim(a)] = v.size(0);
  return v.view(shape);
}

Tensor activate(const Tensor& t, const std::string& activation, int channel_axis) {
  if (activation == "relu") return torch::relu(t);
  if (activation == "relu6") return torch::hardtanh(t, 0.0, 6.0);
  if (activation == "softmax") return torch::softmax(t, channel_axis);
  return t;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Independent random streams per purpose, so e.g. the validation split does not change with the layer stack.
enum class Stream : std::uint64_t { split = 1, init = 2, training = 3 };

at::Generator make_generator(std::uint64_t seed, Stream stream) {
  return at::make_generator<at::CPUGeneratorImpl>(splitmix64(seed * 4 + static_cast<std::uint64_t>(stream)));
}

// Arithmetic on denormal floats is up to 100x slower on x86, and late in training, with the loss near 0,
// small gradients and Adam moments can turn denormal. Flush them to zero while this guard lives, as
// TensorFlow does, and restore the caller's floating-point mode afterwards.
class FlushDenormals {
 public:
  FlushDenormals() {
#if defined(__x86_64__) || defined(__i386__)
    saved_ = _mm_getcsr();
#endif
    at::globalContext().setFlushDenormal(true);
  }
  ~FlushDenormals() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(saved_);
#endif
  }
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
  unsigned saved_ = 0;
};

std::vector<std::int64_t> batch_shape(std::int64_t n, const std::vector<int>& shape) {
  std::vector<std::int64_t> s = {n};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

struct Layer {
  LayerSpec spec;
  std::vector<int> in_shape, out_shape;
  std::vector<ParamSpec> param_specs;
  std::vector<Tensor> params;  // in param_specs order
  AxisWindow h, w;             // conv/pool windows: h is the only axis for 1-D layers
};

class Network {
 public:
  Network(const std::vector<LayerSpec>& layers, const std::vector<int>& input_shape, int classes) {
    std::vector<std::vector<int>> shapes = check_layers(layers, input_shape, classes);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      Layer l;
      l.spec = layers[i];
      l.in_shape = i == 0 ? input_shape : shapes[i - 1];
      l.out_shape = shapes[i];
      l.param_specs = layer_params(l.spec, l.in_shape);
      bool pool = l.spec.type.find("pool") != std::string::npos;
      int k = pool ? l.spec.pool_size : l.spec.kernel_size;
      int s = pool ? pool_stride(l.spec) : l.spec.strides;
      bool same = l.spec.padding == "same";
      if (l.spec.type.find("conv") != std::string::npos || pool) {
        l.h = axis_window(l.in_shape[0], k, s, same);
        if (l.in_shape.size() == 3) l.w = axis_window(l.in_shape[1], k, s, same);
      }
      layers_.push_back(std::move(l));
    }
  }

  // Keras's initialisation, drawn in layer order from `gen`.
  void init(at::Generator& gen) {
    for (Layer& l : layers_) {
      for (const ParamSpec& p : l.param_specs) {
        Tensor t = torch::empty(std::vector<std::int64_t>(p.shape.begin(), p.shape.end()));
        if (p.init == ParamInit::glorot_uniform) {
          double limit = std::sqrt(6.0 / (p.fan_in + p.fan_out));
          t.uniform_(-limit, limit, gen);
        } else {
          t.fill_(p.init == ParamInit::ones ? 1.0 : 0.0);
        }
        l.params.push_back(t.set_requires_grad(p.trainable));
      }
    }
  }

  // Weights in the order check_model() has verified.
  void load(const std::vector<LayerWeights>& weights) {
    std::size_t next = 0;
    for (Layer& l : layers_) {
      for (const ParamSpec& p : l.param_specs) {
        const LayerWeights& lw = weights.at(next++);
        Tensor t = torch::from_blob(const_cast<float*>(lw.values.data()),
                                    std::vector<std::int64_t>(p.shape.begin(), p.shape.end()), torch::kFloat)
                       .clone();
        l.params.push_back(t);
      }
    }
  }

  std::vector<LayerWeights> weights() const {
    std::vector<LayerWeights> out;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      const Layer& l = layers_[i];
      for (std::size_t p = 0; p < l.params.size(); ++p) {
        Tensor t = l.params[p].detach().contiguous();
        const float* v = t.data_ptr<float>();
        out.push_back({weight_name(i, l.param_specs[p].param), l.param_specs[p].shape,
                       std::vector<float>(v, v + t.numel())});
      }
    }
    return out;
  }

  std::vector<Tensor> trainable() const {
    std::vector<Tensor> out;
    for (const Layer& l : layers_) {
      for (std::size_t p = 0; p < l.params.size(); ++p) {
        if (l.param_specs[p].trainable) out.push_back(l.params[p]);
      }
    }
    return out;
  }

  std::vector<Tensor> state() const {
    std::vector<Tensor> out;
    for (const Layer& l : layers_) out.insert(out.end(), l.params.begin(), l.params.end());
    return out;
  }

  // Logits [N, classes]: the output layer's softmax is left to the caller (log-softmax for the loss).
  // `x` is [N, input_shape...], channels-last. `gen` draws the dropout masks when training.
  Tensor forward(const Tensor& x, bool training, c10::optional<at::Generator> gen) const {
    Activation a{x, false};
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      bool output_layer = i + 1 == layers_.size();
      a = forward_layer(layers_[i], a, training, gen, output_layer);
    }
    return a.t;
  }

 private:
  static Activation forward_layer(const Layer& l, const Activation& a, bool training,
                                  c10::optional<at::Generator> gen, bool output_layer) {
    const std::string& type = l.spec.type;
    const std::int64_t n = a.t.size(0);
    if (type == "dense") {
      Tensor y = torch::linear(channels_last(a), l.params[0], l.params[1]);
      if (output_layer) return {y, false};
      return {activate(y, l.spec.activation, static_cast<int>(y.dim()) - 1), false};
    }
    if (type == "conv1d" || type == "conv2d" || type == "depthwise_conv2d") {
      Tensor in = channels_first(a);
      Tensor y;
      if (type == "conv1d") {
        // OHWI [F, 1, K, C] -> torch's [F, C, K].
        Tensor weight = l.params[0].squeeze(1).permute({0, 2, 1});
        y = conv_padded(in, l, [&](const Tensor& t, std::int64_t pad) {
          return torch::conv1d(t, weight, l.params[1], l.spec.strides, pad);
        });
      } else {
        bool depthwise = type == "depthwise_conv2d";
        // OHWI [F, K, K, C] -> [F, C, K, K]; depthwise [1, K, K, C*M] -> [C*M, 1, K, K] with groups = C.
        Tensor weight = depthwise ? l.params[0].permute({3, 0, 1, 2}) : l.params[0].permute({0, 3, 1, 2});
        std::int64_t groups = depthwise ? l.in_shape[2] : 1;
        y = conv_padded(in, l, [&](const Tensor& t, std::int64_t pad) {
          return torch::conv2d(t, weight, l.params[1], l.spec.strides, pad, 1, groups);
        });
      }
      return {activate(y, l.spec.activation, 1), true};
    }
    if (type.find("pool") != std::string::npos) return {pool(l, channels_first(a)), true};
    if (type == "dropout") {
      if (!training || l.spec.rate == 0.0) return a;
      double keep = 1.0 - l.spec.rate;
      Tensor mask = torch::empty_like(a.t).bernoulli_(keep, gen);
      return {a.t * mask / keep, a.channels_first};
    }
    if (type == "batch_norm") return batch_norm(l, a, training);
    if (type == "flatten") return {channels_last(a).reshape({n, -1}), false};
    if (type == "reshape") return {channels_last(a).reshape(batch_shape(n, l.out_shape)), false};
    throw Error("layer type '" + type + "' is not implemented");
  }

  // Keras padding: symmetric padding goes to torch's conv, asymmetric ("same" with an even kernel or stride >
  // 1) is applied explicitly first.
  template <typename Conv>
  static Tensor conv_padded(const Tensor& in, const Layer& l, const Conv& conv) {
    bool two_d = l.in_shape.size() == 3;
    bool symmetric = l.h.pad_before == l.h.pad_after &&
                     (!two_d || (l.w.pad_before == l.w.pad_after && l.w.pad_before == l.h.pad_before));
    if (symmetric) return conv(in, l.h.pad_before);
    return conv(pad(in, l, 0.0), 0);
  }

  // Pads the spatial axes of a channels-first tensor as Keras's "same" does.
  static Tensor pad(const Tensor& in, const Layer& l, double value) {
    if (l.in_shape.size() == 3) {
      return torch::constant_pad_nd(in, {l.w.pad_before, l.w.pad_after, l.h.pad_before, l.h.pad_after},
                                    value);
    }
    return torch::constant_pad_nd(in, {l.h.pad_before, l.h.pad_after}, value);
  }

  static Tensor pool(const Layer& l, const Tensor& in) {
    const bool two_d = l.in_shape.size() == 3;
    const std::int64_t k = l.spec.pool_size, s = pool_stride(l.spec);
    const bool padded = l.h.pad_before + l.h.pad_after + l.w.pad_before + l.w.pad_after > 0;
    auto run = [&](const Tensor& t, bool max) {
      if (two_d) return max ? torch::max_pool2d(t, {k, k}, {s, s}) : torch::avg_pool2d(t, {k, k}, {s, s});
      return max ? torch::max_pool1d(t, {k}, {s}) : torch::avg_pool1d(t, {k}, {s});
    };
    if (l.spec.type.rfind("max", 0) == 0) {
      // The padding never wins a max (every window holds at least one real element).
      return run(padded ? pad(in, l, -std::numeric_limits<double>::infinity()) : in, true);
    }
    if (!padded) return run(in, false);
    // Keras averages over the real elements only: sum over the zero-padded window / number of real elements.
    std::vector<std::int64_t> ones_shape = {1, 1, l.in_shape[0]};
    if (two_d) ones_shape.push_back(l.in_shape[1]);
    Tensor real = run(pad(torch::ones(ones_shape, in.options()), l, 0.0), false);
    return run(pad(in, l, 0.0), false) / real;
  }

  static Activation batch_norm(const Layer& l, const Activation& a, bool training) {
    const Tensor &gamma = l.params[0], &beta = l.params[1], &moving_mean = l.params[2],
                 &moving_var = l.params[3];
    if (!training) {
      Tensor scale = per_channel(gamma * torch::rsqrt(moving_var + kBatchNormEpsilon), a);
      return {(a.t - per_channel(moving_mean, a)) * scale + per_channel(beta, a), a.channels_first};
    }
    std::vector<std::int64_t> dims;
    for (std::int64_t d = 0; d < a.t.dim(); ++d) {
      if (d != channel_dim(a)) dims.push_back(d);
    }
    Tensor mean = a.t.mean(dims, true);
    Tensor centered = a.t - mean;
    Tensor var =
        centered.square().mean(dims, true);  // biased, as Keras uses for both normalising and tracking
    {
      torch::NoGradGuard no_grad;
      moving_mean.mul_(kBatchNormMomentum).add_(mean.detach().flatten(), 1.0 - kBatchNormMomentum);
      moving_var.mul_(kBatchNormMomentum).add_(var.detach().flatten(), 1.0 - kBatchNormMomentum);
    }
    Tensor y =
        centered * torch::rsqrt(var + kBatchNormEpsilon) * per_channel(gamma, a) + per_channel(beta, a);
    return {y, a.channels_first};
  }

  std::vector<Layer> layers_;
};

// Adam with Keras's update rule: p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
class Adam {
 public:
  Adam(std::vector<Tensor> params, double lr) : params_(std::move(params)), lr_(lr) {
    for (const Tensor& p : params_) {
      m_.push_back(torch::zeros_like(p));
      v_.push_back(torch::zeros_like(p));
    }
  }
  void zero_grad() {
    for (Tensor& p : params_) {
      if (p.grad().defined()) p.mutable_grad().zero_();
    }
  }
  void step() {
    torch::NoGradGuard no_grad;
    ++t_;
    double alpha = lr_ * std::sqrt(1.0 - std::pow(kAdamBeta2, t_)) / (1.0 - std::pow(kAdamBeta1, t_));
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const Tensor& g = params_[i].grad();
      m_[i].mul_(kAdamBeta1).add_(g, 1.0 - kAdamBeta1);
      v_[i].mul_(kAdamBeta2).addcmul_(g, g, 1.0 - kAdamBeta2);
      params_[i].addcdiv_(m_[i], v_[i].sqrt().add_(kAdamEpsilon), -alpha);
    }
  }

 private:
  std::vector<Tensor> params_, m_, v_;
  double lr_;
  int t_ = 0;
};

struct Split {
  std::vector<std::int64_t> train, validation;
};

// Stratified by class and grouped by sample: per class, whole samples drawn with `gen` go to validation until
// it holds round(n * share) windows, keeping at least one sample of the class for training.
Split stratified_split(const std::vector<int>& y, const std::vector<std::int64_t>& group, int classes,
                       double share, at::Generator& gen) {
  Split s;
  for (int c = 0; c < classes; ++c) {
    // The class's groups in order of first appearance, each with its rows.
    std::vector<std::vector<std::int64_t>> groups;
    std::map<std::int64_t, std::size_t> index;
    std::int64_t n = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] != c) continue;
      std::int64_t g = group.empty() ? static_cast<std::int64_t>(i) : group[i];
      auto [it, added] = index.emplace(g, groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(static_cast<std::int64_t>(i));
      ++n;
    }
    if (groups.empty()) continue;
    const std::int64_t want = std::llround(static_cast<double>(n) * share);
    Tensor perm = torch::randperm(static_cast<std::int64_t>(groups.size()), gen, torch::kLong);
    const std::int64_t* p = perm.data_ptr<std::int64_t>();
    std::int64_t taken = 0;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      const auto& rows = groups[p[k]];
      bool to_validation = taken < want && k + 1 < groups.size();
      if (to_validation) taken += static_cast<std::int64_t>(rows.size());
      auto& dest = to_validation ? s.validation : s.train;
      dest.insert(dest.end(), rows.begin(), rows.end());
    }
  }
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.validation.begin(), s.validation.end());
  return s;
}

Tensor index_tensor(const std::vector<std::int64_t>& v) {
  return torch::from_blob(const_cast<std::int64_t*>(v.data()), {static_cast<std::int64_t>(v.size())},
                          torch::kLong)
      .clone();
}

struct Evaluation {
  double loss = 0, accuracy = 0;
};

Evaluation evaluate(const Network& net, const Tensor& x, const Tensor& y, const Tensor& rows) {
  torch::NoGradGuard no_grad;
  double loss = 0;
  std::int64_t correct = 0, n = rows.size(0);
  for (std::int64_t i = 0; i < n; i += kEvalBatch) {
    Tensor idx = rows.slice(0, i, std::min(i + kEvalBatch, n));
    Tensor yb = y.index_select(0, idx);
    Tensor logits = net.forward(x.index_select(0, idx), false, c10::nullopt);
    loss += torch::nll_loss(torch::log_softmax(logits, 1), yb, {}, at::Reduction::Sum).item<double>();
    correct += logits.argmax(1).eq(yb).sum().item<std::int64_t>();
  }
  return {loss / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n)};
}

void check_training_input(const FeatureSet& train, const std::vector<std::string>& labels,
                          const TrainSettings& s) {
  if (labels.size() < 2) {
    throw Error("a classifier needs at least 2 labels, got " + std::to_string(labels.size()));
  }
  if (train.count() == 0) throw Error("the training set is empty");
  std::size_t row = 1;
  for (int d : train.shape) row *= static_cast<std::size_t>(std::max(d, 0));
  if (train.shape.empty() || row == 0 || train.x.size() != train.count() * row) {
    throw Error("the training set holds " + std::to_string(train.x.size()) + " values, " +
                std::to_string(train.count()) + " windows of shape " + shape_string(train.shape) + " need " +
                std::to_string(train.count() * row));
  }
  if (!train.group.empty() && train.group.size() != train.count()) {
    throw Error("the training set has " + std::to_string(train.group.size()) + " sample ids for " +
                std::to_string(train.count()) + " windows");
  }
  for (std::size_t i = 0; i < train.count(); ++i) {
    if (train.y[i] < 0 || train.y[i] >= static_cast<int>(labels.size())) {
      throw Error("training window " + std::to_string(i) + " has class index " + std::to_string(train.y[i]) +
                  ", outside the " + std::to_string(labels.size()) + " labels");
    }
  }
  for (std::size_t i = 0; i < train.x.size(); ++i) {
    if (!std::isfinite(train.x[i])) {
      throw Error("training window " + std::to_string(i / row) + " has a NaN or infinite feature");
    }
  }
  if (s.epochs < 1) throw Error("[train] epochs must be >= 1, got " + std::to_string(s.epochs));
  if (s.batch_size < 1) throw Error("[train] batch_size must be >= 1, got " + std::to_string(s.batch_size));
  if (!(s.learning_rate > 0) || !std::isfinite(s.learning_rate)) {
    throw Error("[train] learning_rate must be > 0, got " + std::to_string(s.learning_rate));
  }
  if (!(s.validation_split >= 0 && s.validation_split < 1)) {
    throw Error("[train] validation_split must be in [0, 1), got " + std::to_string(s.validation_split));
  }
  if (s.threads < 1) throw Error("[train] threads must be >= 1, got " + std::to_string(s.threads));
  if (s.class_weights != "none" && s.class_weights != "balanced") {
    throw Error("[train] class_weights must be none or balanced, got '" + s.class_weights + "'");
  }
}

// Per-class weights of the training loss, empty for "none". "balanced" is sklearn's compute_class_weight
// (what Keras users pass as class_weight): n / (k * n_c) over the training rows, with k the number of classes
// that have training rows. A class without any keeps 1: it is never a target.
std::vector<double> class_weights(const std::vector<int>& y, const std::vector<std::int64_t>& rows,
                                  int classes, const std::string& mode) {
  if (mode == "none") return {};
  std::vector<std::int64_t> count(static_cast<std::size_t>(classes), 0);
  for (std::int64_t r : rows) ++count[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])];
  const auto present = std::count_if(count.begin(), count.end(), [](std::int64_t n) { return n > 0; });
  std::vector<double> w(static_cast<std::size_t>(classes), 1.0);
  for (std::size_t c = 0; c < w.size(); ++c) {
    if (count[c] > 0) {
      w[c] =
          static_cast<double>(rows.size()) / (static_cast<double>(present) * static_cast<double>(count[c]));
    }
  }
  return w;
}

nlohmann::json class_weights_json(const std::vector<double>& weights, const std::vector<std::string>& labels,
                                  const std::string& mode) {
  if (weights.empty()) return mode;
  nlohmann::json per_label = nlohmann::json::object();
  for (std::size_t c = 0; c < labels.size(); ++c) per_label[labels[c]] = weights[c];
  return {{"mode", mode}, {"weights", per_label}};
}

nlohmann::json epoch_json(const EpochStats& e) {
  return {{"epoch", e.epoch},
          {"loss", e.loss},
          {"accuracy", e.accuracy},
          {"val_loss", e.val_loss},
          {"val_accuracy", e.val_accuracy}};
}

}  // namespace

ClassifierModel torch_train_classifier(const FeatureSet& train, const std::vector<std::string>& labels,
                                       const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                                       const std::function<void(const EpochStats&)>& on_epoch) {
  check_training_input(train, labels, settings);
  const int classes = static_cast<int>(labels.size());
  std::vector<LayerSpec> resolved = resolve_layers(layers, train.shape, classes);
  torch::set_num_threads(settings.threads);
  FlushDenormals flush_denormals;

  at::Generator split_gen = make_generator(settings.seed, Stream::split);
  at::Generator init_gen = make_generator(settings.seed, Stream::init);
  at::Generator train_gen = make_generator(settings.seed, Stream::training);

  Split split = stratified_split(train.y, train.group, classes, settings.validation_split, split_gen);
  const bool validate = !split.validation.empty();
  Network net(resolved, train.shape, classes);
  net.init(init_gen);
  Adam adam(net.trainable(), settings.learning_rate);

  // Read-only view of the caller's features: batches are copied out with index_select.
  const std::int64_t n_all = static_cast<std::int64_t>(train.count());
  Tensor x =
      torch::from_blob(const_cast<float*>(train.x.data()), batch_shape(n_all, train.shape), torch::kFloat);
  std::vector<std::int64_t> y64(train.y.begin(), train.y.end());
  Tensor y = index_tensor(y64);
  Tensor train_rows = index_tensor(split.train), val_rows = index_tensor(split.validation);
  const std::int64_t n = train_rows.size(0);
  // Weights the training loss only: validation (which picks the epoch) stays unweighted, as with Keras's
  // class_weight.
  const std::vector<double> per_class = class_weights(train.y, split.train, classes, settings.class_weights);
  const Tensor loss_weights = per_class.empty() ? Tensor() : torch::tensor(per_class, torch::kFloat);

  std::vector<Tensor> best_state;
  int best_epoch = 0;
  double best_val_loss = std::numeric_limits<double>::infinity();
  EpochStats best_stats;
  nlohmann::json history = nlohmann::json::array();
  for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
    Tensor order = train_rows.index_select(0, torch::randperm(n, train_gen, torch::kLong));
    double loss_sum = 0;
    std::int64_t correct = 0;
    for (std::int64_t i = 0; i < n; i += settings.batch_size) {
      Tensor idx = order.slice(0, i, std::min<std::int64_t>(i + settings.batch_size, n));
      Tensor yb = y.index_select(0, idx);
      Tensor logits = net.forward(x.index_select(0, idx), true, train_gen);
      Tensor log_probs = torch::log_softmax(logits, 1);
      // Weighted: Keras's reduction, sum(w_i * loss_i) / batch size (torch's weighted mean would divide by
      // sum(w_i) instead).
      Tensor loss =
          loss_weights.defined()
              ? (torch::nll_loss(log_probs, yb, {}, at::Reduction::None) * loss_weights.index_select(0, yb))
                    .mean()
              : torch::nll_loss(log_probs, yb);
      adam.zero_grad();
      loss.backward();
      adam.step();
      loss_sum += loss.item<double>() * static_cast<double>(idx.size(0));
      correct += logits.detach().argmax(1).eq(yb).sum().item<std::int64_t>();
    }
    EpochStats stats;
    stats.epoch = epoch;
    stats.loss = loss_sum / static_cast<double>(n);
    stats.accuracy = static_cast<double>(correct) / static_cast<double>(n);
    stats.val_loss = stats.val_accuracy = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(stats.loss)) {
      throw Error("training diverged at epoch " + std::to_string(epoch) +
                  " (the loss is not a number); try a lower [train] learning_rate");
    }
    if (validate) {
      Evaluation v = evaluate(net, x, y, val_rows);
      stats.val_loss = v.loss;
      stats.val_accuracy = v.accuracy;
    }
    // With validation: keep the epoch with the lowest validation loss (the first one on ties). Without: the
    // last.
    if (!validate || stats.val_loss < best_val_loss) {
      best_val_loss = validate ? stats.val_loss : best_val_loss;
      best_epoch = epoch;
      best_stats = stats;
      best_state.clear();
      for (const Tensor& t : net.state()) best_state.push_back(t.detach().clone());
    }
    history.push_back(epoch_json(stats));
    if (on_epoch) on_epoch(stats);
  }
  if (best_state.empty()) {
    throw Error(
        "training diverged (the validation loss is never a number); try a lower [train] learning_rate");
  }
  {
    torch::NoGradGuard no_grad;
    std::vector<Tensor> state = net.state();
    for (std::size_t i = 0; i < state.size(); ++i) state[i].copy_(best_state[i]);
  }

  ClassifierModel model;
  model.labels = labels;
  model.input_shape = train.shape;
  model.layers = resolved;
  model.weights = net.weights();
  nlohmann::json validation = {{"windows", split.validation.size()}};
  if (validate && !train.group.empty()) {
    std::set<std::int64_t> samples;
    for (std::int64_t row : split.validation) samples.insert(train.group[static_cast<std::size_t>(row)]);
    validation["samples"] = samples.size();
  }
  if (validate) {
    validation["method"] = train.group.empty()
                               ? "stratified split of the training windows, drawn with the seed"
                               : "stratified split of the training samples (all windows of a sample "
                                 "together), drawn with the seed";
    validation["share"] = settings.validation_split;
  } else {
    validation["method"] = "none";
    validation["reason"] = settings.validation_split == 0
                               ? "validation_split is 0"
                               : "too few training windows for a validation split; kept the last epoch";
  }
  model.metadata = {{"best_epoch", best_epoch},
                    {"best", epoch_json(best_stats)},
                    {"epochs_run", settings.epochs},
                    {"train_windows", split.train.size()},
                    {"validation", validation},
                    {"optimizer",
                     {{"name", "adam"},
                      {"learning_rate", settings.learning_rate},
                      {"beta_1", kAdamBeta1},
                      {"beta_2", kAdamBeta2},
                      {"epsilon", kAdamEpsilon}}},
                    {"loss", "categorical_crossentropy"},
                    {"class_weights", class_weights_json(per_class, labels, settings.class_weights)},
                    {"batch_size", settings.batch_size},
                    {"seed", settings.seed},
                    {"threads", settings.threads},
                    {"history", history}};
  return model;
}

std::vector<float> torch_predict(const ClassifierModel& model, const float* x, std::size_t count) {
  check_model(model);
  const int classes = static_cast<int>(model.labels.size());
  Network net(model.layers, model.input_shape, classes);
  net.load(model.weights);
  std::size_t row = 1;
  for (int d : model.input_shape) row *= static_cast<std::size_t>(d);

  std::vector<float> scores(count * static_cast<std::size_t>(classes));
  FlushDenormals flush_denormals;
  torch::InferenceMode inference;
  for (std::size_t i = 0; i < count; i += kEvalBatch) {
    std::int64_t b = static_cast<std::int64_t>(std::min<std::size_t>(kEvalBatch, count - i));
    Tensor xb =
        torch::from_blob(const_cast<float*>(x + i * row), batch_shape(b, model.input_shape), torch::kFloat);
    Tensor probs = torch::softmax(net.forward(xb, false, c10::nullopt), 1).contiguous();
    std::copy(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel(),
              scores.begin() + static_cast<std::ptrdiff_t>(i * classes));
  }
  return scores;
}

}  // namespace kiln
