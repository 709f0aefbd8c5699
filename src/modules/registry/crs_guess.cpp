#include "modules/registry/crs_guess.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

namespace nongsan::registry {

namespace {

struct Vn2000Crs {
  int epsg;
  double central_meridian;
  double scale;
  const char* name;
};

// Every VN-2000 projected CRS in the EPSG registry (PROJ 9 database; checked with
// `projinfo EPSG:<code> -o PROJ`): all have false easting 500,000 m and false
// northing 0. Provincial TM-3 zones use scale 0.9999, the UTM zones 0.9996.
constexpr std::array<Vn2000Crs, 20> kVn2000{{
    {9205, 103.00, 0.9999, "VN-2000 / TM-3 103-00"},  // Lai Châu
    {9206, 104.00, 0.9999, "VN-2000 / TM-3 104-00"},   {9207, 104.50, 0.9999, "VN-2000 / TM-3 104-30"},
    {9208, 104.75, 0.9999, "VN-2000 / TM-3 104-45"},   {9209, 105.50, 0.9999, "VN-2000 / TM-3 105-30"},
    {9210, 105.75, 0.9999, "VN-2000 / TM-3 105-45"},   {9211, 106.00, 0.9999, "VN-2000 / TM-3 106-00"},
    {9212, 106.25, 0.9999, "VN-2000 / TM-3 106-15"},   {9213, 106.50, 0.9999, "VN-2000 / TM-3 106-30"},
    {9214, 107.00, 0.9999, "VN-2000 / TM-3 107-00"},   {9215, 107.25, 0.9999, "VN-2000 / TM-3 107-15"},
    {9216, 107.50, 0.9999, "VN-2000 / TM-3 107-30"},   {9217, 108.25, 0.9999, "VN-2000 / TM-3 108-15"},
    {9218, 108.50, 0.9999, "VN-2000 / TM-3 108-30"},   {5896, 102.00, 0.9999, "VN-2000 / TM-3 zone 481"},
    {5897, 105.00, 0.9999, "VN-2000 / TM-3 zone 482"}, {5898, 108.00, 0.9999, "VN-2000 / TM-3 zone 491"},
    {5899, 107.75, 0.9999, "VN-2000 / TM-3 107-45"},   {3405, 105.00, 0.9996, "VN-2000 / UTM zone 48N"},
    {3406, 111.00, 0.9996, "VN-2000 / UTM zone 49N"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Upper-case letters and digits only: "VN_2000", "VN-2000" and "vn 2000" all become "VN2000".
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> number_at(const std::string& s, std::size_t pos) {
  while (pos < s.size() && (s[pos] == ',' || s[pos] == ' ')) ++pos;
  if (pos >= s.size()) return std::nullopt;
  const char* begin = s.c_str() + pos;
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The value of PARAMETER["<one of names>", value] in WKT 1 or 2 (lower-cased text).
std::optional<double> parameter(const std::string& wkt, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    const std::string key = "parameter[\"" + std::string(n) + "\"";
    if (auto pos = wkt.find(key); pos != std::string::npos) return number_at(wkt, pos + key.size());
  }
  return std::nullopt;
}

// True when the projected CRS's own length unit (the UNIT after its parameters) is the metre.
bool in_metres(const std::string& wkt) {
  auto last = wkt.rfind("parameter[");
  if (last == std::string::npos) return false;
  auto unit = wkt.find("unit[\"", last);
  if (unit == std::string::npos) return true;  // WKT 1 without a unit: metres by default
  auto close = wkt.find('"', unit + 6);
  if (close == std::string::npos) return false;
  auto factor = number_at(wkt, close + 1);
  return factor && std::abs(*factor - 1.0) < 1e-9;
}

bool is_transverse_mercator(const std::string& wkt) {
  return wkt.find("projection[\"transverse_mercator\"") != std::string::npos ||
         wkt.find("method[\"transverse mercator\"") != std::string::npos;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// 103.5 -> "103°30′"
std::string degrees_minutes(double deg) {
  if (!(std::abs(deg) <= 360)) return fmt(deg) + "°";  // not a longitude (a .prj may say 1e300): as written
  const double whole = std::floor(deg);
  const int minutes = static_cast<int>(std::lround((deg - whole) * 60.0));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d°%02d′", static_cast<int>(whole), minutes);
  return buf;
}

const char* name_of(int epsg) {
  for (const auto& c : kVn2000)
    if (c.epsg == epsg) return c.name;
  return "";
}

bool looks_like_lon_lat(const geo::Bounds& b) {
  return b.min_x >= -180 && b.max_x <= 180 && b.min_y >= -90 && b.max_y <= 90;
}

}  // namespace

std::optional<int> vn2000_epsg(double central_meridian, double scale_factor) {
  for (const auto& c : kVn2000)
    if (std::abs(c.central_meridian - central_meridian) < 1e-6 && std::abs(c.scale - scale_factor) < 1e-7)
      return c.epsg;
  return std::nullopt;
}

Result<CrsChoice> guess_crs(const geo::LayerCrs& facts, const std::string& file_name) {
  if (!facts.spatial || facts.epsg) return CrsChoice{};

  if (!facts.wkt.empty()) {
    const std::string wkt = lower(facts.wkt);
    const std::string squeezed = squeeze(facts.wkt);
    const bool vn2000 =
        (squeezed.find("VN2000") != std::string::npos || squeezed.find("VIETNAM2000") != std::string::npos) &&
        squeezed.find("HANOI1972") == std::string::npos && squeezed.find("HN72") == std::string::npos;
    const auto cm = parameter(wkt, {"central_meridian", "longitude of natural origin", "longitude_of_origin"});
    if (!vn2000 || !is_transverse_mercator(wkt) || !cm) return CrsChoice{};
    const double k = parameter(wkt, {"scale_factor", "scale factor at natural origin"}).value_or(1.0);
    const double fe = parameter(wkt, {"false_easting", "false easting"}).value_or(500000.0);
    const double fn = parameter(wkt, {"false_northing", "false northing"}).value_or(0.0);
    const std::string described = "Transverse Mercator, central meridian " + degrees_minutes(*cm) + ", scale " +
                                  fmt(k) + ", false easting " + fmt(fe) + " m, false northing " + fmt(fn) + " m";
    auto code = vn2000_epsg(*cm, k);
    if (!code || std::abs(fe - 500000.0) > 1e-3 || std::abs(fn) > 1e-3 || !in_metres(wkt)) {
      return Error::invalid(file_name + ": its CRS names VN-2000 (" + described +
                                ") but no EPSG VN-2000 CRS has these parameters; give the right EPSG code with --crs",
                            {{"--crs", "required for this file"}});
    }
    return CrsChoice{*code, file_name + ": its CRS names VN-2000 (" + described +
                                ") without an EPSG code; read as EPSG:" + std::to_string(*code) + " (" +
                                name_of(*code) + "), which includes the datum shift to WGS 84"};
  }

  if (!facts.extent) {
    return CrsChoice{4326, file_name + " has no coordinate reference system and no coordinates; assuming EPSG:4326"};
  }
  const auto& b = *facts.extent;
  if (looks_like_lon_lat(b)) {
    return CrsChoice{4326, file_name +
                               " has no coordinate reference system; its coordinates look like longitude/latitude, "
                               "so WGS 84 (EPSG:4326) is assumed (pass --crs to say otherwise)"};
  }
  return Error::invalid(file_name + " has no coordinate reference system, and its coordinates (x " + fmt(b.min_x) +
                            " … " + fmt(b.max_x) + ", y " + fmt(b.min_y) + " … " + fmt(b.max_y) +
                            ") are not longitude/latitude; pass --crs 9205 for VN-2000 / TM-3 103-00 (Lai Châu), "
                            "or the EPSG code of the system they are in",
                        {{"--crs", "required for this file"}});
}

}  // namespace nongsan::registry
