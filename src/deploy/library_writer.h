// `kiln deploy`: writes the impulse as a self-contained C++11 library directory (sdk sources it needs, the
// metadata header, the model as generated code or as embedded .tflite bytes, the C API glue, build files and
// examples). Nothing here runs a compiler; see deploy/footprint.h for measuring the result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "project/impulse.h"

namespace kiln::deploy {

enum class Format { cpp, arduino };
enum class Engine { compiled, interpreter };

const char* format_name(Format f);
const char* engine_name(Engine e);

// Everything about the impulse that the library needs.
struct ImpulseExport {
  std::string name;  // project name, used for the library name
  InputSettings input;
  DspSettings dsp;
  std::vector<std::string> labels;  // one per output, or empty for a model without labels (raw outputs)
  std::vector<std::uint8_t> tflite;
  std::string model_file;  // for messages
};

struct LibraryFacts {
  Format format = Format::cpp;
  Engine engine = Engine::compiled;
  std::size_t arena_bytes = 0;        // the library's one static arena (network + DSP scratch)
  std::size_t model_arena_bytes = 0;  // what the network needs of it
  std::size_t dsp_scratch_bytes = 0;  // what the DSP block needs of it (shares free arena space)
  std::size_t input_bytes = 0, output_count = 0;
  std::size_t model_bytes = 0;  // weights (compiled) or .tflite bytes (interpreter)
  std::size_t signal_length = 0;
  std::vector<std::string> operators;  // compiled engine: operators in graph order
  std::vector<std::string> files;      // every file written, relative to the output directory (the last is
                                       // the manifest, .kiln-deploy.json)
};

// The library's files in memory: relative path -> contents. Throws kiln::Error (naming the model file) when
// the model cannot be exported (unsupported operator, input that does not fit the DSP block...).
struct Library {
  std::vector<std::pair<std::string, std::string>> files;
  LibraryFacts facts;
};
Library build_library(const ImpulseExport& impulse, Format format, Engine engine);

// Writes the library to the directory `out` all at once, never destroying a user's file
// (deploy/output_dir.h): `out` may not exist, be empty, or hold exactly what an earlier kiln deploy wrote
// there (its manifest .kiln-deploy.json lists every file with its SHA-256); anything else is refused with a
// kiln::Error naming it, and `out` stays as it was. `out` may not be the project directory `project_dir`,
// contain it, or lie inside its data/. The library is staged beside `out` (kiln::ExternalStaging: needs the
// project's write lock) and swapped in in one step. Returns where files that appeared in `out` meanwhile were
// kept, or an empty path.
std::filesystem::path write_library(const Library& library, const std::filesystem::path& out,
                                    const std::filesystem::path& project_dir);

}  // namespace kiln::deploy
