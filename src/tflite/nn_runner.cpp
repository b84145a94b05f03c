#include "tflite/nn_runner.h"

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

impulse::TensorFormat format_of(const nn::TensorInfo& t, std::size_t count) {
  const bool q = t.type == nn::kTypeInt8;
  return {q ? impulse::kTensorInt8 : impulse::kTensorFloat32, count, q ? t.scale : 0.0f,
          q ? t.zero_point : 0};
}

void* input_data(void* interp) {
  return nn::interpreter_input(static_cast<nn::Interpreter*>(interp), 0);
}

const void* output_data(void* interp) {
  return nn::interpreter_output(static_cast<nn::Interpreter*>(interp), 0);
}

bool invoke(void* interp) {
  return nn::interpreter_invoke(static_cast<nn::Interpreter*>(interp)) == nn::kOk;
}

}  // namespace

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
  network_ = {format_of(input_, input_elements_),
              format_of(output_, output_elements_),
              interp_.get(),
              input_data,
              output_data,
              invoke};
}

void NnRunner::set_input(const float* x) {
  impulse::set_features(network_, x, input_elements_);
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
    impulse::Scores scores = {out.data() + w * output_elements_, nullptr, output_elements_, 0};
    impulse::read_scores(network_, &scores);
  }
  return out;
}

}  // namespace kiln
