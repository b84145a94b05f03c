// The `kiln deploy --out DIR` directory: written so that no user file is ever lost. DIR holds a manifest,
// .kiln-deploy.json, naming every file kiln deploy wrote with its SHA-256. An existing DIR is replaced only
// when everything in it is exactly what its manifest lists (an empty directory too); the new library is
// staged beside it and swapped in at once; the old content is then checked again and only kiln's own
// unchanged files are deleted: whatever else appeared meanwhile is kept in a visible DIR.kiln-kept-<n>.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/project_state.h"

namespace kiln::deploy {

inline constexpr const char* kManifestFile = ".kiln-deploy.json";

// What an earlier `kiln deploy` wrote: relative path ('/'-separated) -> SHA-256 (lowercase hex), and the
// manifest file's own text. Empty for an empty directory.
struct Manifest {
  std::map<std::string, std::string> files;
  std::string text;
};

// The manifest's text for a library's files (relative path, contents).
std::string manifest_json(const std::string& format, const std::string& engine,
                          const std::vector<std::pair<std::string, std::string>>& files);

// `out` as kiln deploy uses it: absolute, symbolic links resolved, without `.`, `..` or a trailing slash.
// Throws kiln::Error when it is the project directory, contains it, or lies inside its data/ or .kiln/.
std::filesystem::path resolve_out_dir(const std::filesystem::path& out,
                                      const std::filesystem::path& project_dir);

// Checks that the existing directory `dir` may be replaced: every entry is a file its manifest lists with an
// unchanged SHA-256, the manifest itself, or a directory on the way to such a file. Only reads. Otherwise
// throws kiln::Error naming the first offending path (in path order) and how many others there are.
Manifest check_replaceable(const std::filesystem::path& dir);

// Moves the complete library in `staging` (beside `out`, on the same filesystem) to `out`. When `out` exists,
// `earlier` is what check_replaceable returned for it: the two are swapped in one step; then of the old
// content only the files `earlier` lists with unchanged content are deleted, and the directories they leave
// empty. Anything else there is kept in `out`.kiln-kept-<n>, named in a warning on stderr; returns that path,
// or an empty path. `staging` is emptied once `out` is in place. Throws kiln::Error when `out` cannot be
// replaced; `out` is then as it was.
std::filesystem::path put_in_place(std::optional<ExternalStaging>& staging, const std::filesystem::path& out,
                                   const Manifest* earlier);

}  // namespace kiln::deploy
