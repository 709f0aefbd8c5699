#include "storage/sqlite/sqlite_database.hpp"

#include "storage/data_version.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "storage/sqlite/gpkg_blob.hpp"

namespace nongsan::storage {

namespace {

DbError make_error(sqlite3* db, int rc, std::string_view context) {
  int ext = sqlite3_extended_errcode(db);
  std::string msg = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  DbError::Kind kind = DbError::Kind::other;
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) kind = DbError::Kind::unique_violation;
  else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) kind = DbError::Kind::foreign_key_violation;
  else if ((rc & 0xFF) == SQLITE_CONSTRAINT) kind = DbError::Kind::constraint_violation;
  else if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) kind = DbError::Kind::busy;
  // ENOSPC (or a short write) on the database or its write-ahead log is SQLITE_FULL.
  else if ((rc & 0xFF) == SQLITE_FULL) kind = DbError::Kind::disk_full;
  return DbError(kind, msg);
}

// SQL functions GeoPackage R-tree triggers call (GeoPackage 1.3, F.3). GDAL and QGIS
// register them when they open the file; we must too, or writes to an indexed
// table fail with "no such function".
void gpkg_bound(sqlite3_context* ctx, int, sqlite3_value** argv, int which) {
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
    sqlite3_result_null(ctx);
    return;
  }
  auto* p = static_cast<const std::uint8_t*>(sqlite3_value_blob(argv[0]));
  std::span<const std::uint8_t> b(p, static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
  try {
    auto env = sqlite::gpkg_envelope(b);
    if (which == 4) {
      sqlite3_result_int(ctx, env ? 0 : 1);
      return;
    }
    if (!env) {
      sqlite3_result_null(ctx);
      return;
    }
    double v = which == 0 ? env->min_x : which == 1 ? env->max_x : which == 2 ? env->min_y : env->max_y;
    sqlite3_result_double(ctx, v);
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  }
}
template <int Which>
void gpkg_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  gpkg_bound(ctx, argc, argv, Which);
}

void register_gpkg_functions(sqlite3* db) {
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function(db, "ST_MinX", 1, flags, nullptr, gpkg_fn<0>, nullptr, nullptr);
  sqlite3_create_function(db, "ST_MaxX", 1, flags, nullptr, gpkg_fn<1>, nullptr, nullptr);
  sqlite3_create_function(db, "ST_MinY", 1, flags, nullptr, gpkg_fn<2>, nullptr, nullptr);
  sqlite3_create_function(db, "ST_MaxY", 1, flags, nullptr, gpkg_fn<3>, nullptr, nullptr);
  sqlite3_create_function(db, "ST_IsEmpty", 1, flags, nullptr, gpkg_fn<4>, nullptr, nullptr);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      auto err = make_error(db_, rc, "open " + path);
      sqlite3_close(db_);
      throw err;
    }
    sqlite3_busy_timeout(db_, 15000);
    sqlite3_extended_result_codes(db_, 1);
    register_gpkg_functions(db_);
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;"
        // Reads map the file rather than copy each page through pread into every
        // connection's own cache: a page of parcels spent a third of its time there.
        "PRAGMA mmap_size=268435456;");
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Backend backend() const override { return Backend::sqlite; }
  sqlite3* handle() { return db_; }

  ResultSet query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    ResultSet rs;
    int n = sqlite3_column_count(stmt);
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < n; ++i) names->emplace_back(sqlite3_column_name(stmt, i));
    rs.columns = names;
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        auto err = make_error(db_, rc, "query");
        sqlite3_reset(stmt);
        throw err;
      }
      std::vector<Value> values;
      values.reserve(n);
      for (int i = 0; i < n; ++i) values.push_back(column(stmt, i));
      rs.rows.emplace_back(rs.columns, std::move(values));
    }
    sqlite3_reset(stmt);
    return rs;
  }

  std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
      auto err = make_error(db_, rc, "execute");
      sqlite3_reset(stmt);
      throw err;
    }
    sqlite3_reset(stmt);
    return sqlite3_changes64(db_);
  }

  void execute_script(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      // COMMIT runs here too: a full disk found at commit must say so (507, not 503).
      throw DbError((rc & 0xFF) == SQLITE_FULL ? DbError::Kind::disk_full : DbError::Kind::other, "script: " + msg);
    }
  }

  void begin(bool immediate) override { execute_script(immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void commit() override {
    execute_script("COMMIT");
    note_commit();
  }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql, const std::vector<Value>& params) {
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    if (auto it = cache_.find(key); it != cache_.end()) {
      stmt = it->second;
      sqlite3_clear_bindings(stmt);
    } else {
      int rc = sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr);
      if (rc != SQLITE_OK) throw make_error(db_, rc, "prepare '" + key.substr(0, 120) + "'");
      if (cache_.size() > 256) {
        for (auto& [s, st] : cache_) sqlite3_finalize(st);
        cache_.clear();
      }
      cache_.emplace(key, stmt);
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      throw DbError(DbError::Kind::other, "parameter count mismatch for '" + key.substr(0, 120) + "'");
    for (std::size_t i = 0; i < params.size(); ++i) bind(stmt, static_cast<int>(i + 1), params[i]);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, int idx, const Value& v) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(v)) rc = sqlite3_bind_null(stmt, idx);
    else if (auto p = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(stmt, idx, *p);
    else if (auto p = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, idx, *p);
    else if (auto p = std::get_if<std::string>(&v))
      rc = sqlite3_bind_text64(stmt, idx, p->data(), p->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    else if (auto p = std::get_if<Blob>(&v))
      rc = sqlite3_bind_blob64(stmt, idx, p->bytes.data(), p->bytes.size(), SQLITE_TRANSIENT);
    else if (auto p = std::get_if<Geometry>(&v)) {
      auto blob = sqlite::encode_gpkg(*p);
      rc = sqlite3_bind_blob64(stmt, idx, blob.data(), blob.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) throw make_error(db_, rc, "bind");
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(stmt, i);
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT:
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      case SQLITE_BLOB: {
        auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
        std::span<const std::uint8_t> b(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
        if (sqlite::looks_like_gpkg(b)) return sqlite::decode_gpkg(b);
        return Blob{std::vector<std::uint8_t>(b.begin(), b.end())};
      }
      default: return Null{};
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database, public DataVersionSource {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {
    auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    bool is_new = !std::filesystem::exists(path_);
    idle_.push_back(std::make_unique<SqliteConnection>(path_));  // fail fast on a bad path
    // Password hashes and personal data live here: readable by the owner only (SQLite
    // gives its -wal and -shm files the same mode).
    if (is_new) std::filesystem::permissions(path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  Backend backend() const override { return Backend::sqlite; }
  std::string describe() const override { return "sqlite:" + path_; }

  std::shared_ptr<Connection> connect() override {
    std::unique_ptr<SqliteConnection> conn;
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) conn = std::make_unique<SqliteConnection>(path_);
    auto* raw = conn.release();
    return std::shared_ptr<Connection>(raw, [this](Connection* c) {
      auto* sc = static_cast<SqliteConnection*>(c);
      sc->rollback();  // never return a connection with an open transaction
      std::lock_guard lock(mu_);
      if (idle_.size() < 16) idle_.emplace_back(sc);
      else delete sc;
    });
  }

  // PRAGMA data_version on a connection of its own that never writes: it changes
  // whenever any other connection, of this process or another (`nongsan import` while
  // the server runs), committed since it was last asked.
  std::optional<DataVersion> data_version() override {
    std::lock_guard lock(version_mu_);
    const std::uint64_t local = local_commits();
    if (!version_conn_) version_conn_ = std::make_unique<SqliteConnection>(path_);
    const std::int64_t external = version_conn_->scalar_i64("PRAGMA data_version");
    return DataVersion{local, static_cast<std::uint64_t>(external)};
  }

  BackupResult backup(const std::string& path) override {
    auto conn = connect();
    auto* src = static_cast<SqliteConnection*>(conn.get())->handle();
    std::filesystem::remove(path);
    sqlite3* dst = nullptr;
    if (sqlite3_open(path.c_str(), &dst) != SQLITE_OK) {
      auto err = make_error(dst, SQLITE_CANTOPEN, "open backup " + path);
      sqlite3_close(dst);
      throw err;
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    copy(src, dst, "backup");
    sqlite3_close(dst);
    return {path, static_cast<std::int64_t>(std::filesystem::file_size(path))};
  }

  void restore(const std::string& path) override {
    if (!std::filesystem::exists(path)) throw DbError(DbError::Kind::other, "backup file not found: " + path);
    sqlite3* src = nullptr;
    if (sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      auto err = make_error(src, SQLITE_CANTOPEN, "open backup " + path);
      sqlite3_close(src);
      throw err;
    }
    {
      std::lock_guard lock(mu_);
      idle_.clear();
    }
    auto conn = connect();
    copy(src, static_cast<SqliteConnection*>(conn.get())->handle(), "restore");
    sqlite3_close(src);
    note_commit();  // every page may have changed
  }

 private:
  static void copy(sqlite3* src, sqlite3* dst, const char* what) {
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) throw make_error(dst, SQLITE_ERROR, what);
    int rc;
    // All pages in one step, inside one read transaction: in WAL mode that reads one
    // consistent snapshot while writers on other connections go on committing. Copying
    // in small steps instead lets every write by another connection restart the copy,
    // so a busy server could keep a large database from ever being backed up.
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      sqlite3_sleep(rc == SQLITE_OK ? 0 : 20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw make_error(dst, rc, what);
  }

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::mutex version_mu_;
  std::unique_ptr<SqliteConnection> version_conn_;  // asked for data_version only
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) { return std::make_unique<SqliteDatabase>(path); }

}  // namespace nongsan::storage
