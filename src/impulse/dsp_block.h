// The one place where the host maps a processing block (name + implementation version + Edge Impulse
// parameter map) to the SDK's DSP code in sdk/dsp. Training features, `kiln dsp`, testing and classification
// all go through here, so the host never has a second DSP implementation.
//
// Blocks: the SDK's table (sdk/impulse/block_table.h), each with Edge Impulse's parameter names.
// Missing parameters take the block's defaults. All functions throw kiln::Error with a message that names the
// block and the offending parameter (with a "did you mean" suggestion for misspelt names).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "dsp/status.h"

namespace kiln {

namespace impulse {
struct BlockSpec;
}

// The error for a value the block refuses, naming the parameter (so kiln.toml's reader can give its line).
class DspParamError : public Error {
 public:
  DspParamError(std::string param, const std::string& message) : Error(message), param(std::move(param)) {}
  std::string param;
};

struct DspShape {
  int frames;  // rows of the feature matrix
  int values;  // columns: values per frame
};

// Names of the blocks this build supports, e.g. {"mfe"}.
std::vector<std::string> dsp_block_names();

// Implementation versions of a block, oldest first; the last one is what new projects get.
std::vector<std::string> dsp_block_versions(const std::string& block);

// Every parameter of the block with its Studio default value (not the input's properties, below).
std::map<std::string, double> dsp_default_params(const std::string& block);

// The properties of the impulse's input the block needs, by their [input] names ({"width", "height"} for
// image; none for the others): the caller passes them in the parameter map with the input's values
// (impulse/windowing.h block_params); kiln.toml's [dsp] and `kiln dsp --param` refuse them.
std::vector<std::string> dsp_input_params(const std::string& block);

// Parameter values are stored as numbers: booleans as 0/1, and a parameter Edge Impulse writes as a string (a
// choice such as filter-type "low") as the index of that string in the block's list. parse_dsp_param turns
// the text a user wrote (kiln.toml, `kiln dsp --param`, Edge Impulse JSON) into that number, refusing an
// unknown name or value with a message naming both; dsp_param_text turns it back for files and messages.
double parse_dsp_param(const std::string& block, const std::string& name, const std::string& text);
std::string dsp_param_text(const std::string& block, const std::string& name, double value);
bool dsp_param_is_text(const std::string& block, const std::string& name);  // a choice: a string in TOML/JSON
std::string dsp_param_help(const std::string& block, const std::string& name);

// Checks block, version, parameter names and values. With samples_per_axis > 0 it also checks that the window
// gives at least one frame (e.g. frame_length not longer than the window).
void validate_dsp_params(const std::string& block, const std::string& version,
                         const std::map<std::string, double>& params, double frequency, int axes,
                         std::size_t samples_per_axis = 0);

// Shape of the features of one window of samples_per_axis samples (validates like validate_dsp_params).
DspShape dsp_output_shape(const std::string& block, const std::map<std::string, double>& params,
                          double frequency, int axes, std::size_t samples_per_axis);

// The block's SDK table entry (sdk/impulse/block_table.h), after checking the name and version.
const impulse::BlockSpec& dsp_block_spec(const std::string& block, const std::string& version);

// Throws the message for a failure the SDK reported (e.g. from the impulse runtime), naming the block and the
// parameter it is about with its value.
[[noreturn]] void throw_dsp_failure(const std::string& block, dsp::Status status,
                                    const std::map<std::string, double>& params, double frequency, int axes,
                                    std::size_t samples_per_axis);

// For code generation (kiln deploy): the block's resolved parameter values in the order of its SDK table
// entry (sdk/impulse/<block>_block.cpp), each with its Edge Impulse name.
std::vector<std::pair<std::string, double>> dsp_table_values(const std::string& block,
                                                             const std::map<std::string, double>& params);

// sizeof the block's parameter struct in the SDK (on this host: the generated code checks it on the device).
std::size_t dsp_params_bytes(const std::string& block);

// Scratch bytes the block needs for one window, for float output or (s8) straight into an int8 tensor.
std::size_t dsp_scratch_bytes(const std::string& block, const std::map<std::string, double>& params,
                              double frequency, int axes, std::size_t samples_per_axis, bool s8);

// The SDK file that declares the block's table entry, and the entry's name ("impulse/mfe_block.h",
// "kMfeBlock"): a deployed library includes this one entry only.
std::string dsp_entry_header(const std::string& block);
std::string dsp_entry_symbol(const std::string& block);

}  // namespace kiln
