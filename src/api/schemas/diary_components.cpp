// Farming diaries and pesticides: the shapes of modules/diary/diary_service.cpp's
// to_json and of DiaryService::products.
#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_diary_components(Components& c) {
  using S = Schema;
  c["DiaryEntry"] = S::object({{"id", S::integer()},
                               {"entry", S::string().describe("the entry's code")},
                               {"parcel_id", S::integer()},
                               {"parcel", S::string().describe("the parcel's external id")},
                               {"date", S::date()},
                               {"kind", S::string().enumerate({"spray", "fertiliser", "harvest", "observation"})},
                               {"product", S::string()},
                               {"dose_per_ha", S::number().nullable()},
                               {"quantity_kg", S::number().nullable()},
                               {"lot", S::string()},
                               {"amends", S::string().describe("code of the entry this one amends; empty for none")},
                               {"note", S::string()},
                               {"created_by", S::string()},
                               {"created_at", S::date_time()}});
  c["DiaryFinding"] = S::object(
      {{"finding", S::string().enumerate({"unregistered", "banned", "not_for_crop", "over_dose", "phi_not_passed"})},
       {"entry", S::string().describe("the spray's code, or the harvest's for phi_not_passed")},
       {"parcel", S::string()},
       {"parcel_id", S::integer()},
       {"product", S::string().describe("as written in the diary; the sprayed one for phi_not_passed")},
       {"lot", S::string()},
       {"date", S::date()},
       {"detail", S::string()},
       {"spray_entry", S::string().optional()},
       {"spray_date", S::date().nullable().optional()},
       {"phi_days", S::integer().optional()}});
  c["PesticideProduct"] = S::object(
      {{"product", S::string()},
       {"name", S::string()},
       {"registered_from", S::date()},
       {"registered_to", S::date().nullable()},
       {"registered", S::boolean().describe("registered on the date asked")},
       {"banned", S::boolean().describe("one of its ingredients banned on the date asked")},
       {"active_ingredients",
        S::array(S::object({{"name", S::string()}, {"status", S::string().enumerate({"permitted", "banned"})}}))},
       {"labels", S::array(S::object({{"crop", S::string()}, {"max_dose_per_ha", S::number()}, {"phi_days", S::integer()}}))}});
  auto hold = S::object(
      {{"finding", S::string().enumerate({"phi_not_passed"})},
       {"entry", S::string()},
       {"parcel", S::string()},
       {"parcel_id", S::integer()},
       {"product", S::string()},
       {"lot", S::string()},
       {"date", S::date()},
       {"detail", S::string()},
       {"spray_entry", S::string()},
       {"spray_date", S::date().nullable()},
       {"phi_days", S::integer()},
       {"cleared", S::boolean()},
       {"clearance",
        S::object({{"reason", S::string()}, {"cleared_by", S::string()}, {"cleared_at", S::date_time()}}).optional()}});
  c["LotStatus"] = S::object({{"lot", S::string()},
                              {"held", S::boolean().describe("an uncleared phi_not_passed holds the lot")},
                              {"holds", S::array(hold)},
                              {"harvests", S::array(S::object({{"entry", S::string()},
                                                               {"parcel", S::string()},
                                                               {"parcel_id", S::integer()},
                                                               {"date", S::date()},
                                                               {"quantity_kg", S::number().nullable()}}))}});
}

}  // namespace nongsan::api
