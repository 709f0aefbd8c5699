// The land registry's records: producers, parcels, land rights over time,
// production zones, plantings and crop conversions. Types only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"
#include "storage/value.hpp"

namespace nongsan::registry {

using ParcelId = StrongId<struct ParcelTag>;
using ZoneId = StrongId<struct ZoneTag>;
using LandRightId = StrongId<struct LandRightTag>;
using PlantingId = StrongId<struct PlantingTag>;
using ConversionId = StrongId<struct ConversionTag>;

// hộ, hợp tác xã, tổ hợp tác, doanh nghiệp, trang trại (glossary.md)
enum class ProducerKind { household, cooperative, cooperative_group, enterprise, farm };
std::string_view to_string(ProducerKind k);
std::optional<ProducerKind> parse_producer_kind(std::string_view s);

struct Producer {
  ProducerId id;
  std::string external_id;
  ProducerKind kind = ProducerKind::household;
  std::string name;  // head of household, or the organisation's name
  std::optional<UnitId> unit;
  std::optional<int> members_count;
  std::string ethnicity;
  std::string citizen_id;  // personal data
  std::string tax_code;
  std::string phone;  // personal data
  std::string address;
  bool illustrative = false;
  std::string created_at, updated_at;
};

// đang sử dụng, hoang hóa, đất lúa kém hiệu quả (marked by an officer)
enum class ParcelState { in_use, idle, inefficient_rice };
std::string_view to_string(ParcelState s);
std::optional<ParcelState> parse_parcel_state(std::string_view s);

struct Parcel {
  ParcelId id;
  std::string external_id;
  std::string sheet_no, parcel_no;
  std::optional<UnitId> unit;  // commune; none when the parcel lies in no unit
  std::string land_use_code;
  ParcelState state = ParcelState::in_use;
  std::optional<double> official_area_m2;
  std::optional<double> area_m2;  // from the geometry, VN-2000 / TM-3
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;
  std::string source;
  bool illustrative = false;
  std::string created_at, updated_at;
  std::optional<storage::Geometry> geom;  // EPSG:4326; filled only when asked for
};

// chủ sử dụng, thuê, góp quyền sử dụng đất (land linkage)
enum class LandRightKind { owner, lessee, contributed };
std::string_view to_string(LandRightKind k);
std::optional<LandRightKind> parse_land_right_kind(std::string_view s);

struct LandRight {
  LandRightId id;
  ParcelId parcel;
  ProducerId producer;
  LandRightKind kind = LandRightKind::owner;
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;
  std::string document;
  bool valid_on(const CivilDate& d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

enum class ZoneStatus { planned, active, closed };
std::string_view to_string(ZoneStatus s);
std::optional<ZoneStatus> parse_zone_status(std::string_view s);

struct Zone {
  ZoneId id;
  std::string code, name, commodity;
  std::optional<UnitId> unit;
  std::optional<double> planned_area_ha;
  std::string decision;
  std::optional<CivilDate> period_from, period_to;
  ZoneStatus status = ZoneStatus::planned;
  bool illustrative = false;
  std::string created_at, updated_at;
  std::optional<storage::Geometry> geom;
};

struct Planting {
  PlantingId id;
  ParcelId parcel;
  std::string crop, variety;
  bool perennial = false;
  std::string season;  // annual crops: e.g. 2024-he-thu
  std::optional<int> planted_year;
  CivilDate start_date;
  std::optional<CivilDate> end_date;
  double planted_area_m2 = 0;
  bool active_on(const CivilDate& d) const { return start_date <= d && (!end_date || d <= *end_date); }
};

enum class FromUse { rice, inefficient_rice, idle, other };
std::string_view to_string(FromUse f);
std::optional<FromUse> parse_from_use(std::string_view s);

struct CropConversion {
  ConversionId id;
  ParcelId parcel;
  FromUse from_use = FromUse::inefficient_rice;
  std::string to_crop;
  CivilDate date;
  double area_m2 = 0;
  std::string note;
};

}  // namespace nongsan::registry
