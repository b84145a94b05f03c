#include "quantize/nn_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "nn/quantize.h"

namespace kiln {

namespace {

std::size_t elements(const nn::TensorInfo& t) {
  std::size_t n = 1;
  for (int i = 0; i < t.rank; ++i) n *= static_cast<std::size_t>(t.dims[i]);
  return n;
}

}  // namespace

std::int8_t quantize_value(float x, float scale, std::int32_t zero_point) {
  const double q = std::round(static_cast<double>(x) / static_cast<double>(scale)) + zero_point;
  return static_cast<std::int8_t>(std::clamp(q, -128.0, 127.0));
}

NnRunner::NnRunner(std::vector<std::uint8_t> bytes, std::string name)
    : bytes_(std::move(bytes)),
      name_(std::move(name)),
      model_(std::make_unique<nn::Model>()),
      interp_(std::make_unique<nn::Interpreter>()) {
  auto fail = [&](nn::Status s, const std::string& where) {
    std::string at;
    if (model_->error_operator >= 0) at = " at operator " + std::to_string(model_->error_operator);
    if (model_->error_tensor >= 0) at = " at tensor " + std::to_string(model_->error_tensor);
    throw Error(name_ + ": " + where + ": " + nn::status_message(s) + at);
  };
  nn::Status s = nn::model_load(model_.get(), bytes_.data(), bytes_.size());
  if (s != nn::kOk) fail(s, "not a model sdk/nn can run");
  if (nn::model_input_count(*model_) != 1 || nn::model_output_count(*model_) != 1)
    throw Error(name_ + ": a classifier model has one input and one output");
  std::vector<std::uint8_t> scratch(nn::plan_scratch_bytes(*model_) + 16);
  s = nn::arena_bytes_needed(*model_, scratch.data(), scratch.size(), &arena_bytes_);
  if (s != nn::kOk) fail(s, "planning the arena");
  arena_.assign(arena_bytes_ / 8 + 1, 0);
  s = nn::interpreter_init(interp_.get(), model_.get(), arena_.data(), arena_.size() * 8);
  if (s != nn::kOk) fail(s, "initializing the interpreter");
  nn::model_tensor_info(*model_, nn::model_input_tensor(*model_, 0), &input_);
  nn::model_tensor_info(*model_, nn::model_output_tensor(*model_, 0), &output_);
  for (const nn::TensorInfo* t : {&input_, &output_}) {
    if (t->type != nn::kTypeFloat32 && t->type != nn::kTypeInt8)
      throw Error(name_ + ": input and output must be float32 or int8 tensors");
  }
  input_elements_ = elements(input_);
  output_elements_ = elements(output_);
}

void NnRunner::set_input(const float* x) {
  void* in = nn::interpreter_input(interp_.get(), 0);
  if (input_.type == nn::kTypeFloat32) {
    std::memcpy(in, x, input_elements_ * sizeof(float));
  } else {
    // The device's formula (nn::quantize_s8, float division), so kiln test scores what the device computes.
    auto* q = static_cast<std::int8_t*>(in);
    for (std::size_t i = 0; i < input_elements_; ++i)
      q[i] = nn::quantize_s8(x[i], input_.scale, input_.zero_point);
  }
}

void NnRunner::invoke_raw(const void* input, void* output) {
  auto bytes = [](const nn::TensorInfo& t, std::size_t n) { return n * (t.type == nn::kTypeInt8 ? 1 : 4); };
  std::memcpy(nn::interpreter_input(interp_.get(), 0), input, bytes(input_, input_elements_));
  nn::Status s = nn::interpreter_invoke(interp_.get());
  if (s != nn::kOk) throw Error(name_ + ": inference failed: " + nn::status_message(s));
  std::memcpy(output, nn::interpreter_output(interp_.get(), 0), bytes(output_, output_elements_));
}

void NnRunner::run_operator(int op) {
  nn::Status s = nn::interpreter_invoke_range(interp_.get(), op, op + 1);
  if (s != nn::kOk) throw Error(name_ + ": operator " + std::to_string(op) + ": " + nn::status_message(s));
}

const void* NnRunner::tensor(int index) const {
  return nn::interpreter_tensor(interp_.get(), index);
}

std::vector<float> NnRunner::predict(const float* x, std::size_t count) {
  std::vector<float> out(count * output_elements_);
  for (std::size_t w = 0; w < count; ++w) {
    set_input(x + w * input_elements_);
    nn::Status s = nn::interpreter_invoke(interp_.get());
    if (s != nn::kOk) throw Error(name_ + ": inference failed: " + nn::status_message(s));
    const void* o = nn::interpreter_output(interp_.get(), 0);
    float* dst = out.data() + w * output_elements_;
    if (output_.type == nn::kTypeFloat32) {
      std::memcpy(dst, o, output_elements_ * sizeof(float));
    } else {
      const auto* q = static_cast<const std::int8_t*>(o);
      for (std::size_t i = 0; i < output_elements_; ++i)
        dst[i] = static_cast<float>(q[i] - output_.zero_point) * output_.scale;
    }
  }
  return out;
}

}  // namespace kiln
