#include "data/sqlite_db.h"

#include "core/error.h"

namespace kiln {

SqliteDb SqliteDb::open_uri(const std::string& name, int flags, const std::filesystem::path& shown) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  std::unique_ptr<sqlite3, Closer> db(raw);
  if (rc != SQLITE_OK) {
    throw Error(shown.string() + ": cannot open the dataset index (" +
                (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)) + ")");
  }
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  return SqliteDb(std::move(db), shown);
}

SqliteDb SqliteDb::open(const std::filesystem::path& path, bool create, const std::filesystem::path& shown) {
  return open_uri(path.string(), SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                  shown.empty() ? path : shown);
}

SqliteDb SqliteDb::memory(const std::filesystem::path& shown) {
  return open_uri(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, shown);
}

void SqliteDb::copy_into(SqliteDb& other) const {
  sqlite3_backup* b = sqlite3_backup_init(other.db_.get(), "main", db_.get(), "main");
  if (!b)
    throw Error(path_.string() + ": cannot copy the dataset index (" + sqlite3_errmsg(other.db_.get()) + ")");
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    throw Error(path_.string() + ": cannot copy the dataset index (" + sqlite3_errstr(rc) + ")");
  }
}

void SqliteDb::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(path_.string() + ": database error (" + text + ")");
  }
}

SqliteStatement SqliteDb::prepare(const std::string& sql) const {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw Error(path_.string() + ": database error (" + sqlite3_errmsg(db_.get()) + ")");
  }
  return SqliteStatement(db_.get(), path_, stmt);
}

void SqliteStatement::fail() const {
  throw Error(path_.string() + ": database error (" + sqlite3_errmsg(db_) + ")");
}

void SqliteStatement::check_bind(int rc) {
  if (rc != SQLITE_OK) fail();
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_.get(), index, value));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::string& value) {
  check_bind(
      sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_.get());
}

std::string SqliteStatement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
              : std::string();
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) sqlite3_exec(db_.db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace kiln
