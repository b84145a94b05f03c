// Consistency of a ClassifierModel: labels, layer stack and weight table must fit together before a model is
// saved, loaded or run.
#include <cmath>
#include <set>

#include "core/error.h"
#include "train/classifier.h"
#include "train/layer_geometry.h"

namespace kiln {

void check_model(const ClassifierModel& model) {
  std::set<std::string> unique(model.labels.begin(), model.labels.end());
  if (unique.size() != model.labels.size()) throw Error("the model's labels are not unique");
  const int classes = static_cast<int>(model.labels.size());
  std::vector<LayerSpec> resolved = resolve_layers(model.layers, model.input_shape, classes);
  if (resolved.size() != model.layers.size()) {
    throw Error("the model's layer stack does not end in its output layer dense(" + std::to_string(classes) +
                ", softmax)");
  }
  std::vector<std::vector<int>> shapes = check_layers(model.layers, model.input_shape, classes);
  std::size_t w = 0;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const std::vector<int>& in = i == 0 ? model.input_shape : shapes[i - 1];
    for (const ParamSpec& p : layer_params(model.layers[i], in)) {
      std::string name = weight_name(i, p.param);
      if (w >= model.weights.size()) throw Error("the model has no weights '" + name + "'");
      const LayerWeights& lw = model.weights[w++];
      if (lw.name != name)
        throw Error("the model has weights '" + lw.name + "' where '" + name + "' belongs");
      if (lw.shape != p.shape) {
        throw Error("weights '" + name + "' have shape " + shape_string(lw.shape) + ", the layer needs " +
                    shape_string(p.shape));
      }
      std::size_t count = 1;
      for (int d : p.shape) count *= static_cast<std::size_t>(d);
      if (lw.values.size() != count) {
        throw Error("weights '" + name + "' hold " + std::to_string(lw.values.size()) + " values, shape " +
                    shape_string(p.shape) + " needs " + std::to_string(count));
      }
      for (float v : lw.values) {
        if (!std::isfinite(v)) throw Error("weights '" + name + "' contain a NaN or infinite value");
      }
    }
  }
  if (w != model.weights.size()) {
    throw Error("the model has weights '" + model.weights[w].name + "' that no layer uses");
  }
}

const LayerWeights& layer_weights(const ClassifierModel& model, std::size_t layer, const std::string& param) {
  std::string name = weight_name(layer, param);
  for (const LayerWeights& w : model.weights) {
    if (w.name == name) return w;
  }
  throw Error("the model has no weights '" + name + "'");
}

}  // namespace kiln
