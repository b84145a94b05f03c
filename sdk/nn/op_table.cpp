// The operator table (sdk/nn/op_table.h): one line per operator. Each OpDef lives in its operator's file
// under sdk/nn/ops/.
#include "nn/op_table.h"

// clang-format off
#define KILN_NN_OPERATORS(OP) \
  OP(kAddOp)                  \
  OP(kAveragePool2dOp)        \
  OP(kConcatenationOp)        \
  OP(kConv2dOp)               \
  OP(kDepthwiseConv2dOp)      \
  OP(kDequantizeOp)           \
  OP(kExpandDimsOp)           \
  OP(kFullyConnectedOp)       \
  OP(kLeakyReluOp)            \
  OP(kLogisticOp)             \
  OP(kMaxPool2dOp)            \
  OP(kMeanOp)                 \
  OP(kMulOp)                  \
  OP(kPadOp)                  \
  OP(kPadV2Op)                \
  OP(kQuantizeOp)             \
  OP(kReluOp)                 \
  OP(kRelu6Op)                \
  OP(kReluN1To1Op)            \
  OP(kReshapeOp)              \
  OP(kSoftmaxOp)              \
  OP(kSqueezeOp)
// clang-format on

namespace kiln {
namespace nn {

#define KILN_NN_DECLARE_OP(def) extern const OpDef def;
KILN_NN_OPERATORS(KILN_NN_DECLARE_OP)
#undef KILN_NN_DECLARE_OP

namespace {

#define KILN_NN_OP_ENTRY(def) &def,
const OpDef* const kOps[] = {KILN_NN_OPERATORS(KILN_NN_OP_ENTRY)};
#undef KILN_NN_OP_ENTRY

}  // namespace

const OpDef* find_op(int32_t code) {
  for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; ++i)
    if (kOps[i]->code == code) return kOps[i];
  return 0;
}

}  // namespace nn
}  // namespace kiln
