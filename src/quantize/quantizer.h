// Post-training int8 quantization of a trained classifier, following the TFLite quantization spec:
//  - int8 input and output tensors (no QUANTIZE/DEQUANTIZE in the graph);
//  - activations int8 asymmetric, per tensor, from the range the float model reaches on calibration data
//    (widened to include 0; scale = (max - min) / 255, zero point = round(-128 - min / scale));
//  - conv/depthwise/dense weights int8 symmetric (zero point 0, scale = max|w| / 127), per output channel by
//    default or per tensor (QuantizeOptions::per_channel = false, like Keras's
//    disable_per_channel_quantization);
//  - biases int32, scale input_scale * weight_scale, zero point 0;
//  - pools and reshapes keep their input's scale and zero point; softmax outputs scale 1/256, zero point
//  -128;
//  - the per-channel constants of a batch norm that could not be folded (MUL/ADD) int8 asymmetric per tensor.
// Calibration runs the float32 .tflite through sdk/nn, operator by operator, and records every activation
// tensor's min and max: the ranges come from the device kernels, not from libtorch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "tflite/tflite_model.h"
#include "train/classifier.h"

namespace kiln {

class Generation;

struct QuantizeOptions {
  bool per_channel = true;
  // Calibration uses every training window up to this many; beyond it, this many evenly spaced windows
  // (window i * count / max for i = 0..max-1), so the choice is deterministic.
  std::size_t max_calibration_windows = 10000;
};

struct TensorRange {
  float min = 0, max = 0;
  bool seen = false;
};

struct TfliteModels {
  std::vector<std::uint8_t> float32;  // model-f32.tflite
  std::vector<std::uint8_t> int8;     // model-int8.tflite
  std::size_t calibration_windows = 0;
  bool per_channel = true;
};

// Activation ranges of every tensor of a float32 .tflite (indexed by tensor; constants stay unseen) over
// `count` windows of features. Throws kiln::Error when sdk/nn rejects the model.
std::vector<TensorRange> calibrate(const std::vector<std::uint8_t>& float_tflite, const float* x,
                                   std::size_t count, std::size_t max_windows);

// The int8 form of a float graph (from classifier_graph) given its calibrated ranges.
tflite::Model quantize_graph(const tflite::Model& float_graph, const std::vector<TensorRange>& ranges,
                             bool per_channel);

// Both .tflite files for a trained model. `features` is the calibration set (the training features); its
// shape must be the model's input shape. Throws kiln::Error for an empty or mismatched feature set.
TfliteModels export_tflite(const ClassifierModel& model, const FeatureSet& features,
                           const QuantizeOptions& options = {});

// Stages model-f32.tflite and model-int8.tflite in `dir` in the command's generation.
void write_tflite(Generation& generation, const std::filesystem::path& dir, const TfliteModels& models);
std::filesystem::path float_tflite_path(const std::filesystem::path& dir);
std::filesystem::path int8_tflite_path(const std::filesystem::path& dir);

}  // namespace kiln
