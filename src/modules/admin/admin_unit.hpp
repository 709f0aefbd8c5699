// Administrative units over time: types only. A unit has a validity period;
// parent links and successor links have their own dates, because the hierarchy
// changed on 1 July 2025 (districts abolished, communes merged — Resolution
// 1670/NQ-UBTVQH15 for Lai Châu).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"

namespace nongsan::admin {

enum class AdminLevel { province, district, commune };
std::string_view to_string(AdminLevel level);
std::optional<AdminLevel> parse_level(std::string_view text);
// Province 0, district 1, commune 2: deeper levels have larger ranks.
int rank(AdminLevel level);

enum class GeomSource { none, official, illustrative, imported };
std::string_view to_string(GeomSource source);
std::optional<GeomSource> parse_geom_source(std::string_view text);

struct AdminUnit {
  UnitId id;
  std::string code;
  std::string name;
  AdminLevel level = AdminLevel::commune;
  std::string kind;  // Tỉnh, Thành phố, Huyện, Xã, Phường, Thị trấn
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;  // inclusive; nullopt while valid
  std::optional<double> area_m2;
  GeomSource geom_source = GeomSource::none;
  std::string source;

  bool valid_on(const CivilDate& d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

struct UnitLink {
  UnitId child;
  UnitId parent;
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;
  bool valid_on(const CivilDate& d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

enum class ShareBasis { whole, area, parcels };
std::string_view to_string(ShareBasis basis);
std::optional<ShareBasis> parse_share_basis(std::string_view text);

// The share of `predecessor` that went to `successor` on `effective`.
struct Succession {
  UnitId predecessor;
  UnitId successor;
  CivilDate effective;
  double share = 1.0;
  ShareBasis basis = ShareBasis::whole;
  std::string legal_basis;
};

}  // namespace nongsan::admin
