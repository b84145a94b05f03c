// The table entry of Raw (sdk/dsp/raw.h): Edge Impulse's Raw v1 parameter names.
#include "impulse/raw_block.h"

#include "impulse/block_adapter.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::RawParams;

const ParamSpec kParams[] = {
    {"scale-axes", kParamReal, offsetof(RawParams, scale_axes), 0, 0,
     KILN_PARAM_HELP("every value is multiplied by this")},
};

typedef BlockAdapter<RawParams, dsp::raw_default_params, dsp::raw_validate, dsp::raw_output_shape,
                     dsp::raw_scratch_bytes, dsp::raw_run, dsp::raw_scratch_bytes, dsp::raw_run_s8>
    A;

const char* status_param(dsp::Status status) {
  return status == dsp::kBadScale ? "scale-axes" : 0;
}

}  // namespace

const BlockSpec kRawBlock = A::spec("raw", "ei-1", kParams, status_param);

}  // namespace impulse
}  // namespace kiln
