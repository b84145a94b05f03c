// A Kiln project is a directory: kiln.toml (the impulse), data/ (samples + SQLite index), out/ (features
// cache, model, metrics, report).
#pragma once

#include <filesystem>
#include <string>

#include "project/impulse.h"

namespace kiln {

struct ProjectPaths {
  std::filesystem::path dir;
  std::filesystem::path toml() const { return dir / "kiln.toml"; }
  std::filesystem::path data() const { return dir / "data"; }
  std::filesystem::path out() const { return dir / "out"; }
  std::filesystem::path feature_cache() const { return out() / "features"; }
  std::filesystem::path model() const { return out() / "model.kmodel"; }
  std::filesystem::path metrics() const { return out() / "metrics.json"; }
  std::filesystem::path history() const { return out() / "training-history.json"; }
  std::filesystem::path report() const { return out() / "report.html"; }
};

// Throws kiln::Error unless `project_dir` holds a kiln.toml: "DIR/kiln.toml: not a Kiln project (...)", or
// the system's reason when the path cannot be looked at (a name too long, no permission).
void require_project(const std::filesystem::path& project_dir);

// Reads and validates dir/kiln.toml (including the DSP block's parameter names and ranges). Throws
// kiln::Error naming the file when the directory is not a project or the file is invalid.
Impulse load_impulse(const std::filesystem::path& project_dir);

// Creates a new project: dir (created if needed, must not already hold kiln.toml), kiln.toml, data/, out/.
void init_project(const std::filesystem::path& dir, const Impulse& impulse);

}  // namespace kiln
