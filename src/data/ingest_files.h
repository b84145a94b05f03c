// What `kiln add PATH...` ingests: the paths expanded into sample files, each with its label.
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
//  file
//     directly inside it (`kiln add rec/alarm` -> "alarm"), or an explicit file's folder (rec/alarm/x.wav ->
//     "alarm"). Not used when the path has no folder part or it is "." or ".." (`kiln add x.wav`, `kiln add
//     .`): the current directory's name is incidental.
//  5. the file name without its extension (x.wav -> "x").
// Rule 3 ranks above rule 4 because the folder you pass, or a file's folder, is often just a collection
// (recordings/, Downloads/) while a dotted name was labelled on purpose; a subfolder inside a folder you
// passed (rule 2) is a deliberate class folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

struct IngestFile {
  std::filesystem::path path;
  std::string label;
};

// Throws kiln::Error naming the path for a path that does not exist or a folder without sample files.
std::vector<IngestFile> collect_ingest_files(const std::vector<std::filesystem::path>& paths,
                                             const std::optional<std::string>& label);

// Throws kiln::Error when `label` cannot be a label (empty, or holds control characters).
void check_label(const std::string& label);

}  // namespace kiln
