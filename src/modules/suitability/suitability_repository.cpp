#include "modules/suitability/suitability_repository.hpp"

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"

namespace nongsan::suitability {

using storage::Value;

namespace {

ProfileRecord profile_from(const storage::Row& r) {
  ProfileRecord p;
  p.id = r.i64("id");
  p.crop = r.str("crop");
  p.name_vi = r.str("name_vi");
  p.commodity = r.str("commodity");
  p.method = r.str("method");
  p.profile = r.str("profile");
  p.sourced = r.i64("sourced") != 0;
  p.version = static_cast<int>(r.i64("version"));
  p.updated_by = r.str("updated_by");
  p.updated_at = r.str("updated_at");
  return p;
}
constexpr const char* kProfileColumns =
    "id, crop, name_vi, commodity, method, profile, sourced, version, updated_by, updated_at";

RasterLayerRecord layer_from(const storage::Row& r) {
  RasterLayerRecord l;
  l.id = r.i64("id");
  l.name = r.str("name");
  l.path = r.str("path");
  l.kind = r.str("kind") == "categorical" ? LayerKind::categorical : LayerKind::continuous;
  l.unit = r.str("unit");
  l.description = r.str("description");
  auto codes = nlohmann::json::parse(r.str("codes"), nullptr, false);
  if (codes.is_object())
    for (const auto& [k, v] : codes.items())
      if (v.is_string()) l.codes[k] = v.get<std::string>();
  l.derived_from = r.str("derived_from");
  l.illustrative = r.i64("illustrative") != 0;
  l.source = r.str("source");
  l.created_at = r.str("created_at");
  l.updated_at = r.str("updated_at");
  return l;
}
constexpr const char* kLayerColumns =
    "id, name, path, kind, unit, description, codes, derived_from, illustrative, source, created_at, updated_at";

RunRecord run_from(const storage::Row& r) {
  RunRecord x;
  x.id = r.i64("id");
  x.crop = r.str("crop");
  x.profile_version = static_cast<int>(r.i64("profile_version"));
  x.layers = r.str("layers");
  x.data_hash = r.str("data_hash");
  x.scope = r.str("scope");
  x.parcels = static_cast<int>(r.i64("parcels"));
  x.zones = static_cast<int>(r.i64("zones"));
  x.run_by = r.str("run_by");
  x.run_at = r.str("run_at");
  return x;
}
constexpr const char* kRunColumns = "id, crop, profile_version, layers, data_hash, scope, parcels, zones, run_by, run_at";

void read_m2(const storage::Row& r, ClassM2& m2) {
  m2[0] = r.f64("nodata_m2");
  m2[1] = r.f64("s1_m2");
  m2[2] = r.f64("s2_m2");
  m2[3] = r.f64("s3_m2");
  m2[4] = r.f64("n_m2");
}

std::string in_list(const std::optional<std::unordered_set<UnitId>>& units, const char* column,
                    std::vector<Value>& params) {
  if (!units) return "";
  if (units->empty()) return " AND 1=0";
  std::string s = std::string(" AND ") + column + " IN (";
  bool first = true;
  for (const auto& u : *units) {
    s += first ? "?" : ", ?";
    first = false;
    params.emplace_back(u.value);
  }
  return s + ")";
}

}  // namespace

std::vector<ProfileRecord> SuitabilityRepository::list_profiles(storage::Connection& c) {
  std::vector<ProfileRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kProfileColumns + " FROM crop_profile ORDER BY crop").rows)
    out.push_back(profile_from(r));
  return out;
}

std::optional<ProfileRecord> SuitabilityRepository::find_profile(storage::Connection& c, const std::string& crop) {
  auto rs = c.query(std::string("SELECT ") + kProfileColumns + " FROM crop_profile WHERE crop = ?", {crop});
  if (rs.empty()) return std::nullopt;
  return profile_from(rs.rows[0]);
}

ProfileRecord SuitabilityRepository::save_profile(storage::Connection& c, const ProfileRecord& in,
                                                  const std::string& note) {
  ProfileRecord p = in;
  p.updated_at = utc_now_iso();
  auto existing = find_profile(c, p.crop);
  if (existing) {
    p.id = existing->id;
    p.version = existing->version + 1;
    c.execute("UPDATE crop_profile SET name_vi = ?, commodity = ?, method = ?, profile = ?, sourced = ?, version = ?, "
              "updated_by = ?, updated_at = ? WHERE id = ?",
              {p.name_vi, p.commodity, p.method, p.profile, std::int64_t{p.sourced ? 1 : 0}, std::int64_t{p.version},
               p.updated_by, p.updated_at, p.id});
  } else {
    p.version = 1;
    c.execute("INSERT INTO crop_profile (crop, name_vi, commodity, method, profile, sourced, version, updated_by, "
              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {p.crop, p.name_vi, p.commodity, p.method, p.profile, std::int64_t{p.sourced ? 1 : 0},
               std::int64_t{p.version}, p.updated_by, p.updated_at});
    p.id = c.scalar_i64("SELECT id FROM crop_profile WHERE crop = ?", {p.crop});
  }
  c.execute("INSERT INTO crop_profile_version (profile_id, crop, version, profile, updated_by, updated_at, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {p.id, p.crop, std::int64_t{p.version}, p.profile, p.updated_by, p.updated_at, note});
  return p;
}

std::vector<ProfileVersionRecord> SuitabilityRepository::profile_versions(storage::Connection& c,
                                                                          const std::string& crop) {
  std::vector<ProfileVersionRecord> out;
  for (const auto& r : c.query("SELECT version, profile, updated_by, updated_at, note FROM crop_profile_version "
                               "WHERE crop = ? ORDER BY version DESC",
                               {crop})
                           .rows)
    out.push_back({static_cast<int>(r.i64("version")), r.str("profile"), r.str("updated_by"), r.str("updated_at"),
                   r.str("note")});
  return out;
}

bool SuitabilityRepository::delete_profile(storage::Connection& c, const std::string& crop) {
  c.execute("DELETE FROM crop_profile_version WHERE crop = ?", {crop});
  return c.execute("DELETE FROM crop_profile WHERE crop = ?", {crop}) > 0;
}

std::vector<RasterLayerRecord> SuitabilityRepository::list_layers(storage::Connection& c) {
  std::vector<RasterLayerRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kLayerColumns + " FROM raster_layer ORDER BY name").rows)
    out.push_back(layer_from(r));
  return out;
}

std::optional<RasterLayerRecord> SuitabilityRepository::find_layer(storage::Connection& c, const std::string& name) {
  auto rs = c.query(std::string("SELECT ") + kLayerColumns + " FROM raster_layer WHERE name = ?", {name});
  if (rs.empty()) return std::nullopt;
  return layer_from(rs.rows[0]);
}

void SuitabilityRepository::upsert_layer(storage::Connection& c, const RasterLayerRecord& l) {
  nlohmann::json codes = nlohmann::json::object();
  for (const auto& [k, v] : l.codes) codes[k] = v;
  std::string now = utc_now_iso();
  c.execute("INSERT INTO raster_layer (name, path, kind, unit, description, codes, derived_from, illustrative, source, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (province_code, name) DO UPDATE SET "
            "path = excluded.path, kind = excluded.kind, unit = excluded.unit, description = excluded.description, "
            "codes = excluded.codes, derived_from = excluded.derived_from, illustrative = excluded.illustrative, "
            "source = excluded.source, updated_at = excluded.updated_at",
            {l.name, l.path, std::string(l.kind == LayerKind::categorical ? "categorical" : "continuous"), l.unit,
             l.description, codes.dump(), l.derived_from, std::int64_t{l.illustrative ? 1 : 0}, l.source, now, now});
}

bool SuitabilityRepository::delete_layer(storage::Connection& c, const std::string& name) {
  return c.execute("DELETE FROM raster_layer WHERE name = ?", {name}) > 0;
}

std::int64_t SuitabilityRepository::insert_run(storage::Connection& c, const RunRecord& r) {
  c.execute("INSERT INTO suitability_run (crop, profile_version, layers, data_hash, scope, parcels, zones, run_by, "
            "run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {r.crop, std::int64_t{r.profile_version}, r.layers, r.data_hash, r.scope, std::int64_t{r.parcels},
             std::int64_t{r.zones}, r.run_by, r.run_at});
  return c.scalar_i64("SELECT max(id) FROM suitability_run WHERE crop = ?", {r.crop});
}

void SuitabilityRepository::store_parcels(storage::Connection& c, std::int64_t run, const std::string& crop,
                                          const std::vector<ParcelResult>& rows, bool replace_all) {
  if (replace_all) c.execute("DELETE FROM parcel_suitability WHERE crop = ?", {crop});
  for (const auto& p : rows) {
    if (!replace_all) c.execute("DELETE FROM parcel_suitability WHERE crop = ? AND parcel_id = ?", {crop, p.parcel_id});
    c.execute("INSERT INTO parcel_suitability (run_id, crop, parcel_id, s1_m2, s2_m2, s3_m2, n_m2, nodata_m2, "
              "dominant_class, limiting_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {run, crop, p.parcel_id, p.m2[1], p.m2[2], p.m2[3], p.m2[4], p.m2[0], p.dominant_class,
               p.limiting_factor});
  }
}

void SuitabilityRepository::store_zones(storage::Connection& c, std::int64_t run, const std::string& crop,
                                        const std::vector<ZoneResult>& rows) {
  for (const auto& z : rows) {
    c.execute("DELETE FROM zone_suitability WHERE crop = ? AND zone_id = ?", {crop, z.zone_id});
    c.execute("INSERT INTO zone_suitability (run_id, crop, zone_id, s1_m2, s2_m2, s3_m2, n_m2, nodata_m2, limiting) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {run, crop, z.zone_id, z.m2[1], z.m2[2], z.m2[3], z.m2[4], z.m2[0], z.limiting});
  }
}

std::optional<RunRecord> SuitabilityRepository::latest_run(storage::Connection& c, const std::string& crop) {
  auto rs = c.query(std::string("SELECT ") + kRunColumns + " FROM suitability_run WHERE crop = ? ORDER BY id DESC LIMIT 1",
                    {crop});
  if (rs.empty()) return std::nullopt;
  return run_from(rs.rows[0]);
}

std::vector<ParcelCropResult> SuitabilityRepository::parcel_results(storage::Connection& c, std::int64_t parcel_id) {
  std::vector<ParcelCropResult> out;
  for (const auto& r :
       c.query("SELECT s.crop, p.name_vi, s.s1_m2, s.s2_m2, s.s3_m2, s.n_m2, s.nodata_m2, s.dominant_class, "
               "s.limiting_factor, s.run_id, r.profile_version, r.run_at FROM parcel_suitability s "
               "JOIN suitability_run r ON r.id = s.run_id LEFT JOIN crop_profile p ON p.crop = s.crop "
               "WHERE s.parcel_id = ? ORDER BY s.crop",
               {parcel_id})
           .rows) {
    ParcelCropResult x;
    x.crop = r.str("crop");
    x.crop_name_vi = r.opt_str("name_vi").value_or("");
    read_m2(r, x.m2);
    x.dominant_class = r.str("dominant_class");
    x.limiting_factor = r.str("limiting_factor");
    x.run_id = r.i64("run_id");
    x.profile_version = static_cast<int>(r.i64("profile_version"));
    x.run_at = r.str("run_at");
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<RunRecord> SuitabilityRepository::runs(storage::Connection& c, const std::string& crop, int limit) {
  std::vector<RunRecord> out;
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM suitability_run";
  if (!crop.empty()) {
    sql += " WHERE crop = ?";
    params.emplace_back(crop);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(std::int64_t{limit});
  for (const auto& r : c.query(sql, params).rows) out.push_back(run_from(r));
  return out;
}

std::vector<ParcelRow> SuitabilityQueries::parcels(storage::Connection& c, const std::string& crop,
                                                   const std::vector<std::string>& states,
                                                   const std::optional<std::unordered_set<UnitId>>& units,
                                                   bool with_geometry) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT p.id, p.external_id, p.unit_id, p.state, p.land_use_code, s.crop, s.s1_m2, "
                                "s.s2_m2, s.s3_m2, s.n_m2, s.nodata_m2, s.dominant_class, s.limiting_factor") +
                    (with_geometry ? ", p.geom" : "") +
                    " FROM parcel_suitability s JOIN parcel p ON p.id = s.parcel_id WHERE p.valid_to IS NULL";
  if (!crop.empty()) {
    sql += " AND s.crop = ?";
    params.emplace_back(crop);
  }
  if (!states.empty()) {
    sql += " AND p.state IN (";
    for (std::size_t i = 0; i < states.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(states[i]);
    }
    sql += ")";
  }
  sql += in_list(units, "p.unit_id", params);
  sql += " ORDER BY p.external_id, s.crop";
  std::vector<ParcelRow> out;
  for (const auto& r : c.query(sql, params).rows) {
    ParcelRow p;
    p.parcel_id = r.i64("id");
    p.external_id = r.str("external_id");
    p.unit_id = r.opt_i64("unit_id");
    p.state = r.str("state");
    p.land_use_code = r.str("land_use_code");
    p.crop = r.str("crop");
    read_m2(r, p.m2);
    p.dominant_class = r.str("dominant_class");
    p.limiting_factor = r.str("limiting_factor");
    if (with_geometry) p.geom = r.opt_geometry("geom");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ZoneRow> SuitabilityQueries::zones(storage::Connection& c, const std::string& crop,
                                               const std::optional<std::unordered_set<UnitId>>& units,
                                               bool with_geometry) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT z.id, z.code, z.name, z.commodity, z.status, z.unit_id, z.illustrative, s.crop, "
                                "s.s1_m2, s.s2_m2, s.s3_m2, s.n_m2, s.nodata_m2, s.limiting") +
                    (with_geometry ? ", z.geom" : "") +
                    " FROM zone_suitability s JOIN zone z ON z.id = s.zone_id WHERE 1=1";
  if (!crop.empty()) {
    sql += " AND s.crop = ?";
    params.emplace_back(crop);
  }
  sql += in_list(units, "z.unit_id", params);
  sql += " ORDER BY z.code, s.crop";
  std::vector<ZoneRow> out;
  for (const auto& r : c.query(sql, params).rows) {
    ZoneRow z;
    z.zone_id = r.i64("id");
    z.code = r.str("code");
    z.name = r.str("name");
    z.commodity = r.str("commodity");
    z.status = r.str("status");
    z.unit_id = r.opt_i64("unit_id");
    z.illustrative = r.i64("illustrative") != 0;
    z.crop = r.str("crop");
    read_m2(r, z.m2);
    z.limiting = r.str("limiting");
    if (with_geometry) z.geom = r.opt_geometry("geom");
    out.push_back(std::move(z));
  }
  return out;
}

}  // namespace nongsan::suitability
