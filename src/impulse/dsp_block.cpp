#include "impulse/dsp_block.h"

#include <charconv>
#include <climits>
#include <cmath>

#include "core/closest_name.h"
#include "core/error.h"
#include "core/quote.h"
#include "dsp/mfe.h"
#include "kiln/signal.h"

namespace kiln {
namespace {

using Params = std::map<std::string, double>;

// Shortest text that reads back as the same double, for messages ("0.02", not "0.020000").
std::string number(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

struct ParamSpec {
  std::string name;
  double default_value;
  bool integer;          // must be a whole number (counts, lengths in bins)
  bool ignored = false;  // an older version's parameter: accepted (Edge Impulse parameter sets carry it),
                         // unused, not among the defaults
};

// One processing block. The hooks receive parameters already resolved: every name known, every integer
// parameter whole, missing ones filled with defaults. They throw Error; messages start with the block name.
struct BlockSpec {
  std::string name;
  std::vector<std::string> versions;  // oldest first
  std::vector<ParamSpec> params;
  DspShape (*shape)(const Params& params, double frequency, int axes, std::size_t samples_per_axis);
  std::vector<float> (*run)(const std::string& version, const Params& params, double frequency,
                            std::span<const float> input);
};

// ---------------------------------------------------------------------------------------------------------------
// mfe: Mel-filterbank energies (sdk/dsp/mfe.h). "ei-4" = Edge Impulse processing-blocks MFE v4.

int as_int(double v) {
  if (v > INT_MAX / 2) return INT_MAX / 2;  // out of every range: the SDK rejects it, the message shows v
  if (v < INT_MIN / 2) return INT_MIN / 2;
  return static_cast<int>(v);
}

dsp::MfeParams to_mfe_params(const Params& p, double frequency) {
  dsp::MfeParams m;
  m.sampling_frequency = frequency;
  m.frame_length = p.at("frame_length");
  m.frame_stride = p.at("frame_stride");
  m.num_filters = as_int(p.at("num_filters"));
  m.fft_length = as_int(p.at("fft_length"));
  m.low_frequency = p.at("low_frequency");
  m.high_frequency = p.at("high_frequency");
  m.noise_floor_db = p.at("noise_floor_db");
  return m;
}

// The high band edge in Hz: high_frequency, or half the sampling frequency when it is 0.
double high_of(const Params& p, double frequency) {
  return p.at("high_frequency") == 0 ? frequency / 2 : p.at("high_frequency");
}

// The parameter a status is about ("" when it is not one parameter's).
std::string mfe_param_of(dsp::Status status) {
  switch (status) {
    case dsp::kBadFrameLength:
    case dsp::kSignalTooShort:
      return "frame_length";
    case dsp::kBadFrameStride:
      return "frame_stride";
    case dsp::kBadNumFilters:
    case dsp::kEmptyMelFilter:
      return "num_filters";
    case dsp::kBadFftLength:
      return "fft_length";
    case dsp::kBadHighFrequency:
      return "high_frequency";
    case dsp::kBadLowFrequency:
      return "low_frequency";
    case dsp::kBadNoiseFloor:
      return "noise_floor_db";
    default:
      return "";
  }
}

[[noreturn]] void mfe_fail(dsp::Status status, const Params& p, double frequency, std::size_t samples) {
  const std::string fs = number(frequency) + " Hz";
  const double nyquist = frequency / 2;
  std::string msg;
  switch (status) {
    case dsp::kBadSamplingFrequency:
      msg = "the sampling frequency must be above 0 Hz (got " + number(frequency) + ")";
      break;
    case dsp::kBadFrameLength:
      msg = "frame_length must be at least one sample at " + fs + " (got " + number(p.at("frame_length")) +
            " s)";
      break;
    case dsp::kBadFrameStride:
      msg = "frame_stride must be at least one sample at " + fs + " (got " + number(p.at("frame_stride")) +
            " s)";
      break;
    case dsp::kBadNumFilters:
      msg = "num_filters must be from " + std::to_string(dsp::kMfeMinFilters) + " to " +
            std::to_string(dsp::kMfeMaxFilters) + " (got " + number(p.at("num_filters")) + ")";
      break;
    case dsp::kBadFftLength:
      msg = "fft_length must be a power of two from " + std::to_string(dsp::kMfeMinFftLength) + " to " +
            std::to_string(dsp::kMfeMaxFftLength) + " (got " + number(p.at("fft_length")) + ")";
      break;
    case dsp::kBadHighFrequency:
      msg = "high_frequency must be 0 (meaning half the sampling frequency) or at most " + number(nyquist) +
            " Hz at " + fs + " (got " + number(p.at("high_frequency")) + ")";
      break;
    case dsp::kBadLowFrequency: {
      msg = "low_frequency must be at least 0 and below the high frequency, " +
            number(high_of(p, frequency)) + " Hz (got " + number(p.at("low_frequency")) + ")";
      break;
    }
    case dsp::kBadNoiseFloor:
      msg = "noise_floor_db must be from -1000 to below 12 dB (got " + number(p.at("noise_floor_db")) + ")";
      break;
    case dsp::kEmptyMelFilter: {
      // Suggest the largest filter count that works with these settings.
      dsp::MfeParams fewer = to_mfe_params(p, frequency);
      while (fewer.num_filters > dsp::kMfeMinFilters && dsp::mfe_validate(fewer) == dsp::kEmptyMelFilter) {
        --fewer.num_filters;
      }
      const bool found = dsp::mfe_validate(fewer) == dsp::kOk;
      msg = "num_filters " + number(p.at("num_filters")) + " is too many for fft_length " +
            number(p.at("fft_length")) + " between " + number(p.at("low_frequency")) + " and " +
            number(high_of(p, frequency)) + " Hz: some mel filters fall on no FFT bin (" +
            (found ? "at most " + std::to_string(fewer.num_filters) +
                         " filters fit; lower num_filters or raise fft_length"
                   : "raise fft_length") +
            ")";
      break;
    }
    case dsp::kSignalTooShort:
      msg = "frame_length " + number(p.at("frame_length")) + " s is " +
            std::to_string(dsp::mfe_seconds_to_samples(frequency, p.at("frame_length"))) + " samples at " +
            fs + ", longer than the window (" + std::to_string(samples) + " samples)";
      break;
    case dsp::kSignalTooLong:
      msg = "the window (" + std::to_string(samples) + " samples) gives too many frames";
      break;
    default:
      msg = dsp::status_message(status);
      break;
  }
  throw DspParamError(mfe_param_of(status), "mfe: " + msg);
}

DspShape mfe_shape(const Params& p, double frequency, int axes, std::size_t samples) {
  if (axes != 1)
    throw Error("mfe: works on one axis (audio), but the input has " + std::to_string(axes) + " axes");
  dsp::MfeParams m = to_mfe_params(p, frequency);
  dsp::Status status = dsp::mfe_validate(m);
  if (status != dsp::kOk) mfe_fail(status, p, frequency, samples);
  if (samples == 0) return {0, m.num_filters};
  dsp::MfeShape shape;
  status = dsp::mfe_output_shape(m, samples, &shape);
  if (status != dsp::kOk) mfe_fail(status, p, frequency, samples);
  return {shape.frames, shape.values};
}

std::vector<float> mfe_run(const std::string&, const Params& p, double frequency,
                           std::span<const float> input) {
  dsp::MfeParams m = to_mfe_params(p, frequency);
  DspShape shape = mfe_shape(p, frequency, 1, input.size());
  std::vector<unsigned char> scratch(dsp::mfe_scratch_bytes(m));
  std::vector<float> out(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values));
  kiln_float_array array = {input.data(), input.size()};
  kiln_signal signal = kiln_signal_from_array(&array);
  dsp::Status status = dsp::mfe_run(m, signal, scratch.data(), scratch.size(), out.data(), out.size());
  if (status != dsp::kOk) mfe_fail(status, p, frequency, input.size());
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The registry. A new block (mfcc, spectrogram, spectral_analysis, flatten, raw) adds one entry here and its
// hooks above; a new implementation version of an existing block adds a version and dispatches on it in run.

const std::vector<BlockSpec>& blocks() {
  static const std::vector<BlockSpec> all = {
      {"mfe",
       {"ei-4"},
       {{"frame_length", 0.02, false},
        {"frame_stride", 0.01, false},
        {"num_filters", 40, true},
        {"fft_length", 256, true},
        {"low_frequency", 0, false},
        {"high_frequency", 0, false},
        {"noise_floor_db", -52, false},
        {"win_size", 101, true, true}},  // MFE v1/v2 normalisation window, ignored by v4
       mfe_shape,
       mfe_run},
  };
  return all;
}

const BlockSpec& find_block(const std::string& name) {
  std::vector<std::string> names = dsp_block_names();
  for (const auto& b : blocks()) {
    if (b.name == name) return b;
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw Error("unknown DSP block " + quote(name) + did_you_mean(name, names) + "; available: " + list);
}

void check_version(const BlockSpec& block, const std::string& version) {
  for (const auto& v : block.versions) {
    if (v == version) return;
  }
  std::string list;
  for (const auto& v : block.versions) list += (list.empty() ? "" : ", ") + v;
  throw Error(block.name + ": unknown version " + quote(version) + did_you_mean(version, block.versions) +
              "; available: " + list);
}

// Defaults overlaid with `given`; throws on an unknown name, a non-finite value or a fractional integer.
Params resolve(const BlockSpec& block, const Params& given) {
  Params out;
  std::vector<std::string> names;
  for (const auto& spec : block.params) {
    if (spec.ignored) continue;
    out[spec.name] = spec.default_value;
    names.push_back(spec.name);
  }
  for (const auto& [name, value] : given) {
    const ParamSpec* spec = nullptr;
    for (const auto& s : block.params) {
      if (s.name == name) spec = &s;
    }
    if (!spec) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw DspParamError(name, block.name + ": unknown parameter " + quote(name) +
                                    did_you_mean(name, names) + "; parameters: " + list);
    }
    if (!std::isfinite(value))
      throw DspParamError(name, block.name + ": " + name + " must be a finite number");
    if (spec->integer && value != std::floor(value)) {
      throw DspParamError(name,
                          block.name + ": " + name + " must be a whole number (got " + number(value) + ")");
    }
    if (!spec->ignored) out[name] = value;
  }
  return out;
}

}  // namespace

std::vector<std::string> dsp_block_names() {
  std::vector<std::string> names;
  for (const auto& b : blocks()) names.push_back(b.name);
  return names;
}

std::vector<std::string> dsp_block_versions(const std::string& block) {
  return find_block(block).versions;
}

std::map<std::string, double> dsp_default_params(const std::string& block) {
  return resolve(find_block(block), {});
}

void validate_dsp_params(const std::string& block, const std::string& version,
                         const std::map<std::string, double>& params, double frequency, int axes,
                         std::size_t samples_per_axis) {
  const BlockSpec& spec = find_block(block);
  check_version(spec, version);
  spec.shape(resolve(spec, params), frequency, axes, samples_per_axis);
}

DspShape dsp_output_shape(const std::string& block, const std::map<std::string, double>& params,
                          double frequency, int axes, std::size_t samples_per_axis) {
  const BlockSpec& spec = find_block(block);
  if (samples_per_axis == 0) throw Error(block + ": the window is empty (0 samples)");
  return spec.shape(resolve(spec, params), frequency, axes, samples_per_axis);
}

std::vector<float> run_dsp_block(const std::string& block, const std::string& version,
                                 const std::map<std::string, double>& params, double frequency, int axes,
                                 std::span<const float> interleaved_input) {
  const BlockSpec& spec = find_block(block);
  check_version(spec, version);
  Params resolved = resolve(spec, params);
  if (axes < 1) throw Error(block + ": axes must be at least 1 (got " + std::to_string(axes) + ")");
  if (interleaved_input.size() % static_cast<std::size_t>(axes) != 0) {
    throw Error(block + ": the input has " + std::to_string(interleaved_input.size()) +
                " values, not a multiple of " + std::to_string(axes) + " axes");
  }
  for (std::size_t i = 0; i < interleaved_input.size(); ++i) {
    if (!std::isfinite(interleaved_input[i])) {
      throw Error(block + ": input value " + std::to_string(i) + " is " +
                  (std::isnan(interleaved_input[i]) ? "NaN" : "infinite"));
    }
  }
  spec.shape(resolved, frequency, axes, interleaved_input.size() / static_cast<std::size_t>(axes));
  return spec.run(version, resolved, frequency, interleaved_input);
}

}  // namespace kiln
