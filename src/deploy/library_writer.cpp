#include "deploy/library_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/project_state.h"
#include "core/quote.h"
#include "deploy/compiled_model.h"
#include "deploy/output_dir.h"
#include "deploy/resources.h"
#include "impulse/dsp_block.h"
#include "impulse/windowing.h"
#include "kiln/nn.h"

namespace kiln::deploy {

namespace fs = std::filesystem;

const char* format_name(Format f) {
  return f == Format::cpp ? "cpp" : "arduino";
}

const char* engine_name(Engine e) {
  return e == Engine::compiled ? "compiled" : "interpreter";
}

namespace {

std::size_t align16(std::size_t n) {
  return (n + 15) & ~static_cast<std::size_t>(15);
}

// C literals that give back exactly the same float / double.
std::string float_literal(float v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s + "f";
}

std::string double_literal(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// A name usable as a C identifier, a file name and an Arduino sketch name (which starts with a letter or a
// digit and has at most 63 characters): "fire-alarm" -> "fire_alarm", "2 cats" -> "kiln_2_cats".
std::string identifier(const std::string& name) {
  std::string out;
  for (unsigned char c : name) out += c < 0x80 && std::isalnum(c) ? static_cast<char>(c) : '_';
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "kiln_" + out;
  return out.substr(0, 63);
}

// Fills a template's @KEY@ placeholders in one pass, so a value that holds "@KEY@" stays as it is. The
// values are already escaped for the template's language.
std::string fill(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = text[i] == '@' ? text.find('@', i + 1) : std::string_view::npos;
    if (end != std::string_view::npos) {
      const auto it = values.find(std::string(text.substr(i, end - i + 1)));
      if (it != values.end()) {
        out += it->second;
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::size_t elements(const nn::TensorInfo& t) {
  std::size_t n = 1;
  for (int i = 0; i < t.rank; ++i) n *= static_cast<std::size_t>(t.dims[i]);
  return n;
}

struct ModelPart {
  std::vector<std::pair<std::string, std::string>> files;  // relative to the library's source dir
  std::vector<std::string> sdk_roots;
  std::size_t arena_bytes = 0, input_offset = 0, model_bytes = 0;
  std::size_t free_from = 0;   // the arena before this offset holds engine bookkeeping, never free
  std::size_t free_until = 0;  // nor from this offset on (the interpreter's prepared operators)
  std::vector<std::string> operators;
};

std::string byte_array(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  std::string out = "alignas(16) extern const uint8_t " + name + "[] = {";
  char buf[8];
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i % 24 == 0) out += "\n   ";
    std::snprintf(buf, sizeof buf, " %u,", bytes[i]);
    out += buf;
  }
  return out + "\n};\n";
}

ModelPart interpreter_part(const ImpulseExport& imp, const std::vector<Resource>& templates,
                           const std::vector<Resource>& sdk) {
  nn::Model model;
  nn::model_load(&model, imp.tflite.data(), imp.tflite.size());  // checked by the caller
  std::vector<std::uint64_t> scratch((nn::plan_scratch_bytes(model) + 7) / 8 + 1);
  std::size_t need = 0;
  if (nn::arena_bytes_needed(model, scratch.data(), scratch.size() * 8, &need) != nn::kOk) {
    throw Error(imp.model_file + ": sdk/nn cannot plan this model's arena");
  }
  // Where the input tensor lands in the arena: the device runs the same planner on the same model.
  std::vector<std::uint64_t> arena(need / 8 + 2);
  nn::Interpreter interp;
  if (nn::interpreter_init(&interp, &model, arena.data(), need) != nn::kOk) {
    throw Error(imp.model_file + ": sdk/nn cannot plan this model's arena");
  }
  ModelPart part;
  part.arena_bytes = need;
  part.input_offset = static_cast<std::size_t>(static_cast<std::uint8_t*>(nn::interpreter_input(&interp, 0)) -
                                               reinterpret_cast<std::uint8_t*>(arena.data()));
  part.free_from =
      static_cast<std::size_t>(interp.activations - reinterpret_cast<std::uint8_t*>(arena.data()));
  // The prepared operators close the arena; the device's (32-bit pointers) take at most the host's bytes and
  // start at the same offset, so this bound holds there too (sdk/nn/interpreter.cpp).
  part.free_until = need - interp.prepared_bytes;
  part.model_bytes = imp.tflite.size();
  part.files.emplace_back("kiln_model.cpp", std::string(resource_text(templates, "engine_interpreter.cpp")));
  part.files.emplace_back("kiln_model_data.cpp",
                          "// " + c_comment(fs::path(imp.model_file).filename().string()) +
                              ", embedded by kiln deploy.\n#include <stddef.h>\n#include " +
                              "<stdint.h>\n\n" + byte_array("kiln_model_tflite", imp.tflite) +
                              "extern const size_t kiln_model_tflite_size = sizeof kiln_model_tflite;\n");
  // Every kernel: a device that receives new models at run time may get any operator.
  for (const auto& r : sdk) {
    const std::string p(r.path);
    if (p.rfind("nn/", 0) == 0 || p == "include/kiln/nn.h") part.sdk_roots.push_back(p);
  }
  return part;
}

ModelPart compiled_part(const ImpulseExport& imp) {
  CompiledModel cm = compile_model(imp.tflite, imp.model_file);
  ModelPart part;
  part.arena_bytes = cm.arena_bytes;
  part.input_offset = cm.input_offset;
  part.model_bytes = cm.weight_bytes;
  part.operators = cm.operators;
  part.free_until = cm.arena_bytes;
  part.files.emplace_back("kiln_model.cpp", cm.source);
  part.sdk_roots = cm.sdk_files;
  return part;
}

std::string metadata_header(const ImpulseExport& imp, Engine engine, const DspShape& shape,
                            std::size_t signal_length, const nn::TensorInfo& in, const nn::TensorInfo& out,
                            std::size_t output_count, std::size_t arena, std::size_t model_arena,
                            std::size_t scratch_offset, std::size_t scratch_bytes) {
  std::string h;
  auto def = [&](const std::string& name, const std::string& value, const std::string& comment = "") {
    h += "#define " + name + " " + value + (comment.empty() ? "" : "  /* " + comment + " */") + "\n";
  };
  auto num = [](std::size_t v) { return std::to_string(v); };
  h += "/* kiln_impulse_metadata.h: what the exported impulse is. Generated by `kiln deploy`; do not edit. "
       "*/\n";
  h += "#ifndef KILN_IMPULSE_METADATA_H\n#define KILN_IMPULSE_METADATA_H\n\n";
  def("KILN_PROJECT_NAME", c_string_literal(imp.name));
  def("KILN_ENGINE", c_string_literal(engine_name(engine)));
  def("KILN_MODEL_FILE", c_string_literal(fs::path(imp.model_file).filename().string()));
  if (imp.input.is_image()) {
    h +=
        "\n/* Input: one image of KILN_IMAGE_WIDTH x KILN_IMAGE_HEIGHT pixels, row-major, top row first, one "
        "float "
        "per pixel holding 0xRRGGBB (dsp/image.h: image_buffer_signal wraps an RGB888 or grey frame). Resize "
        "camera frames to this size first, as `kiln add` did with KILN_IMAGE_RESIZE_MODE. */\n";
    def("KILN_IMAGE_WIDTH", std::to_string(imp.input.width), "pixels");
    def("KILN_IMAGE_HEIGHT", std::to_string(imp.input.height), "pixels");
    def("KILN_IMAGE_RESIZE_MODE", c_string_literal(imp.input.resize_mode));
  } else {
    h += "\n/* Input: one window of raw samples, axes interleaved. */\n";
  }
  def("KILN_SAMPLE_RATE", double_literal(imp.input.frequency), "Hz");
  def("KILN_AXES", std::to_string(imp.input.axes));
  def("KILN_WINDOW_MS", std::to_string(imp.input.window_size_ms));
  def("KILN_WINDOW_INCREASE_MS", std::to_string(imp.input.window_increase_ms),
      "stride when classifying a stream");
  def("KILN_SIGNAL_LENGTH", num(signal_length), "values per window: samples x axes");
  def("KILN_ZERO_PAD", imp.input.zero_pad ? "1" : "0",
      "1: a recording shorter than one window is zero-padded at the end, as `kiln classify` does");
  h += "\n/* DSP block: " + c_comment(imp.dsp.block) + " " + c_comment(imp.dsp.version) +
       " (Edge Impulse parameter names). */\n";
  def("KILN_DSP_BLOCK", c_string_literal(imp.dsp.block));
  def("KILN_DSP_VERSION", c_string_literal(imp.dsp.version));
  // The block's parameters in the order of its SDK table entry, which the glue writes into the block's
  // struct.
  const auto values = dsp_table_values(imp.dsp.block, block_params(imp.input, imp.dsp));
  def("KILN_DSP_PARAM_COUNT", std::to_string(values.size()));
  def("KILN_DSP_PARAMS_BYTES", std::to_string(dsp_params_bytes(imp.dsp.block)),
      "the block's parameter struct");
  std::string list = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    list += (i ? ", " : "") + double_literal(values[i].second) + " /* " + c_comment(values[i].first) + " */";
  }
  def("KILN_DSP_PARAM_VALUES", values.empty() ? "{0}" : list + "}");
  def("KILN_FEATURE_FRAMES", std::to_string(shape.frames));
  def("KILN_FEATURE_VALUES", std::to_string(shape.values), "per frame");
  h += "\n/* The network's input and output tensors. */\n";
  const bool in8 = in.type == nn::kTypeInt8, out8 = out.type == nn::kTypeInt8;
  def("KILN_INPUT_INT8", in8 ? "1" : "0", in8 ? "int8, quantized below" : "float32");
  def("KILN_INPUT_COUNT", num(elements(in)));
  def("KILN_INPUT_BYTES", num(in.bytes));
  def("KILN_INPUT_SCALE", float_literal(in8 ? in.scale : 0.0f));
  def("KILN_INPUT_ZERO_POINT", std::to_string(in8 ? in.zero_point : 0));
  def("KILN_OUTPUT_INT8", out8 ? "1" : "0");
  def("KILN_OUTPUT_COUNT", num(output_count));
  def("KILN_OUTPUT_SCALE", float_literal(out8 ? out.scale : 0.0f));
  def("KILN_OUTPUT_ZERO_POINT", std::to_string(out8 ? out.zero_point : 0));
  h += "\n/* Labels, in the order of the outputs. */\n";
  def("KILN_LABEL_COUNT", num(imp.labels.size()));
  std::string labels = "{";
  for (std::size_t i = 0; i < imp.labels.size(); ++i)
    labels += (i ? ", " : "") + c_string_literal(imp.labels[i]);
  def("KILN_LABELS", imp.labels.empty() ? "{\"\"}" : labels + "}");
  h += "\n/* RAM: one static arena for the network's tensors and the DSP block's scratch. */\n";
  def("KILN_ARENA_BYTES", num(arena));
  def("KILN_MODEL_ARENA_BYTES", num(model_arena));
  def("KILN_DSP_SCRATCH_OFFSET", num(scratch_offset), "in the arena, clear of the input tensor");
  def("KILN_DSP_SCRATCH_BYTES", num(scratch_bytes));
  h += "\n#endif /* KILN_IMPULSE_METADATA_H */\n";
  return h;
}

std::string library_readme(const ImpulseExport& imp, Format format, const LibraryFacts& f) {
  std::string r = "# " + markdown_text(imp.name) + " — exported by `kiln deploy`\n\n";
  r += "The complete impulse (" + markdown_text(imp.dsp.block) +
       " DSP block + network) as one dependency-free C++11 library, ";
  r += std::string("engine `") + engine_name(f.engine) + "`.\n\n";
  r += "```c\n#include \"kiln_impulse.h\"\n\nkiln_float_array samples = {window, KILN_SIGNAL_LENGTH};\n";
  r += "kiln_signal signal = kiln_signal_from_array(&samples);  /* or your own get_data callback */\n";
  r += "kiln_result result;\nif (kiln_run_impulse(&signal, &result) == KILN_OK) "
       "puts(result.top_label);\n```\n\n";
  if (imp.input.is_image()) {
    r += "- Input: one image of " + std::to_string(imp.input.width) + " x " +
         std::to_string(imp.input.height) + " pixels (" + std::to_string(f.signal_length) +
         " values, one float per pixel holding 0xRRGGBB, row-major, top row first; `image_buffer_signal` in "
         "`dsp/image.h` wraps an RGB888 or 8-bit grey frame of that size).\n";
  } else {
    r += "- Input: " + std::to_string(f.signal_length) + " raw values per window (" +
         std::to_string(imp.input.window_size_ms) + " ms at " + double_literal(imp.input.frequency) +
         " Hz, " + std::to_string(imp.input.axes) + " axis/axes, int16 scale for audio).\n";
  }
  r += "- Output: `kiln_result.scores[i]` for `kiln_label(i)`; `top`/`top_label`; `timing` in µs when a "
       "clock is "
       "available (POSIX, Arduino, or define `KILN_CLOCK_US()`).\n";
  r += "- RAM: one static arena of " + std::to_string(f.arena_bytes) + " bytes (network " +
       std::to_string(f.model_arena_bytes) + ", DSP scratch " + std::to_string(f.dsp_scratch_bytes) +
       " sharing it); no heap.\n";
  r +=
      "- Compile with `-ffp-contract=off` (GCC/Clang): without it the compiler may fuse multiply-adds in the "
      "DSP block and the features differ in the last bit from the host's.\n\n";
  if (format == Format::cpp) {
    r += "Build: `make` (library + `build/kiln-impulse FILE.wav`), or CMake (`add_subdirectory` this "
         "directory "
         "and link `kiln_impulse`). Cross-compile: `make CXX=arm-none-eabi-g++ CPUFLAGS=\"-mcpu=cortex-m4 "
         "-mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16\" lib`.\n\n";
    r += "Examples: `examples/linux/main.cpp` (a WAV file or sample values on stdin), "
         "`examples/bare-metal/main.cpp` (ring buffer filled by an interrupt).\n";
  } else {
    r += "Arduino: copy this directory into your libraries folder (or Sketch > Include Library > Add .ZIP) "
         "and "
         "open the example. Set `-ffp-contract=off` in platform.local.txt for bit-exact features.\n";
  }
  return r;
}

}  // namespace

Library build_library(const ImpulseExport& imp, Format format, Engine engine) {
  // The DSP block and the features one window gives.
  const std::size_t window = window_samples(imp.input);
  const std::map<std::string, double> params = block_params(imp.input, imp.dsp);
  const DspShape shape = dsp_output_shape(imp.dsp.block, params, imp.input.frequency, imp.input.axes, window);
  const std::size_t scratch_bytes =
      align16(dsp_scratch_bytes(imp.dsp.block, params, imp.input.frequency, imp.input.axes, window, true));

  // The model: one input holding the features, one output per label.
  nn::Model model;
  if (nn::Status s = nn::model_load(&model, imp.tflite.data(), imp.tflite.size()); s != nn::kOk) {
    throw Error(imp.model_file + ": not a model sdk/nn can run (" + nn::status_message(s) + ")");
  }
  if (nn::model_input_count(model) != 1 || nn::model_output_count(model) != 1) {
    throw Error(imp.model_file + ": kiln deploy needs a model with one input and one output");
  }
  nn::TensorInfo in{}, out{};
  nn::model_tensor_info(model, nn::model_input_tensor(model, 0), &in);
  nn::model_tensor_info(model, nn::model_output_tensor(model, 0), &out);
  const std::size_t features =
      static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values);
  if (elements(in) != features) {
    throw Error(imp.model_file + ": the model's input has " + std::to_string(elements(in)) +
                " values but the impulse gives " + std::to_string(features) + " features per window");
  }
  if (in.type != nn::kTypeInt8 && in.type != nn::kTypeFloat32) {
    throw Error(imp.model_file + ": the model's input must be int8 or float32");
  }
  if (out.type != nn::kTypeInt8 && out.type != nn::kTypeFloat32) {
    throw Error(imp.model_file + ": the model's output must be int8 or float32");
  }
  if (!imp.labels.empty() && elements(out) != imp.labels.size()) {
    throw Error(imp.model_file + ": the model has " + std::to_string(elements(out)) +
                " outputs but there are " + std::to_string(imp.labels.size()) + " labels");
  }

  const std::vector<Resource> sdk = sdk_sources();
  const std::vector<Resource> templates = library_templates();
  ModelPart part = engine == Engine::compiled ? compiled_part(imp) : interpreter_part(imp, templates, sdk);

  // The DSP scratch goes into a gap of the network's arena beside the input tensor when one is big enough
  // (the network's other tensors are dead while the DSP block runs), else after the input tensor, unless the
  // engine keeps data there (the interpreter's prepared operators): then after the arena.
  const std::size_t input_end = align16(part.input_offset + in.bytes);
  std::size_t scratch_offset, arena = part.arena_bytes;
  const std::size_t gap_start = align16(part.free_from);
  if (part.input_offset >= gap_start && scratch_bytes <= part.input_offset - gap_start) {
    scratch_offset = gap_start;
  } else if (input_end + scratch_bytes <= part.free_until || part.free_until == part.arena_bytes) {
    scratch_offset = input_end;
    arena = std::max(arena, input_end + scratch_bytes);
  } else {
    scratch_offset = align16(part.arena_bytes);
    arena = scratch_offset + scratch_bytes;
  }
  arena = align16(arena);

  Library lib;
  LibraryFacts& f = lib.facts;
  f.format = format;
  f.engine = engine;
  f.arena_bytes = arena;
  f.model_arena_bytes = part.arena_bytes;
  f.dsp_scratch_bytes = scratch_bytes;
  f.input_bytes = in.bytes;
  f.output_count = elements(out);
  f.model_bytes = part.model_bytes;
  f.signal_length = window * static_cast<std::size_t>(imp.input.axes);
  f.operators = part.operators;

  // Where things go: cpp = include/ (public) + src/ (+ src/sdk/); arduino = everything flat in src/.
  const bool cpp = format == Format::cpp;
  const std::string pub = cpp ? "include/" : "src/", priv = "src/", sdk_dir = cpp ? "src/sdk/" : "src/";
  auto add = [&](const std::string& path, std::string text) {
    lib.files.emplace_back(path, std::move(text));
  };
  const std::string name = identifier(imp.name);

  add(pub + "kiln_impulse.h", std::string(resource_text(templates, "kiln_impulse.h")));
  add(pub + "kiln_impulse_metadata.h",
      metadata_header(imp, engine, shape, f.signal_length, in, out, f.output_count, arena, part.arena_bytes,
                      scratch_offset, scratch_bytes));
  add(priv + "kiln_impulse.cpp", fill(resource_text(templates, "kiln_impulse.cpp"),
                                      {{"@DSP_ENTRY_HEADER@", dsp_entry_header(imp.dsp.block)},
                                       {"@DSP_ENTRY@", dsp_entry_symbol(imp.dsp.block)}}));
  add(priv + "kiln_model.h", std::string(resource_text(templates, "kiln_model.h")));
  for (auto& [path, text] : part.files) add(priv + path, text);

  std::vector<std::string> roots = part.sdk_roots;
  roots.push_back(dsp_entry_header(imp.dsp.block));
  roots.push_back("impulse/impulse.h");
  for (const std::string& p : sdk_closure(roots)) {
    if (p == "include/kiln/signal.h") {
      add(pub + "kiln/signal.h", std::string(resource_text(sdk, p)));
    } else if (p.rfind("include/", 0) == 0) {
      add(sdk_dir + p.substr(8), std::string(resource_text(sdk, p)));
    } else {
      add(sdk_dir + p, std::string(resource_text(sdk, p)));
    }
  }
  if (std::none_of(lib.files.begin(), lib.files.end(),
                   [&](const auto& e) { return e.first == pub + "kiln/signal.h"; })) {
    add(pub + "kiln/signal.h", std::string(resource_text(sdk, "include/kiln/signal.h")));
  }

  if (cpp) {
    add("CMakeLists.txt",
        fill(resource_text(templates, "CMakeLists.txt"),
             {{"@DESCRIPTION@",
               cmake_quoted_argument("The " + imp.name + " impulse exported by kiln deploy")}}));
    add("Makefile", fill(resource_text(templates, "Makefile"), {{"@PROJECT@", makefile_text(imp.name)}}));
    add("examples/linux/main.cpp", std::string(resource_text(templates, "examples/linux/main.cpp")));
    add("examples/bare-metal/main.cpp",
        std::string(resource_text(templates, "examples/bare-metal/main.cpp")));
  } else {
    add("library.properties",
        fill(
            resource_text(templates, "arduino/library.properties"),
            {{"@NAME@", arduino_library_name(imp.name)},
             {"@SENTENCE@", arduino_property_value("The " + imp.name +
                                                   " impulse exported by kiln deploy (DSP + int8 network, no "
                                                   "dependencies).")}}));
    add("examples/" + name + "/" + name + ".ino",
        fill(resource_text(templates, "arduino/example.ino"), {{"@PROJECT@", c_comment(imp.name)}}));
  }
  add("README.md", library_readme(imp, format, f));
  // Last: the list of every file above with its SHA-256, which lets the next kiln deploy tell its own files
  // from the user's (deploy/output_dir.h).
  add(kManifestFile, manifest_json(format_name(format), engine_name(engine), lib.files));
  for (const auto& e : lib.files) f.files.push_back(e.first);
  return lib;
}

fs::path write_library(const Library& library, const fs::path& out, const fs::path& project_dir) {
  const fs::path dir = resolve_out_dir(out, project_dir);
  std::error_code ec;
  const bool exists = fs::exists(dir, ec);
  // Before anything is written: an existing directory must hold only what an earlier kiln deploy wrote.
  const Manifest earlier = exists ? check_replaceable(dir) : Manifest{};

  // Staged beside `dir` (same filesystem, so it can be renamed onto it); removed when we fail or are
  // interrupted, and by the next kiln command after a kill (recorded in the project's .kiln/external/).
  std::optional<ExternalStaging> staging;
  staging.emplace(project_dir, dir, "deploy");
  try {
    for (const auto& [rel, text] : library.files) write_file_atomic(staging->path() / rel, text);
  } catch (const fs::filesystem_error& e) {
    throw Error(display_path(dir) + ": cannot write the library (" + e.code().message() + ")");
  }
  return put_in_place(staging, dir, exists ? &earlier : nullptr);
}

}  // namespace kiln::deploy
