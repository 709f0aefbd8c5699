// What grows on the parcels and what was converted: record and end a planting,
// record a crop conversion, list the conversions (paged, filtered by unit, former
// use, new crop and dates) and sum them by former use, crop and commune. Scope
// through RecordScope (a planting or a conversion is in scope when its parcel is).
#pragma once

#include "core/result.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

struct ConversionFilter {
  std::optional<CivilDate> from, to;  // conversion date, inclusive
  std::optional<FromUse> from_use;
  std::string to_crop;
  std::optional<UnitId> commune;  // the parcel's commune
  std::optional<UnitId> unit;     // any unit: the parcels of the units it covers (UnitGraph::scope_of)
  int page = 1, page_size = 50;   // page_size 0 = all
};

class PlantingService {
 public:
  explicit PlantingService(RegistryContext& ctx) : ctx_(ctx) {}

  Result<nlohmann::json> add_planting(const identity::Actor& a, Planting p);
  Result<nlohmann::json> end_planting(const identity::Actor& a, PlantingId id, const CivilDate& last_day);
  Result<nlohmann::json> add_conversion(const identity::Actor& a, CropConversion v);
  // Conversions in scope, newest first, each with its parcel and commune. Unit ids
  // outside the scope match nothing.
  Result<Page> list_conversions(const identity::Actor& a, const ConversionFilter& f);
  // Hectares converted by kind of former use, crop and commune, within scope.
  Result<nlohmann::json> conversion_summary(const identity::Actor& a, std::optional<CivilDate> from,
                                            std::optional<CivilDate> to);

 private:
  RegistryContext& ctx_;
};

}  // namespace nongsan::registry
