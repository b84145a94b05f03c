// A project's dataset: sample files stored by content hash in data/samples/ and one row per sample in the
// SQLite index data/kiln.db (label, train/test category, group, axes, frequency, length, where it came from).
// The index's schema has a version (PRAGMA user_version); an older one is migrated when it is opened, in
// memory for open(), in the staged copy for open_for_update().
//
// A dataset opened with open() only reads: it creates nothing, and a project without an index has an empty
// dataset. One opened with open_for_update() works on a copy of the index staged in a Generation
// (core/generation.h), with its sample files staged there too: the changes become the project's when the
// command publishes the generation, all at once, or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/ingest_files.h"
#include "data/sample_data.h"
#include "data/sample_store.h"
#include "data/sqlite_db.h"
#include "project/impulse.h"

namespace kiln {

class Generation;

struct SampleRecord {
  std::int64_t id = 0;
  std::string hash;         // SHA-256 of the converted content (sample_hash.h); also the sample file's name
  std::string name;         // original file name
  std::string source_path;  // absolute path the sample was added from
  std::string label;
  std::string category;   // "train" or "test"
  std::string group_key;  // samples of one group stay in one split ("" = none; ingest_files.h group_key)
  int axes = 1;
  double frequency = 0;     // Hz
  std::int64_t length = 0;  // samples per axis
  std::vector<std::string> axis_names;
  std::string added_at;  // UTC, ISO 8601
  // An image (data/image_sample.h): its stored width x height, and the resize mode it was resized with (""
  // when it had that size). 0 x 0 otherwise.
  int width = 0;
  int height = 0;
  std::string resize_mode;

  bool is_image() const { return width > 0; }
  // How much data the sample is, for balance warnings: seconds of a recording, one per image.
  double amount() const { return is_image() ? 1.0 : seconds(); }

  double seconds() const { return frequency > 0 ? static_cast<double>(length) / frequency : 0; }
};

class Dataset {
 public:
  // Opens the dataset of the project in `project_dir` (which must exist) for reading. Throws kiln::Error
  // for an index written by a newer Kiln.
  static Dataset open(const std::filesystem::path& project_dir);
  // Opens it for changes, staged in `generation` (which must outlive the Dataset).
  static Dataset open_for_update(const std::filesystem::path& project_dir, Generation& generation);

  struct AddOptions {
    std::optional<std::string> label;   // default: from the folder or file name (ingest_files.h)
    std::string category = "split";     // "train", "test" or "split" (stratified by label, hash_split.h)
    double test_ratio = 0.1;            // for "split"
    std::string group_by = "none";      // [dataset] group_by: "none", "folder" or "prefix"
    std::string group_separator = "_";  // [dataset] group_separator, for "prefix"
  };
  // The options [dataset] of kiln.toml asks for.
  static AddOptions add_options(const DatasetSettings& settings);
  struct AddResult {
    int added = 0;
    int duplicates = 0;                 // content already in the dataset with the same label, or twice
    std::vector<SampleRecord> samples;  // the added ones, in file order
  };
  // Reads, converts (sample_reader.h) and adds the files and folders in `paths`. Content already in the
  // dataset, or twice in this call, is a duplicate when the labels agree and an error when they do not
  // ("x.wav: already in the dataset as 'alarm' (id 12, alarm.01.wav); relabel it with ..."). All or
  // nothing: on any error (naming the bad file) the index and data/samples are as before. progress(done,
  // total) is called per file.
  AddResult add(const std::vector<std::filesystem::path>& paths, const AddOptions& options,
                const InputSettings& input,
                std::function<void(std::size_t done, std::size_t total)> progress = {});

  // Every label in the dataset, sorted: a classifier's output index -> label (train and import agree on it).
  std::vector<std::string> labels() const;
  // Samples in id order, optionally only one label and/or category.
  std::vector<SampleRecord> list(const std::optional<std::string>& label = std::nullopt,
                                 const std::optional<std::string>& category = std::nullopt) const;
  // The sample's values from data/samples/<hash>.f32 (size checked against the index). Only reads files, so
  // it may be called from several threads at once; no other method may.
  SampleData load(const SampleRecord& sample) const;

  // The ids of the samples whose file name matches the fnmatch(3) pattern `glob`, in id order. Throws
  // kiln::Error when none does.
  std::vector<std::int64_t> match(const std::string& glob) const;

  // Each throws kiln::Error naming the first unknown id, and then changes nothing. relabel and
  // relabel_by_rule return how many samples got another label than they had.
  int relabel(const std::vector<std::int64_t>& ids, const std::string& label);  // label: core/names.h
  // Each sample's label from its stored file name or source path, by `rule` (ingest_files.h); a label that
  // breaks the rules of core/names.h, or a file name without a prefix for kPrefix, is an error naming the
  // sample.
  int relabel_by_rule(const std::vector<std::int64_t>& ids, LabelRule rule);
  void move(const std::vector<std::int64_t>& ids, const std::string& category);  // "train" or "test"
  void remove(const std::vector<std::int64_t>& ids);  // also deletes sample files no row uses any more

  // SHA-256 over every sample's hash, label and category (sorted by hash): a model records it to say exactly
  // which data it was trained on.
  std::string content_hash() const;

  const std::filesystem::path& index_path() const { return db_.path(); }  // data/kiln.db
  std::filesystem::path samples_dir() const { return data_dir_ / "samples"; }

 private:
  Dataset(std::filesystem::path data_dir, SqliteDb db, Generation* generation);
  void remove_strays();
  void require_ids(const std::vector<std::int64_t>& ids) const;
  int set_labels(const std::map<std::int64_t, std::string>& labels);  // id -> label; returns the changes
  std::filesystem::path data_dir_;
  SqliteDb db_;
  SampleStore store_;
};

}  // namespace kiln
