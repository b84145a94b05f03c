// What `kiln add PATH...` ingests: the paths expanded into sample files, each with its label and group.
//
// Folders are walked recursively (sorted, so ids follow file order); hidden files and folders (".name") are
// skipped, and only files with an extension Kiln reads are picked up (sample_reader.h). A file named
// explicitly is always taken (an unknown type is then an error when it is read). A path that does not exist,
// and a folder holding no sample files, are errors.
//
// The label of each file, first rule that applies:
//  1. the --label option;
//  2. a file inside a subfolder of a folder you passed: the name of that first-level subfolder
//     (`kiln add rec/` with rec/alarm/x.wav or rec/alarm/day1/x.wav -> "alarm"), the common "one folder per
//     class" layout;
//  3. a file name with a label before its first dot, Edge Impulse's convention: alarm.01.wav -> "alarm";
//  4. the name of the folder the file is in, as written on the command line: the folder you passed, for a
//     file directly inside it (`kiln add rec/alarm` -> "alarm"), or an explicit file's folder
//     (rec/alarm/x.wav -> "alarm"). Not used when the path has no folder part or it is "." or ".." (`kiln add
//     x.wav`, `kiln add .`): the current directory's name is incidental.
//  5. the file name without its extension (x.wav -> "x").
// Rule 3 ranks above rule 4 because the folder you pass, or a file's folder, is often just a collection
// (recordings/, Downloads/) while a dotted name was labelled on purpose; a subfolder inside a folder you
// passed (rule 2) is a deliberate class folder. Every label must follow core/names.h; one derived from a
// folder or file name that does not is an error naming the file (pass --label instead).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/names.h"  // check_label

namespace kiln {

struct IngestFile {
  std::filesystem::path path;
  std::string label;
};

// Throws kiln::Error naming the path for a path that does not exist or cannot be looked at (e.g. "File name
// too long"), a folder without sample files, and a label that breaks the rules of core/names.h.
std::vector<IngestFile> collect_ingest_files(const std::vector<std::filesystem::path>& paths,
                                             const std::optional<std::string>& label);

// The single rules, also for `kiln dataset relabel --label-from` on a sample's stored source path:
//   folder: the name of the folder holding `file`, as the path writes it ("" for none, "." or "..");
//   prefix: the file name's part before its first dot, rule 3 ("" when the name has none);
//   name:   the file name without its extension, rule 5.
enum class LabelRule { kFolder, kPrefix, kName };
std::string label_by_rule(const std::filesystem::path& file, LabelRule rule);
// "folder name" or "file name": where a rule takes the label from, for messages.
const char* label_rule_source(LabelRule rule);
// Throws kiln::Error when `label`, derived by `rule` from the file `shown` (a path or a sample's
// description), breaks the rules of core/names.h: "rec/caf\xE9/x.wav: the label 'caf\xE9' (from the folder
// name) is not valid UTF-8; <hint>".
void check_derived_label(std::string_view shown, const std::string& label, LabelRule rule,
                         std::string_view hint);

// The group key of `file` for `[dataset] group_by` (docs/kiln-toml.md):
//   "none":   "" (every sample is a group of its own);
//   "folder": the folder holding the file, as an absolute path;
//   "prefix": the file name up to its first `separator`; a name without one (or starting with it) is a
//             group of its own, keyed by the name without its extension.
std::string group_key(const std::filesystem::path& file, std::string_view group_by,
                      std::string_view separator);

}  // namespace kiln
