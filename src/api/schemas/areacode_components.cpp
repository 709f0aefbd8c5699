// Growing-area and packing-house codes: the shapes of modules/areacodes
// (areacode_service.cpp: code_json, season_json, step_json, finding_json).
#include "api/schemas/components.hpp"

namespace nongsan::api {

namespace {
using S = Schema;
}  // namespace

void add_areacode_components(Components& c) {
  c["AreaCode"] = S::object(
      {{"id", S::integer()},
       {"code", S::string().nullable().describe("null while applied")},
       {"kind", S::string().enumerate({"area", "packing_house"})},
       {"scheme", S::string().enumerate({"domestic", "export"})},
       {"holder", S::object({{"id", S::integer()}, {"external_id", S::string()}, {"name", S::string()}, {"kind", S::string()}})},
       {"unit", S::object({{"id", S::integer()}, {"code", S::string()}, {"name", S::string()}}).nullable()},
       {"crop", S::string()},
       {"crop_name_vi", S::string()},
       {"standard", S::string()},
       {"facility", S::string()},
       {"address", S::string()},
       {"lon", S::number().nullable()},
       {"lat", S::number().nullable()},
       {"capacity_t_per_day", S::number().nullable()},
       {"status", S::string().enumerate({"applied", "issued", "suspended", "cancelled", "refused"})},
       {"applied", S::date()},
       {"issued", S::date().nullable()},
       {"pending_review", S::boolean().describe("suspended by the code-health check, waiting for an officer")},
       {"source", S::string()},
       {"parcels", S::array(S::string()).describe("registry external ids")}});
  c["AreaCodeSeason"] = S::object({{"season", S::string()},
                                   {"crop", S::string()},
                                   {"variety", S::string()},
                                   {"standard", S::string()},
                                   {"area_ha", S::number()},
                                   {"expected_kg", S::number()},
                                   {"harvest_from", S::date()},
                                   {"harvest_to", S::date()},
                                   {"actual_kg", S::number().nullable()}});
  c["AreaCodeFinding"] = S::object({{"finding", S::string()},
                                    {"code", S::string()},
                                    {"season", S::string()},
                                    {"detail", S::string()},
                                    {"serious", S::boolean()},
                                    {"entries", S::array(S::string())
                                                    .describe("diary entries (codes) or EPCIS event hashes behind it")}});
}

}  // namespace nongsan::api
