// Kiln's device inference runtime: loads a .tflite model from bytes (validating everything, since the bytes
// are untrusted), plans every activation tensor into one caller-provided arena, and runs the graph with
// TFLite-conformant int8 and float32 kernels. C++11, no heap, no exceptions.
//
//   kiln::nn::Model model;
//   if (kiln::nn::model_load(&model, bytes, size) != kiln::nn::kOk) ...
//   size_t need = 0;
//   kiln::nn::arena_bytes_needed(model, scratch, sizeof scratch, &need);   // or read it from
//   interpreter_init kiln::nn::Interpreter interp; kiln::nn::interpreter_init(&interp, &model, arena,
//   arena_bytes);      // arena: 4-byte aligned memcpy(kiln::nn::interpreter_input(&interp, 0), input,
//   bytes); kiln::nn::interpreter_invoke(&interp); const void* out = kiln::nn::interpreter_output(&interp,
//   0);
#ifndef KILN_NN_H
#define KILN_NN_H

#include <stddef.h>
#include <stdint.h>

#include "kiln/tflite_schema.h"

namespace kiln {
namespace nn {

enum Status {
  kOk = 0,
  kNullArgument,         // a required pointer was null
  kTruncated,            // an offset, length or table points outside the model bytes
  kBadFlatbuffer,        // a malformed FlatBuffer structure (vtable, alignment, string)
  kBadModel,             // a required table or field is missing (subgraphs, tensors, buffers, ...)
  kBadIndex,             // a tensor, buffer, opcode or operator index is out of range
  kBadShape,             // a tensor shape is invalid (rank, negative dimension, too large)
  kBadType,              // a tensor type is unsupported or does not fit the operator
  kBadQuantization,      // missing or invalid scale / zero point / quantized dimension
  kUnsupportedOperator,  // an operator (or custom op) this runtime does not implement
  kUnsupportedFeature,   // a feature of a supported operator that is not implemented (e.g. variable tensors)
  kBadOperator,          // wrong number of inputs/outputs, or invalid options (stride 0, ...)
  kShapeMismatch,        // an operator's tensor shapes do not agree with each other
  kBadGraph,             // a tensor is read before it is written, or written twice, or an output is constant
  kTooLarge,             // sizes overflow what the runtime supports
  kArenaTooSmall,        // the arena is smaller than arena_bytes_needed()
  kBadAlignment,         // the arena is not 4-byte aligned
  kBadInputIndex,        // interpreter_input/output index out of range
  kNotInitialized        // the interpreter was not (successfully) initialized
};

// A short English description of a status.
const char* status_message(Status status);

// TensorType of the TFLite schema (kiln/tflite_schema.h); the runtime supports float32, int32, uint8, int64,
// bool, int16 and int8 tensors.
using tflite::kTypeBool;
using tflite::kTypeFloat32;
using tflite::kTypeInt16;
using tflite::kTypeInt32;
using tflite::kTypeInt64;
using tflite::kTypeInt8;
using tflite::kTypeUInt8;
using tflite::TensorType;

static const int kMaxRank = 6;

// A validated view of a .tflite FlatBuffer. It holds positions into the caller's bytes, which must stay alive
// and unchanged while the model is used. Fill it with model_load(); treat the fields as private.
struct Model {
  const uint8_t* data;
  size_t size;
  uint32_t tensors;  // positions of the subgraph 0 vectors (element 0), and their lengths
  uint32_t num_tensors;
  uint32_t operators;
  uint32_t num_operators;
  uint32_t buffers;
  uint32_t num_buffers;
  uint32_t opcodes;
  uint32_t num_opcodes;
  uint32_t inputs;
  uint32_t num_inputs;
  uint32_t outputs;
  uint32_t num_outputs;
  // Where load failed (for diagnostics): the operator or tensor index, or -1.
  int32_t error_operator;
  int32_t error_tensor;
};

struct TensorInfo {
  TensorType type;
  int rank;
  int32_t dims[kMaxRank];
  size_t bytes;
  float scale;         // first channel's scale; 0 when not quantized
  int32_t zero_point;  // first channel's zero point
  const char* name;    // not null-terminated: name_length bytes
  size_t name_length;
  bool is_constant;  // holds data in the model
};

// Parses and validates the whole model: structure, every tensor, every operator and its shapes, types and
// quantization. After kOk, inference can not fail on this model.
Status model_load(Model* model, const void* data, size_t size);

int model_input_count(const Model& model);
int model_output_count(const Model& model);
int model_input_tensor(const Model& model, int i);   // tensor index of input i, -1 if out of range
int model_output_tensor(const Model& model, int i);  // tensor index of output i, -1 if out of range
int model_tensor_count(const Model& model);
int model_operator_count(const Model& model);
Status model_tensor_info(const Model& model, int tensor, TensorInfo* info);
// Builtin operator code (TFLite BuiltinOperator) of operator op, and its output tensor 0; -1 if out of range.
int model_operator_code(const Model& model, int op);
int model_operator_output(const Model& model, int op, int i);
// Human-readable name of a builtin operator code ("CONV_2D"), "UNKNOWN" otherwise.
const char* builtin_operator_name(int code);

// Scratch the planner needs to compute the arena size without an arena (on the host, any buffer).
size_t plan_scratch_bytes(const Model& model);
// The arena bytes interpreter_init needs for this model: bookkeeping (tensor offsets), activations, and the
// prepared operators (call structs, requantization multipliers, tensor pointers). The last part holds
// pointers, so a 64-bit host needs a little more than a 32-bit device; the host's figure is enough for both.
Status arena_bytes_needed(const Model& model, void* scratch, size_t scratch_bytes, size_t* arena_bytes);

struct PreparedOp;

struct Interpreter {
  const Model* model;
  uint8_t* arena;         // start of the caller's arena
  size_t arena_bytes;     // what we use of it
  const uint32_t* plan;   // per tensor: offset into the activation region
  uint8_t* activations;   // start of the activation region inside the arena
  const PreparedOp* ops;  // per operator, after the activations: its kernel, call struct and tensors
  size_t prepared_bytes;  // of the arena, for the prepared operators
  bool ready;
};

// Plans the arena and binds it. On kArenaTooSmall, *needed (if not null) holds the required size whenever the
// arena could hold the planner's own bookkeeping, 0 otherwise.
Status interpreter_init(Interpreter* interp, const Model* model, void* arena, size_t arena_bytes,
                        size_t* needed = 0);
// Raw bytes of input/output i (TFLite layout), null if i is out of range. Inputs are written by the caller
// before interpreter_invoke; outputs are valid after it, until the next invoke.
void* interpreter_input(Interpreter* interp, int i);
const void* interpreter_output(const Interpreter* interp, int i);
Status interpreter_invoke(Interpreter* interp);
// Runs operators [first, end) only (for per-layer debugging); tensors are then read with
// interpreter_tensor, which is valid for a tensor while it is live in the plan.
Status interpreter_invoke_range(Interpreter* interp, int first, int end);
const void* interpreter_tensor(const Interpreter* interp, int tensor);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_H
