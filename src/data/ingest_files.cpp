#include "data/ingest_files.h"

#include <algorithm>

#include "core/error.h"
#include "data/sample_reader.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The name of a folder as written on the command line, or "" when it is implicit ("", ".", "..").
std::string written_folder_name(fs::path folder) {
  folder = folder.lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "rec/alarm/" -> "rec/alarm"
  std::string name = folder.filename().string();
  return name == "." || name == ".." ? "" : name;
}

// Rules 3 to 5 of the header.
std::string label_from_name(const fs::path& file, const fs::path& folder) {
  const std::string stem = file.stem().string();
  const std::size_t dot = stem.find('.');
  if (dot != std::string::npos && dot > 0) return stem.substr(0, dot);
  std::string name = written_folder_name(folder);
  return name.empty() ? stem : name;
}

std::vector<IngestFile> walk_folder(const fs::path& root) {
  std::vector<IngestFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error(root.string() + ": cannot read folder (" + ec.message() + ")");
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(root.string() + ": cannot read folder (" + ec.message() + ")");
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    SampleFormat format;
    if (!it->is_regular_file() || !sample_format_from_extension(p, &format)) continue;
    fs::path rel = p.lexically_relative(root);
    std::string label =
        std::distance(rel.begin(), rel.end()) > 1 ? rel.begin()->string() : label_from_name(p, root);
    files.push_back({p, label});
  }
  std::sort(files.begin(), files.end(),
            [](const IngestFile& a, const IngestFile& b) { return a.path < b.path; });
  if (files.empty()) {
    throw Error(root.string() + ": no sample files in this folder (Kiln reads " + accepted_extensions() +
                ")");
  }
  return files;
}

}  // namespace

void check_label(const std::string& label) {
  if (label.empty()) throw Error("a label cannot be empty");
  for (unsigned char c : label) {
    if (c < 0x20 || c == 0x7f) throw Error("label '" + label + "': control characters are not allowed");
  }
}

std::vector<IngestFile> collect_ingest_files(const std::vector<fs::path>& paths,
                                             const std::optional<std::string>& label) {
  if (label) check_label(*label);
  std::vector<IngestFile> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (!fs::exists(status)) throw Error(p.string() + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::vector<IngestFile> found = walk_folder(p);
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back({p, label_from_name(p, p.parent_path())});
    }
  }
  for (IngestFile& f : files) {
    if (label) {
      f.label = *label;
      continue;
    }
    try {
      check_label(f.label);
    } catch (const Error& e) {
      throw Error(f.path.string() + ": " + e.what() + " (give one with --label)");
    }
  }
  return files;
}

}  // namespace kiln
