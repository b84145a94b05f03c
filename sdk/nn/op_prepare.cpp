// OpPrepare and prepare_operator (sdk/nn/op_table.h): the context an operator's prepare runs in.
#include <string.h>

#include "nn/op_table.h"

namespace kiln {
namespace nn {

OpPrepare::OpPrepare(const Model& model, const OperatorView& op, const OpDef& def, PrepareMemory* memory)
    : model_(model),
      op_(op),
      def_(def),
      memory_(memory),
      options_(),
      kernel_(0),
      call_(0),
      overflow_(false),
      num_inputs_(0),
      num_outputs_(0) {
  if (op.options.valid() && op.options_type == def.options_type && def.options_type != tflite::kOptionsNone)
    options_ = op.options;
}

Status OpPrepare::input(uint32_t i, TensorView* view, int32_t* index) const {
  *index = input_index(i);
  if (*index < 0) return kBadOperator;
  return read_tensor(model_, *index, view);
}

Status OpPrepare::output(uint32_t i, TensorView* view, int32_t* index) const {
  *index = operator_output(model_, op_, i);
  if (*index < 0) return kBadOperator;
  const Status s = read_tensor(model_, *index, view);
  if (s != kOk) return s;
  return view->data ? kBadGraph : kOk;
}

void* OpPrepare::use_kernel(const KernelDef& kernel) {
  kernel_ = &kernel;
  void* p = kernel.call_bytes <= kMaxCallBytes ? memory_->allocate(kernel.call_bytes) : 0;
  if (kernel.call_bytes > kMaxCallBytes) overflow_ = true;
  call_ = p ? p : local_;
  memset(call_, 0, kernel.call_bytes <= kMaxCallBytes ? kernel.call_bytes : kMaxCallBytes);
  return call_;
}

void OpPrepare::bind_input(int32_t tensor) {
  if (num_inputs_ < kMaxOpInputs)
    inputs_[num_inputs_++] = tensor;
  else
    overflow_ = true;
}

void OpPrepare::bind_output(int32_t tensor) {
  if (num_outputs_ < kMaxOpOutputs)
    outputs_[num_outputs_++] = tensor;
  else
    overflow_ = true;
}

Status OpPrepare::finish(PreparedCall* out) const {
  // A prepare that chose no kernel or bound too much is a bug of the operator, not of the model.
  if (!kernel_ || overflow_ || num_outputs_ < 1) return kUnsupportedFeature;
  if (memory_->base && memory_->used > memory_->size) return kArenaTooSmall;
  out->op = &def_;
  out->kernel = kernel_;
  out->call = memory_->base ? call_ : 0;
  out->num_inputs = num_inputs_;
  out->num_outputs = num_outputs_;
  for (int32_t i = 0; i < num_inputs_; ++i) out->inputs[i] = inputs_[i];
  for (int32_t i = 0; i < num_outputs_; ++i) out->outputs[i] = outputs_[i];
  return kOk;
}

Status prepare_operator(const Model& model, int32_t index, PrepareMemory* memory, PreparedCall* out) {
  if (!memory || !out) return kNullArgument;
  OperatorView view;
  Status s = read_operator(model, index, &view);
  if (s != kOk) return s;
  const OpDef* def = find_op(view.code);
  if (!def) return kUnsupportedOperator;
  OpPrepare p(model, view, *def, memory);
  s = def->prepare(p);
  if (s != kOk) return s;
  return p.finish(out);
}

}  // namespace nn
}  // namespace kiln
