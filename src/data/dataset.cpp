#include "data/dataset.h"

#include <fnmatch.h>

#include <cctype>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/escape.h"
#include "core/generation.h"
#include "data/hash_split.h"
#include "data/ingest_files.h"
#include "data/sample_hash.h"
#include "data/sample_reader.h"
#include "data/sha256.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

// PRAGMA user_version of the index this code writes. Bump it with a migration in migrate() when the schema
// changes.
constexpr int kSchemaVersion = 3;

constexpr const char* kSchemaV1 = R"(
CREATE TABLE IF NOT EXISTS samples (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids of removed samples are never reused
  hash        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  source_path TEXT NOT NULL,
  label       TEXT NOT NULL,
  category    TEXT NOT NULL CHECK (category IN ('train', 'test')),
  axes        INTEGER NOT NULL,
  frequency   REAL NOT NULL,
  length      INTEGER NOT NULL,
  axis_names  TEXT NOT NULL,                      -- JSON array of strings
  added_at    TEXT NOT NULL                       -- UTC, ISO 8601
);
CREATE INDEX IF NOT EXISTS samples_label ON samples (label);
PRAGMA user_version = 1;
)";

// Version 2: the group that keeps related samples in one split (ingest_files.h group_key). Samples of
// version 1 get none.
constexpr const char* kMigrateV2 = R"(
ALTER TABLE samples ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS samples_group ON samples (group_key);
PRAGMA user_version = 2;
)";

// Version 3: images (data/image_sample.h): the stored width and height, and the resize mode the file was
// resized with ('' when it had that size). 0 x 0 for the samples of version 2, none of which is an image.
constexpr const char* kMigrateV3 = R"(
ALTER TABLE samples ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN resize_mode TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 3;
)";

constexpr const char* kColumns =
    "id, hash, name, source_path, label, category, axes, frequency, length, axis_names, added_at, group_key, "
    "width, height, resize_mode";

SampleRecord read_record(const SqliteStatement& s) {
  SampleRecord r;
  r.id = s.column_int64(0);
  r.hash = s.column_text(1);
  r.name = s.column_text(2);
  r.source_path = s.column_text(3);
  r.label = s.column_text(4);
  r.category = s.column_text(5);
  r.axes = static_cast<int>(s.column_int64(6));
  r.frequency = s.column_double(7);
  r.length = s.column_int64(8);
  nlohmann::json names = nlohmann::json::parse(s.column_text(9), nullptr, false);
  if (names.is_array()) {
    for (const auto& n : names) {
      if (n.is_string()) r.axis_names.push_back(n.get<std::string>());
    }
  }
  r.added_at = s.column_text(10);
  r.group_key = s.column_text(11);
  r.width = static_cast<int>(s.column_int64(12));
  r.height = static_cast<int>(s.column_int64(13));
  r.resize_mode = s.column_text(14);
  return r;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::int64_t schema_version(const SqliteDb& db) {
  SqliteStatement q = db.prepare("PRAGMA user_version");
  q.step();
  const std::int64_t version = q.column_int64(0);
  if (version > kSchemaVersion) {
    throw Error(db.path().string() + ": dataset index version " + std::to_string(version) +
                " was written by a newer Kiln (this one reads version " + std::to_string(kSchemaVersion) +
                ")");
  }
  return version;
}

void migrate(SqliteDb& db) {
  const std::int64_t version = schema_version(db);
  if (version == kSchemaVersion) return;
  SqliteTransaction tx(db);
  if (version < 1) db.exec(kSchemaV1);
  if (version < 2) db.exec(kMigrateV2);
  if (version < 3) db.exec(kMigrateV3);
  tx.commit();
}

// A shell word for a label in a suggested command: as it is when that is safe, else in single quotes.
std::string shell_word(const std::string& s) {
  bool plain = !s.empty();
  for (unsigned char c : s)
    plain = plain && (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80);
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Dataset::Dataset(fs::path data_dir, SqliteDb db, Generation* generation)
    : data_dir_(std::move(data_dir)), db_(std::move(db)), store_(data_dir_ / "samples", generation) {}

Dataset Dataset::open(const fs::path& project_dir) {
  std::error_code ec;
  if (!fs::is_directory(project_dir, ec)) throw Error(project_dir.string() + ": no such project directory");
  const fs::path data_dir = project_dir / "data", index = data_dir / "kiln.db";
  if (!fs::exists(index, ec)) {
    SqliteDb empty = SqliteDb::memory(index);
    migrate(empty);
    return Dataset(data_dir, std::move(empty), nullptr);
  }
  // Read-write without creating: SQLite may need to roll back a journal an older Kiln left. Nothing here
  // writes to it; an index of an older schema is migrated in a copy in memory.
  SqliteDb db = SqliteDb::open(index, false);
  if (schema_version(db) < kSchemaVersion) {
    SqliteDb copy = SqliteDb::memory(index);
    db.copy_into(copy);
    migrate(copy);
    return Dataset(data_dir, std::move(copy), nullptr);
  }
  return Dataset(data_dir, std::move(db), nullptr);
}

Dataset Dataset::open_for_update(const fs::path& project_dir, Generation& generation) {
  std::error_code ec;
  if (!fs::is_directory(project_dir, ec)) throw Error(project_dir.string() + ": no such project directory");
  const fs::path data_dir = project_dir / "data", index = data_dir / "kiln.db";
  SqliteDb staged = SqliteDb::open(generation.stage(index), true, index);
  if (fs::exists(index, ec)) SqliteDb::open(index, false).copy_into(staged);
  migrate(staged);
  Dataset dataset(data_dir, std::move(staged), &generation);
  dataset.remove_strays();
  return dataset;
}

void Dataset::remove_strays() {
  // Anything in data/samples/ that no row uses: what an interrupted Kiln before generations left there
  // (sample files of a killed `kiln add`, half-written temporaries). Now nothing can leave such files, and
  // this is a directory listing per change of the dataset.
  std::set<std::string> used;
  SqliteStatement q = db_.prepare("SELECT hash FROM samples");
  while (q.step()) used.insert(q.column_text(0) + ".f32");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(samples_dir(), ec)) {
    if (!used.count(e.path().filename().string())) store_.remove_file(e.path());
  }
}

Dataset::AddOptions Dataset::add_options(const DatasetSettings& settings) {
  AddOptions o;
  o.test_ratio = settings.test_ratio;
  o.group_by = settings.group_by;
  o.group_separator = settings.group_separator;
  return o;
}

Dataset::AddResult Dataset::add(const std::vector<fs::path>& paths, const AddOptions& options,
                                const InputSettings& input,
                                std::function<void(std::size_t done, std::size_t total)> progress) {
  if (options.category != "train" && options.category != "test" && options.category != "split") {
    throw Error("category '" + options.category + "': expected train, test or split");
  }
  if (!(options.test_ratio >= 0 && options.test_ratio <= 1)) {
    throw Error("test ratio " + std::to_string(options.test_ratio) + ": expected a value from 0 to 1");
  }
  if (options.group_by != "none" && options.group_by != "folder" && options.group_by != "prefix") {
    throw Error("group_by '" + options.group_by + "': expected none, folder or prefix");
  }
  const std::vector<IngestFile> files = collect_ingest_files(paths, options.label);
  if (progress) progress(0, files.size());

  // 1. Read every file (staging its content) and sort it into new samples, harmless duplicates and
  // conflicts (the same content under another label).
  AddResult result;
  struct Seen {
    std::string label;
    fs::path path;
  };
  std::map<std::string, Seen> seen;  // hash -> the file of this call that brought it
  std::vector<std::string> conflicts;
  const std::string now = utc_now();
  {
    SqliteStatement existing = db_.prepare("SELECT id, name, label FROM samples WHERE hash = ?");
    for (std::size_t i = 0; i < files.size(); ++i) {
      const IngestFile& file = files[i];
      SampleData data = read_sample_file(file.path, input);
      const std::string hash = sample_content_hash(data);
      const std::string shown = terminal_line(file.path.string());
      existing.bind(1, hash);
      if (existing.step()) {
        const std::string id = std::to_string(existing.column_int64(0)), label = existing.column_text(2);
        if (label == file.label) {
          ++result.duplicates;
        } else {
          conflicts.push_back(shown + ": already in the dataset as '" + terminal_line(label, 200) + "' (id " +
                              id + ", " + terminal_line(existing.column_text(1), 200) +
                              "); relabel it with `kiln dataset relabel " + id + " --label " +
                              shell_word(file.label) + "`, or leave it out");
        }
      } else if (auto other = seen.find(hash); other != seen.end()) {
        if (other->second.label == file.label) {
          ++result.duplicates;
        } else {
          conflicts.push_back(shown + ": the same content as " + terminal_line(other->second.path.string()) +
                              ", which is labelled '" + terminal_line(other->second.label, 200) +
                              "' in this add, not '" + file.label + "'; leave one of them out");
        }
      } else {
        seen[hash] = {file.label, file.path};
        if (!store_.has(hash, data.values.size())) store_.write(hash, data.values);
        SampleRecord r;
        r.hash = hash;
        r.name = file.path.filename().string();
        r.source_path = fs::absolute(file.path).lexically_normal().string();
        r.label = file.label;
        r.category = options.category;
        r.group_key = group_key(file.path, options.group_by, options.group_separator);
        r.axes = data.axes;
        r.frequency = data.frequency;
        r.length = static_cast<std::int64_t>(data.length());
        r.axis_names = data.axis_names;
        r.width = data.width;
        r.height = data.height;
        r.resize_mode = data.resize_mode;
        r.added_at = now;
        result.samples.push_back(std::move(r));
      }
      existing.reset();
      if (progress) progress(i + 1, files.size());
    }
  }
  if (!conflicts.empty()) {
    const std::size_t more = conflicts.size() - 1;
    throw Error(conflicts.front() +
                (more ? " (and " + std::to_string(more) + " more conflict" + (more == 1 ? ")" : "s)") : ""));
  }

  // 2. The split of the new samples, from what the dataset holds (hash_split.h).
  if (options.category == "split") {
    SplitExisting existing;
    SqliteStatement labels = db_.prepare("SELECT label, category, COUNT(*) FROM samples GROUP BY 1, 2");
    while (labels.step()) {
      const int n = static_cast<int>(labels.column_int64(2));
      existing.samples[labels.column_text(0)] += n;
      if (labels.column_text(1) == "test") existing.test[labels.column_text(0)] += n;
    }
    SqliteStatement groups =
        db_.prepare("SELECT group_key, category, COUNT(*) FROM samples WHERE group_key != '' GROUP BY 1, 2");
    while (groups.step()) {
      auto& [train, test] = existing.groups[groups.column_text(0)];
      (groups.column_text(1) == "test" ? test : train) += static_cast<int>(groups.column_int64(2));
    }
    std::vector<SplitSample> split;
    for (const SampleRecord& r : result.samples) split.push_back({r.hash, r.label, r.group_key});
    const std::vector<std::string> categories = assign_split(split, existing, options.test_ratio);
    for (std::size_t i = 0; i < result.samples.size(); ++i) result.samples[i].category = categories[i];
  }

  // 3. The rows, in file order.
  SqliteTransaction tx(db_);
  {
    SqliteStatement insert = db_.prepare(
        "INSERT INTO samples (hash, name, source_path, label, category, axes, frequency, length, axis_names, "
        "added_at, group_key, width, height, resize_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (SampleRecord& r : result.samples) {
      insert.bind(1, r.hash).bind(2, r.name).bind(3, r.source_path).bind(4, r.label).bind(5, r.category);
      insert.bind(6, r.axes).bind(7, r.frequency).bind(8, r.length);
      insert.bind(9, json_text(nlohmann::json(r.axis_names))).bind(10, r.added_at).bind(11, r.group_key);
      insert.bind(12, r.width).bind(13, r.height).bind(14, r.resize_mode);
      insert.step();
      insert.reset();
      r.id = db_.last_insert_rowid();
    }
  }
  tx.commit();
  result.added = static_cast<int>(result.samples.size());
  return result;
}

std::vector<std::string> Dataset::labels() const {
  std::set<std::string> labels;
  for (const auto& r : list()) labels.insert(r.label);
  return {labels.begin(), labels.end()};
}

std::vector<SampleRecord> Dataset::list(const std::optional<std::string>& label,
                                        const std::optional<std::string>& category) const {
  std::string sql = std::string("SELECT ") + kColumns + " FROM samples WHERE 1";
  if (label) sql += " AND label = ?";
  if (category) sql += " AND category = ?";
  sql += " ORDER BY id";
  SqliteStatement q = db_.prepare(sql);
  int index = 1;
  if (label) q.bind(index++, *label);
  if (category) q.bind(index++, *category);
  std::vector<SampleRecord> out;
  while (q.step()) out.push_back(read_record(q));
  return out;
}

SampleData Dataset::load(const SampleRecord& sample) const {
  SampleData d;
  d.axes = sample.axes;
  d.frequency = sample.frequency;
  d.axis_names = sample.axis_names;
  d.values = store_.read(sample.hash,
                         static_cast<std::size_t>(sample.length) * static_cast<std::size_t>(sample.axes));
  return d;
}

void Dataset::require_ids(const std::vector<std::int64_t>& ids) const {
  if (ids.empty()) throw Error("no sample ids given");
  SqliteStatement q = db_.prepare("SELECT 1 FROM samples WHERE id = ?");
  for (std::int64_t id : ids) {
    q.bind(1, id);
    const bool found = q.step();
    q.reset();
    if (!found) throw Error("no sample with id " + std::to_string(id) + " (see `kiln dataset list`)");
  }
}

std::vector<std::int64_t> Dataset::match(const std::string& glob) const {
  std::vector<std::int64_t> ids;
  SqliteStatement q = db_.prepare("SELECT id, name FROM samples ORDER BY id");
  while (q.step()) {
    if (::fnmatch(glob.c_str(), q.column_text(1).c_str(), 0) == 0) ids.push_back(q.column_int64(0));
  }
  if (ids.empty()) {
    throw Error("no sample's file name matches '" + terminal_line(glob, 200) + "' (see `kiln dataset list`)");
  }
  return ids;
}

int Dataset::relabel(const std::vector<std::int64_t>& ids, const std::string& label) {
  check_label(label);
  std::map<std::int64_t, std::string> labels;
  for (std::int64_t id : ids) labels[id] = label;
  return set_labels(labels);
}

int Dataset::relabel_by_rule(const std::vector<std::int64_t>& ids, LabelRule rule) {
  require_ids(ids);
  std::map<std::int64_t, std::string> labels;
  SqliteStatement q = db_.prepare("SELECT name, source_path FROM samples WHERE id = ?");
  for (std::int64_t id : ids) {
    q.bind(1, id);
    q.step();
    const std::string name = q.column_text(0), source = q.column_text(1);
    q.reset();
    // The folder is in the source path; the name is the file's name as it was added.
    const std::string label =
        label_by_rule(rule == LabelRule::kFolder ? fs::path(source) : fs::path(name), rule);
    const std::string shown = "sample " + std::to_string(id) + " (" + terminal_line(source) + ")";
    if (rule == LabelRule::kPrefix && label.empty()) {
      throw Error(shown + ": the file name has no label before a dot (like alarm.01.wav)");
    }
    check_derived_label(shown, label, rule, "give it one with --label");
    labels[id] = label;
  }
  return set_labels(labels);
}

int Dataset::set_labels(const std::map<std::int64_t, std::string>& labels) {
  std::vector<std::int64_t> ids;
  for (const auto& [id, label] : labels) ids.push_back(id);
  SqliteTransaction tx(db_);
  require_ids(ids);
  SqliteStatement get = db_.prepare("SELECT label FROM samples WHERE id = ?");
  SqliteStatement u = db_.prepare("UPDATE samples SET label = ? WHERE id = ?");
  int changed = 0;
  for (const auto& [id, label] : labels) {
    get.bind(1, id);
    get.step();
    const bool same = get.column_text(0) == label;
    get.reset();
    if (same) continue;
    u.bind(1, label).bind(2, id);
    u.step();
    u.reset();
    ++changed;
  }
  tx.commit();
  return changed;
}

void Dataset::move(const std::vector<std::int64_t>& ids, const std::string& category) {
  if (category != "train" && category != "test") {
    throw Error("category '" + category + "': expected train or test");
  }
  SqliteTransaction tx(db_);
  require_ids(ids);
  SqliteStatement u = db_.prepare("UPDATE samples SET category = ? WHERE id = ?");
  for (std::int64_t id : ids) {
    u.bind(1, category).bind(2, id);
    u.step();
    u.reset();
  }
  tx.commit();
}

void Dataset::remove(const std::vector<std::int64_t>& ids) {
  std::set<std::string> hashes;
  {
    SqliteTransaction tx(db_);
    require_ids(ids);
    SqliteStatement get = db_.prepare("SELECT hash FROM samples WHERE id = ?");
    SqliteStatement del = db_.prepare("DELETE FROM samples WHERE id = ?");
    for (std::int64_t id : ids) {
      get.bind(1, id);
      if (get.step()) hashes.insert(get.column_text(0));
      get.reset();
      del.bind(1, id);
      del.step();
      del.reset();
    }
    tx.commit();
  }
  SqliteStatement used = db_.prepare("SELECT 1 FROM samples WHERE hash = ?");
  for (const std::string& hash : hashes) {
    used.bind(1, hash);
    const bool still_used = used.step();
    used.reset();
    if (!still_used) store_.remove(hash);
  }
}

std::string Dataset::content_hash() const {
  Sha256 h;
  h.update("kiln-dataset-1\n");
  SqliteStatement q = db_.prepare("SELECT hash, label, category FROM samples ORDER BY hash");
  while (q.step()) h.update(q.column_text(0) + "\t" + q.column_text(1) + "\t" + q.column_text(2) + "\n");
  return h.hex_digest();
}

}  // namespace kiln
