#include "impulse/dsp_block.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "core/closest_name.h"
#include "core/error.h"
#include "core/number_text.h"
#include "core/quote.h"
#include "dsp/mfe.h"
#include "impulse/block_table.h"
#include "kiln/signal.h"

namespace kiln {
namespace {

using Params = std::map<std::string, double>;

// ---------------------------------------------------------------------------------------------------------------
// Messages of particular blocks, where the SDK's status text alone would not tell the user what to change.
// mfe: Mel-filterbank energies (sdk/dsp/mfe.h).

// The high band edge in Hz: high_frequency, or half the sampling frequency when it is 0.
double high_of(const Params& p, double frequency) {
  return p.at("high_frequency") == 0 ? frequency / 2 : p.at("high_frequency");
}

// MFE's messages: each names the limit in the user's units (Hz, seconds, samples) and what to change.
// `fields` is the resolved MfeParams. Returns "" for a status without a message of its own.
std::string mfe_message(dsp::Status status, const Params& p, const void* fields, double frequency,
                        std::size_t samples) {
  const std::string fs = number_text(frequency) + " Hz";
  const double nyquist = frequency / 2;
  std::string msg;
  switch (status) {
    case dsp::kBadSamplingFrequency:
      msg = "the sampling frequency must be above 0 Hz (got " + number_text(frequency) + ")";
      break;
    case dsp::kBadFrameLength:
      msg = "frame_length must be at least one sample at " + fs + " (got " +
            number_text(p.at("frame_length")) + " s)";
      break;
    case dsp::kBadFrameStride:
      msg = "frame_stride must be at least one sample at " + fs + " (got " +
            number_text(p.at("frame_stride")) + " s)";
      break;
    case dsp::kBadNumFilters:
      msg = "num_filters must be from " + std::to_string(dsp::kMfeMinFilters) + " to " +
            std::to_string(dsp::kMfeMaxFilters) + " (got " + number_text(p.at("num_filters")) + ")";
      break;
    case dsp::kBadFftLength:
      msg = "fft_length must be a power of two from " + std::to_string(dsp::kMfeMinFftLength) + " to " +
            std::to_string(dsp::kMfeMaxFftLength) + " (got " + number_text(p.at("fft_length")) + ")";
      break;
    case dsp::kBadHighFrequency:
      msg = "high_frequency must be 0 (meaning half the sampling frequency) or at most " +
            number_text(nyquist) + " Hz at " + fs + " (got " + number_text(p.at("high_frequency")) + ")";
      break;
    case dsp::kBadLowFrequency: {
      msg = "low_frequency must be at least 0 and below the high frequency, " +
            number_text(high_of(p, frequency)) + " Hz (got " + number_text(p.at("low_frequency")) + ")";
      break;
    }
    case dsp::kBadNoiseFloor:
      msg = "noise_floor_db must be from -1000 to below 12 dB (got " + number_text(p.at("noise_floor_db")) +
            ")";
      break;
    case dsp::kEmptyMelFilter: {
      // Suggest the largest filter count that works with these settings.
      dsp::MfeParams fewer = *static_cast<const dsp::MfeParams*>(fields);
      fewer.sampling_frequency = frequency;
      while (fewer.num_filters > dsp::kMfeMinFilters && dsp::mfe_validate(fewer) == dsp::kEmptyMelFilter) {
        --fewer.num_filters;
      }
      const bool found = dsp::mfe_validate(fewer) == dsp::kOk;
      msg = "num_filters " + number_text(p.at("num_filters")) + " is too many for fft_length " +
            number_text(p.at("fft_length")) + " between " + number_text(p.at("low_frequency")) + " and " +
            number_text(high_of(p, frequency)) + " Hz: some mel filters fall on no FFT bin (" +
            (found ? "at most " + std::to_string(fewer.num_filters) +
                         " filters fit; lower num_filters or raise fft_length"
                   : "raise fft_length") +
            ")";
      break;
    }
    case dsp::kSignalTooShort:
      msg = "frame_length " + number_text(p.at("frame_length")) + " s is " +
            std::to_string(dsp::mfe_seconds_to_samples(frequency, p.at("frame_length"))) + " samples at " +
            fs + ", longer than the window (" + std::to_string(samples) + " samples)";
      break;
    case dsp::kSignalTooLong:
      msg = "the window (" + std::to_string(samples) + " samples) gives too many frames";
      break;
    default:
      break;
  }
  return msg;
}

using MessageHook = std::string (*)(dsp::Status, const Params&, const void* fields, double frequency,
                                    std::size_t samples);

MessageHook message_hook(const impulse::BlockSpec& block) {
  if (&block == &impulse::kMfeBlock) return mfe_message;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// Everything below works on any block of the SDK's table (sdk/impulse/block_table.h).

const impulse::BlockSpec& find_block(const std::string& name) {
  if (const impulse::BlockSpec* b = impulse::find_block(name.c_str())) return *b;
  const std::vector<std::string> names = dsp_block_names();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw Error("unknown DSP block " + quote(name) + did_you_mean(name, names) + "; available: " + list);
}

void check_version(const impulse::BlockSpec& block, const std::string& version) {
  if (version == block.version) return;
  throw Error(std::string(block.name) + ": unknown version " + quote(version) +
              did_you_mean(version, {block.version}) + "; available: " + block.version);
}

const impulse::ParamSpec* find_param(const impulse::BlockSpec& block, const std::string& name) {
  for (int i = 0; i < block.param_count; ++i) {
    if (name == block.params[i].name) return &block.params[i];
  }
  return nullptr;
}

bool is_ignored(const impulse::BlockSpec& block, const std::string& name) {
  for (int i = 0; i < block.ignored_count; ++i) {
    if (name == block.ignored_params[i]) return true;
  }
  return false;
}

std::vector<std::string> param_names(const impulse::BlockSpec& block) {
  std::vector<std::string> names;
  for (int i = 0; i < block.param_count; ++i) names.push_back(block.params[i].name);
  return names;
}

[[noreturn]] void unknown_param(const impulse::BlockSpec& block, const std::string& name) {
  const std::vector<std::string> names = param_names(block);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw DspParamError(name, std::string(block.name) + ": unknown parameter " + quote(name) +
                                did_you_mean(name, names) + "; parameters: " + list);
}

// The block's parameter struct, in memory aligned for any of its fields.
class Fields {
 public:
  explicit Fields(const impulse::BlockSpec& block)
      : storage_((block.params_bytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)) {
    block.set_defaults(storage_.data());
  }
  void* get() { return storage_.data(); }
  const void* get() const { return storage_.data(); }

 private:
  std::vector<std::max_align_t> storage_;
};

// Defaults overlaid with `given`; throws on an unknown name, a non-finite value, a fractional integer or a
// choice index out of range. The stored value of a choice is its index (see parse_dsp_param).
Params resolve(const impulse::BlockSpec& block, const Params& given) {
  Params out;
  Fields defaults(block);
  for (int i = 0; i < block.param_count; ++i) {
    out[block.params[i].name] = impulse::param_value(block.params[i], defaults.get());
  }
  for (const auto& [name, value] : given) {
    const impulse::ParamSpec* spec = find_param(block, name);
    if (!spec && !is_ignored(block, name)) unknown_param(block, name);
    const std::string prefix = std::string(block.name) + ": " + name;
    if (!std::isfinite(value)) throw DspParamError(name, prefix + " must be a finite number");
    const bool whole = !spec || spec->kind != impulse::kParamReal;
    if (whole && value != std::floor(value)) {
      throw DspParamError(name, prefix + " must be a whole number (got " + number_text(value) + ")");
    }
    if (spec && spec->kind == impulse::kParamBool && value != 0 && value != 1) {
      throw DspParamError(name, prefix + " must be true or false (got " + number_text(value) + ")");
    }
    if (spec && spec->kind == impulse::kParamChoice && (value < 0 || value >= spec->choice_count)) {
      throw DspParamError(name, prefix + " has no choice number " + number_text(value));
    }
    if (spec) out[name] = value;
  }
  return out;
}

// `resolved` written into the block's struct.
Fields fields_of(const impulse::BlockSpec& block, const Params& resolved) {
  Fields f(block);
  for (int i = 0; i < block.param_count; ++i) {
    const double v = resolved.at(block.params[i].name);
    // Integers beyond int are refused by the block's own range check; keep them out of range, not wrapped.
    const double clamped = block.params[i].kind == impulse::kParamReal ? v : std::clamp(v, -1e9, 1e9);
    impulse::set_param_value(block.params[i], f.get(), clamped);
  }
  return f;
}

// The values 0..kProbeMax of an integer parameter the block accepts with the other parameters as they are,
// in words ("a power of two from 64 to 4096", "from 1 to 40", "one of 0, 2, 4, 6, 8"); "" when none is or the
// set has no short description. Found by asking the block, so the words cannot drift from its checks.
std::string allowed_values(const impulse::BlockSpec& block, const impulse::ParamSpec& spec, const Fields& f,
                           double frequency, int axes, std::size_t samples) {
  const int kProbeMax = 16384;
  std::vector<unsigned char> probe(block.params_bytes);
  std::memcpy(probe.data(), f.get(), block.params_bytes);
  std::vector<int> ok;
  for (int v = 0; v <= kProbeMax; ++v) {
    impulse::set_param_value(spec, probe.data(), v);
    if (block.validate(probe.data(), frequency, axes) != dsp::kOk) continue;
    dsp::FeatureShape shape;
    if (samples > 0 && block.output_shape(probe.data(), frequency, axes, samples, &shape) != dsp::kOk)
      continue;
    ok.push_back(v);
  }
  if (ok.empty()) return "";
  const std::string lo = std::to_string(ok.front()), hi = std::to_string(ok.back());
  const bool open = ok.back() == kProbeMax;
  const bool powers = std::all_of(ok.begin(), ok.end(), [](int v) { return v > 0 && (v & (v - 1)) == 0; });
  const bool every_power =
      powers && static_cast<int>(ok.size()) == std::countr_zero(static_cast<unsigned>(ok.back())) -
                                                   std::countr_zero(static_cast<unsigned>(ok.front())) + 1;
  if (ok.size() == 1) return lo;
  if (every_power) return "a power of two from " + lo + (open ? " up" : " to " + hi);
  if (ok.back() - ok.front() + 1 == static_cast<int>(ok.size()))
    return open ? "at least " + lo : "from " + lo + " to " + hi;
  if (ok.size() > 8) return "";  // an irregular set: the status text states the rule
  std::string list;
  for (int v : ok) list += (list.empty() ? "" : ", ") + std::to_string(v);
  return "one of " + list;
}

[[noreturn]] void fail(const impulse::BlockSpec& block, dsp::Status status, const Params& p, const Fields& f,
                       double frequency, int axes, std::size_t samples) {
  const char* param = block.status_param(status);
  std::string msg;
  if (MessageHook hook = message_hook(block)) msg = hook(status, p, f.get(), frequency, samples);
  if (msg.empty()) {
    switch (status) {
      case dsp::kBadSamplingFrequency:
        msg = "the sampling frequency must be above 0 Hz (got " + number_text(frequency) + ")";
        break;
      case dsp::kSignalTooShort:
        msg = "the window (" + std::to_string(samples) + " samples per axis) is too short for these settings";
        break;
      default:
        msg = dsp::status_message(status);
        if (param) {
          const impulse::ParamSpec* spec = find_param(block, param);
          const std::string got = dsp_param_text(block.name, param, p.at(param));
          if (spec && spec->kind == impulse::kParamReal) {
            msg = std::string(param) + ": " + msg + " (got " + got + " at " + number_text(frequency) + " Hz)";
          } else {
            msg = std::string(param) + ": " + msg + " (got " + got + ")";
          }
          if (spec && spec->kind == impulse::kParamInt) {
            const std::string allowed = allowed_values(block, *spec, f, frequency, axes, samples);
            if (!allowed.empty()) msg += "; allowed with the other settings: " + allowed;
          }
        }
        break;
    }
  }
  throw DspParamError(param ? param : "", std::string(block.name) + ": " + msg);
}

// Validates `f` (the struct of the resolved parameters `p`) for the input and returns the features' shape.
DspShape shape_of(const impulse::BlockSpec& block, const Params& p, const Fields& f, double frequency,
                  int axes, std::size_t samples) {
  if (axes < 1)
    throw Error(std::string(block.name) + ": axes must be at least 1 (got " + std::to_string(axes) + ")");
  dsp::Status status = block.validate(f.get(), frequency, axes);
  if (status == dsp::kBadAxes) {
    throw Error(std::string(block.name) + ": does not work on " + std::to_string(axes) +
                (axes == 1 ? " axis" : " axes") +
                (block.validate(f.get(), frequency, 1) == dsp::kOk ? " (it works on one axis)" : ""));
  }
  if (status != dsp::kOk) fail(block, status, p, f, frequency, axes, samples);
  dsp::FeatureShape shape = {0, 0};
  if (samples == 0) {
    // No window yet (kiln.toml checks before one is known): the parameters alone are valid.
    return {0, 0};
  }
  status = block.output_shape(f.get(), frequency, axes, samples, &shape);
  if (status != dsp::kOk) fail(block, status, p, f, frequency, axes, samples);
  return {shape.frames, shape.values};
}
}  // namespace

std::vector<std::string> dsp_block_names() {
  int count = 0;
  const impulse::BlockSpec* const* all = impulse::all_blocks(&count);
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(all[i]->name);
  return names;
}

std::vector<std::string> dsp_block_versions(const std::string& block) {
  return {find_block(block).version};
}

std::map<std::string, double> dsp_default_params(const std::string& block) {
  const impulse::BlockSpec& spec = find_block(block);
  Params params = resolve(spec, {});
  for (int i = 0; i < spec.param_count; ++i) {
    if (spec.params[i].kind == impulse::kParamInput) params.erase(spec.params[i].name);
  }
  return params;
}

std::vector<std::string> dsp_input_params(const std::string& block) {
  const impulse::BlockSpec& spec = find_block(block);
  std::vector<std::string> names;
  for (int i = 0; i < spec.param_count; ++i) {
    if (spec.params[i].kind == impulse::kParamInput) names.push_back(spec.params[i].name);
  }
  return names;
}

double parse_dsp_param(const std::string& block_name, const std::string& name, const std::string& text) {
  const impulse::BlockSpec& block = find_block(block_name);
  const impulse::ParamSpec* spec = find_param(block, name);
  if (!spec && !is_ignored(block, name)) unknown_param(block, name);
  const std::string prefix = block_name + ": " + name;
  if (spec && spec->kind == impulse::kParamInput) {
    throw DspParamError(name, prefix + " is not a parameter of the block but the input's: [input] " + name +
                                  " in kiln.toml (kiln dsp: --" + name + ")");
  }
  if (spec && spec->kind == impulse::kParamChoice) {
    std::vector<std::string> choices(spec->choices, spec->choices + spec->choice_count);
    for (int i = 0; i < spec->choice_count; ++i) {
      if (text == choices[static_cast<std::size_t>(i)]) return i;
    }
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    throw DspParamError(name, prefix + " must be one of " + list + " (got " + quote(text) + ")" +
                                  did_you_mean(text, choices));
  }
  if (spec && spec->kind == impulse::kParamBool) {
    if (text == "true" || text == "1") return 1;
    if (text == "false" || text == "0") return 0;
    throw DspParamError(name, prefix + " must be true or false (got " + quote(text) + ")");
  }
  double value = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, value);
  if (text.empty() || r.ec != std::errc() || r.ptr != end) {
    throw DspParamError(name, prefix + " must be a number (got " + quote(text) + ")");
  }
  return value;
}

std::string dsp_param_text(const std::string& block_name, const std::string& name, double value) {
  const impulse::ParamSpec* spec = find_param(find_block(block_name), name);
  if (spec && spec->kind == impulse::kParamBool) return value != 0 ? "true" : "false";
  if (spec && spec->kind == impulse::kParamChoice && value >= 0 && value < spec->choice_count &&
      value == std::floor(value)) {
    return spec->choices[static_cast<int>(value)];
  }
  return number_text(value);
}

bool dsp_param_is_text(const std::string& block_name, const std::string& name) {
  const impulse::ParamSpec* spec = find_param(find_block(block_name), name);
  return spec && spec->kind == impulse::kParamChoice;
}

std::string dsp_param_help(const std::string& block_name, const std::string& name) {
  const impulse::ParamSpec* spec = find_param(find_block(block_name), name);
  return spec && spec->help ? spec->help : "";
}

void validate_dsp_params(const std::string& block, const std::string& version,
                         const std::map<std::string, double>& params, double frequency, int axes,
                         std::size_t samples_per_axis) {
  const impulse::BlockSpec& spec = find_block(block);
  check_version(spec, version);
  const Params resolved = resolve(spec, params);
  shape_of(spec, resolved, fields_of(spec, resolved), frequency, axes, samples_per_axis);
}

DspShape dsp_output_shape(const std::string& block, const std::map<std::string, double>& params,
                          double frequency, int axes, std::size_t samples_per_axis) {
  const impulse::BlockSpec& spec = find_block(block);
  if (samples_per_axis == 0) throw Error(block + ": the window is empty (0 samples)");
  const Params resolved = resolve(spec, params);
  return shape_of(spec, resolved, fields_of(spec, resolved), frequency, axes, samples_per_axis);
}

const impulse::BlockSpec& dsp_block_spec(const std::string& block, const std::string& version) {
  const impulse::BlockSpec& spec = find_block(block);
  check_version(spec, version);
  return spec;
}

void throw_dsp_failure(const std::string& block, dsp::Status status,
                       const std::map<std::string, double>& params, double frequency, int axes,
                       std::size_t samples_per_axis) {
  const impulse::BlockSpec& spec = find_block(block);
  const Params resolved = resolve(spec, params);
  fail(spec, status, resolved, fields_of(spec, resolved), frequency, axes, samples_per_axis);
}

std::vector<std::pair<std::string, double>> dsp_table_values(const std::string& block,
                                                             const std::map<std::string, double>& params) {
  const impulse::BlockSpec& spec = find_block(block);
  const Params resolved = resolve(spec, params);
  std::vector<std::pair<std::string, double>> out;
  for (int i = 0; i < spec.param_count; ++i)
    out.emplace_back(spec.params[i].name, resolved.at(spec.params[i].name));
  return out;
}

std::size_t dsp_params_bytes(const std::string& block) {
  return find_block(block).params_bytes;
}

std::size_t dsp_scratch_bytes(const std::string& block, const std::map<std::string, double>& params,
                              double frequency, int axes, std::size_t samples_per_axis, bool s8) {
  const impulse::BlockSpec& spec = find_block(block);
  const Params resolved = resolve(spec, params);
  const Fields f = fields_of(spec, resolved);
  shape_of(spec, resolved, f, frequency, axes, samples_per_axis);
  return s8 ? spec.scratch_bytes_s8(f.get(), frequency, axes, samples_per_axis)
            : spec.scratch_bytes(f.get(), frequency, axes, samples_per_axis);
}

// The convention of sdk/impulse: block "spectral-analysis" has its entry kSpectralAnalysisBlock in
// impulse/spectral_analysis_block.h (tests/unit/dsp/test_dsp_block.cpp checks every entry keeps to it).
std::string dsp_entry_header(const std::string& block) {
  std::string file = find_block(block).name;
  std::replace(file.begin(), file.end(), '-', '_');
  return "impulse/" + file + "_block.h";
}

std::string dsp_entry_symbol(const std::string& block) {
  std::string symbol = "k";
  bool upper = true;
  for (const char c : std::string(find_block(block).name)) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    symbol += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return symbol + "Block";
}

}  // namespace kiln
