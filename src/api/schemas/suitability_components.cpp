// Land suitability: the shapes of modules/suitability (profile_service, layer_service,
// run_service, map_service, parcel_suitability, report tables).
#include "api/schemas/components.hpp"

namespace nongsan::api {

namespace {
using S = Schema;
}  // namespace

void add_suitability_components(Components& c) {
  c["HectaresByClass"] = S::object(
      {{"S1", S::number()}, {"S2", S::number()}, {"S3", S::number()}, {"N", S::number()}, {"nodata", S::number()}});
  c["CropProfileDocument"] = S::open_object(
      {{"crop", S::string()},
       {"name_vi", S::string()},
       {"name_en", S::string().optional()},
       {"method", S::string().optional().describe("limiting (FAO 1976) or another method the profile names")},
       {"class_thresholds", S::array(S::number()).optional()},
       {"factors", S::array(S::open_object({{"layer", S::string()}, {"type", S::string().enumerate({"continuous", "categorical"})}}))}})
                                  .describe("a crop profile as written (docs/suitability.md)");
  std::vector<std::pair<std::string, Schema>> summary = {
      {"crop", S::string()},
      {"name_vi", S::string()},
      {"commodity", S::string()},
      {"method", S::string()},
      {"sourced", S::boolean().describe("every factor names its source")},
      {"version", S::integer()},
      {"updated_by", S::string()},
      {"updated_at", S::date_time()},
      {"unsourced_factors", S::array(S::string()).optional().describe("absent when the stored profile no longer parses")},
      {"layers", S::array(S::string()).optional()},
      {"name_en", S::string().optional()}};
  c["CropProfileSummary"] = S::object(summary);
  summary.push_back({"profile", S::ref("CropProfileDocument")});
  c["CropProfile"] = S::object(summary);
  c["RasterLayer"] = S::object({{"name", S::string()},
                                {"kind", S::string().enumerate({"continuous", "categorical"})},
                                {"unit", S::string()},
                                {"description", S::string()},
                                {"codes", S::map(S::string()).describe("names of the cell codes of a categorical layer")},
                                {"derived_from", S::string()},
                                {"illustrative", S::boolean()},
                                {"source", S::string()},
                                {"updated_at", S::date_time()},
                                {"path", S::string().optional().describe("administrators only")},
                                {"file", S::object({{"ok", S::boolean()},
                                                    {"width", S::integer().optional()},
                                                    {"height", S::integer().optional()},
                                                    {"cell_size", S::number().optional()},
                                                    {"epsg", S::integer().optional()},
                                                    {"error", S::string().optional()}})}});
  c["SuitabilityRun"] = S::object({{"id", S::integer()},
                                   {"crop", S::string()},
                                   {"profile_version", S::integer()},
                                   {"layers", S::array(S::object({{"name", S::string()},
                                                                  {"path", S::string().optional().describe("administrators only")}}))},
                                   {"data_hash", S::string()},
                                   {"scope", S::string().describe("commune code, empty for the province")},
                                   {"parcels", S::integer()},
                                   {"zones", S::integer()},
                                   {"run_by", S::string()},
                                   {"run_at", S::date_time()}});
  c["SuitabilityTable"] = S::object({{"columns", S::array(S::string())},
                                     {"items", S::array(S::map(S::string()).describe("one row: column → value as text"))}});
  c["SuitabilityTableMap"] = feature_collection(S::map(S::string()).describe("the row: column → value as text"));
}

}  // namespace nongsan::api
