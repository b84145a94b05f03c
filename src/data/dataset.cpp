#include "data/dataset.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
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
constexpr int kSchemaVersion = 1;

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

constexpr const char* kColumns =
    "id, hash, name, source_path, label, category, axes, frequency, length, axis_names, added_at";

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
  if (schema_version(db) == kSchemaVersion) return;
  SqliteTransaction tx(db);
  db.exec(kSchemaV1);
  tx.commit();
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
  return Dataset(data_dir, std::move(staged), &generation);
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
  const std::vector<IngestFile> files = collect_ingest_files(paths, options.label);
  if (progress) progress(0, files.size());

  AddResult result;
  SqliteTransaction tx(db_);
  {
    SqliteStatement exists = db_.prepare("SELECT 1 FROM samples WHERE hash = ?");
    SqliteStatement insert = db_.prepare(
        "INSERT INTO samples (hash, name, source_path, label, category, axes, frequency, length, axis_names, "
        "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::set<std::string> seen;
    const std::string now = utc_now();
    for (std::size_t i = 0; i < files.size(); ++i) {
      const IngestFile& file = files[i];
      SampleData data = read_sample_file(file.path, input);
      const std::string hash = sample_content_hash(data);
      exists.bind(1, hash);
      const bool present = exists.step();
      exists.reset();
      if (present || !seen.insert(hash).second) {
        ++result.duplicates;
      } else {
        if (!store_.has(hash, data.values.size())) store_.write(hash, data.values);
        SampleRecord r;
        r.hash = hash;
        r.name = file.path.filename().string();
        r.source_path = fs::absolute(file.path).lexically_normal().string();
        r.label = file.label;
        r.category =
            options.category == "split" ? split_category(hash, options.test_ratio) : options.category;
        r.axes = data.axes;
        r.frequency = data.frequency;
        r.length = static_cast<std::int64_t>(data.length());
        r.axis_names = data.axis_names;
        r.added_at = now;
        insert.bind(1, r.hash).bind(2, r.name).bind(3, r.source_path).bind(4, r.label).bind(5, r.category);
        insert.bind(6, r.axes).bind(7, r.frequency).bind(8, r.length);
        insert.bind(9, nlohmann::json(r.axis_names).dump()).bind(10, r.added_at);
        insert.step();
        insert.reset();
        r.id = db_.last_insert_rowid();
        result.samples.push_back(std::move(r));
        ++result.added;
      }
      if (progress) progress(i + 1, files.size());
    }
    tx.commit();
  }
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

void Dataset::relabel(const std::vector<std::int64_t>& ids, const std::string& label) {
  check_label(label);
  SqliteTransaction tx(db_);
  require_ids(ids);
  SqliteStatement u = db_.prepare("UPDATE samples SET label = ? WHERE id = ?");
  for (std::int64_t id : ids) {
    u.bind(1, label).bind(2, id);
    u.step();
    u.reset();
  }
  tx.commit();
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
