#include "modules/suitability/table_out.hpp"

#include "core/csv.hpp"
#include "geo/vector_io.hpp"

namespace nongsan::suitability {

std::string to_csv(const TableOut& t) { return csv::table(t.columns, t.rows); }

Status write_gpkg(const TableOut& t, const std::string& path, const std::string& layer) {
  std::vector<geo::FieldSpec> fields;
  for (const auto& c : t.columns) {
    bool num = c.ends_with("_ha") || c.ends_with("_share") || c == "hectares";
    fields.push_back({c, num ? geo::FieldType::real : geo::FieldType::string});
  }
  std::vector<geo::Feature> features;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    geo::Feature f;
    f.number = static_cast<std::int64_t>(i + 1);
    for (std::size_t k = 0; k < t.columns.size(); ++k) f.attributes[t.columns[k]] = t.rows[i][k];
    if (i < t.geometries.size()) f.geometry = t.geometries[i];
    features.push_back(std::move(f));
  }
  return geo::write_features(path, geo::VectorFormat::gpkg, layer, fields, features);
}

}  // namespace nongsan::suitability
