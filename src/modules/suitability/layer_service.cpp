#include "modules/suitability/layer_service.hpp"

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "geo/grid_warp.hpp"
#include "geo/raster_io.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/suitability_repository.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

namespace {
const std::regex kLayerName("^[A-Za-z0-9_]{1,64}$");
}  // namespace

Result<json> LayerService::list(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_layers(c); });
  LayerSet set{rows, folder_};
  const bool paths = shows_paths(a);
  json items = json::array();
  for (const auto& l : rows) {
    json codes = json::object();
    for (const auto& [k, v] : l.codes) codes[k] = v;
    json j = {{"name", l.name},
              {"kind", l.kind == LayerKind::categorical ? "categorical" : "continuous"},
              {"unit", l.unit},
              {"description", l.description},
              {"codes", codes},
              {"derived_from", l.derived_from},
              {"illustrative", l.illustrative},
              {"source", l.source},
              {"updated_at", l.updated_at}};
    if (paths) j["path"] = l.path;
    auto file = set.path_of(l);
    auto info = file ? geo::raster_info(*file) : Result<geo::GridFileInfo>(file.error());
    if (info) {
      j["file"] = {{"ok", true},
                   {"width", info->grid.width},
                   {"height", info->grid.height},
                   {"cell_size", std::abs(info->grid.gt[1])},
                   {"epsg", info->grid.epsg}};
    } else {
      const Error e = file ? set.layer_error(l, *file, info.error()) : info.error();
      j["file"] = {{"ok", false}, {"error", paths ? info.error().message : e.message}};
    }
    items.push_back(j);
  }
  json out = {{"items", items}};
  if (paths) out["folder"] = folder_.path().string();
  return out;
}

Result<json> LayerService::add(const identity::Actor& a, const LayerInput& in) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  std::vector<FieldError> errors;
  if (!std::regex_match(in.name, kLayerName)) errors.push_back({"name", "letters, digits and _ only (e.g. elevation)"});
  if (in.kind != "continuous" && in.kind != "categorical") errors.push_back({"kind", "continuous or categorical"});
  if (in.path.empty()) errors.push_back({"path", "is required"});
  for (const auto& [code, label] : in.codes) {
    char* end = nullptr;
    std::strtol(code.c_str(), &end, 10);
    if (code.empty() || *end) errors.push_back({"codes." + code, "codes are integers"});
  }
  RasterLayerRecord r;
  r.name = in.name;
  r.kind = in.kind == "categorical" ? LayerKind::categorical : LayerKind::continuous;
  r.unit = in.unit;
  r.description = in.description;
  r.codes = in.codes;
  r.derived_from = in.derived_from;
  r.source = in.source;
  std::filesystem::path file;
  if (!in.path.empty()) {
    // Inside the raster folder, or one answer for everything else.
    auto resolved = folder_.resolve(in.path);
    if (!resolved) {
      for (const auto& f : resolved.error().fields) errors.push_back(f);
    } else {
      file = *resolved;
      r.path = folder_.relative(file);
      auto info = geo::raster_info(file);
      if (!info) {
        for (const auto& f : info.error().fields) errors.push_back({"path", folder_.without_server_paths(f.message, file)});
        if (info.error().fields.empty())
          errors.push_back({"path", folder_.without_server_paths(info.error().message, file)});
      } else {
        if (r.kind == LayerKind::categorical && !info->integer)
          errors.push_back({"kind", "a categorical layer needs integer cell codes; " + r.path + " holds floating point"});
        auto it = info->metadata.find("ILLUSTRATIVE");
        r.illustrative = in.illustrative.value_or(it != info->metadata.end() && it->second == "yes");
      }
    }
  }
  if (!errors.empty()) return Error::invalid("the raster layer is not valid", std::move(errors));
  // An elevation layer brings its slope (degrees, GDAL DEM processing through the
  // engine's raster_io), unless a slope layer of another origin is registered.
  std::optional<RasterLayerRecord> slope;
  if (r.name == "elevation") {
    auto existing = db_.read([](storage::Connection& c) { return SuitabilityRepository::find_layer(c, "slope"); });
    if (!existing || existing->derived_from == "elevation") {
      const std::filesystem::path dir = file.parent_path();
      auto info = geo::inspect_raster(file.string());
      if (!info) return Error::invalid(folder_.without_server_paths(info.error().message, file));
      geo::RasterSession session;
      auto layer = session.derive(geo::DemProduct::slope, "slope", file.string(), info->grid, dir.string());
      if (!layer) return Error::invalid(folder_.without_server_paths(layer.error().message, file));
      if (layer->grid_path.starts_with("/vsimem"))
        return Error::internal("the derived slope is not a file: " + layer->grid_path);
      const std::filesystem::path slope_file = dir / ("derived-slope-" + file.stem().string() + ".tif");
      std::error_code ec;
      std::filesystem::copy_file(layer->grid_path, slope_file, std::filesystem::copy_options::overwrite_existing, ec);
      if (ec)
        return Error::invalid("cannot write the derived slope",
                              {{"raster_dir", folder_.relative(slope_file) + ": " + ec.message()}});
      RasterLayerRecord sl;
      sl.name = "slope";
      sl.path = folder_.relative(slope_file);
      sl.kind = LayerKind::continuous;
      sl.unit = "°";
      sl.description = "Độ dốc (độ), tính từ lớp độ cao bằng GDAL DEM (Horn)";
      sl.derived_from = "elevation";
      sl.illustrative = r.illustrative;
      sl.source = "derived from " + r.path;
      slope = sl;
    }
  }
  const bool paths = shows_paths(a);
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto before = SuitabilityRepository::find_layer(c, r.name);
    SuitabilityRepository::upsert_layer(c, r);
    if (slope) {
      SuitabilityRepository::upsert_layer(c, *slope);
      audit::record(c, a, "derive", "raster_layer", "slope", std::nullopt, std::nullopt,
                    json{{"path", slope->path}, {"derived_from", "elevation"}});
    }
    audit::record(c, a, before ? "update" : "create", "raster_layer", r.name, std::nullopt,
                  before ? std::optional<json>(json{{"path", before->path}}) : std::nullopt,
                  json{{"path", r.path}, {"kind", in.kind}, {"illustrative", r.illustrative}});
    json out = {{"name", r.name}, {"kind", in.kind}, {"illustrative", r.illustrative}};
    if (paths) out["path"] = r.path;
    if (slope) {
      json d = {{"name", "slope"}};
      if (paths) d["path"] = slope->path;
      out["derived"] = json::array({d});
    }
    return out;
  });
}

Status LayerService::remove(const identity::Actor& a, const std::string& name) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s;
  return db_.write([&](storage::Connection& c) -> Status {
    auto before = SuitabilityRepository::find_layer(c, name);
    if (!before) return Error::not_found("no raster layer named '" + name + "'");
    SuitabilityRepository::delete_layer(c, name);
    audit::record(c, a, "delete", "raster_layer", name, std::nullopt, json{{"path", before->path}}, std::nullopt);
    return {};
  });
}

}  // namespace nongsan::suitability
