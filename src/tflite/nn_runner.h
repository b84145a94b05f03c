// A .tflite model run on the host through sdk/nn, the device runtime: float windows in, float scores out.
// The step from features to scores is the impulse runtime's (sdk/impulse/impulse.h): for an int8 model the
// input is quantized with nn::quantize_s8 and the output dequantized ((q - zero_point) * scale), as on the
// device. network() hands the model to an impulse::Impulse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "impulse/impulse.h"
#include "kiln/nn.h"

namespace kiln {

class NnRunner {
 public:
  // Takes the model bytes; `name` (a file name) prefixes error messages. Throws kiln::Error when sdk/nn
  // rejects the model.
  NnRunner(std::vector<std::uint8_t> bytes, std::string name);
  NnRunner(const NnRunner&) = delete;
  NnRunner& operator=(const NnRunner&) = delete;

  const nn::TensorInfo& input_info() const { return input_; }
  const nn::TensorInfo& output_info() const { return output_; }
  std::size_t input_elements() const { return input_elements_; }
  std::size_t output_elements() const { return output_elements_; }
  std::size_t arena_bytes() const { return arena_bytes_; }

  // The model as the impulse runtime's network (valid while this runner lives).
  const impulse::Network& network() const { return network_; }

  // Scores of `count` windows of input_elements() values each, count * output_elements() values.
  std::vector<float> predict(const float* x, std::size_t count);

  // One window exactly as the device runs it: `input` holds the input tensor's values in its own type (int8
  // or float32, input_elements() of them), `output` receives the output tensor's (output_elements()).
  void invoke_raw(const void* input, void* output);

  // Step by step (calibration): set the input, run one operator, read a tensor it wrote.
  void set_input(const float* x);
  void run_operator(int op);
  const nn::Model& model() const { return *model_; }
  const void* tensor(int index) const;

 private:
  std::vector<std::uint8_t> bytes_;
  std::string name_;
  std::unique_ptr<nn::Model> model_;
  std::unique_ptr<nn::Interpreter> interp_;
  std::vector<std::uint64_t> arena_;  // 8-byte aligned
  std::size_t arena_bytes_ = 0;
  nn::TensorInfo input_{}, output_{};
  std::size_t input_elements_ = 0, output_elements_ = 0;
  impulse::Network network_{};
};

}  // namespace kiln
