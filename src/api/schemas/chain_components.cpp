// Value chains: the shapes ChainService answers (modules/chains/chain_service.cpp),
// named for the routes of api/handlers/chain_handlers.cpp.
#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_chain_components(Components& c) {
  using S = Schema;
  const auto party = [] {
    return S::object({{"id", S::integer()}, {"external_id", S::string()}, {"name", S::string()}, {"kind", S::string()}});
  };
  std::vector<std::pair<std::string, Schema>> contract = {
      {"id", S::integer()},
      {"code", S::string()},
      {"lead", party()},
      {"unit_id", S::integer().nullable().describe("the lead's commune; null: the province's")},
      {"commodity", S::string()},
      {"start", S::date()},
      {"end", S::date()},
      {"committed_kg", S::number().describe("for the whole contract and period")},
      {"quality", S::string()},
      {"price_mechanism", S::string().enumerate({"", "fixed", "floor", "market_linked"})},
      {"price_note", S::string()},
      {"inputs_services", S::string()},
      {"documents", S::array(S::string())},
      {"illustrative", S::boolean()},
      {"source", S::string()},
      {"participants", S::array(party())},
      {"parcel_ids", S::array(S::integer())},
      {"zone_ids", S::array(S::integer())}};
  c["ChainContract"] = S::object(contract);
  auto item = contract;
  item.push_back({"year_committed_kg", S::number()});
  item.push_back({"year_delivered_kg", S::number()});
  item.push_back({"year_fulfilment_pct", S::number().nullable()});
  item.push_back({"warnings", S::integer()});
  c["ChainContractList"] = S::object({{"year", S::integer()}, {"items", S::array(S::object(item))}});
  c["LinkageRow"] = S::object({{"contract", S::string()},
                               {"participant", S::string()},
                               {"committed_kg", S::number()},
                               {"delivered_kg", S::number()},
                               {"fulfilment_pct", S::number().nullable()}});
  c["LinkageWarning"] = S::object({{"kind", S::string().enumerate({"behind", "side_selling", "non_purchase"})},
                                   {"contract", S::string()},
                                   {"party", S::string().describe("external id: the participant, or the lead")},
                                   {"expected_kg", S::number()},
                                   {"delivered_kg", S::number()},
                                   {"refused_kg", S::number()}});
  c["LinkageRate"] = S::object(
      {{"commodity", S::string()},
       {"delivered_kg", S::number().describe("deliveries the report counts for the commodity's contracts")},
       {"harvested_kg", S::number().describe("diary harvests of the commodity in the year by the same participants")},
       {"linkage_rate_pct", S::number().nullable().describe("100 × delivered ÷ harvested; null when nothing harvested")},
       {"participants", S::integer()}});
  c["LinkageReport"] = S::object({{"year", S::integer()},
                                  {"as_of", S::date()},
                                  {"rows", S::array(S::ref("LinkageRow"))},
                                  {"warnings", S::array(S::ref("LinkageWarning"))},
                                  {"rates", S::array(S::ref("LinkageRate"))}});
  c["ChainDelivery"] = S::object({{"id", S::integer()},
                                  {"contract_id", S::integer()},
                                  {"date", S::date()},
                                  {"participant", party()},
                                  {"quantity_kg", S::number()},
                                  {"refused_kg", S::number()},
                                  {"origin", S::string().enumerate({"entered", "imported", "epcis"})},
                                  {"epcis_event_id", S::string()},
                                  {"source", S::string()},
                                  {"created_by", S::string()}});
  c["ChainBuyer"] = S::object({{"id", S::integer()},
                               {"name", S::string()},
                               {"market", S::string().enumerate({"domestic", "export"})},
                               {"country", S::string()},
                               {"note", S::string()}});
  c["ChainTradeEvent"] = S::object(
      {{"id", S::integer()}, {"name", S::string()}, {"held_on", S::date()}, {"place", S::string()}, {"result", S::string()}});
  auto detail = contract;
  detail.push_back({"year", S::integer()});
  detail.push_back({"as_of", S::date()});
  detail.push_back({"parties", S::array(S::object({{"contract", S::string()},
                                                    {"participant", S::string()},
                                                    {"committed_kg", S::number()},
                                                    {"delivered_kg", S::number()},
                                                    {"fulfilment_pct", S::number().nullable()},
                                                    {"party", party()}}))});
  detail.push_back({"warnings", S::array(S::ref("LinkageWarning"))});
  detail.push_back({"deliveries", S::array(S::ref("ChainDelivery"))});
  detail.push_back({"buyers", S::array(S::ref("ChainBuyer"))});
  detail.push_back({"trade_events", S::array(S::ref("ChainTradeEvent"))});
  c["ChainContractDetail"] = S::object(detail);
  c["ChainView"] = S::object(
      {{"contract", S::ref("ChainContract")},
       {"nodes", S::array(S::object({{"id", S::string()},
                                     {"layer", S::string().enumerate({"land", "household", "cooperative", "lead",
                                                                      "processor", "buyer"})},
                                     {"label", S::string()},
                                     {"kind", S::string()}}))},
       {"edges", S::array(S::object({{"from", S::string()}, {"to", S::string()}}))},
       {"map", S::open_object({{"type", S::string()}, {"features", S::array(S::any())}})
                   .describe("GeoJSON FeatureCollection of the covered parcels and zones and the facilities")}});
  c["ChainFacility"] = S::object(
      {{"id", S::integer()},
       {"code", S::string()},
       {"name", S::string()},
       {"operator", party().nullable()},
       {"unit_id", S::integer().nullable()},
       {"technology", S::string().enumerate({"manual", "semi_mechanised", "automated"})},
       {"certifications", S::array(S::string())},
       {"longitude", S::number().nullable()},
       {"latitude", S::number().nullable()},
       {"illustrative", S::boolean()},
       {"capacities", S::array(S::object({{"commodity", S::string()},
                                          {"product", S::string()},
                                          {"capacity_t_per_season", S::number()}}))},
       {"zone_ids", S::array(S::integer())}});
  c["ChainSupply"] = S::object(
      {{"rows", S::array(S::object({{"commodity", S::string()},
                                    {"capacity_t", S::number()},
                                    {"drawn_supply_t", S::number()},
                                    {"zones_supply_t", S::number()},
                                    {"balance_t", S::number()},
                                    {"status", S::string().enumerate({"shortfall", "surplus", "balanced", "no_yield"})},
                                    {"t_per_ha", S::number()},
                                    {"yield_illustrative", S::boolean()},
                                    {"facilities", S::array(S::string())},
                                    {"zones", S::array(S::string())}}))},
       {"yields", S::array(S::object({{"commodity", S::string()},
                                      {"t_per_ha", S::number()},
                                      {"source", S::string()},
                                      {"illustrative", S::boolean()}}))}});
  c["ChainInvestment"] = S::object(
      {{"id", S::integer()},
       {"code", S::string()},
       {"name", S::string()},
       {"kind", S::string().enumerate({"plant", "industrial_cluster"})},
       {"status", S::string().enumerate({"proposed", "approved", "under_construction", "operating", "suspended"})},
       {"investor", S::string()},
       {"unit_id", S::integer().nullable()},
       {"commodity", S::string()},
       {"land_ha", S::number()},
       {"raw_material_t", S::number()},
       {"illustrative", S::boolean()}});
  c["ChainUnmatchedEvent"] = S::object(
      {{"event_hash", S::string()},
       {"event_id", S::string()},
       {"event_time", S::string()},
       {"contract", S::string()},
       {"contract_id", S::integer().nullable()},
       {"participant", S::string()},
       {"quantity_kg", S::number().nullable()},
       {"reason", S::string().enumerate({"no_contract", "not_participant", "no_participant", "several_participants",
                                         "no_quantity", "not_kilograms", "bad_time"})},
       {"capture_id", S::string()}});
  c["ChainSettings"] = S::object({{"behind_pct", S::number()},
                                  {"side_selling_pct", S::number()},
                                  {"document_max_mb", S::number()},
                                  {"document_media_types", S::array(S::string().enumerate({"application/pdf", "image/jpeg", "image/png"}))}});
  c["ChainDocument"] = S::object({{"id", S::integer()},
                                  {"contract_id", S::integer()},
                                  {"name", S::string()},
                                  {"media_type", S::string().enumerate({"application/pdf", "image/jpeg", "image/png"})},
                                  {"size_bytes", S::integer()},
                                  {"sha256", S::string()},
                                  {"added_by", S::string()},
                                  {"added_at", S::date_time()}});
}

}  // namespace nongsan::api
