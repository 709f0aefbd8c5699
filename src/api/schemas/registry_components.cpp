// Land registry and background jobs: the shapes of registry::RegistryJson
// (modules/registry/registry_json.cpp), of the zone measures and the conversion
// summary, of the land-use catalogue, and of jobs::to_json.
#include "api/schemas/components.hpp"

namespace nongsan::api {

namespace {
using S = Schema;
// The names of registry_types.cpp.
const std::vector<std::string> kProducerKinds = {"household", "cooperative", "cooperative_group", "enterprise", "farm"};
const std::vector<std::string> kParcelStates = {"in_use", "idle", "inefficient_rice"};
const std::vector<std::string> kZoneStatus = {"planned", "active", "closed"};
const std::vector<std::string> kFromUses = {"rice", "inefficient_rice", "idle", "other"};
// The members of a zone (RegistryJson::zone); the map layer gives the unit by name.
std::vector<std::pair<std::string, Schema>> zone_members(const Schema& unit) {
  return {{"id", S::integer()},
          {"code", S::string()},
          {"name", S::string()},
          {"commodity", S::string()},
          {"unit", unit},
          {"planned_area_ha", S::number().nullable()},
          {"decision", S::string()},
          {"period_from", S::date().nullable()},
          {"period_to", S::date().nullable()},
          {"status", S::string().enumerate(kZoneStatus)},
          {"illustrative", S::boolean()}};
}
}  // namespace

Schema registry_page(const Schema& item) {
  return S::object({{"items", S::array(item)},
                    {"page", S::integer()},
                    {"page_size", S::integer()},
                    {"total", S::integer()},
                    {"empty", S::ref("EmptyList").optional().describe("only when total is 0: why")}});
}

Schema feature_collection(const Schema& properties, std::vector<std::pair<std::string, Schema>> extra) {
  std::vector<std::pair<std::string, Schema>> members = {{"type", S::string().enumerate({"FeatureCollection"})}};
  for (auto& e : extra) members.push_back(std::move(e));
  members.push_back({"features", S::array(S::object({{"type", S::string().enumerate({"Feature"})},
                                                      {"id", S::integer().optional()},
                                                      {"geometry", S::any().nullable().describe("GeoJSON geometry, WGS 84")},
                                                      {"properties", properties}}))});
  return S::object(members).media_type("application/geo+json");
}

void add_job_components(Components& c) {
  c["Job"] = S::object({{"id", S::integer()},
                        {"kind", S::string().describe("e.g. topology_check")},
                        {"state", S::string().enumerate({"queued", "running", "succeeded", "failed", "interrupted"})},
                        {"progress", S::object({{"done", S::integer()}, {"total", S::integer()}, {"stage", S::string()}})},
                        {"params", S::any().describe("what the job was started with")},
                        {"started_by", S::string()},
                        {"created_at", S::date_time()},
                        {"started_at", S::date_time().nullable()},
                        {"ended_at", S::date_time().nullable()},
                        {"result", S::any().describe("the summary the job's kind writes when it succeeds")},
                        {"error", S::string().nullable()}});
}

void add_registry_components(Components& c) {
  c["EmptyList"] = S::object(
      {{"reason", S::string().enumerate({"scope", "filter", "no_records"})},
       {"scope", S::object({{"kind", S::string().enumerate({"producer", "units", "province"})},
                            {"units", S::array(S::object({{"id", S::integer()},
                                                          {"code", S::string()},
                                                          {"name", S::string()},
                                                          {"level", S::string().enumerate({"province", "district", "commune"})},
                                                          {"valid_from", S::date()},
                                                          {"valid_to", S::date().nullable()}}))}})}});
  std::vector<std::pair<std::string, Schema>> producer = {
      {"id", S::integer()},
      {"external_id", S::string()},
      {"kind", S::string().enumerate(kProducerKinds)},
      {"name", S::string()},
      {"unit", S::ref("UnitRef").nullable()},
      {"members_count", S::integer().nullable()},
      {"ethnicity", S::string()},
      {"citizen_id", S::string().describe("personal data, masked")},
      {"tax_code", S::string()},
      {"phone", S::string().describe("personal data, masked")},
      {"address", S::string()},
      {"illustrative", S::boolean()},
      {"created_at", S::date_time()},
      {"updated_at", S::date_time()}};
  c["Producer"] = S::object(producer);
  S id_name = S::object({{"id", S::integer()}, {"name", S::string()}});
  producer.push_back({"members", S::array(id_name)});
  producer.push_back({"organisations", S::array(id_name)});
  producer.push_back(
      {"rights", S::array(S::object({{"id", S::integer()},
                                     {"kind", S::ref("LandRightKind")},
                                     {"valid_from", S::date()},
                                     {"valid_to", S::date().nullable()},
                                     {"parcel", S::object({{"id", S::integer()},
                                                           {"external_id", S::string()},
                                                           {"area_ha", S::number().nullable()}})
                                                    .nullable()}}))});
  producer.push_back({"possible_duplicates", S::array(S::integer()).describe("producers in scope with the same citizen ID")});
  producer.push_back({"possible_duplicates_elsewhere",
                      S::integer().describe("how many producers outside the scope have the same citizen ID")});
  c["ProducerDetail"] = S::object(producer);
  c["LandRightKind"] = S::string().enumerate({"owner", "lessee", "contributed"});
  c["LandUseRef"] = S::object({{"code", S::string()},
                               {"name_vi", S::string()},
                               {"name_en", S::string()},
                               {"group", S::string()},
                               {"sourced", S::boolean()}});
  c["LandUseCodes"] = S::object(
      {{"items", S::array(S::object({{"code", S::string()},
                                     {"name_vi", S::string()},
                                     {"name_en", S::string()},
                                     {"group", S::string()},
                                     {"sourced", S::boolean()},
                                     {"source", S::string().nullable()}}))},
       {"groups", S::map(S::any()).describe("the groups of codes with their names")},
       {"sources", S::map(S::any()).describe("the documents the codes come from")},
       {"note", S::string()}});
  std::vector<std::pair<std::string, Schema>> parcel = {
      {"id", S::integer()},
      {"external_id", S::string()},
      {"sheet_no", S::string().describe("tờ bản đồ")},
      {"parcel_no", S::string().describe("số thửa")},
      {"commune", S::ref("UnitRef").nullable()},
      {"land_use_code", S::string()},
      {"land_use", S::ref("LandUseRef").nullable()},
      {"state", S::string().enumerate(kParcelStates)},
      {"official_area_m2", S::number().nullable()},
      {"area_m2", S::number().nullable().describe("of the geometry")},
      {"area_ha", S::number().nullable()},
      {"valid_from", S::date()},
      {"valid_to", S::date().nullable()},
      {"crops", S::array(S::string()).describe("active plantings on the date")},
      {"holder", S::object({{"producer_id", S::integer()},
                            {"name", S::string()},
                            {"kind", S::string().enumerate(kProducerKinds)},
                            {"right", S::ref("LandRightKind")},
                            {"since", S::date()}})
                     .nullable()
                     .describe("the producer controlling the parcel")},
      {"illustrative", S::boolean()},
      {"source", S::string()}};
  c["Parcel"] = S::object(parcel);
  // The answer of a save (create, a new boundary): the parcel and the live overlap
  // check of its boundary (docs/rules.md §5; registry/parcel_overlaps.hpp).
  std::vector<std::pair<std::string, Schema>> saved = parcel;
  saved.push_back(
      {"overlaps",
       S::array(S::object({{"id", S::integer().nullable().describe("null: a parcel outside your scope")},
                           {"external_id", S::string().nullable()},
                           {"overlap_m2", S::number().describe("area of the overlap, m² in VN-2000")}}))
           .nullable()
           .optional()
           .describe("current parcels the saved boundary overlaps by more than the setting parcel_min_overlap_m2, "
                     "largest first; absent when the boundary did not change, null when it could not be checked")});
  c["ParcelSaved"] = S::object(saved);
  std::vector<std::pair<std::string, Schema>> planting = {
      {"id", S::integer()},
      {"parcel_id", S::integer()},
      {"crop", S::string()},
      {"variety", S::string()},
      {"perennial", S::boolean()},
      {"season", S::string()},
      {"planted_year", S::integer().nullable()},
      {"start_date", S::date()},
      {"end_date", S::date().nullable()},
      {"planted_area_m2", S::number()}};
  c["Planting"] = S::object(planting);
  std::vector<std::pair<std::string, Schema>> conversion = {
      {"id", S::integer()},      {"parcel_id", S::integer()}, {"from_use", S::string().enumerate(kFromUses)},
      {"to_crop", S::string()},  {"date", S::date()},         {"area_m2", S::number()},
      {"note", S::string()}};
  c["Conversion"] = S::object(conversion);
  auto conversion_item = conversion;
  conversion_item.push_back({"commune", S::ref("UnitRef").nullable()});
  conversion_item.push_back({"parcel", S::object({{"id", S::integer()},
                                                  {"external_id", S::string()},
                                                  {"commune", S::ref("UnitRef").nullable()},
                                                  {"illustrative", S::boolean()}})});
  c["ConversionItem"] = S::object(conversion_item);
  c["LandRight"] = S::object({{"id", S::integer()},
                              {"parcel_id", S::integer()},
                              {"producer_id", S::integer()},
                              {"kind", S::ref("LandRightKind")},
                              {"valid_from", S::date()},
                              {"valid_to", S::date().nullable()},
                              {"document", S::string()}});
  auto detail = parcel;
  detail.push_back({"rights", S::array(S::object({{"id", S::integer()},
                                                  {"producer", S::object({{"id", S::integer()},
                                                                          {"name", S::string()},
                                                                          {"kind", S::string().enumerate(kProducerKinds)}})
                                                                   .nullable()},
                                                  {"kind", S::ref("LandRightKind")},
                                                  {"valid_from", S::date()},
                                                  {"valid_to", S::date().nullable()},
                                                  {"document", S::string()}}))});
  auto detail_planting = planting;
  detail_planting.erase(detail_planting.begin() + 1);  // parcel_id
  detail_planting.push_back({"active", S::boolean().describe("on as_of")});
  detail.push_back({"plantings", S::array(S::object(detail_planting))});
  auto detail_conversion = conversion;
  detail_conversion.erase(detail_conversion.begin() + 1);  // parcel_id
  detail.push_back({"conversions", S::array(S::object(detail_conversion))});
  detail.push_back({"geometry_history", S::array(S::object({{"valid_from", S::date()},
                                                             {"valid_to", S::date().nullable()},
                                                             {"area_m2", S::number().nullable()},
                                                             {"geometry", S::any().nullable().describe("GeoJSON")}}))});
  detail.push_back({"lineage", S::array(S::object({{"relation", S::string().enumerate({"from", "into"})},
                                                    {"event", S::string().enumerate({"split", "merge"})},
                                                    {"date", S::date()},
                                                    {"parcel", S::object({{"id", S::integer()}, {"external_id", S::string()}})
                                                                   .nullable()}}))});
  detail.push_back({"zones", S::array(S::object({{"id", S::integer()},
                                                  {"code", S::string()},
                                                  {"name", S::string()},
                                                  {"commodity", S::string()},
                                                  {"unit", S::ref("UnitRef").nullable()},
                                                  {"inside_m2", S::number()},
                                                  {"share_pct", S::number()},
                                                  {"illustrative", S::boolean()}}))});
  detail.push_back({"geometry", S::any().optional().describe("GeoJSON geometry, WGS 84")});
  detail.push_back({"as_of", S::date()});
  detail.push_back({"valid_on_as_of", S::boolean().describe("the parcel existed on as_of")});
  c["ParcelDetail"] = S::object(detail);
  c["Zone"] = S::object(zone_members(S::ref("UnitRef").nullable()));
  c["ParcelBrief"] = S::object({{"id", S::integer()}, {"external_id", S::string()}, {"area_ha", S::number().nullable()}});
  c["SplitResult"] = S::object(
      {{"parent", S::object({{"id", S::integer()}, {"external_id", S::string()}, {"valid_to", S::date().describe("its last day")}})},
       {"children", S::array(S::ref("ParcelBrief"))}});
  c["MergeResult"] = S::object(
      {{"parcel", S::ref("ParcelBrief")},
       {"merged_from", S::array(S::object({{"id", S::integer()}, {"external_id", S::string()}}))},
       {"rights_carried_over", S::boolean().describe("the parents had the same holder, whose right carries over")}});
  c["ZoneMeasures"] = S::object(
      {{"as_of", S::date()},
       {"commodity", S::string()},
       {"zone_area_ha", S::number().optional().describe("the measures are absent when the zone has no geometry")},
       {"planned_area_ha", S::number().nullable().optional()},
       {"planted_area_ha", S::number().optional()},
       {"share_of_planned_pct", S::number().nullable().optional()},
       {"parcels_in_zone", S::integer().optional()},
       {"commodity_parcels", S::integer().optional()},
       {"producers", S::integer().optional()},
       {"mean_parcel_size_ha", S::number().nullable().optional()},
       {"parcels_per_ha", S::number().nullable().optional()},
       {"blocks", S::integer().optional()},
       {"largest_block_ha", S::number().optional()},
       {"largest_block_share_pct", S::number().nullable().optional()},
       {"method", S::string().optional()}});
  c["ConversionSummary"] = S::object(
      {{"from", S::date().nullable()},
       {"to", S::date().nullable()},
       {"conversions", S::integer()},
       {"total_ha", S::number()},
       {"from_inefficient_rice_ha", S::number()},
       {"by_from_use_ha", S::map(S::number()).describe("hectares by former use")},
       {"by_crop_ha", S::map(S::number()).describe("hectares by new crop")},
       {"by_commune", S::array(S::object({{"unit", S::ref("UnitRef").nullable()}, {"hectares", S::number()}}))}});
  auto zone_detail = zone_members(S::ref("UnitRef").nullable());
  zone_detail.push_back({"measures", S::ref("ZoneMeasures")});
  zone_detail.push_back({"geometry", S::any().optional().describe("GeoJSON geometry, WGS 84")});
  c["ZoneDetail"] = S::object(zone_detail);
  c["TopologyFindings"] = S::object({{"items", S::array(S::ref("TopologyFinding"))},
                                     {"page", S::integer()},
                                     {"page_size", S::integer()},
                                     {"total", S::integer()},
                                     {"empty", S::ref("EmptyList").optional()},
                                     {"last_checks", S::array(S::ref("TopologyCheckRun")).describe("each kind that ever ran")},
                                     {"running", S::ref("Job").nullable().describe("the check under way")}});
  c["TopologyFinding"] = S::object({{"id", S::integer()},
                                    {"kind", S::string().enumerate({"overlap", "outside", "invalid", "sliver"})},
                                    {"parcel_a", S::string().describe("external id")},
                                    {"parcel_b", S::string().nullable()},
                                    {"value", S::number().nullable()},
                                    {"message", S::string()},
                                    {"checked_at", S::date_time()}});
  c["ParcelMap"] = feature_collection(
      S::object({{"id", S::integer()},
                 {"external_id", S::string()},
                 {"crop", S::string().nullable().describe("the first active planting")},
                 {"zone", S::string().nullable().describe("code of the zone the parcel lies mostly in")},
                 {"state", S::string().enumerate(kParcelStates)},
                 {"land_use_code", S::string()},
                 {"holder", S::string().nullable().describe("name of the producer controlling the parcel")},
                 {"area_ha", S::number().nullable()}}),
      {{"total", S::integer()}, {"truncated", S::boolean().describe("more parcels match than the limit")}});
  c["ZoneMap"] = feature_collection(S::object(zone_members(S::string().nullable().describe("the unit's name"))));
  c["TopologyMap"] = feature_collection(S::ref("TopologyFinding"), {{"total", S::integer()}});
  c["TopologyCheckRun"] = S::object({{"kind", S::string()},
                                     {"checked_at", S::date_time()},
                                     {"checked_by", S::string()},
                                     {"parcels_checked", S::integer()},
                                     {"findings_in_scope", S::integer()},
                                     {"job_id", S::integer().nullable()}});
}

}  // namespace nongsan::api
