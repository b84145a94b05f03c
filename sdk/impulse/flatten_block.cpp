// The table entry of Flatten (sdk/dsp/flatten.h): Edge Impulse's Flatten v1 parameter names.
#include "impulse/flatten_block.h"

#include "impulse/block_adapter.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::FlattenParams;

const ParamSpec kParams[] = {
    {"scale-axes", kParamReal, offsetof(FlattenParams, scale_axes), 0, 0,
     KILN_PARAM_HELP("every value is multiplied by this first")},
    {"average", kParamBool, offsetof(FlattenParams, average), 0, 0, KILN_PARAM_HELP("mean of each axis")},
    {"minimum", kParamBool, offsetof(FlattenParams, minimum), 0, 0, KILN_PARAM_HELP("minimum of each axis")},
    {"maximum", kParamBool, offsetof(FlattenParams, maximum), 0, 0, KILN_PARAM_HELP("maximum of each axis")},
    {"rms", kParamBool, offsetof(FlattenParams, rms), 0, 0, KILN_PARAM_HELP("root mean square")},
    {"stdev", kParamBool, offsetof(FlattenParams, stdev), 0, 0,
     KILN_PARAM_HELP("population standard deviation")},
    {"skewness", kParamBool, offsetof(FlattenParams, skewness), 0, 0, KILN_PARAM_HELP("skewness (biased)")},
    {"kurtosis", kParamBool, offsetof(FlattenParams, kurtosis), 0, 0,
     KILN_PARAM_HELP("kurtosis (Fisher, biased)")},
};

typedef BlockAdapter<FlattenParams, dsp::flatten_default_params, dsp::flatten_validate,
                     dsp::flatten_output_shape, dsp::flatten_scratch_bytes, dsp::flatten_run,
                     dsp::flatten_scratch_bytes, dsp::flatten_run_s8>
    A;

const char* status_param(dsp::Status status) {
  return status == dsp::kBadScale ? "scale-axes" : 0;
}

}  // namespace

const BlockSpec kFlattenBlock = A::spec("flatten", "ei-1", kParams, status_param);

}  // namespace impulse
}  // namespace kiln
