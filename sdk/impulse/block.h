// A processing block as the impulse runtime sees it: one table entry per block, the same on the host and on
// the device. The entry names the block's typed parameter struct (sdk/dsp/<block>.h) and maps Edge Impulse's
// parameter names onto its fields: that mapping exists here and nowhere else. The host reads kiln.toml and
// `kiln dsp` arguments through it, `kiln deploy` prints the struct's initializer through it, and the device
// calls the run functions through it.
//
// Adding a block: sdk/dsp/<block>.h/.cpp (the algorithm), sdk/impulse/<block>_block.h/.cpp (its entry
// k<Block>Block: the parameter table and the adapters below) and one line in block_table.h/.cpp
// (docs/adding-a-block.md). A deployed library compiles only its own block's entry.
#ifndef KILN_IMPULSE_BLOCK_H
#define KILN_IMPULSE_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "kiln/signal.h"

namespace kiln {
namespace impulse {

// The C++ type of a parameter's field in the block's struct.
enum ParamKind {
  kParamReal,    // double
  kParamInt,     // int: a whole number
  kParamBool,    // bool
  kParamChoice,  // int: index into `choices` (Edge Impulse writes these as strings, e.g. filter-type "low")
  // int: not a parameter of the block but a property of the impulse's input of the same name, which the
  // block needs (the image block's "width" and "height" are [input] width and height in kiln.toml). The host
  // fills it from the input and refuses it among the block's parameters; `kiln deploy` writes it with the
  // others, so the device fills the struct the same way.
  kParamInput,
};

// Help texts are for the host (kiln.toml comments, `kiln dsp --help`); a device build leaves them out of
// flash.
#if defined(KILN_SDK_HOST)
#define KILN_PARAM_HELP(text) text
#else
#define KILN_PARAM_HELP(text) 0
#endif

struct ParamSpec {
  const char* name;            // Edge Impulse's name, e.g. "frame_length" or "filter-cutoff"
  ParamKind kind;              //
  size_t offset;               // offsetof the field in the block's parameter struct
  const char* const* choices;  // kParamChoice: the accepted strings, in the order of the field's values
  int choice_count;            //
  const char* help;            // one line for kiln.toml and `kiln dsp --help`, with the unit
};

// A block's functions take its parameter struct as `const void*` so that one table can hold every block; each
// entry's adapters cast back to the struct the entry is for. `frequency` is the input's rate in Hz, `axes`
// the values per sample, `samples_per_axis` the window length.
struct BlockSpec {
  const char* name;     // "mfe", "mfcc", "spectrogram", "spectral-analysis", "flatten", "raw", "image"
  const char* version;  // the implementation version this code reproduces, e.g. "ei-4"
  const ParamSpec* params;
  int param_count;
  // Names an older implementation version had, accepted in a parameter set and unused (Edge Impulse's exports
  // carry them).
  const char* const* ignored_params;
  int ignored_count;
  size_t params_bytes;                 // sizeof the parameter struct
  void (*set_defaults)(void* params);  // Studio's defaults
  dsp::Status (*validate)(const void* params, double frequency, int axes);
  dsp::Status (*output_shape)(const void* params, double frequency, int axes, size_t samples_per_axis,
                              dsp::FeatureShape* shape);
  size_t (*scratch_bytes)(const void* params, double frequency, int axes, size_t samples_per_axis);
  // Writes shape.frames * shape.values floats (row-major) to out.
  dsp::Status (*run)(const void* params, double frequency, int axes, const kiln_signal& signal, void* scratch,
                     size_t scratch_bytes, float* out, size_t out_capacity);
  // The same values quantized for an int8 input tensor (scratch_bytes_s8 bytes of scratch).
  size_t (*scratch_bytes_s8)(const void* params, double frequency, int axes, size_t samples_per_axis);
  dsp::Status (*run_s8)(const void* params, double frequency, int axes, const kiln_signal& signal,
                        void* scratch, size_t scratch_bytes, float scale, int32_t zero_point, int8_t* out,
                        size_t out_capacity);
  // The parameter a failure is about (its Edge Impulse name), or 0 when it is not about one parameter.
  const char* (*status_param)(dsp::Status status);
};

// A field of a parameter struct, read or written through its ParamSpec (host and code generator).
double param_value(const ParamSpec& spec, const void* params);
void set_param_value(const ParamSpec& spec, void* params, double value);

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_BLOCK_H
