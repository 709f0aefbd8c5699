#include "modules/conclusions/conclusions_repository.hpp"

namespace nongsan::conclusions {

using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {
constexpr const char* kColumns =
    "id, programme, as_of, status, content, data_hash, version, issue_id, illustrative, created_by, created_at, "
    "updated_by, updated_at";

DraftRecord from(const Row& r) {
  DraftRecord d;
  d.id = r.i64("id");
  d.programme = r.str("programme");
  d.as_of = r.str("as_of");
  d.status = r.str("status");
  d.content = r.str("content");
  d.data_hash = r.str("data_hash");
  d.version = r.i64("version");
  d.issue_id = r.opt_i64("issue_id");
  d.illustrative = r.i64("illustrative") != 0;
  d.created_by = r.str("created_by");
  d.created_at = r.str("created_at");
  d.updated_by = r.str("updated_by");
  d.updated_at = r.str("updated_at");
  return d;
}
}  // namespace

std::int64_t ConclusionsRepository::insert(Connection& c, const DraftRecord& d) {
  auto rs = c.query(
      "INSERT INTO conclusions_draft (programme, as_of, status, content, data_hash, version, illustrative, created_by, "
      "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.programme, d.as_of, d.status, d.content, d.data_hash, d.version, std::int64_t{d.illustrative ? 1 : 0},
       d.created_by, d.created_at, d.updated_by, d.updated_at});
  return rs.rows.at(0).i64("id");
}

std::optional<DraftRecord> ConclusionsRepository::find(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM conclusions_draft WHERE id = ?", {id});
  if (rs.rows.empty()) return std::nullopt;
  return from(rs.rows[0]);
}

std::vector<DraftRecord> ConclusionsRepository::list(Connection& c, const std::string& programme) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM conclusions_draft";
  std::vector<Value> params;
  if (!programme.empty()) {
    sql += " WHERE programme = ?";
    params.emplace_back(programme);
  }
  std::vector<DraftRecord> out;
  for (const auto& r : c.query(sql + " ORDER BY id DESC", params).rows) out.push_back(from(r));
  return out;
}

bool ConclusionsRepository::update(Connection& c, const DraftRecord& d, std::int64_t base_version) {
  auto rs = c.query(
      "UPDATE conclusions_draft SET status = ?, content = ?, version = ?, issue_id = ?, updated_by = ?, updated_at = ? "
      "WHERE id = ? AND version = ? RETURNING id",
      {d.status, d.content, d.version, d.issue_id ? Value(*d.issue_id) : Value(Null{}), d.updated_by, d.updated_at, d.id,
       base_version});
  return !rs.rows.empty();
}

}  // namespace nongsan::conclusions
