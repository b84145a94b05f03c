// Validated access to the parts of a .tflite model the runtime uses (subgraph 0): tensors with their shape,
// type, constant data and quantization, and operators with their opcode, tensor indices and options.
// Every read re-checks bounds, so a reader call can fail but never reads outside the model bytes.
#ifndef KILN_NN_TFLITE_READER_H
#define KILN_NN_TFLITE_READER_H

#include "kiln/nn.h"
#include "kiln/tflite_schema.h"
#include "nn/flatbuffer.h"

namespace kiln {
namespace nn {

struct TensorView {
  TensorType type;
  int rank;
  int32_t dims[kMaxRank];
  int32_t elements;
  size_t element_size;
  size_t bytes;
  const uint8_t* data;   // constant data inside the model, or null
  uint32_t quant_count;  // number of scales (0: not quantized)
  uint32_t scales;       // position of the scale vector's element 0
  uint32_t zero_points;  // position of the zero point vector's element 0 (int64)
  int32_t quantized_dimension;
  float scale;  // channel 0
  int32_t zero_point;
  uint32_t name;  // position and length of the name bytes
  uint32_t name_length;
};

struct OperatorView {
  int32_t code;
  uint32_t inputs, num_inputs;
  uint32_t outputs, num_outputs;
  Table options;          // invalid when absent (OpPrepare::options() also checks its type)
  uint32_t options_type;  // tflite::BuiltinOptions
};

Status read_tensor(const Model& model, int32_t index, TensorView* view);
float tensor_channel_scale(const Model& model, const TensorView& view, uint32_t channel);
int32_t tensor_channel_zero_point(const Model& model, const TensorView& view, uint32_t channel);
Status read_operator(const Model& model, int32_t index, OperatorView* view);
// Tensor index of input/output i of an operator (-1 for an omitted optional input or out of range).
int32_t operator_input(const Model& model, const OperatorView& op, uint32_t i);
int32_t operator_output(const Model& model, const OperatorView& op, uint32_t i);
// Reads element i of an int32 vector at pos.
int32_t read_i32(const Model& model, uint32_t pos, uint32_t i);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_TFLITE_READER_H
