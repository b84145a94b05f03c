// The classifier learning block: a small neural network over one window's features, trained with libtorch
// (float32) and saved as one torch-free model file. libtorch stays inside src/train/torch_classifier.cpp,
// built into the module libkiln_torch.so: train_classifier() and predict() load it on first use
// (torch_module.h), everything else here is torch-free. This header and everything that includes it see plain
// vectors only.
//
// Semantics are Keras's (the network is meant to be exported to TFLite as it is):
//  - Tensors are channels-last: a conv1d input is [time, channels], a conv2d input [h, w, c]; flatten is
//  row-major
//    over that layout ([time][channels]), like Keras's Flatten.
//  - padding "same": out = ceil(in / stride), the zero (max pool: ignored) padding split as floor(total / 2)
//  before
//    and the rest after; "valid": out = floor((in - k) / stride) + 1. An average pool with "same" padding
//    averages only the valid elements. batch_norm normalises over the last axis (momentum 0.99, epsilon 1e-3,
//    moving variance updated with the biased batch variance, as Keras does).
//  - Dense on an input of rank > 1 acts on the last axis, like Keras's Dense.
//
// The output layer: a stack that ends in a dense layer with activation "softmax" has its output layer; that
// layer must give exactly one score per label. Any other stack gets one appended: a flatten when the stack's
// output has more than one axis, then dense(units = labels, softmax). resolve_layers() returns that final
// stack, which is what a trained model stores in ClassifierModel::layers.
//
// Weights (ClassifierModel::weights), in layer order, named "layer<N>.<param>" with N the 1-based position in
// ClassifierModel::layers (the same number error messages use). Layouts are TFLite's, so an exporter can use
// them as they are; all arrays are row-major float32:
//   dense             kernel [units, in]              bias [units]          (TFLite FULLY_CONNECTED)
//   conv1d            kernel [filters, 1, k, in_c]    bias [filters]        (TFLite CONV_2D on a [1, L]
//   image, OHWI) conv2d            kernel [filters, k, k, in_c]    bias [filters]        (OHWI)
//   depthwise_conv2d  kernel [1, k, k, in_c * mult]   bias [in_c * mult]    (output channel c * mult + m)
//   batch_norm        gamma, beta, moving_mean, moving_variance, each [channels]
// Other layer types have no weights. Initialisation is Keras's: glorot_uniform kernels (fans computed from
// the Keras kernel shape), zero biases, gamma 1, beta 0, moving mean 0, moving variance 1.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "project/impulse.h"

namespace kiln {

// Training data: one row per window.
struct FeatureSet {
  std::vector<int> shape;  // per-window feature shape, e.g. {frames, num_filters}
  std::vector<float> x;    // count() * prod(shape) values, row after row
  std::vector<int> y;      // class index (into the labels) per row
  // Optional: the sample (recording) each row comes from. Windows of one sample overlap, so the validation
  // split keeps a sample's windows together; otherwise validation would see near-copies of training windows
  // and pick the best epoch on an optimistic loss. Empty: every row is its own group.
  std::vector<std::int64_t> group;
  std::size_t count() const { return y.size(); }
};

// One epoch of training. loss/accuracy are averaged over the epoch's batches in training mode (dropout on),
// like Keras's progress output; val_loss/val_accuracy are NaN when training runs without a validation set.
struct EpochStats {
  int epoch = 0;  // 1-based
  double loss = 0, accuracy = 0, val_loss = 0, val_accuracy = 0;
};

struct LayerWeights {
  std::string name;        // "layer<N>.<param>", see above
  std::vector<int> shape;  // layout documented above
  std::vector<float> values;
};

struct ClassifierModel {
  std::vector<std::string> labels;    // output index -> label
  std::vector<int> input_shape;       // per-window feature shape
  std::vector<LayerSpec> layers;      // the resolved stack (ends in dense(labels.size(), softmax))
  std::vector<LayerWeights> weights;  // every parameter and batch-norm statistic, in layer order
  nlohmann::json metadata;  // best_epoch, history, validation split, ...; callers add dataset hash etc.
};

// The default network for audio features of shape [frames, num_filters] (Edge Impulse's default 1-D CNN):
//   conv1d(8, 3, same, relu) -> max_pool1d(2, 2, same) -> dropout(0.25) -> conv1d(16, 3, same, relu)
//   -> max_pool1d(2, 2, same) -> dropout(0.25) -> flatten
// and resolve_layers() appends dense(labels, softmax). Keras's leading Reshape((frames, num_filters)) is
// omitted: features already arrive with that shape.
std::vector<LayerSpec> default_audio_network();

// The default network for image features of shape [height, width, channels]:
//   conv2d(8, 3, same, relu) -> max_pool2d(2, 2, same) -> conv2d(16, 3, same, relu) -> max_pool2d(2, 2, same)
//   -> dropout(0.25) -> flatten
// and resolve_layers() appends dense(labels, softmax).
std::vector<LayerSpec> default_image_network();

// The default network for features of this shape: the image network for [h, w, c], else the audio one.
std::vector<LayerSpec> default_network(const std::vector<int>& feature_shape);

// The stack as it will be trained: `layers` plus the output layer when missing (see above). Throws
// kiln::Error naming the offending layer, e.g. "layer 3 (conv2d): expects a 3-D input [h, w, c], got [99,
// 40]".
std::vector<LayerSpec> resolve_layers(const std::vector<LayerSpec>& layers,
                                      const std::vector<int>& input_shape, int classes);

// Output shape (without the batch axis) of every layer of resolve_layers(layers, input_shape, classes), in
// order. Throws kiln::Error naming the layer for an impossible stack.
std::vector<std::vector<int>> check_layers(const std::vector<LayerSpec>& layers,
                                           const std::vector<int>& input_shape, int classes);

// Trains the network with Adam (Keras's update rule: betas 0.9/0.999, epsilon 1e-7) on categorical
// cross-entropy, and returns the weights of the epoch with the lowest validation loss.
//  - settings.class_weights "balanced" weights each training window's loss by n / (k * n_c) (n training
//    windows, k classes among them, n_c of its class), reduced as Keras does (sum / batch size); the
//    validation loss stays unweighted. metadata["class_weights"] records the weights per label.
//  - Validation: a stratified share `validation_split` of the training windows, drawn with the seed (per
//  class
//    round(n * split), keeping at least one training window per class). When that leaves no validation window
//    (tiny data or validation_split 0), training runs without validation, keeps the last epoch, and says so
//    in metadata["validation"].
//  - Deterministic: the same data, layers, settings and seed give bit-identical weights (for the same
//    settings.threads; torch's intra-op thread count is set to it).
//  - Throws kiln::Error for fewer than 2 labels, an empty or inconsistent training set, bad settings, an
//  impossible
//    layer stack, or a diverged training (loss NaN).
// on_epoch is called after every epoch, in order; an exception it throws stops training and propagates.
// Loads libkiln_torch.so on first use: a missing or broken module is a kiln::Error saying so.
ClassifierModel train_classifier(const FeatureSet& train, const std::vector<std::string>& labels,
                                 const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                                 const std::function<void(const EpochStats&)>& on_epoch);

// Softmax scores, count * labels.size(), row after row. `x` holds count * prod(model.input_shape) values.
// Float inference in eval mode (no dropout, batch norm from the moving statistics). On libtorch: loads
// libkiln_torch.so on first use, like train_classifier().
std::vector<float> predict(const ClassifierModel& model, const float* x, std::size_t count);

// Throws kiln::Error unless labels, layers and weights (names, shapes, finite values) fit together.
void check_model(const ClassifierModel& model);

// The weights of one layer: `layer` is the 0-based index into model.layers, `param` e.g. "kernel". Throws
// kiln::Error when absent.
const LayerWeights& layer_weights(const ClassifierModel& model, std::size_t layer, const std::string& param);

// Model file (".kmodel"): the line "kiln-model 1", one line of JSON (labels, input_shape, layers, the weight
// table with name/shape/offset/count, data_bytes, data_sha256, metadata), then the weights as little-endian
// float32. save_model writes atomically; load_model checks everything and throws kiln::Error naming the file.
void save_model(const std::filesystem::path& path, const ClassifierModel& model);
ClassifierModel load_model(const std::filesystem::path& path);

}  // namespace kiln
