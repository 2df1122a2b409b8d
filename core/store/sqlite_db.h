#pragma once
// Thin RAII layer over the SQLite C API. Every statement is prepared and
// bound; failures throw StoreError, which the project-level API turns into a
// Result with the file name attached.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pl {

/// A SQLite failure; the message is SQLite's own, prefixed with context.
class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// A prepared statement. Bind indices are 1-based like SQLite's.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::optional<double> value);
  Statement& bindBlob(int index, const void* data, size_t size);
  Statement& bindNull(int index);

  /// Advances; true while a row is available.
  bool step();
  /// Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  int64_t int64(int column) const;
  double real(int column) const;
  bool isNull(int column) const;
  std::string text(int column) const;
  std::vector<uint8_t> blob(int column) const;

 private:
  void check(int rc, const char* what);
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// An open SQLite connection.
class Database {
 public:
  /// Opens (and with `create`, creates) the file; throws StoreError.
  /// `immutable` (read-only only): the file cannot change while open, so
  /// SQLite creates no journal or shared-memory file beside it (for
  /// read-only folders and media).
  Database(const std::string& path, bool create, bool readOnly = false, bool immutable = false);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more statements without parameters (schema, pragmas).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  /// Returns the first column of the first row of a parameterless query.
  int64_t scalar(std::string_view sql);
  int64_t lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const { return sqlite3_changes(db_); }
  const std::string& path() const { return path_; }
  bool readOnly() const { return readOnly_; }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  bool readOnly_ = false;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
/// A failed or cancelled job therefore leaves the project as it was.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace pl
