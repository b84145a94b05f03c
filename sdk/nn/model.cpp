// model_load: the structural and semantic validation of a .tflite file, and the model accessors.
#include "nn/op_table.h"
#include "nn/tflite_reader.h"

namespace kiln {
namespace nn {

namespace {

bool is_graph_input(const Model& m, int32_t t) {
  for (uint32_t i = 0; i < m.num_inputs; ++i)
    if (read_i32(m, m.inputs, i) == t) return true;
  return false;
}

// True when an operator before `before` writes tensor t.
bool written_before(const Model& m, int32_t t, int32_t before) {
  for (int32_t j = 0; j < before; ++j) {
    OperatorView op;
    if (read_operator(m, j, &op) != kOk) return false;
    for (uint32_t k = 0; k < op.num_outputs; ++k)
      if (operator_output(m, op, k) == t) return true;
  }
  return false;
}

bool is_constant(const Model& m, int32_t t) {
  TensorView v;
  return read_tensor(m, t, &v) == kOk && v.data != 0;
}

Status check_graph(Model* m) {
  const int32_t num_ops = static_cast<int32_t>(m->num_operators);
  for (uint32_t i = 0; i < m->num_inputs; ++i) {
    const int32_t t = read_i32(*m, m->inputs, i);
    if (t < 0 || static_cast<uint32_t>(t) >= m->num_tensors) return kBadIndex;
    if (is_constant(*m, t)) return kBadGraph;
  }
  for (int32_t i = 0; i < num_ops; ++i) {
    m->error_operator = i;
    OperatorView op;
    Status s = read_operator(*m, i, &op);
    if (s != kOk) return s;
    for (uint32_t k = 0; k < op.num_inputs; ++k) {
      const int32_t t = operator_input(*m, op, k);
      if (t < 0 || is_constant(*m, t) || is_graph_input(*m, t)) continue;
      if (!written_before(*m, t, i)) return kBadGraph;  // read before written (or never written)
    }
    for (uint32_t k = 0; k < op.num_outputs; ++k) {
      const int32_t t = operator_output(*m, op, k);
      if (is_constant(*m, t) || is_graph_input(*m, t) || written_before(*m, t, i)) return kBadGraph;
      for (uint32_t l = 0; l < k; ++l)
        if (operator_output(*m, op, l) == t) return kBadGraph;
    }
  }
  m->error_operator = -1;
  for (uint32_t i = 0; i < m->num_outputs; ++i) {
    const int32_t t = read_i32(*m, m->outputs, i);
    if (t < 0 || static_cast<uint32_t>(t) >= m->num_tensors) return kBadIndex;
    if (is_constant(*m, t)) return kBadGraph;
    if (!is_graph_input(*m, t) && !written_before(*m, t, num_ops)) return kBadGraph;
  }
  return kOk;
}

}  // namespace

Status model_load(Model* model, const void* data, size_t size) {
  if (!model || !data) return kNullArgument;
  Model& m = *model;
  m.data = static_cast<const uint8_t*>(data);
  m.size = size;
  m.num_tensors = m.num_operators = m.num_buffers = m.num_opcodes = m.num_inputs = m.num_outputs = 0;
  m.tensors = m.operators = m.buffers = m.opcodes = m.inputs = m.outputs = 0;
  m.error_operator = -1;
  m.error_tensor = -1;
  if (size < 8) return kTruncated;
  if (size > 0x7FFFFFFFu) return kTooLarge;
  const FlatBuffer fb(m.data, size);
  uint32_t root;
  if (!fb.deref(0, &root)) return kTruncated;
  Table model_table;
  if (!model_table.init(fb, root)) return kBadFlatbuffer;
  uint32_t subgraphs = 0, num_subgraphs = 0;
  if (!model_table.vector(tflite::fields::Model::kOperatorCodes, 4, &m.opcodes, &m.num_opcodes) ||
      !model_table.vector(tflite::fields::Model::kSubgraphs, 4, &subgraphs, &num_subgraphs) ||
      !model_table.vector(tflite::fields::Model::kBuffers, 4, &m.buffers, &m.num_buffers))
    return kTruncated;
  if (num_subgraphs < 1) return kBadModel;
  Table subgraph;
  if (!vector_table(fb, subgraphs, 0, &subgraph)) return kBadFlatbuffer;
  typedef tflite::fields::SubGraph G;
  if (!subgraph.vector(G::kTensors, 4, &m.tensors, &m.num_tensors) ||
      !subgraph.vector(G::kInputs, 4, &m.inputs, &m.num_inputs) ||
      !subgraph.vector(G::kOutputs, 4, &m.outputs, &m.num_outputs) ||
      !subgraph.vector(G::kOperators, 4, &m.operators, &m.num_operators))
    return kTruncated;
  if (m.num_inputs < 1 || m.num_outputs < 1) return kBadModel;
  // The planner keeps lifetimes in 16 bits and offsets in 32.
  if (m.num_operators > 60000 || m.num_tensors > 60000) return kTooLarge;

  for (uint32_t t = 0; t < m.num_tensors; ++t) {
    TensorView v;
    Status s = read_tensor(m, static_cast<int32_t>(t), &v);
    if (s != kOk) {
      m.error_tensor = static_cast<int32_t>(t);
      return s;
    }
  }
  Status s = check_graph(&m);
  if (s != kOk) return s;
  // Every operator prepares (counting only: no memory is written), so the interpreter's preparation and every
  // kernel call after it cannot fail.
  for (uint32_t i = 0; i < m.num_operators; ++i) {
    m.error_operator = static_cast<int32_t>(i);
    PrepareMemory counter = {0, 0, 0};
    PreparedCall call;
    s = prepare_operator(m, static_cast<int32_t>(i), &counter, &call);
    if (s != kOk) return s;
  }
  m.error_operator = -1;
  return kOk;
}

int model_input_count(const Model& model) {
  return static_cast<int>(model.num_inputs);
}
int model_output_count(const Model& model) {
  return static_cast<int>(model.num_outputs);
}
int model_tensor_count(const Model& model) {
  return static_cast<int>(model.num_tensors);
}
int model_operator_count(const Model& model) {
  return static_cast<int>(model.num_operators);
}

int model_input_tensor(const Model& model, int i) {
  if (i < 0 || static_cast<uint32_t>(i) >= model.num_inputs) return -1;
  return read_i32(model, model.inputs, static_cast<uint32_t>(i));
}

int model_output_tensor(const Model& model, int i) {
  if (i < 0 || static_cast<uint32_t>(i) >= model.num_outputs) return -1;
  return read_i32(model, model.outputs, static_cast<uint32_t>(i));
}

Status model_tensor_info(const Model& model, int tensor, TensorInfo* info) {
  if (!info) return kNullArgument;
  TensorView v;
  Status s = read_tensor(model, tensor, &v);
  if (s != kOk) return s;
  info->type = v.type;
  info->rank = v.rank;
  for (int i = 0; i < kMaxRank; ++i) info->dims[i] = v.dims[i];
  info->bytes = v.bytes;
  info->scale = v.scale;
  info->zero_point = v.zero_point;
  info->name = reinterpret_cast<const char*>(model.data + v.name);
  info->name_length = v.name_length;
  info->is_constant = v.data != 0;
  return kOk;
}

int model_operator_code(const Model& model, int op) {
  OperatorView v;
  if (read_operator(model, op, &v) != kOk) return -1;
  return v.code;
}

int model_operator_output(const Model& model, int op, int i) {
  OperatorView v;
  if (i < 0 || read_operator(model, op, &v) != kOk) return -1;
  return operator_output(model, v, static_cast<uint32_t>(i));
}

const char* builtin_operator_name(int code) {
  const OpDef* def = find_op(code);
  if (def) return def->name;
  // Operators the runtime lacks that models commonly have, so that messages can name them.
  switch (code) {
    case tflite::kOpSvdf:
      return "SVDF";
    case tflite::kOpUnidirectionalSequenceLstm:
      return "UNIDIRECTIONAL_SEQUENCE_LSTM";
    case tflite::kOpCustom:
      return "CUSTOM";
    default:
      return "UNKNOWN";
  }
}

const char* status_message(Status status) {
  switch (status) {
    case kOk:
      return "ok";
    case kNullArgument:
      return "a required pointer was null";
    case kTruncated:
      return "an offset or length points outside the model bytes";
    case kBadFlatbuffer:
      return "malformed FlatBuffer structure";
    case kBadModel:
      return "a required part of the model is missing";
    case kBadIndex:
      return "a tensor, buffer, opcode or operator index is out of range";
    case kBadShape:
      return "invalid tensor shape";
    case kBadType:
      return "unsupported tensor type or type mismatch";
    case kBadQuantization:
      return "missing or invalid quantization parameters";
    case kUnsupportedOperator:
      return "unsupported operator";
    case kUnsupportedFeature:
      return "unsupported feature of an operator or tensor";
    case kBadOperator:
      return "invalid operator inputs, outputs or options";
    case kShapeMismatch:
      return "operator tensor shapes do not agree";
    case kBadGraph:
      return "invalid graph: a tensor is read before written, written twice, or constant output";
    case kTooLarge:
      return "model too large for the runtime";
    case kArenaTooSmall:
      return "arena too small";
    case kBadAlignment:
      return "misaligned arena or constant data";
    case kBadInputIndex:
      return "input or output index out of range";
    case kNotInitialized:
      return "interpreter not initialized";
  }
  return "unknown status";
}

}  // namespace nn
}  // namespace kiln
