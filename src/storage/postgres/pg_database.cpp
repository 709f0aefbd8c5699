#include "storage/postgres/pg_database.hpp"

#include "storage/data_version.hpp"

#include <fcntl.h>
#include <poll.h>
#include <libpq-fe.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "storage/postgres/pg_codec.hpp"
#include "storage/statement_log.hpp"

extern char** environ;

namespace nongsan::storage {

namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;
struct ConninfoFreer {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

// Built-in type OIDs (src/include/catalog/pg_type.dat; fixed across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kNameOid = 19;
constexpr Oid kTextOid = 25;
constexpr Oid kUnknownOid = 705;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;
constexpr Oid kDateOid = 1082;
constexpr Oid kFirstNormalObjectId = 16384;  // below: built in; above: extensions and users

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

DbError::Kind kind_for_sqlstate(std::string_view state) {
  // Class 08: connection exceptions; 57P01..57P03: the server is shutting down,
  // crashed or is starting up (a restart under a running nongsan).
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return DbError::Kind::unavailable;
  if (state == "23505") return DbError::Kind::unique_violation;
  if (state == "23503") return DbError::Kind::foreign_key_violation;
  if (state.starts_with("23")) return DbError::Kind::constraint_violation;
  if (state == "40001" || state == "40P01" || state == "55P03") return DbError::Kind::busy;
  return DbError::Kind::other;
}

DbError make_error(PGconn* conn, const PGresult* res, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary) {
    msg += primary;
    // The detail of a constraint violation repeats the row's values ("Key (citizen_id_hash)=(...)",
    // "Failing row contains ..."): personal data that must not travel into logs.
    const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (detail && !(state && std::string_view(state).starts_with("23"))) msg += std::string(" (") + detail + ")";
  } else {
    msg += trim(conn ? PQerrorMessage(conn) : "out of memory");
  }
  if (state) msg += std::string(" [SQLSTATE ") + state + "]";
  if (!state && conn && PQstatus(conn) == CONNECTION_BAD) return DbError(DbError::Kind::unavailable, msg);
  return DbError(state ? kind_for_sqlstate(state) : DbError::Kind::other, msg);
}

std::string sql_excerpt(std::string_view sql) {
  return sql.size() <= 120 ? std::string(sql) : std::string(sql.substr(0, 117)) + "...";
}

void ignore_notice(void*, const char*) {}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest text that reads back exactly
  return std::string(buf, r.ptr);
}

double parse_double(std::string_view s) {
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  double d = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec == std::errc::result_out_of_range) return s.starts_with('-') ? -HUGE_VAL : HUGE_VAL;
  if (r.ec != std::errc{}) throw DbError(DbError::Kind::other, "not a number: " + std::string(s));
  return d;
}

// One value in COPY's text format: \\N for NULL; backslash, tab, newline and carriage
// return escaped; bytea and geometry as the hex text their input functions read.
void append_copy_text(std::string& out, const Value& v) {
  if (std::holds_alternative<Null>(v)) {
    out += "\\N";
  } else if (auto p = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*p);
  } else if (auto p = std::get_if<double>(&v)) {
    out += format_double(*p);
  } else if (auto p = std::get_if<std::string>(&v)) {
    if (p->find('\0') != std::string::npos) throw std::runtime_error("text contains a NUL character");
    // Runs of plain characters appended whole: a check run copies in 200,000 traces.
    const char* run = p->data();
    const char* const end = run + p->size();
    for (const char* q = run; q < end; ++q) {
      const char* escaped = nullptr;
      switch (*q) {
        case '\\': escaped = "\\\\"; break;
        case '\t': escaped = "\\t"; break;
        case '\n': escaped = "\\n"; break;
        case '\r': escaped = "\\r"; break;
        default: continue;
      }
      out.append(run, q);
      out += escaped;
      run = q + 1;
    }
    out.append(run, end);
  } else if (auto p = std::get_if<Blob>(&v)) {
    out += "\\" + pg::bytea_hex(p->bytes);  // "\\x…": the backslash escaped for COPY
  } else if (auto p = std::get_if<Geometry>(&v)) {
    out += pg::ewkb_hex(*p);
  }
}

// A row of a binary-format result. Integers and floats arrive in network byte order,
// dates as days since 2000-01-01, text as its bytes, a geometry as EWKB.
class BinaryRowView final : public RowView {
 public:
  BinaryRowView(const PGresult* res, const std::vector<Oid>& types, Oid geometry_oid)
      : res_(res), types_(types), geometry_oid_(geometry_oid) {}
  int row = 0;

  bool is_null(std::size_t i) const override { return PQgetisnull(res_, row, col(i)) != 0; }

  std::int64_t i64(std::size_t i) const override {
    switch (types_[i]) {
      case kInt8Oid: return static_cast<std::int64_t>(be(i, 8));
      case kInt4Oid: return static_cast<std::int32_t>(be(i, 4));
      case kInt2Oid: return static_cast<std::int16_t>(be(i, 2));
      case kBoolOid: return static_cast<std::int64_t>(be(i, 1));
      default: throw wrong(i, "an integer");
    }
  }

  double f64(std::size_t i) const override {
    switch (types_[i]) {
      case kFloat8Oid: return std::bit_cast<double>(be(i, 8));
      case kFloat4Oid: return std::bit_cast<float>(static_cast<std::uint32_t>(be(i, 4)));
      case kInt8Oid:
      case kInt4Oid:
      case kInt2Oid: return static_cast<double>(i64(i));
      default: throw wrong(i, "a number");
    }
  }

  std::string_view text(std::size_t i) const override {
    switch (types_[i]) {
      case kTextOid:
      case kVarcharOid:
      case kBpcharOid:
      case kNameOid:
      case kUnknownOid:
        return {PQgetvalue(res_, row, col(i)), static_cast<std::size_t>(PQgetlength(res_, row, col(i)))};
      default: throw wrong(i, "text");
    }
  }

  CivilDate date(std::size_t i) const override {
    if (types_[i] == kDateOid) {
      constexpr std::int64_t k2000 = 10957;  // days from 1970-01-01 to 2000-01-01
      return CivilDate::from_days(k2000 + static_cast<std::int32_t>(be(i, 4)));
    }
    return date_from_text(text(i), PQfname(res_, col(i)));
  }

  Geometry geometry(std::size_t i) const override {
    if (geometry_oid_ == 0 || types_[i] != geometry_oid_) throw wrong(i, "a geometry");
    const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(res_, row, col(i)));
    try {
      return pg::geometry_from_ewkb({p, static_cast<std::size_t>(PQgetlength(res_, row, col(i)))});
    } catch (const std::exception& e) {
      throw DbError(DbError::Kind::other, std::string("geometry column ") + PQfname(res_, col(i)) + ": " + e.what());
    }
  }

 private:
  static int col(std::size_t i) { return static_cast<int>(i); }
  // The value's `n` bytes, big-endian, as an unsigned integer.
  std::uint64_t be(std::size_t i, int n) const {
    if (PQgetlength(res_, row, col(i)) != n)
      throw DbError(DbError::Kind::other, std::string("column ") + PQfname(res_, col(i)) + ": unexpected value size");
    const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(res_, row, col(i)));
    std::uint64_t v = 0;
    for (int k = 0; k < n; ++k) v = (v << 8) | p[k];
    return v;
  }
  DbError wrong(std::size_t i, std::string_view what) const {
    return DbError(DbError::Kind::other, std::string("column ") + PQfname(res_, col(i)) + " (type " +
                                             std::to_string(types_[i]) + ") is not read as " + std::string(what));
  }

  const PGresult* res_;
  const std::vector<Oid>& types_;
  Oid geometry_oid_;
};

// Restores completed by this process: a connection's cached province (province_code())
// is read again after one.
std::atomic<std::uint64_t> g_restores{0};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url, const std::string& description) {
    conn_.reset(PQconnectdb(url.c_str()));
    if (!conn_) throw DbError(DbError::Kind::other, "connect to " + description + ": out of memory");
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw DbError(DbError::Kind::unavailable, "connect to " + description + ": " + trim(PQerrorMessage(conn_.get())));
    // Notices (e.g. "relation already exists, skipping") are not errors; modules never print.
    PQsetNoticeProcessor(conn_.get(), ignore_notice, nullptr);
    if (PQsetClientEncoding(conn_.get(), "UTF8") != 0)
      throw DbError(DbError::Kind::other, "set client encoding: " + trim(PQerrorMessage(conn_.get())));
    // Dates and timestamps print the same way whatever the server's configuration;
    // extra_float_digits > 0 makes float8 print the shortest exact representation.
    execute_script("SET TIME ZONE 'UTC'; SET DateStyle = ISO; SET bytea_output = hex; SET extra_float_digits = 3");
  }

  Backend backend() const override { return Backend::postgres; }
  PGconn* handle() { return conn_.get(); }
  bool usable() const {
    return PQstatus(conn_.get()) == CONNECTION_OK && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }
  // Whether an idle pooled connection still has a server behind it. An idle
  // connection receives nothing; a server that shut down or restarted sent it a
  // "terminating connection" message and closed it, which libpq learns only by
  // reading (and may see the message before the close). So anything readable on an
  // idle connection means: do not use it. poll() with timeout 0 does not wait.
  bool alive() {
    if (PQstatus(conn_.get()) != CONNECTION_OK) return false;
    pollfd p{PQsocket(conn_.get()), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  ResultSet query(std::string_view sql, const std::vector<Value>& params) override {
    auto res = exec_params(sql, params, "query");
    ResultSet rs;
    int ncols = PQnfields(res.get());
    int nrows = PQntuples(res.get());
    auto names = std::make_shared<std::vector<std::string>>();
    std::vector<Oid> types;
    bool unknown_extension_type = false;
    for (int i = 0; i < ncols; ++i) {
      names->emplace_back(PQfname(res.get(), i));
      types.push_back(PQftype(res.get(), i));
      if (types.back() >= kFirstNormalObjectId && types.back() != geometry_oid_) unknown_extension_type = true;
    }
    // PostGIS may have been installed since this connection looked (by a migration).
    if (unknown_extension_type && geometry_oid_ == 0) lookup_geometry_oid();
    rs.columns = names;
    rs.rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int i = 0; i < ncols; ++i) values.push_back(column(res.get(), r, i, types[static_cast<std::size_t>(i)]));
      rs.rows.emplace_back(rs.columns, std::move(values));
    }
    return rs;
  }

  // The result in PostgreSQL's binary format, read in place: no hex to decode for a
  // geometry (half the bytes on the wire, none of the server's hex encoding), no
  // Value per cell.
  void each_row(std::string_view sql, const std::vector<Value>& params,
                const std::function<void(const RowView&)>& fn) override {
    auto res = exec_params(sql, params, "query", /*result_format=*/1);
    const int ncols = PQnfields(res.get());
    std::vector<Oid> types;
    bool unknown_extension_type = false;
    for (int i = 0; i < ncols; ++i) {
      types.push_back(PQftype(res.get(), i));
      if (types.back() >= kFirstNormalObjectId && types.back() != geometry_oid_) unknown_extension_type = true;
    }
    if (unknown_extension_type && geometry_oid_ == 0) lookup_geometry_oid();
    BinaryRowView view(res.get(), types, geometry_oid_);
    const int nrows = PQntuples(res.get());
    for (int r = 0; r < nrows; ++r) {
      view.row = r;
      fn(view);
    }
  }

  std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override {
    auto res = exec_params(sql, params, "execute");
    std::string_view tuples = PQcmdTuples(res.get());
    std::int64_t n = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

  void execute_script(std::string_view sql) override {
    std::string s(sql);
    StatementLog::note(s);
    ResultPtr res(PQexec(conn_.get(), s.c_str()));
    check(res.get(), "script");
    if (geometry_oid_ == 0 && conn_) lookup_geometry_oid();  // the script may have created PostGIS
  }

  void begin(bool /*immediate*/) override { simple("BEGIN", "begin"); }

  // The province of this connection's rows (postgres_province_code). Read once per
  // connection: the installation's province is fixed when migration 0029
  // runs and never changes under stored rows. A national coordinator, which would set
  // nongsan.province_code per transaction, must set this with it (docs/scale-out.md).
  // Read again after a restore (which may bring another installation's province).
  const std::string& province_code() {
    const auto generation = g_restores.load(std::memory_order_acquire);
    if (!province_code_ || province_generation_ != generation) {
      auto rs = query("SELECT nongsan_province_code() AS code", {});
      province_code_ = rs.rows.at(0).str("code");
      province_generation_ = generation;
    }
    return *province_code_;
  }

  void commit() override {
    auto res = simple("COMMIT", "commit");
    // COMMIT of a transaction in which a statement failed succeeds but rolls back.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK")
      throw DbError(DbError::Kind::other, "commit: the transaction had failed and was rolled back");
    note_commit();
  }

  void rollback() override {
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) ResultPtr(PQexec(conn_.get(), "ROLLBACK"));
  }

  // COPY … FROM STDIN in the text format: one round trip and no statement to parse per
  // row (a check run stores 200,000 amounts with their traces).
  std::int64_t insert_rows(std::string_view table, const std::vector<std::string>& columns,
                           const std::vector<std::vector<Value>>& rows) override {
    if (columns.empty() || rows.empty()) return 0;
    std::string sql = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += ") FROM STDIN";
    StatementLog::note(sql);
    ResultPtr start(PQexec(conn_.get(), sql.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
      check(start.get(), "copy into " + std::string(table));
      throw DbError(DbError::Kind::other, "copy into " + std::string(table) + ": the server did not start the copy");
    }
    std::string buf;
    std::string failure;
    auto flush = [&] {
      if (!buf.empty() && PQputCopyData(conn_.get(), buf.data(), static_cast<int>(buf.size())) != 1)
        failure = trim(PQerrorMessage(conn_.get()));
      buf.clear();
    };
    for (std::size_t r = 0; r < rows.size() && failure.empty(); ++r) {
      if (rows[r].size() != columns.size()) {
        failure = "row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) + " values for " +
                  std::to_string(columns.size()) + " columns";
        break;
      }
      for (std::size_t i = 0; i < columns.size() && failure.empty(); ++i) {
        if (i) buf += '\t';
        try {
          append_copy_text(buf, rows[r][i]);
        } catch (const std::exception& e) {
          failure = "row " + std::to_string(r + 1) + ", column " + columns[i] + ": " + e.what();
        }
      }
      buf += '\n';
      if (buf.size() >= (1u << 20)) flush();
    }
    if (failure.empty()) flush();
    // Ending with an error message makes the server abandon the copy: nothing is written.
    if (PQputCopyEnd(conn_.get(), failure.empty() ? nullptr : failure.c_str()) != 1 && failure.empty())
      failure = trim(PQerrorMessage(conn_.get()));
    ResultPtr end(PQgetResult(conn_.get()));
    while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
    if (!failure.empty()) throw DbError(DbError::Kind::other, "copy into " + std::string(table) + ": " + failure);
    check(end.get(), "copy into " + std::string(table));
    std::int64_t n = 0;
    std::string_view tuples = PQcmdTuples(end.get());
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

 private:
  void check(const PGresult* res, std::string_view context) {
    auto st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
    if (res && (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH))
      throw DbError(DbError::Kind::other, std::string(context) + ": COPY is not supported through this interface");
    throw make_error(conn_.get(), res, context);
  }

  ResultPtr simple(const char* sql, std::string_view context) {
    ResultPtr res(PQexec(conn_.get(), sql));
    check(res.get(), context);
    return res;
  }

  ResultPtr exec_params(std::string_view sql, const std::vector<Value>& params, std::string_view context,
                        int result_format = 0) {
    std::size_t placeholders = 0;
    std::string text = pg::rewrite_placeholders(sql, placeholders);
    StatementLog::note(text);
    if (placeholders != params.size())
      throw DbError(DbError::Kind::other, "parameter count mismatch for '" + sql_excerpt(sql) + "': " +
                                              std::to_string(placeholders) + " placeholders, " +
                                              std::to_string(params.size()) + " values");
    // Integers and doubles are typed so that they come back as numbers even in a
    // select list; text and NULL stay untyped (0) so that the server infers dates,
    // enums and the like from the context, as SQLite's dynamic typing does.
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<Null>(v)) continue;
      if (auto p = std::get_if<std::int64_t>(&v)) {
        storage[i] = std::to_string(*p);
        types[i] = kInt8Oid;
      } else if (auto p = std::get_if<double>(&v)) {
        storage[i] = format_double(*p);
        types[i] = kFloat8Oid;
      } else if (auto p = std::get_if<std::string>(&v)) {
        // Text parameters travel as C strings, and PostgreSQL text cannot hold NUL anyway.
        if (p->find('\0') != std::string::npos)
          throw DbError(DbError::Kind::other, "parameter " + std::to_string(i + 1) + ": text contains a NUL character");
        storage[i] = *p;
      } else if (auto p = std::get_if<Blob>(&v)) {
        storage[i] = pg::bytea_hex(p->bytes);
        types[i] = kByteaOid;
      } else if (auto p = std::get_if<Geometry>(&v)) {
        try {
          storage[i] = pg::ewkb_hex(*p);
        } catch (const std::exception& e) {
          throw DbError(DbError::Kind::other, "parameter " + std::to_string(i + 1) + ": " + e.what());
        }
        types[i] = geometry_oid_;
      }
      values[i] = storage[i].c_str();
    }
    ResultPtr res(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(params.size()), types.data(),
                               values.data(), nullptr, nullptr, result_format));
    auto st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      check(res.get(), std::string(context) + " '" + sql_excerpt(sql) + "'");
    return res;
  }

  Value column(const PGresult* res, int row, int col, Oid type) const {
    if (PQgetisnull(res, row, col)) return Null{};
    std::string_view text(PQgetvalue(res, row, col), static_cast<std::size_t>(PQgetlength(res, row, col)));
    switch (type) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid: {
        std::int64_t v = 0;
        std::from_chars(text.data(), text.data() + text.size(), v);
        return v;
      }
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return parse_double(text);
      case kBoolOid:
        return std::int64_t{text == "t" ? 1 : 0};
      case kByteaOid:
        try {
          return Blob{pg::from_bytea_hex(text)};
        } catch (const std::exception& e) {
          throw DbError(DbError::Kind::other, std::string("bytea column ") + PQfname(res, col) + ": " + e.what());
        }
      default:
        break;
    }
    if (type == geometry_oid_ && geometry_oid_ != 0) {
      try {
        return pg::geometry_from_ewkb_hex(text);
      } catch (const std::exception& e) {
        throw DbError(DbError::Kind::other, std::string("geometry column ") + PQfname(res, col) + ": " + e.what());
      }
    }
    return std::string(text);  // text, varchar, date ('YYYY-MM-DD' under DateStyle ISO), ...
  }

  void lookup_geometry_oid() {
    ResultPtr res(PQexec(conn_.get(), "SELECT oid FROM pg_catalog.pg_type WHERE typname = 'geometry' LIMIT 1"));
    if (res && PQresultStatus(res.get()) == PGRES_TUPLES_OK && PQntuples(res.get()) == 1)
      geometry_oid_ = static_cast<Oid>(std::strtoul(PQgetvalue(res.get(), 0, 0), nullptr, 10));
  }

  ConnPtr conn_;
  Oid geometry_oid_ = 0;  // 0 while PostGIS is not installed
  std::optional<std::string> province_code_;  // province_code(): read once per restore generation
  std::uint64_t province_generation_ = 0;
};

// ---- Subprocesses for pg_dump / pg_restore / psql -------------------------------

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    reset();
    fd = std::exchange(o.fd, -1);
    return *this;
  }
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

std::pair<Fd, Fd> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) throw DbError(DbError::Kind::other, std::string("pipe: ") + std::strerror(errno));
  return {Fd(p[0]), Fd(p[1])};
}

std::pair<Fd, Fd> make_socketpair() {
  int p[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0)
    throw DbError(DbError::Kind::other, std::string("socketpair: ") + std::strerror(errno));
  return {Fd(p[0]), Fd(p[1])};
}

// Copies `from` to the socket `to` until end of input; false if the reader went away.
bool forward(int from, int to) {
  char buf[65536];
  while (true) {
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::send(to, buf + done, static_cast<std::size_t>(n - done), MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      done += w;
    }
  }
}

// An anonymous temporary file that children write their stderr to: read after
// they exit, it cannot fill up and block them as a pipe could.
struct ErrorLog {
  Fd fd;
  ErrorLog() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nongsan-pg-err-XXXXXX").string();
    fd = Fd(::mkostemp(tmpl.data(), O_CLOEXEC));
    if (fd.fd < 0) throw DbError(DbError::Kind::other, std::string("temporary file: ") + std::strerror(errno));
    ::unlink(tmpl.c_str());
  }
  std::string text() const {
    std::string out;
    char buf[4096];
    ssize_t n;
    for (off_t at = 0; (n = ::pread(fd.fd, buf, sizeof buf, at)) > 0; at += n) out.append(buf, static_cast<std::size_t>(n));
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out.size() > 4000 ? out.substr(0, 4000) + "..." : out;
  }
};

// Starts `argv` (argv[0] an absolute path) with the given environment; -1 for an
// fd means /dev/null. Never goes through a shell.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, int in, int out, int err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  auto redirect = [&](int fd, int target, int flags) {
    if (fd >= 0) posix_spawn_file_actions_adddup2(&fa, fd, target);
    else posix_spawn_file_actions_addopen(&fa, target, "/dev/null", flags, 0);
  };
  redirect(in, 0, O_RDONLY);
  redirect(out, 1, O_WRONLY);
  redirect(err, 2, O_WRONLY);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw DbError(DbError::Kind::other, "cannot run " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

// Exit status, or 128 + signal number.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  return out;
}

// A temporary file removed when this goes out of scope.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& contents) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nongsan-pg-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw DbError(DbError::Kind::other, std::string("temporary file: ") + std::strerror(errno));
    path = tmpl;
    Fd guard(fd);
    std::size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw DbError(DbError::Kind::other, std::string("temporary file: ") + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

std::string quote_conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The drop statements that empty a schema before a restore, in SQL. A schema other
// than public is dropped whole (the dump recreates it); public itself stays, and
// everything in it that no extension owns is dropped; rows users added to
// extension configuration tables (PostGIS spatial_ref_sys) are deleted because the
// dump holds exactly those rows.
std::string empty_schema_sql(PGconn* conn, const std::string& schema) {
  auto escape = [&](const std::string& s, bool identifier) {
    char* p = identifier ? PQescapeIdentifier(conn, s.data(), s.size()) : PQescapeLiteral(conn, s.data(), s.size());
    if (!p) throw DbError(DbError::Kind::other, "escape: " + trim(PQerrorMessage(conn)));
    std::string out(p);
    PQfreemem(p);
    return out;
  };
  // A session of this process still holding locks would otherwise make the restore wait forever.
  std::string sql = "SET client_min_messages = warning;\nSET lock_timeout = '60s';\n";
  if (schema != "public") return sql + "DROP SCHEMA IF EXISTS " + escape(schema, true) + " CASCADE;\n";
  std::string ns = escape(schema, false) + "::regnamespace";
  return sql + R"(DO $nongsan_restore$
DECLARE r record;
BEGIN
  FOR r IN SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
                  format('%I.%I', n.nspname, c.relname) AS name
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relnamespace = )" +
         ns + R"( AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 0 WHEN 'S' THEN 2 ELSE 1 END
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
  FOR r IN SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS name
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.pronamespace = )" +
         ns + R"( AND p.prokind IN ('f', 'p')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.name);
  END LOOP;
  FOR r IN SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind,
                  format('%I.%I', n.nspname, t.typname) AS name
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typnamespace = )" +
         ns + R"( AND t.typtype IN ('c', 'd', 'e', 'r', 'm')
              AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                                AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
  FOR r IN SELECT format('%I.%I', n.nspname, c.relname) AS name, e.extcondition[i] AS cond
             FROM pg_extension e, generate_subscripts(e.extconfig, 1) AS i, pg_class c, pg_namespace n
            WHERE c.oid = e.extconfig[i] AND n.oid = c.relnamespace AND c.relkind = 'r'
              AND c.relnamespace = )" +
         ns + R"(
  LOOP
    EXECUTE format('DELETE FROM %s %s', r.name, coalesce(r.cond, ''));
  END LOOP;
END
$nongsan_restore$;
)";
}

// Keeps the table of contents of a dump except extensions and comments on them:
// PostGIS stays installed through a restore, and commenting on an extension needs
// its owner, which the application role need not be.
std::string filter_toc(const std::string& toc) {
  std::istringstream in(toc);
  std::string line, out;
  while (std::getline(in, line)) {
    auto semi = line.find(';');
    if (!line.starts_with(';') && semi != std::string::npos) {
      // "<id>; <catalog oid> <oid> <DESC> <schema> <name> <owner>"
      std::istringstream fields(line.substr(semi + 1));
      std::string catalog, oid;
      fields >> catalog >> oid;
      std::string rest;
      std::getline(fields, rest);
      rest.erase(0, rest.find_first_not_of(' '));
      if (rest.starts_with("EXTENSION ") || rest.starts_with("COMMENT - EXTENSION ")) continue;
    }
    out += line;
    out += '\n';
  }
  return out;
}

// "postgresql://user@host:port/db" of a URL, without its password (for messages).
std::string describe_url(const std::string& url) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoFreer> opts(PQconninfoParse(url.c_str(), &err));
  if (!opts) {
    std::string msg = err ? trim(err) : "out of memory";
    PQfreemem(err);
    throw DbError(DbError::Kind::other, "invalid PostgreSQL URL: " + msg);
  }
  std::string host, port, user, dbname;
  for (auto* o = opts.get(); o->keyword; ++o) {
    if (!o->val) continue;
    std::string key = o->keyword;
    if (key == "host" || (key == "hostaddr" && host.empty())) host = o->val;
    if (key == "port") port = o->val;
    if (key == "user") user = o->val;
    if (key == "dbname") dbname = o->val;
  }
  return "postgresql://" + (user.empty() ? "" : user + "@") + (host.empty() ? "localhost" : host) +
         (port.empty() ? "" : ":" + port) + "/" + dbname;
}

// The WAL position a query returns as bytes from 0/0 (pg_lsn as a number).
std::int64_t lsn_of(Connection& c, const char* sql) {
  auto rs = c.query(sql);
  if (rs.empty() || std::holds_alternative<Null>(rs.rows[0].at(0))) return 0;
  return rs.rows[0].i64(std::size_t{0});
}

// Idle connections to one server.
class Pool {
 public:
  Pool(std::string url, std::string description) : url_(std::move(url)), description_(std::move(description)) {}
  const std::string& description() const { return description_; }

  // An idle connection that still has a server behind it, or a new one (which throws
  // DbError::Kind::unavailable when the server cannot be reached).
  std::unique_ptr<PgConnection> take() {
    std::unique_ptr<PgConnection> conn;
    {
      std::lock_guard lock(mu_);
      while (!conn && !idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    // Checked outside the lock; a dead one (the server restarted meanwhile) is dropped,
    // and so are the others: they died with it.
    if (conn && !conn->alive()) {
      conn.reset();
      std::lock_guard lock(mu_);
      idle_.clear();
    }
    if (!conn) conn = std::make_unique<PgConnection>(url_, description_);
    return conn;
  }
  void put(std::unique_ptr<PgConnection> conn) {
    conn->rollback();  // never keep a connection with an open transaction
    std::lock_guard lock(mu_);
    if (conn->usable() && idle_.size() < 16) idle_.push_back(std::move(conn));
  }

 private:
  std::string url_, description_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

class PgDatabase final : public Database, public DataVersionSource {
 public:
  explicit PgDatabase(std::string url, ReplicaOptions replica) : url_(std::move(url)), replica_options_(std::move(replica)) {
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, ConninfoFreer> opts(PQconninfoParse(url_.c_str(), &err));
    if (!opts) {
      std::string msg = err ? trim(err) : "out of memory";
      PQfreemem(err);
      throw DbError(DbError::Kind::other, "invalid PostgreSQL URL: " + msg);
    }
    std::string host, port, user, dbname;
    for (auto* o = opts.get(); o->keyword; ++o) {
      if (!o->val) continue;
      std::string key = o->keyword, val = o->val;
      if (key == "password") {
        password_ = val;
        continue;
      }
      if (key == "host" || (key == "hostaddr" && host.empty())) host = val;
      if (key == "port") port = val;
      if (key == "user") user = val;
      if (key == "dbname") dbname = val;
      tool_conninfo_ += (tool_conninfo_.empty() ? "" : " ") + key + "=" + quote_conninfo_value(val);
    }
    description_ = "postgresql://" + (user.empty() ? "" : user + "@") + (host.empty() ? "localhost" : host) +
                   (port.empty() ? "" : ":" + port) + "/" + dbname;
    auto first = std::make_unique<PgConnection>(url_, description_);  // fail fast on a bad URL
    std::string schema = current_schema(*first);
    if (schema != "public") description_ += " (schema " + schema + ")";
    server_major_ = PQserverVersion(first->handle()) / 10000;
    primary_ = std::make_unique<Pool>(url_, description_);
    primary_->put(std::move(first));
    if (!replica_options_.url.empty()) {
      replica_ = std::make_unique<Pool>(replica_options_.url, describe_url(replica_options_.url));
      state_ = "in_use";
    }
  }

  Backend backend() const override { return Backend::postgres; }
  std::string describe() const override { return description_; }

  std::shared_ptr<Connection> connect() override { return borrow_primary(/*note_write=*/replica_ != nullptr); }

  // Read-your-own-writes (docs/adr/0016-replica-reads.md): the replica serves a read
  // only when it has replayed past the primary's WAL position after the last write
  // this process made, is not paused, and is no further behind the primary than
  // max_lag_bytes. Otherwise the primary serves it. One query on the replica per read
  // checks this, so a replica that stopped or paused is noticed at the next read.
  std::shared_ptr<Connection> connect_for_read() override {
    if (!replica_) return connect();
    if (auto conn = try_replica()) {
      reads_replica_.fetch_add(1);
      return conn;
    }
    reads_primary_.fetch_add(1);
    return borrow_primary(/*note_write=*/false);
  }

  // The WAL insert position moves with every commit of any session (a commit record
  // is inserted before the transaction becomes visible), so a position unchanged
  // since an answer was computed means no commit came between. One round trip per
  // call. With a replica serving reads, what a read sees may lag behind the primary's
  // position: no version then (docs/adr/0017-read-cache.md).
  std::optional<DataVersion> data_version() override {
    if (replica_) return std::nullopt;
    const std::uint64_t local = local_commits();
    auto conn = borrow_primary(/*note_write=*/false);
    const std::int64_t lsn = conn->scalar_i64("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint");
    return DataVersion{local, static_cast<std::uint64_t>(lsn)};
  }

  ReplicaStatus replica_status() override {
    ReplicaStatus s;
    if (!replica_) return s;
    std::lock_guard lock(state_mu_);
    s.state = state_;
    s.reason = reason_;
    s.lag_bytes = lag_bytes_;
    s.reads_replica = reads_replica_.load();
    s.reads_primary = reads_primary_.load();
    return s;
  }

  BackupResult backup(const std::string& path) override {
    std::string schema = read([](Connection& c) { return current_schema(c); });
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    // Written beside the target and renamed, so that a failed dump leaves no file
    // that looks like a backup.
    std::string partial = path + ".partial";
    // Readable by the owner only, like the database itself: it holds personal data.
    Fd created(::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (created.fd < 0)
      throw DbError(DbError::Kind::other, "cannot write " + partial + ": " + std::strerror(errno));
    created.reset();
    std::vector<std::string> args = {tool("pg_dump"), "--format=custom", "--no-password", "--file=" + partial};
    if (schema != "public") args.push_back("--schema=" + quoted_pattern(schema));
    args.push_back("--dbname=" + tool_conninfo_);
    ErrorLog log;
    int rc = wait_for(spawn(args, tool_env(), -1, -1, log.fd.fd));
    if (rc != 0) {
      std::error_code ec;
      std::filesystem::remove(partial, ec);
      throw DbError(DbError::Kind::other, "pg_dump failed (exit " + std::to_string(rc) + "): " + log.text());
    }
    std::filesystem::rename(partial, path);
    return {path, static_cast<std::int64_t>(std::filesystem::file_size(path))};
  }

  void restore(const std::string& path) override {
    if (!std::filesystem::exists(path)) throw DbError(DbError::Kind::other, "backup file not found: " + path);
    std::string prefix;
    {
      auto conn = connect();
      auto& pc = static_cast<PgConnection&>(*conn);
      prefix = empty_schema_sql(pc.handle(), current_schema(pc));
    }
    std::string pg_restore = tool("pg_restore"), psql = tool("psql");  // before anything is started
    auto env = tool_env();
    ErrorLog log;

    // The table of contents, without extensions (see filter_toc).
    std::string toc;
    {
      auto [out_r, out_w] = make_pipe();
      pid_t pid = spawn({pg_restore, "--list", path}, env, -1, out_w.fd, log.fd.fd);
      out_w.reset();
      toc = read_all(out_r.fd);
      if (int rc = wait_for(pid); rc != 0)
        throw DbError(DbError::Kind::other, "pg_restore --list " + path + " failed (exit " + std::to_string(rc) +
                                                "): " + log.text());
    }
    TempFile list(filter_toc(toc));

    // pg_restore turns the archive into SQL, which we pass on to psql; psql runs
    // the drops and the script in one transaction. psql commits only when its
    // input ends, so if pg_restore fails we kill psql first and the server rolls
    // everything back: the database is then as it was before.
    auto [sql_r, sql_w] = make_pipe();
    pid_t restorer = spawn({pg_restore, "--no-owner", "--use-list=" + list.path, "--file=-", path}, env, -1,
                           sql_w.fd, log.fd.fd);
    sql_w.reset();
    auto [feed_r, feed_w] = make_socketpair();  // a socket, so that writing to a dead psql is EPIPE, not SIGPIPE
    pid_t runner = spawn({psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
                          "--single-transaction", "--command=" + prefix, "--file=-", "--dbname=" + tool_conninfo_},
                         env, feed_r.fd, -1, log.fd.fd);
    feed_r.reset();
    bool fed = forward(sql_r.fd, feed_w.fd);
    sql_r.reset();  // a pg_restore still writing gets SIGPIPE and stops
    int restore_rc = wait_for(restorer);
    if (restore_rc != 0 || !fed) ::kill(runner, SIGKILL);
    feed_w.reset();
    int run_rc = wait_for(runner);
    if (restore_rc != 0 || run_rc != 0 || !fed)
      throw DbError(DbError::Kind::other, "restore from " + path + " failed, database unchanged (pg_restore exit " +
                                              std::to_string(restore_rc) + ", psql exit " + std::to_string(run_rc) +
                                              "): " + log.text());
    g_restores.fetch_add(1, std::memory_order_release);
  }

 private:
  static std::string current_schema(Connection& c) {
    auto rs = c.query("SELECT current_schema() AS s");
    if (rs.empty() || rs.rows[0].is_null("s"))
      throw DbError(DbError::Kind::other, "no schema of the search_path exists");
    return rs.rows[0].str("s");
  }

  // A pg_dump pattern that matches exactly this name (quoted: no case folding, no wildcards).
  static std::string quoted_pattern(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
      out += c;
      if (c == '"') out += '"';
    }
    return out + "\"";
  }

  // The client tools of the server's major version (a pg_dump older than the
  // server refuses to dump), else whatever is on PATH.
  std::string tool(const std::string& name) const {
    std::vector<std::string> candidates = {"/usr/lib/postgresql/" + std::to_string(server_major_) + "/bin/" + name};
    if (const char* path = std::getenv("PATH")) {
      std::string_view p(path);
      while (!p.empty()) {
        auto colon = p.find(':');
        std::string dir(p.substr(0, colon));
        if (!dir.empty()) candidates.push_back(dir + "/" + name);
        if (colon == std::string_view::npos) break;
        p.remove_prefix(colon + 1);
      }
    }
    candidates.push_back("/usr/lib/postgresql/15/bin/" + name);
    for (const auto& c : candidates)
      if (::access(c.c_str(), X_OK) == 0) return c;
    throw DbError(DbError::Kind::other, name + " not found (install postgresql-client-" +
                                            std::to_string(server_major_) + ")");
  }

  // The process environment, with the password (if the URL has one) in PGPASSWORD
  // rather than on a command line that `ps` shows.
  std::vector<std::string> tool_env() const {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
      std::string_view kv(*e);
      if (!password_.empty() && kv.starts_with("PGPASSWORD=")) continue;
      env.emplace_back(kv);
    }
    if (!password_.empty()) env.push_back("PGPASSWORD=" + password_);
    return env;
  }

  std::shared_ptr<Connection> borrow_primary(bool note_write) {
    auto* raw = primary_->take().release();
    return std::shared_ptr<Connection>(raw, [this, note_write](Connection* c) {
      std::unique_ptr<PgConnection> pc(static_cast<PgConnection*>(c));
      pc->rollback();
      // Whatever this connection committed ends at or before the WAL insert position
      // now. Not pg_current_wal_lsn(): that is the position written out, which under
      // synchronous_commit = off can lag behind a commit already acknowledged.
      if (note_write && pc->usable()) {
        try {
          std::int64_t lsn = lsn_of(*pc, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
          std::int64_t seen = last_write_lsn_.load();
          while (lsn > seen && !last_write_lsn_.compare_exchange_weak(seen, lsn)) {
          }
        } catch (const DbError&) {
          // The connection failed after the write: the next read of the replica is
          // judged by the previous position; the pool drops this connection.
        }
      }
      primary_->put(std::move(pc));
    });
  }

  // A replica connection fit to serve a read now, or nullptr (the state says why).
  std::shared_ptr<Connection> try_replica() {
    auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(state_mu_);
      if (state_ == "down" && now < retry_at_) return nullptr;
    }
    std::unique_ptr<PgConnection> conn;
    std::int64_t replayed = 0;
    bool in_recovery = false, paused = false;
    try {
      conn = replica_->take();
      auto rs = conn->query(
          "SELECT pg_is_in_recovery() AS standby, coalesce(pg_is_wal_replay_paused(), false) AS paused, "
          "coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), 0)::bigint AS replayed",
          {});
      in_recovery = rs.rows.at(0).i64("standby") != 0;
      paused = rs.rows.at(0).i64("paused") != 0;
      replayed = rs.rows.at(0).i64("replayed");
    } catch (const DbError& e) {
      set_state("down", std::string("cannot read from the replica: ") + e.what(), 0, now);
      return nullptr;
    }
    std::int64_t primary_lsn = primary_position(now);
    std::int64_t lag = std::max<std::int64_t>(0, primary_lsn - replayed);
    if (!in_recovery) {
      set_state("not_standby", replica_->description() + " is not in recovery (promoted?); reads stay on the primary",
                lag, now);
      replica_->put(std::move(conn));
      return nullptr;
    }
    if (paused) {
      set_state("paused", "WAL replay is paused on " + replica_->description(), lag, now);
      replica_->put(std::move(conn));
      return nullptr;
    }
    if (lag > replica_options_.max_lag_bytes) {
      set_state("behind",
                std::to_string(lag) + " bytes of WAL behind the primary (allowed " +
                    std::to_string(replica_options_.max_lag_bytes) + ")",
                lag, now);
      replica_->put(std::move(conn));
      return nullptr;
    }
    set_state("in_use", "", lag, now);
    // Not yet past this process's last write: this read goes to the primary, the
    // replica stays in use (a normal moment, not worth a log line).
    if (replayed < last_write_lsn_.load()) {
      replica_->put(std::move(conn));
      return nullptr;
    }
    auto* raw = conn.release();
    return std::shared_ptr<Connection>(raw, [this](Connection* c) {
      replica_->put(std::unique_ptr<PgConnection>(static_cast<PgConnection*>(c)));
    });
  }

  // The primary's WAL position as last known: this process's last write, or the
  // primary's current position looked up at most once a second (other processes
  // write too).
  std::int64_t primary_position(std::chrono::steady_clock::time_point now) {
    bool refresh = false;
    {
      std::lock_guard lock(state_mu_);
      if (now - primary_lsn_at_ >= std::chrono::seconds(1)) {
        primary_lsn_at_ = now;
        refresh = true;
      }
    }
    if (refresh) {
      try {
        auto conn = primary_->take();
        std::int64_t lsn = lsn_of(*conn, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        primary_->put(std::move(conn));
        std::lock_guard lock(state_mu_);
        primary_lsn_ = std::max(primary_lsn_, lsn);
      } catch (const DbError&) {
        // The primary is down: the read that follows will say so.
      }
    }
    std::lock_guard lock(state_mu_);
    return std::max(primary_lsn_, last_write_lsn_.load());
  }

  // Records the replica's state; a change is logged once (stderr, the server's log).
  void set_state(const std::string& state, const std::string& reason, std::int64_t lag,
                 std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(state_mu_);
    lag_bytes_ = lag;
    if (state == "down") retry_at_ = now + std::chrono::seconds(replica_options_.retry_s);
    if (state == state_) {
      reason_ = reason;
      return;
    }
    if (state == "in_use")
      spdlog::info("read replica {}: in use again (was {})", replica_->description(), state_);
    else
      spdlog::warn("read replica {}: {}; reads go to the primary ({})", replica_->description(), state, reason);
    state_ = state;
    reason_ = reason;
  }

  std::string url_;
  ReplicaOptions replica_options_;
  std::string password_;
  std::string tool_conninfo_;  // every connection parameter except the password
  std::string description_;
  int server_major_ = 15;
  std::unique_ptr<Pool> primary_;
  std::unique_ptr<Pool> replica_;  // null: no replica configured
  std::atomic<std::int64_t> last_write_lsn_{0};
  std::atomic<std::int64_t> reads_replica_{0};
  std::atomic<std::int64_t> reads_primary_{0};
  std::mutex state_mu_;  // guards what follows
  std::string state_ = "none";
  std::string reason_;
  std::int64_t lag_bytes_ = 0;
  std::int64_t primary_lsn_ = 0;
  std::chrono::steady_clock::time_point primary_lsn_at_{};
  std::chrono::steady_clock::time_point retry_at_{};
};

}  // namespace

std::optional<std::string> postgres_province_code(Connection& c) {
  if (auto* pg = dynamic_cast<PgConnection*>(&c)) return pg->province_code();
  return std::nullopt;
}

std::unique_ptr<Database> open_postgres(const std::string& url, const ReplicaOptions& replica) {
  return std::make_unique<PgDatabase>(url, replica);
}

}  // namespace nongsan::storage
