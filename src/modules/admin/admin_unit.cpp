#include "modules/admin/admin_unit.hpp"

namespace nongsan::admin {

std::string_view to_string(AdminLevel level) {
  switch (level) {
    case AdminLevel::province: return "province";
    case AdminLevel::district: return "district";
    case AdminLevel::commune: return "commune";
  }
  return "commune";
}

std::optional<AdminLevel> parse_level(std::string_view t) {
  if (t == "province") return AdminLevel::province;
  if (t == "district") return AdminLevel::district;
  if (t == "commune") return AdminLevel::commune;
  return std::nullopt;
}

int rank(AdminLevel level) { return static_cast<int>(level); }

std::string_view to_string(GeomSource s) {
  switch (s) {
    case GeomSource::none: return "none";
    case GeomSource::official: return "official";
    case GeomSource::illustrative: return "illustrative";
    case GeomSource::imported: return "imported";
  }
  return "none";
}

std::optional<GeomSource> parse_geom_source(std::string_view t) {
  if (t == "none") return GeomSource::none;
  if (t == "official") return GeomSource::official;
  if (t == "illustrative") return GeomSource::illustrative;
  if (t == "imported") return GeomSource::imported;
  return std::nullopt;
}

std::string_view to_string(ShareBasis b) {
  switch (b) {
    case ShareBasis::whole: return "whole";
    case ShareBasis::area: return "area";
    case ShareBasis::parcels: return "parcels";
  }
  return "whole";
}

std::optional<ShareBasis> parse_share_basis(std::string_view t) {
  if (t == "whole") return ShareBasis::whole;
  if (t == "area") return ShareBasis::area;
  if (t == "parcels") return ShareBasis::parcels;
  return std::nullopt;
}

}  // namespace nongsan::admin
