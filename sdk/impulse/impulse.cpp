#include "impulse/impulse.h"

#include "nn/quantize.h"

namespace kiln {
namespace impulse {

namespace {

bool valid_tensor(const TensorFormat& t) {
  if (t.type == kTensorFloat32) return true;
  return t.type == kTensorInt8 && t.scale > 0.0f;  // also refuses a NaN scale
}

size_t feature_count(const dsp::FeatureShape& shape) {
  return static_cast<size_t>(shape.frames) * static_cast<size_t>(shape.values);
}

bool int8_input(const Impulse& imp) {
  return imp.network && imp.network->input.type == kTensorInt8;
}

Status dsp_result(Impulse* imp, dsp::Status s) {
  imp->dsp_status = s;
  if (s == dsp::kOk) return kOk;
  return s == dsp::kSignalReadFailed ? kSignalRead : kDspFailed;
}

bool signal_fits(const Impulse& imp, const kiln_signal& signal) {
  const Config& c = imp.config;
  return signal.total_length == c.samples_per_axis * static_cast<size_t>(c.axes);
}

}  // namespace

const char* status_message(Status status) {
  switch (status) {
    case kOk:
      return "ok";
    case kBadArgument:
      return "a null pointer, or features of the wrong count";
    case kSignalLength:
      return "the signal is not one window long";
    case kSignalRead:
      return "the signal's get_data callback failed";
    case kDspFailed:
      return "the processing block failed";
    case kShapeMismatch:
      return "the processing block's features do not fill the network's input";
    case kBadTensorType:
      return "the network's input or output is neither float32 nor int8";
    case kScratchTooSmall:
      return "the DSP scratch memory is too small";
    case kBuildMismatch:
      return "the block's parameters do not match this SDK (a build mix-up)";
    case kNoNetwork:
      return "the impulse was prepared without a network";
    case kModelFailed:
      return "the network could not be run";
  }
  return "unknown status";
}

Status prepare(const Config& config, const Network* network, void* scratch, size_t scratch_size,
               Impulse* imp) {
  if (!imp || !config.block) return kBadArgument;
  const BlockSpec& block = *config.block;
  if (block.params_bytes > kMaxParamsBytes) return kBuildMismatch;
  imp->config = config;
  imp->network = network;
  imp->shape.frames = imp->shape.values = 0;
  imp->run_scratch_bytes = imp->features_scratch_bytes = static_cast<size_t>(-1);  // none before prepare
  imp->scratch = scratch;
  imp->scratch_bytes = scratch_size;
  imp->dsp_status = dsp::kOk;
  block.set_defaults(imp->params.bytes);
  if (config.param_values) {
    for (int i = 0; i < block.param_count; ++i)
      set_param_value(block.params[i], imp->params.bytes, config.param_values[i]);
  }
  Status s = dsp_result(imp, block.validate(imp->params.bytes, config.sampling_frequency, config.axes));
  if (s != kOk) return s;
  s = dsp_result(imp, block.output_shape(imp->params.bytes, config.sampling_frequency, config.axes,
                                         config.samples_per_axis, &imp->shape));
  if (s != kOk) return s;
  if (network) {
    if (!valid_tensor(network->input) || !valid_tensor(network->output)) return kBadTensorType;
    if (network->input.count != feature_count(imp->shape)) return kShapeMismatch;
    if (!network->input_data || !network->output_data || !network->invoke) return kBadArgument;
  }
  // scratch 0 with 0 bytes is the query for scratch_bytes(); a run then refuses the missing scratch.
  imp->run_scratch_bytes = scratch_bytes(*imp);
  imp->features_scratch_bytes =
      block.scratch_bytes(imp->params.bytes, config.sampling_frequency, config.axes, config.samples_per_axis);
  if (scratch && scratch_size < imp->run_scratch_bytes) return kScratchTooSmall;
  return kOk;
}

size_t scratch_bytes(const Impulse& imp) {
  const Config& c = imp.config;
  return int8_input(imp)
             ? c.block->scratch_bytes_s8(imp.params.bytes, c.sampling_frequency, c.axes, c.samples_per_axis)
             : c.block->scratch_bytes(imp.params.bytes, c.sampling_frequency, c.axes, c.samples_per_axis);
}

Status run_dsp(Impulse* imp, const kiln_signal& signal) {
  if (!imp || !signal.get_data) return kBadArgument;
  if (!imp->network) return kNoNetwork;
  if (!signal_fits(*imp, signal)) return kSignalLength;
  if (imp->scratch_bytes < imp->run_scratch_bytes) return kScratchTooSmall;
  const Config& c = imp->config;
  const Network& n = *imp->network;
  void* input = n.input_data(n.context);
  if (n.input.type == kTensorInt8) {
    return dsp_result(imp, c.block->run_s8(imp->params.bytes, c.sampling_frequency, c.axes, signal,
                                           imp->scratch, imp->scratch_bytes, n.input.scale,
                                           n.input.zero_point, static_cast<int8_t*>(input), n.input.count));
  }
  return dsp_result(imp, c.block->run(imp->params.bytes, c.sampling_frequency, c.axes, signal, imp->scratch,
                                      imp->scratch_bytes, static_cast<float*>(input), n.input.count));
}

Status run_network(Impulse* imp, Scores* scores) {
  if (!imp || !scores) return kBadArgument;
  if (!imp->network) return kNoNetwork;
  const Network& n = *imp->network;
  if (!n.invoke(n.context)) return kModelFailed;
  return read_scores(n, scores);
}

Status run(Impulse* imp, const kiln_signal& signal, Scores* scores) {
  if (!scores) return kBadArgument;
  const Status s = run_dsp(imp, signal);
  return s == kOk ? run_network(imp, scores) : s;
}

Status features(Impulse* imp, const kiln_signal& signal, float* out, size_t out_capacity) {
  if (!imp || !out || !signal.get_data) return kBadArgument;
  if (!signal_fits(*imp, signal)) return kSignalLength;
  if (imp->scratch_bytes < imp->features_scratch_bytes) return kScratchTooSmall;
  const Config& c = imp->config;
  return dsp_result(imp, c.block->run(imp->params.bytes, c.sampling_frequency, c.axes, signal, imp->scratch,
                                      imp->scratch_bytes, out, out_capacity));
}

Status set_features(const Network& n, const float* x, size_t count) {
  if (!x || count != n.input.count) return kBadArgument;
  void* input = n.input_data(n.context);
  if (n.input.type == kTensorInt8) {
    int8_t* q = static_cast<int8_t*>(input);
    for (size_t i = 0; i < count; ++i) q[i] = nn::quantize_s8(x[i], n.input.scale, n.input.zero_point);
  } else {
    float* f = static_cast<float*>(input);
    for (size_t i = 0; i < count; ++i) f[i] = x[i];
  }
  return kOk;
}

Status read_scores(const Network& n, Scores* scores) {
  if (!scores || !scores->scores || scores->capacity < n.output.count) return kBadArgument;
  const void* out = n.output_data(n.context);
  int top = 0;
  for (size_t i = 0; i < n.output.count; ++i) {
    if (n.output.type == kTensorInt8) {
      const int32_t q = static_cast<const int8_t*>(out)[i];
      if (scores->scores_q) scores->scores_q[i] = q;
      scores->scores[i] = static_cast<float>(q - n.output.zero_point) * n.output.scale;
    } else {
      if (scores->scores_q) scores->scores_q[i] = 0;
      scores->scores[i] = static_cast<const float*>(out)[i];
    }
    if (scores->scores[i] > scores->scores[top]) top = static_cast<int>(i);
  }
  scores->top = top;
  return kOk;
}

}  // namespace impulse
}  // namespace kiln
