#include "storage/database.hpp"

#include <algorithm>

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace nongsan::storage {

std::int64_t Connection::scalar_i64(std::string_view sql, const std::vector<Value>& params, std::int64_t fallback) {
  auto rs = query(sql, params);
  if (rs.empty() || std::holds_alternative<Null>(rs.rows[0].at(0))) return fallback;
  return rs.rows[0].i64(std::size_t{0});
}

namespace {

// A row of a ResultSet seen through the RowView interface (the default each_row).
class ResultRowView final : public RowView {
 public:
  explicit ResultRowView(const Row& r) : r_(r) {}
  bool is_null(std::size_t i) const override { return std::holds_alternative<Null>(r_.at(i)); }
  std::int64_t i64(std::size_t i) const override { return r_.i64(i); }
  double f64(std::size_t i) const override {
    const Value& v = r_.at(i);
    if (auto p = std::get_if<double>(&v)) return *p;
    return static_cast<double>(r_.i64(i));
  }
  std::string_view text(std::size_t i) const override {
    if (auto p = std::get_if<std::string>(&r_.at(i))) return *p;
    throw DbError(DbError::Kind::other, "column #" + std::to_string(i) + " is not text");
  }
  CivilDate date(std::size_t i) const override { return date_from_text(text(i), "#" + std::to_string(i)); }
  Geometry geometry(std::size_t i) const override {
    if (auto p = std::get_if<Geometry>(&r_.at(i))) return *p;
    throw DbError(DbError::Kind::other, "column #" + std::to_string(i) + " is not a geometry");
  }

 private:
  const Row& r_;
};

}  // namespace

void Connection::each_row(std::string_view sql, const std::vector<Value>& params,
                          const std::function<void(const RowView&)>& fn) {
  for (const auto& row : query(sql, params).rows) fn(ResultRowView(row));
}

std::int64_t Connection::insert_rows(std::string_view table, const std::vector<std::string>& columns,
                                     const std::vector<std::vector<Value>>& rows) {
  if (columns.empty() || rows.empty()) return 0;
  std::string head = "INSERT INTO " + std::string(table) + " (";
  std::string one = "(";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    head += (i ? ", " : "") + columns[i];
    one += i ? ", ?" : "?";
  }
  head += ") VALUES ";
  one += ")";
  // Several rows per statement, within SQLite's limit of 32,766 parameters.
  const std::size_t batch = std::max<std::size_t>(1, std::min<std::size_t>(500, 32000 / columns.size()));
  std::int64_t written = 0;
  for (std::size_t start = 0; start < rows.size(); start += batch) {
    const std::size_t end = std::min(rows.size(), start + batch);
    std::string sql = head;
    std::vector<Value> params;
    params.reserve((end - start) * columns.size());
    for (std::size_t r = start; r < end; ++r) {
      if (rows[r].size() != columns.size())
        throw DbError(DbError::Kind::other, "insert into " + std::string(table) + ": row " + std::to_string(r + 1) +
                                                " has " + std::to_string(rows[r].size()) + " values for " +
                                                std::to_string(columns.size()) + " columns");
      sql += r == start ? one : ", " + one;
      params.insert(params.end(), rows[r].begin(), rows[r].end());
    }
    written += execute(sql, params);
  }
  return written;
}

bool is_postgres_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Database> open_database(const std::string& location, const ReplicaOptions& replica) {
  if (is_postgres_url(location)) return open_postgres(location, replica);
  if (!replica.url.empty())
    throw DbError(DbError::Kind::other, "a read replica needs a PostgreSQL database (db is a GeoPackage file)");
  return open_sqlite(location);
}

}  // namespace nongsan::storage
