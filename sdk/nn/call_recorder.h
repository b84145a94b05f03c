// Host-only capture of the kernel calls of operators.cpp (compiled only with KILN_NN_RECORDER, which the host
// build of kiln_sdk defines and the device copies do not). record_operator validates one operator exactly as
// the interpreter does and, instead of running its kernel, hands the recorder the kernel it would call with
// all derived parameters (dims, requantization multipliers, activation bounds) and the tensor indices of its
// operands. The deploy code generator turns these records into straight-line kernel calls.
#ifndef KILN_NN_CALL_RECORDER_H
#define KILN_NN_CALL_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "kiln/nn.h"
#include "nn/activation.h"
#include "nn/add.h"
#include "nn/fully_connected.h"
#include "nn/kernel_types.h"
#include "nn/logistic.h"
#include "nn/mean.h"
#include "nn/mul.h"
#include "nn/pad.h"
#include "nn/quantize.h"
#include "nn/softmax.h"

namespace kiln {
namespace nn {

enum RecordedKernel {
  kRecConv2dS8,
  kRecConv2dF32,
  kRecDepthwiseConv2dS8,
  kRecDepthwiseConv2dF32,
  kRecFullyConnectedS8,
  kRecFullyConnectedF32,
  kRecAveragePool2dS8,
  kRecAveragePool2dF32,
  kRecMaxPool2dS8,
  kRecMaxPool2dF32,
  kRecAddS8,
  kRecAddS8Broadcast,
  kRecAddF32,
  kRecAddF32Broadcast,
  kRecMulS8,
  kRecMulS8Broadcast,
  kRecMulF32,
  kRecMulF32Broadcast,
  kRecReshape,  // the output is the input's bytes (no kernel)
  kRecSoftmaxS8,
  kRecSoftmaxF32,
  kRecLogisticS8,
  kRecLogisticF32,
  kRecActivationS8,
  kRecActivationF32,
  kRecQuantizeF32S8,
  kRecRequantizeS8S8,
  kRecRequantizeS16S8,
  kRecDequantizeS8F32,
  kRecMeanS8,
  kRecMeanF32,
  kRecPad,
  kRecConcatenation
};

static const int kMaxRecordedInputs = 16;

// One kernel call. Only the fields of the recorded kernel are meaningful; tensor indices are -1 when absent
// (e.g. no bias). Pointers (quant multipliers/shifts) are valid only during CallRecorder::record.
struct KernelCall {
  RecordedKernel kernel;
  int32_t num_inputs;
  int32_t inputs[kMaxRecordedInputs];  // tensor indices: data input(s), then filter and bias for conv/FC
  int32_t output;
  Dims input_dims, filter_dims, output_dims;
  ConvParams conv;
  DepthwiseParams depthwise;
  PoolParams pool;
  FullyConnectedDims fully_connected;
  QuantParams quant;
  QuantActivation quant_act;
  FloatActivation float_act;
  int32_t filter_offset;     // FULLY_CONNECTED int8
  int32_t act_min, act_max;  // pools int8
  int32_t count;             // element count of elementwise kernels
  AddParams add;
  MulParams mul;
  BroadcastShape broadcast;
  SoftmaxParams softmax;
  float beta;
  int32_t rows, depth;
  LogisticParams logistic;
  Activation activation;
  ActivationParams activation_params;
  float scale;  // QUANTIZE f32, DEQUANTIZE
  int32_t zero_point;
  RequantizeParams requantize;
  MeanParams mean;
  PadParams pad;
  size_t element_size;  // PAD, CONCATENATION
  int8_t pad_s8;
  float pad_f32;
  int32_t axis_sizes[kMaxRecordedInputs];  // CONCATENATION
  int32_t outer, inner;
};

class CallRecorder {
 public:
  // Memory for the operator's derived constants (requantization multipliers), at least bytes long and
  // 4-byte aligned, valid until record() returns.
  virtual void* scratch(size_t bytes) = 0;
  virtual void record(const KernelCall& call) = 0;

 protected:
  ~CallRecorder() {}
};

// Validates operator op of a loaded model and records the kernel call it would make (no arena is touched).
Status record_operator(const Model& model, int32_t op, CallRecorder* recorder);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_CALL_RECORDER_H
