// A small RAII layer over libsqlite3: a connection, prepared statements and transactions. Every failure
// throws kiln::Error naming the database file.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace kiln {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens the database file (creating it when `create`); waits up to 10 s for another process's lock.
  // Messages name `shown` (default: `path`), e.g. the index a staged copy will become.
  static SqliteDb open(const std::filesystem::path& path, bool create = true,
                       const std::filesystem::path& shown = {});
  // A new in-memory database (messages name `shown`).
  static SqliteDb memory(const std::filesystem::path& shown);
  // Copies this database, as one consistent snapshot, into `other` (replacing its content).
  void copy_into(SqliteDb& other) const;

  void exec(const std::string& sql);
  SqliteStatement prepare(const std::string& sql) const;
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  static SqliteDb open_uri(const std::string& uri, int flags, const std::filesystem::path& shown);
  SqliteDb(std::unique_ptr<sqlite3, Closer> db, std::filesystem::path path)
      : db_(std::move(db)), path_(std::move(path)) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::filesystem::path path_;
  friend class SqliteTransaction;
};

class SqliteStatement {
 public:
  // Parameters are 1-based, as in SQL.
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, const std::string& value);
  // Runs one step: true when a row is available, false when the statement is done.
  bool step();
  void reset();  // to run again (bindings are kept)

  // Columns are 0-based, as in sqlite3_column_*.
  std::int64_t column_int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  double column_double(int column) const { return sqlite3_column_double(stmt_.get(), column); }
  std::string column_text(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  SqliteStatement(sqlite3* db, std::filesystem::path path, sqlite3_stmt* stmt)
      : db_(db), path_(std::move(path)), stmt_(stmt) {}
  [[noreturn]] void fail() const;
  void check_bind(int rc);
  sqlite3* db_;
  std::filesystem::path path_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  friend class SqliteDb;
};

// BEGIN IMMEDIATE (takes the write lock at once, so two `kiln add` runs queue instead of failing half-way)
// ... COMMIT on commit(); ROLLBACK when destroyed uncommitted, e.g. by an exception.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace kiln
