// The charts of a review, drawn on a Canvas (PDF vectors, PNG for DOCX, SVG for HTML):
// achievement by indicator, trend with target and forecast, and a choropleth map by unit.
// Inputs are plain values; the charts compute nothing but positions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "reports/canvas.hpp"

namespace nongsan::reports {

// Achievement bands of the glossary: đạt và vượt (≥ 100 %), đạt trên 50 %, đạt thấp.
enum class Band { achieved, over_half, low, none };
Band parse_band(const nlohmann::json& v);  // "achieved" | "over_half" | "low" | null
Rgb band_color(Band b);
std::string band_label_vi(Band b);  // "Đạt, vượt" | "Trên 50%" | "Thấp" | "Chưa có số liệu"

struct BarItem {
  std::string label;
  std::optional<double> pct;
  Band band = Band::none;
  std::string no_value = "Chưa có số liệu";  // said where there is no percentage (e.g. "Chưa giao mục tiêu")
};
// Horizontal bars, one per item, coloured by band, with lines at 50 % and 100 % and a legend.
void draw_achievement_bars(Canvas& c, double width_pt, double height_pt, const std::vector<BarItem>& items);
double achievement_bars_height_pt(std::size_t items);

struct TrendSeries {
  std::string title;         // indicator name
  std::string measure_unit;  // "ha"
  std::vector<std::pair<int, double>> values;  // year, value (baseline year first)
  std::optional<double> target;
  std::optional<double> forecast;
  int target_year = 0;  // the milestone
  bool counted = false;  // whole things (works, farms …): whole-number ticks
};
// Small multiples, `cols` per row, each: values as a line with points, the target as a
// dashed red line, the forecast as a dashed blue segment to the milestone year.
void draw_trend_panels(Canvas& c, double width_pt, double height_pt, const std::vector<TrendSeries>& series, int cols);

// A unit's outline for the map: GeoJSON geometry (Polygon or MultiPolygon, lon/lat) or
// ISO WKB of the same (as storage::Geometry holds it). The lead passes these from admin.
struct UnitShape {
  std::string code;
  std::string name;
  nlohmann::json geojson;          // a GeoJSON geometry object, or null when wkb is given
  std::vector<std::uint8_t> wkb;  // used when geojson is null
};
// The features of a GeoJSON FeatureCollection, code and name from properties "code"/"name".
Result<std::vector<UnitShape>> shapes_from_feature_collection(const nlohmann::json& fc);
// Rings in lon/lat (x = lon, y = lat). Invalid geometry -> Error naming the unit.
Result<std::vector<Ring>> shape_rings(const UnitShape& shape);

struct MapClass {
  double from = 0, to = 0;  // [from, to)
  Rgb color;
  std::string label;
};
struct MapUnit {
  std::string code, label;
  std::vector<Ring> rings;  // lon/lat
  std::optional<double> value;
};
// Choropleth: units filled by the class of their value (grey when none), labels at the
// centre of each unit's bounding box of its largest ring, legend and a north arrow.
void draw_choropleth(Canvas& c, double width_pt, double height_pt, const std::vector<MapUnit>& units,
                     const std::vector<MapClass>& classes, const std::string& legend_title);

// Axis helpers shared by the charts (exposed for tests).
double nice_step(double range, int max_ticks);
std::string compact_number_vi(double v);  // 12.500 / 1,2 / 35

}  // namespace nongsan::reports
