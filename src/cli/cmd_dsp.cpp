// kiln dsp: run one processing block on one raw signal, outside any project. For checking a block against
// other implementations (the golden vectors in shared/reference/dsp), for looking at features, and for
// scripts.
#include <sndfile.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "core/number_text.h"
#include "data/audio_reader.h"
#include "data/image_sample.h"
#include "data/sample_limits.h"
#include "impulse/dsp_block.h"
#include "impulse/impulse_runner.h"

namespace kiln::cli {
namespace {

struct DspOptions {
  std::string block;
  std::string input;
  std::string output;
  std::string version;
  double frequency = 0;
  int axes = 1;
  std::vector<std::string> params;
  int width = 0;  // image blocks: the input's size (an image file gives its own)
  int height = 0;
};

enum class OutputFormat { kRawFloat32, kCsv, kJson };

std::string lower_extension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool is_audio_file(const std::filesystem::path& p) {
  const std::string ext = lower_extension(p);
  return ext == ".wav" || ext == ".flac" || ext == ".ogg";
}

bool is_image_file(const std::filesystem::path& p) {
  const std::string ext = lower_extension(p);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

OutputFormat output_format(const std::filesystem::path& p) {
  const std::string ext = lower_extension(p);
  if (ext == ".f32" || ext == ".bin" || ext == ".raw") return OutputFormat::kRawFloat32;
  if (ext == ".csv") return OutputFormat::kCsv;
  if (ext == ".json") return OutputFormat::kJson;
  throw Error(p.string() + ": unknown output format '" + ext +
              "' (use .f32, .bin or .raw for float32, .csv or .json)");
}

// "--param NAME=VALUE" strings to the block's stored values (a number, true/false, or one of a choice's
// strings, as in kiln.toml).
std::map<std::string, double> parse_params(const std::string& block, const std::vector<std::string>& items) {
  std::map<std::string, double> params;
  for (const std::string& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error("--param '" + item + "': expected NAME=VALUE, e.g. --param fft_length=512");
    }
    const std::string name = item.substr(0, eq);
    const double value = parse_dsp_param(block, name, item.substr(eq + 1));
    if (!params.emplace(name, value).second) throw Error("--param " + name + " is given more than once");
  }
  return params;
}

struct Signal {
  std::vector<float> values;  // interleaved by axis
  double frequency = 0;
  int axes = 1;
  int width = 0, height = 0;  // an image
};

Signal read_audio_input(const std::filesystem::path& path, const DspOptions& o, bool frequency_given,
                        bool axes_given) {
  const std::string name = path.string();
  if (axes_given && o.axes != 1) {
    throw Error(name + ": audio is mixed down to one axis, so --axes must be 1 (got " +
                std::to_string(o.axes) + ")");
  }
  checked_file_size(path, kMaxAudioFileBytes);  // a regular file, before libsndfile reads from it
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (!file) throw Error(name + ": not a readable audio file (" + sf_strerror(nullptr) + ")");
  sf_close(file);
  const double rate = info.samplerate;
  if (frequency_given && o.frequency != rate) {
    throw Error(name + ": the file is sampled at " + number_text(rate) + " Hz but --frequency is " +
                number_text(o.frequency) +
                " Hz; kiln dsp does not resample (omit --frequency to use the file's rate)");
  }
  Signal s;
  s.values = read_audio_file(path, rate).values;  // mono, int16 units; no resampling at the file's own rate
  s.frequency = rate;
  s.axes = 1;
  return s;
}

Signal read_raw_input(const std::filesystem::path& path, const DspOptions& o, bool frequency_given) {
  const std::string name = path.string();
  if (!frequency_given) {
    throw Error(name + ": --frequency is required for raw float32 input (only audio files carry their rate)");
  }
  if (o.axes < 1) throw Error("--axes must be at least 1 (got " + std::to_string(o.axes) + ")");
  const std::string bytes = read_file(path, kMaxRawSignalBytes);
  if (bytes.empty()) throw Error(name + ": empty file");
  if (bytes.size() % 4 != 0) {
    throw Error(name + ": " + std::to_string(bytes.size()) +
                " bytes is not a whole number of float32 values (truncated or not raw float32?)");
  }
  const std::size_t count = bytes.size() / 4;
  if (count % static_cast<std::size_t>(o.axes) != 0) {
    throw Error(name + ": " + std::to_string(count) + " values is not a multiple of --axes " +
                std::to_string(o.axes));
  }
  Signal s;
  s.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {  // little-endian float32 whatever the host's byte order
    std::uint32_t u = 0;
    for (int b = 3; b >= 0; --b)
      u = (u << 8) | static_cast<unsigned char>(bytes[4 * i + static_cast<std::size_t>(b)]);
    float v;
    std::memcpy(&v, &u, sizeof v);
    if (!std::isfinite(v)) {
      throw Error(name + ": value " + std::to_string(i) + " (sample " + std::to_string(i / o.axes) +
                  ", axis " + std::to_string(i % o.axes) + ") is " + (std::isnan(v) ? "NaN" : "infinite"));
    }
    s.values[i] = v;
  }
  s.frequency = o.frequency;
  s.axes = o.axes;
  return s;
}

// An image file for the image block: its pixels as the packed 0xRRGGBB floats the block reads, at its own
// size (kiln dsp does not resize); --width and --height, when given, must be that size.
Signal read_image_input(const std::filesystem::path& path, const DspOptions& o) {
  const Image image = read_image_file(path);
  if ((o.width > 0 && o.width != image.width) || (o.height > 0 && o.height != image.height)) {
    throw Error(path.string() + ": the image is " + std::to_string(image.width) + " x " +
                std::to_string(image.height) + " pixels but --width/--height say " + std::to_string(o.width) +
                " x " + std::to_string(o.height) +
                "; kiln dsp does not resize (omit them to use the image's size)");
  }
  Signal s;
  s.values = image_sample(image, InputSettings::image(image.width, image.height), path.string()).values;
  s.width = image.width;
  s.height = image.height;
  return s;
}

std::string serialize(OutputFormat format, const std::vector<float>& features, DspShape shape,
                      const std::string& block, const std::string& version, double frequency) {
  switch (format) {
    case OutputFormat::kRawFloat32: {
      std::string bytes(features.size() * 4, '\0');
      for (std::size_t i = 0; i < features.size(); ++i) {
        const std::uint32_t u = std::bit_cast<std::uint32_t>(features[i]);
        for (int b = 0; b < 4; ++b) {
          bytes[4 * i + static_cast<std::size_t>(b)] = static_cast<char>(u >> (8 * b));
        }
      }
      return bytes;
    }
    case OutputFormat::kCsv: {
      std::string text;
      const std::size_t cols = static_cast<std::size_t>(shape.values);
      for (std::size_t i = 0; i < features.size(); ++i) {
        text += number_text(features[i]);
        text += (i + 1) % cols == 0 ? '\n' : ',';
      }
      return text;
    }
    case OutputFormat::kJson: {
      nlohmann::json j = {{"block", block},
                          {"version", version},
                          {"frequency", frequency},
                          {"shape", {shape.frames, shape.values}},
                          {"features", features}};
      return json_text(j) + "\n";
    }
  }
  return {};
}

}  // namespace

void register_dsp(CLI::App& app, Context& ctx) {
  static DspOptions o;
  auto* cmd = app.add_subcommand(
      "dsp",
      "Run a processing block (mfe, mfcc, spectral-analysis, ...) on one raw signal and write its features");
  std::string names;
  for (const std::string& b : dsp_block_names()) names += (names.empty() ? "" : ", ") + b;
  cmd->add_option("block", o.block, "Processing block: " + names)->required();
  auto* frequency = cmd->add_option("--frequency", o.frequency,
                                    "Sampling frequency in Hz (may be fractional). Required for raw input; "
                                    "for audio files it defaults to the file's rate and must match it");
  cmd->add_option("-p,--param", o.params,
                  "Block parameter NAME=VALUE, Edge Impulse names (repeatable), e.g. --param fft_length=512")
      ->allow_extra_args(false);
  auto* axes =
      cmd->add_option("--axes", o.axes, "Axes interleaved in a raw input (audio: 1)")->capture_default_str();
  auto* width = cmd->add_option("--width", o.width,
                                "image: width in pixels of a raw input (an image file gives its own)");
  auto* height = cmd->add_option("--height", o.height, "image: height in pixels of a raw input");
  cmd->add_option("--version", o.version, "Block implementation version (default: the latest, e.g. ei-4)");
  cmd->add_option(
         "input", o.input,
         "Input signal: .wav/.flac/.ogg audio (mixed to mono, int16 units), .png/.jpg/.jpeg/.bmp for the "
         "image "
         "block, or raw little-endian float32 (any other extension), interleaved by axis, in the units the "
         "block expects (image: one 0xRRGGBB value a pixel)")
      ->required();
  cmd->add_option(
         "output", o.output,
         "Output features: .f32/.bin/.raw (little-endian float32, row-major), .csv (one row per frame) "
         "or .json")
      ->required();
  // Every block's parameters with their Studio defaults, from the SDK's table.
  std::string defaults;
  for (const std::string& b : dsp_block_names()) {
    std::string line = "  " + b + ":";
    const std::vector<std::string> from_input = dsp_input_params(b);
    for (const auto& [name, value] : dsp_table_values(b, {})) {
      if (std::find(from_input.begin(), from_input.end(), name) != from_input.end()) continue;
      const std::string item = " " + name + "=" + dsp_param_text(b, name, value);
      if (line.size() + item.size() > 110) {
        defaults += line + "\n";
        line = "   ";
      }
      line += item;
    }
    defaults += line + "\n";
  }
  cmd->footer(
      "\nExamples:\n"
      "  kiln dsp mfe yes.wav yes-mfe.csv\n"
      "  kiln dsp mfe --frequency 16000 --param fft_length=512 --param frame_length=0.032 input.f32 out.f32\n"
      "  kiln dsp spectral-analysis --frequency 62.5 --axes 3 --param filter-type=low accel.f32 "
      "features.csv\n"
      "  kiln dsp image --param channels=Grayscale photo.png features.csv   (the image's own size)\n"
      "\nParameters not given take the block's Studio defaults (docs/kiln-toml.md explains each):\n" +
      defaults + "The output file is written only when everything succeeded.");
  cmd->callback([&ctx, frequency, axes, width, height] {
    const std::filesystem::path input = o.input;
    const std::filesystem::path output = o.output;
    const OutputFormat format = output_format(output);

    const std::vector<std::string> versions = dsp_block_versions(o.block);  // throws on an unknown block
    const std::string version = o.version.empty() ? versions.back() : o.version;
    std::map<std::string, double> params = parse_params(o.block, o.params);
    const bool image = !dsp_input_params(o.block).empty();  // the block takes the input's width and height
    if (!image && (width->count() > 0 || height->count() > 0)) {
      throw Error("--width and --height apply to the image block only");
    }
    if (image && frequency->count() > 0) throw Error("--frequency does not apply to the image block");

    std::error_code ec;
    if (!std::filesystem::exists(input, ec)) throw Error(input.string() + ": no such file");
    if (std::filesystem::is_directory(input, ec)) {
      throw Error(input.string() + ": is a directory, not a signal file");
    }
    const bool frequency_given = frequency->count() > 0;
    Signal s;
    if (image) {
      if (is_image_file(input)) {
        s = read_image_input(input, o);
      } else {
        if (o.width < 1 || o.height < 1) {
          throw Error(input.string() +
                      ": --width and --height (pixels) are needed for raw input to the image "
                      "block; an image file gives its own");
        }
        s = read_raw_input(input, o, true);
        s.frequency = 0;
        s.width = o.width;
        s.height = o.height;
      }
      params["width"] = s.width;
      params["height"] = s.height;
    } else {
      s = is_audio_file(input) ? read_audio_input(input, o, frequency_given, axes->count() > 0)
                               : read_raw_input(input, o, frequency_given);
    }

    const std::size_t samples = s.values.size() / static_cast<std::size_t>(s.axes);
    validate_dsp_params(o.block, version, params, s.frequency, s.axes, samples);
    const DspShape shape = dsp_output_shape(o.block, params, s.frequency, s.axes, samples);
    const std::vector<float> features =
        run_dsp_block(o.block, version, params, s.frequency, s.axes, s.values);
    write_file_atomic(output, serialize(format, features, shape, o.block, version, s.frequency));

    if (ctx.json) {
      nlohmann::json j = {{"block", o.block},          {"version", version},
                          {"frequency", s.frequency},  {"axes", s.axes},
                          {"samples", samples},        {"input", input.string()},
                          {"output", output.string()}, {"shape", {shape.frames, shape.values}}};
      std::printf("%s\n", json_text(j, 2).c_str());
    } else if (!ctx.quiet) {
      std::printf("%s %s: %zu samples at %s Hz -> %d x %d features written to %s\n", o.block.c_str(),
                  version.c_str(), samples, number_text(s.frequency).c_str(), shape.frames, shape.values,
                  output.string().c_str());
    }
  });
}

}  // namespace kiln::cli
