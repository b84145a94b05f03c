// Host only (KILN_NN_RECORDER): what the compiled engine of `kiln deploy` (src/deploy/compiled_model.cpp)
// needs to know about a kernel to turn a prepared call into C++: the call struct's type and its printer, the
// eval function and its header, and the order in which the kernel reads its input and writes its output (so
// the arena planner may put the output over an input the kernel has finished reading). Each kernel's
// KernelDef in sdk/nn/ops/ fills one KernelEmit; the device copies of the sdk carry none of it.
#ifndef KILN_NN_KERNEL_EMIT_H
#define KILN_NN_KERNEL_EMIT_H

#ifdef KILN_NN_RECORDER

#include <stdint.h>

#include "nn/broadcast.h"
#include "nn/kernel_types.h"

namespace kiln {
namespace nn {

// Prints one brace initializer. The implementation places the commas and keeps the arrays.
class CallWriter {
 public:
  virtual void begin() = 0;  // "{"
  virtual void end() = 0;    // "}"
  virtual void i32(int32_t v) = 0;
  virtual void f32(float v) = 0;
  virtual void boolean(bool v) = 0;
  // A pointer member to `count` constants: emitted once as a const array (commented with `what`), printed as
  // its name; a null pointer prints as nullptr.
  virtual void i32_array(const int32_t* v, int32_t count, const char* what) = 0;
  virtual void i8_array(const int8_t* v, int32_t count, const char* what) = 0;

 protected:
  ~CallWriter() {}
};

// How a kernel walks its operands. Every pattern writes one output element per step, after reading what
// that element needs, in increasing output order; the planner replays it (src/deploy/overlap_plan.cpp).
struct KernelAccess {
  enum Pattern {
    kUnknown,      // not overlap-safe (or not analysed): output and inputs stay disjoint
    kElementwise,  // output[i] reads input[i], i ascending (count elements)
    kWindow,       // NHWC window kernels (conv, depthwise, pools): output (b, y, x, c) reads its window
    kBroadcast,    // output (i0..i3) reads each input at its stride-weighted index (broadcast)
    kRows,         // per row: reads the whole row, then writes element j after reading element j (softmax)
    kMatrix        // output (b, u) reads all of input row b (fully connected)
  };
  Pattern pattern;
  int32_t in_bytes, out_bytes;  // element sizes
  int32_t data_inputs;          // inputs [0, data_inputs) may be overlapped; the rest are weights or unread
  int32_t count;                // kElementwise
  Dims input, output;           // kWindow
  int32_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  // kWindow: output channel c reads input channels from (c / out_per_group) * in_per_group on.
  int32_t out_per_group, in_per_group;
  BroadcastShape broadcast;  // kBroadcast
  int32_t rows, depth;       // kRows; kMatrix: rows = batches, depth = row length
  int32_t units;             // kMatrix: outputs per row
};

// What the compiled engine prints for one kernel call:
//   static const kiln::nn::<call_type> call = <print(call)>;
//   kiln::nn::<eval>(&call, inputs, outputs);
struct KernelEmit {
  const char* call_type;
  const char* eval;
  const char* header;  // declares both, relative to sdk/ ("nn/conv2d.h")
  void (*print)(const void* call, CallWriter& w);
  void (*access)(const void* call, KernelAccess* a);  // null: kUnknown
};

// Printers of the parameter structs the call structs share.
void print(CallWriter& w, const Dims& d);
void print(CallWriter& w, const ConvParams& p);
void print(CallWriter& w, const DepthwiseParams& p);
void print(CallWriter& w, const PoolParams& p);
void print(CallWriter& w, const QuantParams& q);  // the arrays as kMult / kShift constants
void print(CallWriter& w, const QuantActivation& a);
void print(CallWriter& w, const FloatActivation& a);
void print(CallWriter& w, const BroadcastShape& s);
void print_i32s(CallWriter& w, const int32_t* v, int n);  // a fixed-size array member

// Access patterns the kernels share.
void elementwise_access(int32_t count, int32_t in_bytes, int32_t out_bytes, int32_t data_inputs,
                        KernelAccess* a);
void window_access(const Dims& input, const Dims& output, int32_t filter_h, int32_t filter_w,
                   const ConvParams& geometry, int32_t out_per_group, int32_t in_per_group, int32_t bytes,
                   KernelAccess* a);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_RECORDER

#endif  // KILN_NN_KERNEL_EMIT_H
