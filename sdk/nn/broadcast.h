// Up to 4-D NumPy-style broadcasting of two operands to one output shape (dimensions right-aligned). A stride
// of 0 repeats an operand along that dimension.
#ifndef KILN_NN_BROADCAST_H
#define KILN_NN_BROADCAST_H

#include <stdint.h>

#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

struct BroadcastShape {
  int32_t out[4];
  int32_t stride1[4];
  int32_t stride2[4];
};

// False when the two shapes do not broadcast or have more than 4 dimensions (rank > 4 is fine when the
// shapes are equal: callers then use the flat element count instead).
bool make_broadcast_shape(int rank1, const int32_t* dims1, int rank2, const int32_t* dims2,
                          BroadcastShape* out);

// Call structs of the float32 binary kernels (add.h, mul.h): elementwise over count elements, or broadcast.
struct BinaryF32Call {
  FloatActivation act;
  int32_t count;
};
struct BinaryF32BroadcastCall {
  FloatActivation act;
  BroadcastShape shape;
};

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_BROADCAST_H
