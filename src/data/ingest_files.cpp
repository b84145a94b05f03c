#include "data/ingest_files.h"

#include <algorithm>
#include <stdexcept>

#include "core/error.h"
#include "core/escape.h"
#include "data/sample_reader.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The name of a folder as written, or "" when it is implicit ("", ".", "..").
std::string written_folder_name(fs::path folder) {
  folder = folder.lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "rec/alarm/" -> "rec/alarm"
  std::string name = folder.filename().string();
  return name == "." || name == ".." ? "" : name;
}

// A path for a message: one line, however long or strange.
std::string shown(const fs::path& p) {
  return terminal_line(p.string());
}

IngestFile labelled(const fs::path& file, std::string label, LabelRule rule) {
  check_derived_label(shown(file), label, rule, "pass --label");
  return {file, std::move(label)};
}

// Rules 3 to 5 of the header, for a file whose folder is `folder` as written.
IngestFile label_from_name(const fs::path& file, const fs::path& folder) {
  if (std::string prefix = label_by_rule(file, LabelRule::kPrefix); !prefix.empty()) {
    return labelled(file, prefix, LabelRule::kPrefix);
  }
  if (std::string name = written_folder_name(folder); !name.empty()) {
    return labelled(file, name, LabelRule::kFolder);
  }
  return labelled(file, label_by_rule(file, LabelRule::kName), LabelRule::kName);
}

// The sample files under `root`, labelled with `label` or else by rules 2 to 5.
std::vector<IngestFile> walk_folder(const fs::path& root, const std::optional<std::string>& label) {
  std::vector<fs::path> paths;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error(shown(root) + ": cannot read folder (" + ec.message() + ")");
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(shown(root) + ": cannot read folder (" + ec.message() + ")");
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    SampleFormat format;
    if (it->is_regular_file() && sample_format_from_extension(p, &format)) paths.push_back(p);
  }
  if (paths.empty()) {
    throw Error(shown(root) + ": no sample files in this folder (Kiln reads " + accepted_extensions() + ")");
  }
  std::sort(paths.begin(), paths.end());
  std::vector<IngestFile> files;
  for (const fs::path& p : paths) {
    const fs::path rel = p.lexically_relative(root);
    if (label) {
      files.push_back({p, *label});
    } else if (std::distance(rel.begin(), rel.end()) > 1) {
      files.push_back(labelled(p, rel.begin()->string(), LabelRule::kFolder));  // rule 2
    } else {
      files.push_back(label_from_name(p, root));
    }
  }
  return files;
}

}  // namespace

std::string label_by_rule(const fs::path& file, LabelRule rule) {
  switch (rule) {
    case LabelRule::kFolder:
      return written_folder_name(file.parent_path());
    case LabelRule::kPrefix: {
      const std::string stem = file.stem().string();
      const std::size_t dot = stem.find('.');
      return dot != std::string::npos && dot > 0 ? stem.substr(0, dot) : "";
    }
    case LabelRule::kName:
      return file.stem().string();
  }
  throw std::logic_error("label_by_rule: unknown rule");
}

const char* label_rule_source(LabelRule rule) {
  return rule == LabelRule::kFolder ? "folder name" : "file name";
}

void check_derived_label(std::string_view shown_file, const std::string& label, LabelRule rule,
                         std::string_view hint) {
  const std::optional<std::string> problem = name_problem(label);
  if (!problem) return;
  throw Error(std::string(shown_file) + ": the label '" + terminal_line(label, 200) + "' (from the " +
              label_rule_source(rule) + ") " + *problem + "; " + std::string(hint));
}

std::string group_key(const fs::path& file, std::string_view group_by, std::string_view separator) {
  if (group_by == "none") return "";
  if (group_by == "folder") return fs::absolute(file).lexically_normal().parent_path().string();
  if (group_by == "prefix") {
    if (separator.empty()) throw std::logic_error("group_key: empty separator");
    const std::string name = file.filename().string();
    const std::size_t at = name.find(separator);
    return at != std::string::npos && at > 0 ? name.substr(0, at) : file.stem().string();
  }
  throw std::logic_error("group_key: unknown group_by '" + std::string(group_by) + "'");
}

std::vector<IngestFile> collect_ingest_files(const std::vector<fs::path>& paths,
                                             const std::optional<std::string>& label) {
  if (label) check_label(*label);
  std::vector<IngestFile> files;
  for (const fs::path& p : paths) {
    // The error code, not exists(): a name too long for the system is not a missing file.
    std::error_code ec;
    const fs::file_status status = fs::status(p, ec);
    if (status.type() == fs::file_type::not_found) throw Error(shown(p) + ": no such file or directory");
    if (ec) throw Error(shown(p) + ": " + ec.message());
    if (fs::is_directory(status)) {
      std::vector<IngestFile> found = walk_folder(p, label);
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(label ? IngestFile{p, *label} : label_from_name(p, p.parent_path()));
    }
  }
  return files;
}

}  // namespace kiln
