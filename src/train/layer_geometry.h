// Geometry of single layers, shared by shape checking, the model file checks and the torch network: Keras's
// padding arithmetic and the parameters each layer owns. Torch-free.
#pragma once

#include <string>
#include <vector>

#include "project/impulse.h"

namespace kiln {

// One spatial axis of a conv or pool window: output length and the padding before/after the input. "same":
// out = ceil(in / stride), total padding max((out - 1) * stride + k - in, 0) split floor(total / 2) before
// and the rest after (Keras/TFLite). "valid": out = floor((in - k) / stride) + 1, no padding; the caller has
// checked in >= k.
struct AxisWindow {
  int out = 0;
  int pad_before = 0;
  int pad_after = 0;
};
AxisWindow axis_window(int in, int kernel, int stride, bool same_padding);

// Pools: strides 0 means pool_size (like Keras's strides=None).
int pool_stride(const LayerSpec& layer);

enum class ParamInit { glorot_uniform, zeros, ones };

// One parameter (or batch-norm statistic) of a layer, in the layout documented in classifier.h.
struct ParamSpec {
  std::string param;  // kernel, bias, gamma, beta, moving_mean, moving_variance
  std::vector<int> shape;
  ParamInit init = ParamInit::zeros;
  bool trainable = true;        // false for the batch-norm moving statistics
  int fan_in = 0, fan_out = 0;  // glorot_uniform only, from the Keras kernel shape
};

// Parameters of `layer` given its (already checked) input shape, in a fixed order.
std::vector<ParamSpec> layer_params(const LayerSpec& layer, const std::vector<int>& input_shape);

// "layer<index + 1>.<param>": `index` is 0-based, the name 1-based like error messages.
std::string weight_name(std::size_t index, const std::string& param);

// "[99, 40]"
std::string shape_string(const std::vector<int>& shape);

}  // namespace kiln
