// The operator table: for every TFLite builtin operator the runtime implements, one OpDef (sdk/nn/ops/, one
// file per operator or family) says how to prepare it, and one KernelDef per kernel says how to run it.
//
// Preparing an operator checks its tensors and options and derives everything its kernel needs (dimensions,
// requantization multipliers, activation bounds) into the kernel's call struct, once: when the model loads
// (validation only), when the interpreter starts (into the arena) and when the compiled engine records the
// model (sdk/nn/kernel_emit.h). Running it is then one call of the kernel's eval with the call struct and the
// memory of the tensors prepare bound, nothing else.
//
// Adding an operator: docs/adding-an-operator.md.
#ifndef KILN_NN_OP_TABLE_H
#define KILN_NN_OP_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "kiln/nn.h"
#include "kiln/tflite_schema.h"
#include "nn/tflite_reader.h"

#ifdef KILN_NN_RECORDER
#include "nn/kernel_emit.h"
#endif

namespace kiln {
namespace nn {

// Runs one kernel: call is its call struct; inputs and outputs hold the memory of the tensors prepare bound,
// in binding order (null for an absent optional input).
typedef void (*KernelEval)(const void* call, const void* const* inputs, void* const* outputs);

struct KernelDef {
  KernelEval eval;
  uint32_t call_bytes;  // sizeof its call struct
#ifdef KILN_NN_RECORDER
  KernelEmit emit;  // how the compiled engine prints a call (host builds only)
#endif
};

// KernelDef initializers name their emit info once; device builds drop it, host builds (KILN_NN_RECORDER)
// keep it: {eval, sizeof(Call) KILN_NN_EMIT("Call", "eval_x", "nn/x.h", print_x, access_x)}.
#ifdef KILN_NN_RECORDER
#define KILN_NN_EMIT(...) \
  , {                     \
    __VA_ARGS__           \
  }
#else
#define KILN_NN_EMIT(...)
#endif

class OpPrepare;

struct OpDef {
  int32_t code;           // tflite::BuiltinOperator
  const char* name;       // as the schema spells it: "CONV_2D"
  uint32_t options_type;  // the tflite::BuiltinOptions its options table has (kOptionsNone: none)
  Status (*prepare)(OpPrepare& p);
  bool alias;  // the output is input 0's bytes (RESHAPE, SQUEEZE, EXPAND_DIMS): planners share the memory
};

// The operator of a builtin code, null when the runtime has none (ops/op_table.cpp).
const OpDef* find_op(int32_t code);

static const int kMaxOpInputs = 16;
static const int kMaxOpOutputs = 4;
// Largest call struct (checked where each kernel is defined).
static const size_t kMaxCallBytes = 192;

// Bump allocation of prepared data. With base null it only counts what would be allocated (validation and
// arena sizing use the same code as the real thing, so the counts are exact). Every block is aligned for a
// pointer, the strictest member of a call struct.
struct PrepareMemory {
  uint8_t* base;
  size_t size;
  size_t used;

  static size_t align(size_t n) { return (n + sizeof(void*) - 1) & ~(sizeof(void*) - 1); }
  // Null when counting, or when the memory is exhausted (then used > size).
  void* allocate(size_t bytes) {
    const size_t at = used;
    used += align(bytes);
    if (!base || used > size) return 0;
    return base + at;
  }
};

// One prepared operator: the kernel, its call struct and the tensor indices it binds (inputs then outputs).
struct PreparedCall {
  const OpDef* op;
  const KernelDef* kernel;
  const void* call;  // in the PrepareMemory; null when it was only counting
  int32_t num_inputs;
  int32_t inputs[kMaxOpInputs];  // -1: absent optional input
  int32_t num_outputs;
  int32_t outputs[kMaxOpOutputs];
};

// Prepares operator `index` of a loaded (or loading) model into memory. kUnsupportedOperator when the table
// has no such operator; kArenaTooSmall when memory (not counting) runs out.
Status prepare_operator(const Model& model, int32_t index, PrepareMemory* memory, PreparedCall* out);

// What an OpDef's prepare works with: the operator's tensors and options, and where it puts its result.
class OpPrepare {
 public:
  OpPrepare(const Model& model, const OperatorView& op, const OpDef& def, PrepareMemory* memory);

  const Model& model() const { return model_; }
  uint32_t num_inputs() const { return op_.num_inputs; }
  uint32_t num_outputs() const { return op_.num_outputs; }
  // Tensor index of input i, -1 when absent (omitted optional input or out of range).
  int32_t input_index(uint32_t i) const { return operator_input(model_, op_, i); }
  // Input i (kBadOperator when absent) and output i (also kBadGraph when it is a constant).
  Status input(uint32_t i, TensorView* view, int32_t* index) const;
  Status output(uint32_t i, TensorView* view, int32_t* index) const;
  // The options table; invalid (every field takes its schema default) when absent or of another type than
  // the OpDef's, as TFLite's builtin_options_as_X().
  const Table& options() const { return options_; }

  // Chooses the kernel; returns its call struct, zeroed. Never null: when counting (or out of memory) it is
  // local storage that is discarded.
  void* use_kernel(const KernelDef& kernel);
  // Memory that lives as long as the call struct (per-channel multipliers), pointer-aligned; null when
  // counting.
  void* allocate(size_t bytes) { return memory_->allocate(bytes); }
  // The kernel's operands, in the order its eval reads them (-1: absent optional input).
  void bind_input(int32_t tensor);
  void bind_output(int32_t tensor);

  Status finish(PreparedCall* out) const;

 private:
  const Model& model_;
  const OperatorView& op_;
  const OpDef& def_;
  PrepareMemory* memory_;
  Table options_;
  const KernelDef* kernel_;
  void* call_;
  bool overflow_;  // too many operands, or a kernel whose call struct is too large
  int32_t num_inputs_, inputs_[kMaxOpInputs];
  int32_t num_outputs_, outputs_[kMaxOpOutputs];
  uint64_t local_[kMaxCallBytes / 8];
};

// The call struct of kernel k in p, as its type (checked against the table's limit at compile time).
template <typename Call>
Call* use_kernel(OpPrepare& p, const KernelDef& k) {
  static_assert(sizeof(Call) <= kMaxCallBytes, "call struct larger than kMaxCallBytes");
  return static_cast<Call*>(p.use_kernel(k));
}

// One operator ready to run in the interpreter's arena.
struct PreparedOp {
  KernelEval eval;
  const void* call;
  const void* const* inputs;
  void* const* outputs;
};

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_OP_TABLE_H
