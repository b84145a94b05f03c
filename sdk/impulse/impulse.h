// The impulse runtime: one processing block from the table (block.h), the network it feeds, and the glue
// between them (features into the input tensor, quantized for an int8 model; scores out, dequantized; the top
// label). Prepared once, then run window after window. The same code runs inside `kiln` on the host
// (features, dsp, test, classify) and in the library `kiln deploy` writes, whose kiln_impulse.cpp is a thin C
// wrapper over it: that is why host and device agree bit for bit.
//
//   impulse::Impulse imp;
//   if (impulse::prepare(config, &network, scratch, scratch_bytes, &imp) != impulse::kOk) ...
//   for each window: impulse::run(&imp, signal, &scores);
//
// C++11, no heap, no exceptions. The network is reached through function pointers (Network) so the runtime
// does not care which engine runs it: the deployed library's compiled or interpreter engine, or sdk/nn's
// interpreter on the host.
#ifndef KILN_IMPULSE_IMPULSE_H
#define KILN_IMPULSE_IMPULSE_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "impulse/block.h"
#include "kiln/signal.h"

namespace kiln {
namespace impulse {

enum TensorType { kTensorFloat32 = 0, kTensorInt8 = 1 };

// One tensor of the network as the impulse sees it: element type and count, and for int8 the affine
// quantization real = (q - zero_point) * scale.
struct TensorFormat {
  TensorType type;
  size_t count;
  float scale;
  int32_t zero_point;
};

// The network: one input and one output tensor, reached through its engine.
struct Network {
  TensorFormat input;
  TensorFormat output;
  void* context;                              // passed back to the three functions
  void* (*input_data)(void* context);         // the input tensor's memory
  const void* (*output_data)(void* context);  // the output tensor's memory, valid after invoke
  bool (*invoke)(void* context);              // false when the engine fails
};

// What the impulse is: the block with its parameters and the input it reads.
struct Config {
  const BlockSpec* block;
  const double* param_values;  // block->param_count values in table order (see param_value); 0 = defaults
  double sampling_frequency;   // Hz
  int axes;                    // values per sample
  size_t samples_per_axis;     // one window
};

enum Status {
  kOk = 0,
  kBadArgument,      // a null pointer, or features of the wrong count
  kSignalLength,     // the signal is not samples_per_axis * axes values long
  kSignalRead,       // the signal's get_data callback failed
  kDspFailed,        // the block refused its parameters or the signal (Impulse::dsp_status says why)
  kShapeMismatch,    // the block's features do not fill the network's input exactly
  kBadTensorType,    // a network tensor that is neither float32 nor int8, or an int8 one with scale <= 0
  kScratchTooSmall,  // less scratch than scratch_bytes() asks for
  kBuildMismatch,    // the block's struct exceeds kMaxParamsBytes or its parameters are not the caller's: a
                     // build mix-up
  kNoNetwork,        // a network step on an impulse prepared without one
  kModelFailed,      // the network's engine failed
};

const char* status_message(Status status);

// Room for any block's parameter struct (checked by prepare and by the block table's tests). Every deployed
// library carries this much static RAM for it: keep it near the largest struct (MFCC's, 80 bytes on x86-64).
const size_t kMaxParamsBytes = 96;

// A prepared impulse. Fill it with prepare(); the fields are read-only for callers.
struct Impulse {
  Config config;
  const Network* network;  // 0: features only (host `kiln features` and `kiln dsp`)
  union {
    double align_double;
    void* align_pointer;
    unsigned char bytes[kMaxParamsBytes];
  } params;                 // the block's parameter struct
  dsp::FeatureShape shape;  // the features of one window
  void* scratch;
  size_t scratch_bytes;
  size_t run_scratch_bytes;       // what run_dsp needs, worked out once by prepare
  size_t features_scratch_bytes;  // what features() needs (the block's float path), likewise
  dsp::Status dsp_status;         // the block's last status (prepare or run)
};

// Where the scores go: the caller's arrays of `capacity` (>= the output count) values.
struct Scores {
  float* scores;      // dequantized outputs
  int32_t* scores_q;  // raw int8 outputs (0 for a float model); may be null
  size_t capacity;
  int top;  // index of the highest score (the first one on a tie)
};

// Checks everything once: the block's parameters for this input, the feature shape against the network's
// input (count), the tensor types, and the scratch. `network` may be null for features only. Call
// scratch_bytes() first to size the scratch (prepare with scratch 0 / 0 bytes to query it).
Status prepare(const Config& config, const Network* network, void* scratch, size_t scratch_bytes,
               Impulse* impulse);

// The scratch a prepared impulse's run needs: the block's int8 path for an int8 network input, its float path
// otherwise (and for features()).
size_t scratch_bytes(const Impulse& impulse);

// One window: the block straight into the network's input tensor, then the network.
Status run(Impulse* impulse, const kiln_signal& signal, Scores* scores);

// The two halves of run.
Status run_dsp(Impulse* impulse, const kiln_signal& signal);
Status run_network(Impulse* impulse, Scores* scores);

// The block's float features of one window (shape.frames * shape.values values), without the network.
Status features(Impulse* impulse, const kiln_signal& signal, float* out, size_t out_capacity);

// Network-only steps shared with callers that hold features already (kiln test on stored features): float
// features into the input tensor, quantized for an int8 input with nn::quantize_s8 exactly as the blocks'
// int8 paths do; and the output tensor read into scores.
Status set_features(const Network& network, const float* features, size_t count);
Status read_scores(const Network& network, Scores* scores);

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_IMPULSE_H
