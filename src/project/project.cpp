#include "project/project.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/file_read.h"
#include "core/names.h"
#include "core/project_state.h"
#include "impulse/dsp_block.h"
#include "impulse/windowing.h"
#include "project/impulse_toml.h"

namespace kiln {
namespace {

// "kiln.toml:12: " for a [table] key the file sets, else "kiln.toml: ".
std::string where(std::string_view text, const std::string& filename, const std::string& table,
                  const std::string& key) {
  const int line = key.empty() ? 0 : impulse_toml_line(text, table, key);
  return filename + (line > 0 ? ":" + std::to_string(line) : "") + ": ";
}

// Parses kiln.toml text and checks what the TOML layer cannot: the DSP block's parameter names and ranges,
// and that one window gives at least one frame. Parameters the file leaves out take the block's defaults.
Impulse parse_and_validate(const std::string& text, const std::string& filename) {
  Impulse imp = parse_impulse_toml(text, filename);
  try {
    check_project_name(imp.name);
  } catch (const Error& e) {
    throw Error(where(text, filename, "", "name") + e.what());
  }
  try {
    std::map<std::string, double> params = dsp_default_params(imp.dsp.block);
    for (const auto& [k, v] : imp.dsp.params) params[k] = v;
    imp.dsp.params = params;
    validate_dsp_params(imp.dsp.block, imp.dsp.version, block_params(imp.input, imp.dsp), imp.input.frequency,
                        imp.input.axes, window_samples(imp.input));
  } catch (const DspParamError& e) {
    throw Error(where(text, filename, "dsp", e.param) + "[dsp] " + e.what());
  } catch (const Error& e) {  // the block, its version, or the input it needs
    throw Error(where(text, filename, "dsp", "block") + "[dsp] " + e.what());
  }
  return imp;
}

}  // namespace

void require_project(const std::filesystem::path& project_dir) {
  const ProjectPaths paths{project_dir};
  std::error_code ec;
  const auto status = std::filesystem::status(paths.toml(), ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    throw Error(paths.toml().string() + ": " + ec.message());
  }
  if (!std::filesystem::exists(status)) {
    throw Error(paths.toml().string() + ": not a Kiln project (no kiln.toml; create one with `kiln init " +
                project_dir.string() + "`)");
  }
}

Impulse load_impulse(const std::filesystem::path& project_dir) {
  require_project(project_dir);
  const ProjectPaths paths{project_dir};
  return parse_and_validate(read_file(paths.toml(), kMaxImpulseTomlBytes), paths.toml().string());
}

void init_project(const std::filesystem::path& dir, const Impulse& impulse) {
  ProjectPaths paths{dir};
  if (std::filesystem::exists(paths.toml())) {
    throw Error(paths.toml().string() + ": already exists (this directory is already a Kiln project)");
  }
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir)) {
    throw Error(dir.string() + ": exists and is not a directory");
  }
  // Check the file before anything is created, so a bad setting leaves nothing behind.
  std::string text = impulse_to_toml(impulse);
  parse_and_validate(text, paths.toml().string());
  std::filesystem::create_directories(paths.data());
  std::filesystem::create_directories(paths.out());
  create_state_dir(dir);
  write_file_atomic(paths.toml(), text);
}

}  // namespace kiln
