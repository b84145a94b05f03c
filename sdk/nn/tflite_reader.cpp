#include "nn/tflite_reader.h"

#include <math.h>

namespace kiln {
namespace nn {

namespace {

size_t element_size(int32_t type) {
  switch (type) {
    case kTypeFloat32:
    case kTypeInt32:
      return 4;
    case kTypeInt8:
    case kTypeUInt8:
    case kTypeBool:
      return 1;
    case kTypeInt16:
      return 2;
    case kTypeInt64:
      return 8;
    default:
      return 0;
  }
}

const int32_t kMaxElements = 1 << 28;

typedef tflite::fields::Tensor T;
typedef tflite::fields::Buffer B;
typedef tflite::fields::QuantizationParameters Q;
typedef tflite::fields::Operator O;
typedef tflite::fields::OperatorCode C;

}  // namespace

int32_t read_i32(const Model& model, uint32_t pos, uint32_t i) {
  int32_t v;
  memcpy(&v, model.data + pos + 4 * i, 4);
  return v;
}

Status read_tensor(const Model& model, int32_t index, TensorView* v) {
  if (index < 0 || static_cast<uint32_t>(index) >= model.num_tensors) return kBadIndex;
  const FlatBuffer fb(model.data, model.size);
  Table t;
  if (!vector_table(fb, model.tensors, static_cast<uint32_t>(index), &t)) return kBadFlatbuffer;
  bool bad = false;
  uint32_t shape = 0, rank = 0;
  if (!t.vector(T::kShape, 4, &shape, &rank)) return kTruncated;
  if (rank > static_cast<uint32_t>(kMaxRank)) return kBadShape;
  v->rank = static_cast<int>(rank);
  int64_t elements = 1;
  for (uint32_t i = 0; i < rank; ++i) {
    v->dims[i] = read_i32(model, shape, i);
    if (v->dims[i] < 1) return kBadShape;
    elements *= v->dims[i];
    if (elements > kMaxElements) return kTooLarge;
  }
  for (uint32_t i = rank; i < static_cast<uint32_t>(kMaxRank); ++i) v->dims[i] = 1;
  v->elements = static_cast<int32_t>(elements);
  const int32_t type = static_cast<int32_t>(t.u8(T::kType, 0, &bad));
  v->element_size = element_size(type);
  if (v->element_size == 0) return kBadType;
  v->type = static_cast<TensorType>(type);
  v->bytes = static_cast<size_t>(elements) * v->element_size;
  const uint32_t buffer = t.u32(T::kBuffer, 0, &bad);
  if (t.u8(T::kIsVariable, 0, &bad) != 0)
    return kUnsupportedFeature;  // is_variable: state between invocations
  if (!t.vector(T::kName, 1, &v->name, &v->name_length)) return kTruncated;
  if (bad) return kBadFlatbuffer;

  // Constant data: buffer 0 is the empty sentinel; a buffer either holds data inline or (large models) at an
  // offset from the start of the file.
  v->data = 0;
  if (buffer >= model.num_buffers) return kBadIndex;
  Table b;
  if (!vector_table(fb, model.buffers, buffer, &b)) return kBadFlatbuffer;
  uint32_t data = 0, data_size = 0;
  if (!b.vector(B::kData, 1, &data, &data_size)) return kTruncated;
  const uint64_t offset = b.u64(B::kOffset, 0, &bad), size = b.u64(B::kSize, 0, &bad);
  if (bad) return kBadFlatbuffer;
  if (data_size > 0) {
    if (data_size != v->bytes) return kBadShape;
    v->data = model.data + data;
  } else if (offset > 1) {
    if (size != v->bytes || offset > model.size || size > model.size - offset) return kTruncated;
    v->data = model.data + offset;
  }
  if (v->data && reinterpret_cast<uintptr_t>(v->data) % v->element_size != 0) return kBadAlignment;

  // Quantization.
  v->quant_count = 0;
  v->scale = 0.0f;
  v->zero_point = 0;
  v->quantized_dimension = 0;
  Table q;
  if (!t.subtable(T::kQuantization, &q)) return kBadFlatbuffer;
  if (q.valid()) {
    uint32_t scales = 0, nscales = 0, zps = 0, nzps = 0;
    if (!q.vector(Q::kScale, 4, &scales, &nscales) || !q.vector(Q::kZeroPoint, 8, &zps, &nzps))
      return kTruncated;
    const int32_t qdim = q.i32(Q::kQuantizedDimension, 0, &bad);
    if (bad) return kBadFlatbuffer;
    if (nscales > 0) {
      if (nzps != nscales) return kBadQuantization;
      // The quantized dimension is checked where it matters (filters); converters leave odd values on
      // biases (person_detect has quantized_dimension 3 on rank-1 biases).
      if (qdim < 0) return kBadQuantization;
      v->quant_count = nscales;
      v->scales = scales;
      v->zero_points = zps;
      v->quantized_dimension = qdim;
      for (uint32_t i = 0; i < nscales; ++i) {
        float s;
        memcpy(&s, model.data + scales + 4 * i, 4);
        if (!(s > 0.0f) || !(s < 1e30f)) return kBadQuantization;
        int64_t zp;
        memcpy(&zp, model.data + zps + 8 * i, 8);
        if (zp < -32768 || zp > 65535) return kBadQuantization;
        if (type == kTypeInt8 && (zp < -128 || zp > 127)) return kBadQuantization;
      }
      v->scale = tensor_channel_scale(model, *v, 0);
      v->zero_point = tensor_channel_zero_point(model, *v, 0);
    }
  }
  return kOk;
}

float tensor_channel_scale(const Model& model, const TensorView& v, uint32_t channel) {
  if (channel >= v.quant_count) return 0.0f;
  float s;
  memcpy(&s, model.data + v.scales + 4 * channel, 4);
  return s;
}

int32_t tensor_channel_zero_point(const Model& model, const TensorView& v, uint32_t channel) {
  if (channel >= v.quant_count) return 0;
  int64_t zp;
  memcpy(&zp, model.data + v.zero_points + 8 * channel, 8);
  return static_cast<int32_t>(zp);
}

Status read_operator(const Model& model, int32_t index, OperatorView* v) {
  if (index < 0 || static_cast<uint32_t>(index) >= model.num_operators) return kBadIndex;
  const FlatBuffer fb(model.data, model.size);
  Table op;
  if (!vector_table(fb, model.operators, static_cast<uint32_t>(index), &op)) return kBadFlatbuffer;
  bool bad = false;
  const uint32_t opcode_index = op.u32(O::kOpcodeIndex, 0, &bad);
  if (bad) return kBadFlatbuffer;
  if (opcode_index >= model.num_opcodes) return kBadIndex;
  Table code;
  if (!vector_table(fb, model.opcodes, opcode_index, &code)) return kBadFlatbuffer;
  // The schema keeps the old int8 field for codes below 127; the real code is the larger of the two.
  const int32_t deprecated = code.i8(C::kDeprecatedBuiltinCode, 0, &bad);
  const int32_t builtin = code.i32(C::kBuiltinCode, 0, &bad);
  if (bad) return kBadFlatbuffer;
  v->code = deprecated > builtin ? deprecated : builtin;
  if (!op.vector(O::kInputs, 4, &v->inputs, &v->num_inputs) ||
      !op.vector(O::kOutputs, 4, &v->outputs, &v->num_outputs))
    return kTruncated;
  for (uint32_t i = 0; i < v->num_inputs; ++i) {
    const int32_t t = read_i32(model, v->inputs, i);
    if (t < -1 || t >= static_cast<int32_t>(model.num_tensors)) return kBadIndex;
  }
  for (uint32_t i = 0; i < v->num_outputs; ++i) {
    const int32_t t = read_i32(model, v->outputs, i);
    if (t < 0 || t >= static_cast<int32_t>(model.num_tensors)) return kBadIndex;
  }
  v->options_type = op.u8(O::kBuiltinOptionsType, tflite::kOptionsNone, &bad);
  if (bad || !op.subtable(O::kBuiltinOptions, &v->options)) return kBadFlatbuffer;
  return kOk;
}

int32_t operator_input(const Model& model, const OperatorView& op, uint32_t i) {
  return i < op.num_inputs ? read_i32(model, op.inputs, i) : -1;
}

int32_t operator_output(const Model& model, const OperatorView& op, uint32_t i) {
  return i < op.num_outputs ? read_i32(model, op.outputs, i) : -1;
}

}  // namespace nn
}  // namespace kiln
