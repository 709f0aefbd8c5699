#include "modules/admin/admin_repository.hpp"

#include "core/text.hpp"

namespace nongsan::admin {

using storage::Null;
using storage::Value;

namespace {
Value date_value(const std::optional<CivilDate>& d) { return d ? Value{d->iso()} : Value{Null{}}; }
}  // namespace

UnitGraph AdminRepository::load_graph(storage::Connection& c) {
  std::vector<AdminUnit> units;
  for (const auto& r : c.query("SELECT id, code, name, level, kind, valid_from, valid_to, area_m2, geom_source, "
                               "source FROM admin_unit ORDER BY code, valid_from")
                           .rows) {
    AdminUnit u;
    u.id = UnitId(r.i64("id"));
    u.code = r.str("code");
    u.name = r.str("name");
    u.level = parse_level(r.str("level")).value_or(AdminLevel::commune);
    u.kind = r.str("kind");
    u.valid_from = r.date("valid_from");
    u.valid_to = r.opt_date("valid_to");
    u.area_m2 = r.opt_f64("area_m2");
    u.geom_source = parse_geom_source(r.str("geom_source")).value_or(GeomSource::none);
    u.source = r.str("source");
    units.push_back(std::move(u));
  }
  std::vector<UnitLink> links;
  for (const auto& r : c.query("SELECT child_id, parent_id, valid_from, valid_to FROM admin_unit_link").rows)
    links.push_back({UnitId(r.i64("child_id")), UnitId(r.i64("parent_id")), r.date("valid_from"),
                     r.opt_date("valid_to")});
  std::vector<Succession> successions;
  for (const auto& r : c.query("SELECT predecessor_id, successor_id, effective_date, share, basis, legal_basis "
                               "FROM admin_succession ORDER BY id")
                           .rows)
    successions.push_back({UnitId(r.i64("predecessor_id")), UnitId(r.i64("successor_id")),
                           r.date("effective_date"), r.f64("share"),
                           parse_share_basis(r.str("basis")).value_or(ShareBasis::whole), r.str("legal_basis")});
  return UnitGraph(std::move(units), std::move(links), std::move(successions));
}

UnitId AdminRepository::insert_unit(storage::Connection& c, const AdminUnit& u,
                                    const std::optional<storage::Geometry>& geom) {
  auto rs = c.query(
      "INSERT INTO admin_unit (code, name, name_folded, level, kind, valid_from, valid_to, area_m2, geom_source, "
      "source, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {u.code, u.name, fold_vietnamese(u.name), std::string(to_string(u.level)), u.kind, u.valid_from.iso(),
       date_value(u.valid_to), u.area_m2 ? Value{*u.area_m2} : Value{Null{}}, std::string(to_string(u.geom_source)),
       u.source, geom ? Value{*geom} : Value{Null{}}});
  return UnitId(rs.rows.at(0).i64("id"));
}

void AdminRepository::update_unit(storage::Connection& c, const AdminUnit& u) {
  c.execute("UPDATE admin_unit SET code = ?, name = ?, name_folded = ?, level = ?, kind = ?, valid_from = ?, "
            "valid_to = ?, source = ? WHERE id = ?",
            {u.code, u.name, fold_vietnamese(u.name), std::string(to_string(u.level)), u.kind, u.valid_from.iso(),
             date_value(u.valid_to), u.source, u.id.value});
}

void AdminRepository::set_geometry(storage::Connection& c, UnitId id, const std::optional<storage::Geometry>& geom,
                                   GeomSource source, std::optional<double> area_m2) {
  c.execute("UPDATE admin_unit SET geom = ?, geom_source = ?, area_m2 = ? WHERE id = ?",
            {geom ? Value{*geom} : Value{Null{}}, std::string(to_string(source)),
             area_m2 ? Value{*area_m2} : Value{Null{}}, id.value});
}

void AdminRepository::insert_link(storage::Connection& c, const UnitLink& l) {
  c.execute("INSERT INTO admin_unit_link (child_id, parent_id, valid_from, valid_to) VALUES (?, ?, ?, ?)",
            {l.child.value, l.parent.value, l.valid_from.iso(), date_value(l.valid_to)});
}

void AdminRepository::insert_succession(storage::Connection& c, const Succession& s) {
  c.execute("INSERT INTO admin_succession (predecessor_id, successor_id, effective_date, share, basis, legal_basis) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {s.predecessor.value, s.successor.value, s.effective.iso(), s.share, std::string(to_string(s.basis)),
             s.legal_basis});
}

void AdminRepository::delete_successions_into(storage::Connection& c, UnitId successor) {
  c.execute("DELETE FROM admin_succession WHERE successor_id = ?", {successor.value});
}

std::map<UnitId, storage::Geometry> AdminRepository::geometries(storage::Connection& c,
                                                                const std::vector<UnitId>& ids) {
  std::map<UnitId, storage::Geometry> out;
  if (ids.empty()) return out;
  // Chunks keep the statement small and cacheable.
  constexpr std::size_t kChunk = 64;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    std::size_t n = std::min(kChunk, ids.size() - start);
    std::string sql = "SELECT id, geom FROM admin_unit WHERE geom IS NOT NULL AND id IN (";
    std::vector<Value> params;
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(ids[start + i].value);
    }
    sql += ")";
    for (const auto& r : c.query(sql, params).rows)
      if (auto g = r.opt_geometry("geom")) out.emplace(UnitId(r.i64("id")), std::move(*g));
  }
  return out;
}

std::int64_t AdminRepository::count_units(storage::Connection& c) {
  return c.scalar_i64("SELECT count(*) FROM admin_unit");
}

}  // namespace nongsan::admin
