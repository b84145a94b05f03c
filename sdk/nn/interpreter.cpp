// Memory planning, preparation and execution. The arena holds one uint32 offset per tensor, then the
// activation region, then the prepared operators (sdk/nn/op_table.h): the PreparedOp array, each operator's
// call struct (with its requantization multipliers) and its tensor pointers. Planning is greedy by size with
// first fit among the buffers whose lifetimes overlap; alias operators (reshapes) share their input's memory.
// While planning, the activation region (or the caller's scratch) holds each entry's lifetime and size.
//
// The prepared operators come last so that the activations start at the same offset on every target: the
// host computes the arena layout of a deployed library (src/deploy/library_writer.cpp), and only the
// prepared part, which holds pointers, is smaller on a 32-bit device.
#include <string.h>

#include "nn/op_table.h"
#include "nn/tflite_reader.h"

namespace kiln {
namespace nn {

namespace {

const uint32_t kUnplaced = 0xFFFFFFFEu;
// A tensor without arena memory (constant or unused) in Interpreter::plan.
const uint32_t kNoOffset = 0xFFFFFFFFu;
const uint16_t kUnused = 0xFFFF;
// The prepared part starts aligned for a pointer; the arena is only required to be 4-byte aligned, so its
// size includes the worst-case padding (none on a 32-bit target).
const size_t kPreparedSlack = sizeof(void*) > 4 ? sizeof(void*) - 4 : 0;

struct Entry {
  uint16_t first, last;
  uint32_t size;
};

inline uint32_t align4(size_t n) {
  return static_cast<uint32_t>((n + 3) & ~static_cast<size_t>(3));
}

bool non_constant(const Model& m, int32_t t, uint32_t* bytes) {
  TensorView v;
  if (read_tensor(m, t, &v) != kOk || v.data) return false;
  *bytes = align4(v.bytes);
  return true;
}

void touch(Entry* e, uint32_t at) {
  const uint16_t a = static_cast<uint16_t>(at);
  if (e->first == kUnused) {
    e->first = e->last = a;
    return;
  }
  if (a < e->first) e->first = a;
  if (a > e->last) e->last = a;
}

bool is_alias(int32_t code) {
  const OpDef* def = find_op(code);
  return def && def->alias;
}

// Fills plan (offsets) using entries as work space; *peak receives the activation bytes.
Status plan_model(const Model& m, uint32_t* plan, Entry* entries, size_t* peak) {
  const uint32_t n = m.num_tensors;
  for (uint32_t e = 0; e < n; ++e) {
    plan[e] = e;  // alias root while computing lifetimes
    entries[e].first = kUnused;
    entries[e].last = 0;
    entries[e].size = 0;
  }
  // Aliases: a reshape's output shares the root of its (non-constant) input.
  for (uint32_t i = 0; i < m.num_operators; ++i) {
    OperatorView op;
    Status s = read_operator(m, static_cast<int32_t>(i), &op);
    if (s != kOk) return s;
    if (!is_alias(op.code)) continue;
    const int32_t in = operator_input(m, op, 0), out = operator_output(m, op, 0);
    uint32_t bytes;
    if (in >= 0 && out >= 0 && non_constant(m, in, &bytes)) plan[out] = plan[in];
  }
  for (uint32_t i = 0; i < m.num_inputs; ++i) {
    const int32_t t = read_i32(m, m.inputs, i);
    touch(&entries[plan[t]], 0);
  }
  for (uint32_t i = 0; i < m.num_operators; ++i) {
    OperatorView op;
    Status s = read_operator(m, static_cast<int32_t>(i), &op);
    if (s != kOk) return s;
    uint32_t bytes;
    for (uint32_t k = 0; k < op.num_inputs; ++k) {
      const int32_t t = operator_input(m, op, k);
      if (t >= 0 && non_constant(m, t, &bytes)) touch(&entries[plan[t]], i);
    }
    for (uint32_t k = 0; k < op.num_outputs; ++k) {
      const int32_t t = operator_output(m, op, k);
      if (t >= 0 && non_constant(m, t, &bytes)) touch(&entries[plan[t]], i);
    }
  }
  const uint32_t last_op = m.num_operators > 0 ? m.num_operators - 1 : 0;
  for (uint32_t i = 0; i < m.num_outputs; ++i) {
    const int32_t t = read_i32(m, m.outputs, i);
    touch(&entries[plan[t]], last_op);
  }
  for (uint32_t t = 0; t < n; ++t) {
    uint32_t bytes = 0;
    if (entries[t].first != kUnused && plan[t] == t && non_constant(m, static_cast<int32_t>(t), &bytes))
      entries[t].size = bytes;
  }
  for (uint32_t e = 0; e < n; ++e) plan[e] = kUnplaced;

  // Greedy by size, first fit.
  size_t top = 0;
  for (;;) {
    uint32_t pick = n;
    for (uint32_t e = 0; e < n; ++e)
      if (plan[e] == kUnplaced && entries[e].size > 0 && (pick == n || entries[e].size > entries[pick].size))
        pick = e;
    if (pick == n) break;
    const Entry& p = entries[pick];
    uint64_t offset = 0;
    for (;;) {
      // Move past every placed, time-overlapping buffer that collides with [offset, offset + size).
      bool moved = false;
      for (uint32_t e = 0; e < n; ++e) {
        if (plan[e] >= kUnplaced || entries[e].size == 0) continue;
        if (entries[e].last < p.first || entries[e].first > p.last) continue;
        const uint64_t lo = plan[e], hi = lo + entries[e].size;
        if (offset < hi && lo < offset + p.size) {
          offset = hi;
          moved = true;
        }
      }
      if (!moved) break;
    }
    if (offset + p.size > 0x7FFFFFF0u) return kTooLarge;
    plan[pick] = static_cast<uint32_t>(offset);
    if (offset + p.size > top) top = static_cast<size_t>(offset + p.size);
  }
  for (uint32_t e = 0; e < n; ++e)
    if (plan[e] == kUnplaced) plan[e] = kNoOffset;
  // Aliases take their root's offset (operators are in execution order, so roots resolve first).
  for (uint32_t i = 0; i < m.num_operators; ++i) {
    OperatorView op;
    if (read_operator(m, static_cast<int32_t>(i), &op) != kOk) return kBadModel;
    if (!is_alias(op.code)) continue;
    const int32_t in = operator_input(m, op, 0), out = operator_output(m, op, 0);
    uint32_t bytes;
    if (in >= 0 && out >= 0 && non_constant(m, in, &bytes)) plan[out] = plan[in];
  }
  *peak = top;
  return kOk;
}

// The memory of tensor t once the activations are placed: its constant data, or its planned offset.
void* tensor_memory(const Model& m, const uint32_t* plan, uint8_t* activations, int32_t t) {
  if (t < 0) return 0;
  TensorView v;
  if (read_tensor(m, t, &v) != kOk) return 0;
  if (v.data) return const_cast<uint8_t*>(v.data);
  return plan[t] == kNoOffset ? 0 : activations + plan[t];
}

// Prepares every operator into memory. With memory->base null it only counts the bytes (plan and
// activations may then be null); otherwise it also fills ops, the operators ready to run.
Status prepare_model(const Model& m, const uint32_t* plan, uint8_t* activations, PrepareMemory* memory,
                     PreparedOp** ops_out) {
  PreparedOp* ops = static_cast<PreparedOp*>(memory->allocate(sizeof(PreparedOp) * m.num_operators));
  for (uint32_t i = 0; i < m.num_operators; ++i) {
    PreparedCall call;
    Status s = prepare_operator(m, static_cast<int32_t>(i), memory, &call);
    if (s != kOk) return s;
    const void** inputs = static_cast<const void**>(memory->allocate(sizeof(void*) * call.num_inputs));
    void** outputs = static_cast<void**>(memory->allocate(sizeof(void*) * call.num_outputs));
    if (!memory->base) continue;
    if (!ops || !inputs || !outputs) return kArenaTooSmall;
    for (int32_t k = 0; k < call.num_inputs; ++k)
      inputs[k] = tensor_memory(m, plan, activations, call.inputs[k]);
    for (int32_t k = 0; k < call.num_outputs; ++k)
      outputs[k] = tensor_memory(m, plan, activations, call.outputs[k]);
    ops[i].eval = call.kernel->eval;
    ops[i].call = call.call;
    ops[i].inputs = inputs;
    ops[i].outputs = outputs;
  }
  if (ops_out) *ops_out = ops;
  return kOk;
}

Status prepared_bytes(const Model& m, size_t* bytes) {
  PrepareMemory counter = {0, 0, 0};
  const Status s = prepare_model(m, 0, 0, &counter, 0);
  *bytes = counter.used + kPreparedSlack;
  return s;
}

}  // namespace

size_t plan_scratch_bytes(const Model& model) {
  return static_cast<size_t>(model.num_tensors) * (sizeof(uint32_t) + sizeof(Entry)) + 8;
}

Status arena_bytes_needed(const Model& model, void* scratch, size_t scratch_bytes, size_t* arena_bytes) {
  if (!scratch || !arena_bytes) return kNullArgument;
  if (scratch_bytes < plan_scratch_bytes(model)) return kArenaTooSmall;
  uintptr_t base = (reinterpret_cast<uintptr_t>(scratch) + 7) & ~static_cast<uintptr_t>(7);
  uint32_t* plan = reinterpret_cast<uint32_t*>(base);
  const uint32_t n = model.num_tensors;
  Entry* entries = reinterpret_cast<Entry*>(plan + n + (n & 1));
  size_t peak = 0;
  Status s = plan_model(model, plan, entries, &peak);
  if (s != kOk) return s;
  size_t prepared = 0;
  if ((s = prepared_bytes(model, &prepared)) != kOk) return s;
  const size_t header = 4 * static_cast<size_t>(n);
  const size_t work = sizeof(Entry) * static_cast<size_t>(n);
  *arena_bytes = header + (peak > work ? peak : work) + prepared;
  return kOk;
}

Status interpreter_init(Interpreter* interp, const Model* model, void* arena, size_t arena_bytes,
                        size_t* needed) {
  if (needed) *needed = 0;
  if (!interp || !model || !arena) return kNullArgument;
  interp->ready = false;
  interp->model = model;
  if (reinterpret_cast<uintptr_t>(arena) % 4 != 0) return kBadAlignment;
  const uint32_t n = model->num_tensors;
  const size_t header = 4 * static_cast<size_t>(n);
  const size_t work = sizeof(Entry) * static_cast<size_t>(n);
  if (arena_bytes < header + work) return kArenaTooSmall;
  uint32_t* plan = static_cast<uint32_t*>(arena);
  uint8_t* activations = static_cast<uint8_t*>(arena) + header;
  size_t peak = 0;
  Status s = plan_model(*model, plan, reinterpret_cast<Entry*>(activations), &peak);
  if (s != kOk) return s;
  size_t prepared = 0;
  if ((s = prepared_bytes(*model, &prepared)) != kOk) return s;
  const size_t region = peak > work ? peak : work;
  const size_t total = header + region + prepared;
  if (needed) *needed = total;
  if (arena_bytes < total) return kArenaTooSmall;

  uint8_t* end = static_cast<uint8_t*>(arena) + total;
  uint8_t* start = activations + region;
  start += (sizeof(void*) - reinterpret_cast<uintptr_t>(start) % sizeof(void*)) % sizeof(void*);
  PrepareMemory memory = {start, static_cast<size_t>(end - start), 0};
  PreparedOp* ops = 0;
  if ((s = prepare_model(*model, plan, activations, &memory, &ops)) != kOk) return s;
  interp->arena = static_cast<uint8_t*>(arena);
  interp->arena_bytes = total;
  interp->plan = plan;
  interp->activations = activations;
  interp->ops = ops;
  interp->prepared_bytes = prepared;
  interp->ready = true;
  return kOk;
}

void* interpreter_input(Interpreter* interp, int i) {
  if (!interp || !interp->ready) return 0;
  const int t = model_input_tensor(*interp->model, i);
  if (t < 0 || interp->plan[t] == kNoOffset) return 0;
  return interp->activations + interp->plan[t];
}

const void* interpreter_output(const Interpreter* interp, int i) {
  if (!interp || !interp->ready) return 0;
  const int t = model_output_tensor(*interp->model, i);
  if (t < 0 || interp->plan[t] == kNoOffset) return 0;
  return interp->activations + interp->plan[t];
}

const void* interpreter_tensor(const Interpreter* interp, int tensor) {
  if (!interp || !interp->ready || tensor < 0 || static_cast<uint32_t>(tensor) >= interp->model->num_tensors)
    return 0;
  TensorView v;
  if (read_tensor(*interp->model, tensor, &v) != kOk) return 0;
  if (v.data) return v.data;
  if (interp->plan[tensor] == kNoOffset) return 0;
  return interp->activations + interp->plan[tensor];
}

Status interpreter_invoke_range(Interpreter* interp, int first, int end) {
  if (!interp) return kNullArgument;
  if (!interp->ready) return kNotInitialized;
  const int count = static_cast<int>(interp->model->num_operators);
  if (first < 0 || end > count || first > end) return kBadIndex;
  // Everything was checked and derived by interpreter_init: each operator is one kernel call.
  for (int i = first; i < end; ++i) {
    const PreparedOp& op = interp->ops[i];
    op.eval(op.call, op.inputs, op.outputs);
  }
  return kOk;
}

Status interpreter_invoke(Interpreter* interp) {
  if (!interp) return kNullArgument;
  if (!interp->ready) return kNotInitialized;
  return interpreter_invoke_range(interp, 0, static_cast<int>(interp->model->num_operators));
}

}  // namespace nn
}  // namespace kiln
