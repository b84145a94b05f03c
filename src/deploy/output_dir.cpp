#include "deploy/output_dir.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2, RENAME_EXCHANGE, RENAME_NOREPLACE (glibc >= 2.28 with _GNU_SOURCE)

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/quote.h"
#include "core/signal_cleanup.h"
#include "data/sha256.h"

namespace kiln::deploy {

namespace fs = std::filesystem;

namespace {

// What kiln deploy wrote before it kept a manifest: a marker that says nothing about which files are its own.
constexpr const char* kOldMarker = ".kiln-deploy";

std::optional<std::string> file_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Sha256 hash;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) hash.update(buf, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return std::nullopt;
  return hash.hex_digest();
}

// A manifest entry must name a file inside the directory: no absolute path, no `.` or `..`, no empty part.
bool clean_relative_path(const std::string& s) {
  if (s.empty() || s.find('\0') != std::string::npos) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find('/', start);
    const std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == std::string::npos) return true;
    start = end + 1;
  }
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The manifest of `dir`, or nothing when there is none or it is not one kiln deploy could have written.
std::optional<Manifest> read_manifest(const fs::path& dir) {
  const fs::path path = dir / kManifestFile;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return std::nullopt;
  Manifest m;
  try {
    m.text = read_file(path);
  } catch (const Error&) {
    return std::nullopt;
  }
  const nlohmann::json j = nlohmann::json::parse(m.text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_object())
    return std::nullopt;
  for (const auto& [rel, hash] : j["files"].items()) {
    if (!hash.is_string() || !is_sha256_hex(hash.get<std::string>()) || !clean_relative_path(rel) ||
        rel == kManifestFile) {
      return std::nullopt;
    }
    m.files[rel] = hash.get<std::string>();
  }
  return m;
}

// The directories kiln deploy created for the manifest's files ("src", "src/sdk", ...).
std::set<std::string> manifest_dirs(const Manifest& m) {
  std::set<std::string> dirs;
  for (const auto& [rel, hash] : m.files) {
    for (std::size_t at = rel.find('/'); at != std::string::npos; at = rel.find('/', at + 1)) {
      dirs.insert(rel.substr(0, at));
    }
  }
  return dirs;
}

bool is_within(const fs::path& path, const fs::path& dir) {
  auto p = path.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
    if (p == path.end() || *p != *d) return false;
  }
  return true;
}

fs::path normalised(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) throw Error(display_path(p) + ": cannot resolve the path (" + ec.message() + ")");
  fs::path out = fs::weakly_canonical(abs, ec);
  if (ec) out = abs.lexically_normal();
  if (!out.has_filename() && out != out.root_path()) out = out.parent_path();  // "DIR/" -> "DIR"
  return out;
}

std::string errno_text(int err) {
  return std::strerror(err);
}

// Renames `from` to a free name `out`.kiln-kept-<n> beside `out`, never replacing anything there. Returns the
// new name, or an empty path when it cannot be renamed.
fs::path move_aside(const fs::path& from, const fs::path& out) {
  for (int n = 1; n < 1000; ++n) {
    const fs::path to = out.parent_path() / (out.filename().string() + ".kiln-kept-" + std::to_string(n));
    std::error_code ec;
    if (fs::exists(fs::symlink_status(to, ec))) continue;
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return to;
    if (errno == EEXIST) continue;
    // Without RENAME_NOREPLACE support, the check above is what keeps us from replacing anything.
    if ((errno == EINVAL || errno == ENOSYS) && ::rename(from.c_str(), to.c_str()) == 0) return to;
    return {};
  }
  return {};
}

// What a directory holds, measured against a manifest.
struct Survey {
  struct Offender {
    std::string rel;
    bool changed;  // a file kiln deploy wrote, edited since
    bool operator<(const Offender& o) const { return rel < o.rel; }
  };
  std::vector<Offender> offenders;                      // anything that is not kiln's, in path order
  std::vector<std::pair<fs::path, std::string>> files;  // kiln's unchanged files and their SHA-256 ("" for
                                                        // the manifest, compared by its text)
  std::vector<fs::path> dirs;                           // the directories kiln made for them
  std::error_code error;                                // the directory could not be read completely
};

bool unchanged(const fs::path& path, const std::string& sha256, const Manifest& m) {
  if (!sha256.empty()) return file_sha256(path) == sha256;
  try {
    return read_file(path) == m.text;
  } catch (const Error&) {
    return false;
  }
}

Survey survey(const fs::path& dir, const std::optional<Manifest>& m) {
  const std::set<std::string> kiln_dirs = m ? manifest_dirs(*m) : std::set<std::string>{};
  Survey s;
  std::error_code& ec = s.error;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(st)) {
      if (kiln_dirs.count(rel)) {
        s.dirs.push_back(it->path());
      } else {
        s.offenders.push_back({rel, false});
        it.disable_recursion_pending();  // a folder of the user's counts once, whatever it holds
      }
      continue;
    }
    // Symbolic links, sockets, ... are never kiln's; nor is anything without a manifest.
    if (!fs::is_regular_file(st) || !m) {
      s.offenders.push_back({rel, false});
      continue;
    }
    std::string sha;  // stays empty for the manifest itself, which is compared by its text
    if (rel != kManifestFile) {
      const auto want = m->files.find(rel);
      if (want == m->files.end()) {
        s.offenders.push_back({rel, false});
        continue;
      }
      sha = want->second;
    }
    if (unchanged(it->path(), sha, *m)) {
      s.files.emplace_back(it->path(), sha);
    } else {
      s.offenders.push_back({rel, true});
    }
  }
  std::sort(s.offenders.begin(), s.offenders.end());
  return s;
}

// Deletes the files of `s` that are still unchanged (checked again just before), then the directories they
// leave empty, then `dir` when nothing is left in it. Returns true when `dir` is gone.
bool sweep(const fs::path& dir, const Survey& s, const Manifest& m) {
  std::error_code ec;
  for (const auto& [path, sha] : s.files) {
    if (unchanged(path, sha, m)) fs::remove(path, ec);
  }
  std::vector<fs::path> dirs = s.dirs;
  // Deepest first; fs::remove deletes a directory only when it is empty.
  std::sort(dirs.begin(), dirs.end(),
            [](const fs::path& a, const fs::path& b) { return a.native().size() > b.native().size(); });
  for (const fs::path& d : dirs) fs::remove(d, ec);
  return fs::remove(dir, ec);
}

}  // namespace

std::string manifest_json(const std::string& format, const std::string& engine,
                          const std::vector<std::pair<std::string, std::string>>& files) {
  nlohmann::json list = nlohmann::json::object();
  for (const auto& [rel, text] : files) list[rel] = sha256_hex(text);
  const nlohmann::json j = {
      {"written_by", "kiln deploy"},
      {"note",
       "kiln deploy replaces this directory only while every file in it is listed here with its SHA-256; "
       "anything else makes it refuse"},
      {"format", format},
      {"engine", engine},
      {"files", list}};
  return json_text(j, 2) + "\n";
}

fs::path resolve_out_dir(const fs::path& out, const fs::path& project_dir) {
  const fs::path dir = normalised(out), project = normalised(project_dir);
  const std::string why = "; choose another --out";
  if (dir == project) throw Error(display_path(dir) + ": this is the project directory" + why);
  if (is_within(project, dir)) {
    throw Error(display_path(dir) + ": contains the project directory " + display_path(project) + why);
  }
  for (const char* inner : {"data", ".kiln"}) {
    if (is_within(dir, project / inner)) {
      throw Error(display_path(dir) + ": inside the project's " + inner + "/ directory" + why);
    }
  }
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(dir, ec);
  if (fs::exists(st) && !fs::is_directory(st)) {
    throw Error(display_path(dir) + ": exists and is not a directory" + why);
  }
  return dir;
}

Manifest check_replaceable(const fs::path& dir) {
  const std::optional<Manifest> manifest = read_manifest(dir);
  const Survey s = survey(dir, manifest);
  if (s.error)
    throw Error(display_path(dir) + ": cannot read (" + s.error.message() + "); choose another --out");
  if (s.offenders.empty()) return manifest ? *manifest : Manifest{};

  std::error_code ec;
  if (!manifest && fs::is_regular_file(fs::symlink_status(dir / kOldMarker, ec))) {
    throw Error(display_path(dir) + ": written by an older kiln deploy, which kept no list of its files (" +
                kManifestFile + "); remove it yourself or choose another --out");
  }
  const Survey::Offender& first = s.offenders.front();
  std::string message =
      display_path(dir / first.rel) +
      (first.changed ? ": changed since kiln deploy wrote it" : ": not written by kiln deploy");
  if (s.offenders.size() > 1) message += " (and " + std::to_string(s.offenders.size() - 1) + " more)";
  message += s.offenders.size() > 1 ? "; move them away" : "; move it away";
  message += " or choose another --out";
  // The library's Makefile and CMakeLists.txt build into DIR/build by default.
  const auto is_build = [](const Survey::Offender& o) { return o.rel == "build"; };
  if (std::any_of(s.offenders.begin(), s.offenders.end(), is_build))
    message += " (`make clean` removes build/)";
  throw Error(message);
}

fs::path put_in_place(std::optional<ExternalStaging>& staging, const fs::path& out, const Manifest* earlier) {
  // Not interrupted half-way (SIGINT, SIGTERM): once swapped, the staging folder holds the old content, which
  // only the checks below may delete.
  const SignalsHeld held;
  const fs::path staged = staging->path();
  if (!earlier) {
    if (::rename(staged.c_str(), out.c_str()) != 0) {
      throw Error(display_path(out) + ": cannot create (" + errno_text(errno) + ")");
    }
    staging.reset();
    return {};
  }
  fs::path old_dir;
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
    // The staging folder holds the old content now, still recorded in the project: were we killed, the next
    // command would remove it. So it may stay there only while it holds nothing but kiln's own files.
    old_dir = staged;
    const Survey s = survey(old_dir, *earlier);
    if (s.offenders.empty() && !s.error && sweep(old_dir, s, *earlier)) {
      staging->release();
      staging.reset();
      return {};
    }
    // Something of the user's is there: the record goes first (a kill from now on leaves the folder whole),
    // then the folder moves to a visible name.
    staging->release();
    staging.reset();
    if (fs::path kept = move_aside(old_dir, out); !kept.empty()) old_dir = kept;
  } else if (errno == EINVAL || errno == ENOSYS) {
    // The filesystem (some network and FUSE filesystems) or the kernel (before 3.15) cannot exchange two
    // names in one step: move the old directory aside, to a visible name, then the new one in. `out` is
    // missing in between; were we killed there, the old library would wait in the visible folder.
    old_dir = move_aside(out, out);
    if (old_dir.empty()) throw Error(display_path(out) + ": cannot move the earlier output aside");
    if (::rename(staged.c_str(), out.c_str()) != 0) {
      const int err = errno;
      ::rename(old_dir.c_str(), out.c_str());
      throw Error(display_path(out) + ": cannot replace (" + errno_text(err) + ")");
    }
    staging->release();
    staging.reset();
  } else {
    throw Error(display_path(out) + ": cannot replace (" + errno_text(errno) + ")");
  }
  if (sweep(old_dir, survey(old_dir, *earlier), *earlier)) return {};
  std::fprintf(stderr,
               "kiln: warning: %s: kept what was added to or changed in %s while kiln deploy replaced it\n",
               display_path(old_dir).c_str(), display_path(out).c_str());
  return old_dir;
}

}  // namespace kiln::deploy
