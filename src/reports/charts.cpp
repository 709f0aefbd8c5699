#include "reports/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/text.hpp"
#include "core/wkb.hpp"

namespace nongsan::reports {

Band parse_band(const nlohmann::json& v) {
  if (!v.is_string()) return Band::none;
  const auto s = v.get<std::string>();
  if (s == "achieved") return Band::achieved;
  if (s == "over_half") return Band::over_half;
  if (s == "low") return Band::low;
  return Band::none;
}

Rgb band_color(Band b) {
  switch (b) {
    case Band::achieved: return {46, 125, 50};
    case Band::over_half: return {240, 170, 30};
    case Band::low: return {198, 40, 40};
    case Band::none: break;
  }
  return {158, 158, 158};
}

std::string band_label_vi(Band b) {
  switch (b) {
    case Band::achieved: return "Đạt, vượt";
    case Band::over_half: return "Trên 50%";
    case Band::low: return "Thấp";
    case Band::none: break;
  }
  return "Chưa có số liệu";
}

double nice_step(double range, int max_ticks) {
  if (!(range > 0)) return 1;
  double raw = range / std::max(1, max_ticks);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

std::string compact_number_vi(double v) {
  double a = std::fabs(v);
  int decimals = a >= 100 || a == std::floor(a) ? 0 : a >= 10 ? 1 : 2;
  std::string s = format_number_vi(v, decimals);
  if (decimals > 0) {  // "1,50" -> "1,5"
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == ',') s.pop_back();
  }
  return s;
}

namespace {

constexpr Rgb kGrid{210, 210, 210};
constexpr Rgb kAxis{90, 90, 90};
constexpr Rgb kTarget{198, 40, 40};
constexpr Rgb kForecast{21, 101, 192};

// Up to `max_lines` lines no wider than `width`; the last one ends in "…" when cut.
std::vector<std::string> wrap(Canvas& c, const std::string& text, double size, double width, int max_lines) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    auto j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    if (j > i) words.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::string> lines;
  std::string cur;
  for (std::size_t k = 0; k < words.size(); ++k) {
    std::string next = cur.empty() ? words[k] : cur + " " + words[k];
    if (cur.empty() || c.text_width(next, size, false) <= width) {
      cur = next;
      continue;
    }
    lines.push_back(cur);
    cur = words[k];
    if (static_cast<int>(lines.size()) == max_lines) {
      cur.clear();
      // Cut: shorten the last line until "…" fits.
      std::string& last = lines.back();
      while (!last.empty() && c.text_width(last + "…", size, false) > width) {
        do last.pop_back();
        while (!last.empty() && (static_cast<unsigned char>(last.back()) & 0xC0) == 0x80);
        if (!last.empty() && (static_cast<unsigned char>(last.back()) & 0x80)) last.pop_back();
      }
      last += "…";
      return lines;
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

std::string pct_vi(double v) { return format_number_vi(v, 1) + "%"; }

void legend_swatch(Canvas& c, double x, double y, const Rgb& color, const std::string& label, double size) {
  Stroke s{kAxis, 0.4};
  c.rect(x, y - size * 0.75, size * 1.4, size * 0.8, &color, &s);
  c.text(x + size * 1.8, y, label, size, Anchor::start);
}

}  // namespace

double achievement_bars_height_pt(std::size_t items) { return 26.0 + 18.0 * static_cast<double>(items) + 34.0; }

void draw_achievement_bars(Canvas& c, double width, double height, const std::vector<BarItem>& items) {
  const double fs = 8.5;
  const double top = 14, bottom = 34, row = items.empty() ? 18 : (height - top - bottom) / items.size();
  double label_w = 0;
  for (const auto& it : items) label_w = std::max(label_w, c.text_width(it.label, fs, false));
  label_w = std::min(label_w + 6, width * 0.36);
  const double x0 = label_w + 4, x1 = width - 36;
  double max_pct = 120;
  for (const auto& it : items)
    if (it.pct) max_pct = std::max(max_pct, *it.pct);
  double step = nice_step(max_pct, 6);
  double axis_max = std::ceil(max_pct / step) * step;
  auto X = [&](double pct) { return x0 + (x1 - x0) * std::clamp(pct, 0.0, axis_max) / axis_max; };
  const double y_end = top + row * items.size();
  // Grid and the axis ticks.
  for (double v = 0; v <= axis_max + 1e-9; v += step) {
    c.line(X(v), top, X(v), y_end, Stroke{kGrid, 0.4});
    c.text(X(v), y_end + 10, format_number_vi(v, 0) + "%", 7.5, Anchor::middle, false, kAxis);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    double yc = top + row * (i + 0.5);
    auto lines = wrap(c, it.label, fs, label_w - 6, 2);
    double ly = yc + fs * 0.35 - (lines.size() - 1) * fs * 0.55;
    for (const auto& l : lines) {
      c.text(x0 - 5, ly, l, fs, Anchor::end);
      ly += fs * 1.1;
    }
    if (!it.pct) {
      c.text(x0 + 3, yc + fs * 0.35, it.no_value, fs - 0.5, Anchor::start, false, kAxis, true);
      continue;
    }
    Rgb fill = band_color(it.band);
    double bh = std::min(row * 0.62, 12.0);
    c.rect(x0, yc - bh / 2, std::max(0.5, X(*it.pct) - x0), bh, &fill, nullptr);
    c.text(X(*it.pct) + 3, yc + fs * 0.35, pct_vi(*it.pct), fs - 0.5, Anchor::start);
  }
  // The two thresholds of the review (Notice 752-TB/TU speaks of "trên 50 %" and "đạt, vượt").
  for (double v : {50.0, 100.0}) {
    c.line(X(v), top - 4, X(v), y_end, Stroke{kBlack, 0.9, true});
    c.text(X(v), top - 6, format_number_vi(v, 0) + "%", 7.5, Anchor::middle, true);
  }
  c.line(x0, top, x0, y_end, Stroke{kAxis, 0.6});
  // Legend.
  double lx = x0, ly = height - 8;
  for (Band b : {Band::achieved, Band::over_half, Band::low}) {
    std::string label = b == Band::achieved ? "Đạt, vượt (≥ 100%)" : b == Band::over_half ? "Đạt trên 50%" : "Đạt thấp (< 50%)";
    legend_swatch(c, lx, ly, band_color(b), label, 8);
    lx += 14 + c.text_width(label, 8, false) + 18;
  }
}

void draw_trend_panels(Canvas& c, double width, double height, const std::vector<TrendSeries>& series, int cols) {
  if (series.empty()) return;
  cols = std::max(1, cols);
  const int rows = static_cast<int>((series.size() + cols - 1) / cols);
  const double legend_h = 20;
  const double pw = width / cols, ph = (height - legend_h) / rows;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    double ox = pw * (k % cols), oy = ph * (k / cols);
    double left = ox + 40, right = ox + pw - 10, top = oy + 26, bottom = oy + ph - 18;
    auto title = wrap(c, s.title + (s.measure_unit.empty() ? "" : " (" + s.measure_unit + ")"), 8.5, pw - 12, 1);
    c.text(ox + pw / 2, oy + 11, title.empty() ? "" : title[0], 8.5, Anchor::middle, true);
    int y_first = s.values.empty() ? s.target_year : s.values.front().first;
    int y_last = std::max(s.target_year, s.values.empty() ? y_first : s.values.back().first);
    if (y_last <= y_first) y_last = y_first + 1;
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    auto take = [&](double v) { lo = std::min(lo, v); hi = std::max(hi, v); };
    for (const auto& [yr, v] : s.values) take(v);
    if (s.target) take(*s.target);
    if (s.forecast) take(*s.forecast);
    if (lo > hi) { lo = 0; hi = 1; }
    if (lo >= 0 && lo < hi * 0.6) lo = 0;  // start at zero unless that squashes the lines
    double step = nice_step(hi - lo > 0 ? hi - lo : std::max(1.0, std::fabs(hi)), 4);
    if (s.counted) step = std::max(1.0, std::ceil(step));  // no "2,5 công trình" on an axis
    double ymin = std::floor(lo / step) * step, ymax = std::ceil(hi / step) * step;
    if (ymax <= ymin) ymax = ymin + step;
    auto X = [&](double yr) { return left + (right - left) * (yr - y_first) / (y_last - y_first); };
    auto Y = [&](double v) { return bottom - (bottom - top) * (v - ymin) / (ymax - ymin); };
    for (double v = ymin; v <= ymax + step * 1e-6; v += step) {
      c.line(left, Y(v), right, Y(v), Stroke{kGrid, 0.4});
      c.text(left - 3, Y(v) + 2.5, compact_number_vi(v), 6.5, Anchor::end, false, kAxis);
    }
    int year_step = (y_last - y_first) > 6 ? 2 : 1;
    for (int yr = y_first; yr <= y_last; yr += year_step) {
      c.line(X(yr), bottom, X(yr), bottom + 2, Stroke{kAxis, 0.5});
      c.text(X(yr), bottom + 9, std::to_string(yr), 6.5, Anchor::middle, false, kAxis);
    }
    c.line(left, bottom, right, bottom, Stroke{kAxis, 0.6});
    c.line(left, top, left, bottom, Stroke{kAxis, 0.6});
    if (s.target) c.line(left, Y(*s.target), right, Y(*s.target), Stroke{kTarget, 1.0, true});
    if (s.forecast && !s.values.empty()) {
      const auto& [ly, lv] = s.values.back();
      c.polyline({{X(ly), Y(lv)}, {X(s.target_year), Y(*s.forecast)}}, Stroke{kForecast, 1.0, true});
      c.circle(X(s.target_year), Y(*s.forecast), 2.0, &kForecast, nullptr);
    }
    std::vector<Pt> pts;
    for (const auto& [yr, v] : s.values) pts.push_back({X(yr), Y(v)});
    c.polyline(pts, Stroke{kBlack, 1.2});
    for (const auto& p : pts) c.circle(p.x, p.y, 1.6, &kBlack, nullptr);
  }
  double ly = height - 6, lx = 10;
  c.line(lx, ly - 3, lx + 18, ly - 3, Stroke{kBlack, 1.2});
  c.text(lx + 22, ly, "Thực hiện", 8, Anchor::start);
  lx += 22 + c.text_width("Thực hiện", 8, false) + 16;
  c.line(lx, ly - 3, lx + 18, ly - 3, Stroke{kTarget, 1.0, true});
  c.text(lx + 22, ly, "Mục tiêu", 8, Anchor::start);
  lx += 22 + c.text_width("Mục tiêu", 8, false) + 16;
  c.line(lx, ly - 3, lx + 18, ly - 3, Stroke{kForecast, 1.0, true});
  c.text(lx + 22, ly, "Dự báo đến mốc mục tiêu", 8, Anchor::start);
}

// --- geometry -----------------------------------------------------------------

Result<std::vector<UnitShape>> shapes_from_feature_collection(const nlohmann::json& fc) {
  if (!fc.is_object() || !fc.contains("features") || !fc["features"].is_array())
    return Error::invalid("shapes: not a GeoJSON FeatureCollection", {{"features", "missing"}});
  std::vector<UnitShape> out;
  std::size_t i = 0;
  for (const auto& f : fc["features"]) {
    // A file anyone can edit: every value is checked for its type before it is read.
    const std::string at = fmt::format("features[{}]", i++);
    if (!f.is_object()) return Error::invalid("shapes: a feature is not an object", {{at, "must be an object"}});
    const auto props = f.contains("properties") ? f["properties"] : nlohmann::json::object();
    if (!props.is_object() || !props.contains("code") || !props["code"].is_string())
      return Error::invalid("shapes: a feature has no code", {{at + ".properties.code", "missing or not a string"}});
    const auto name = props.contains("name") ? props["name"] : nlohmann::json("");
    if (!name.is_string() && !name.is_null())
      return Error::invalid("shapes: a feature's name is not text", {{at + ".properties.name", "must be a string"}});
    out.push_back({props["code"].get<std::string>(), name.is_string() ? name.get<std::string>() : "",
                   f.contains("geometry") ? f["geometry"] : nlohmann::json(), {}});
  }
  return out;
}

namespace {

Result<std::vector<Ring>> rings_from_geojson(const nlohmann::json& g, const std::string& code) {
  auto bad = [&](const std::string& why) {
    return Error::invalid("unit " + code + ": geometry " + why, {{"shapes." + code + ".geometry", why}});
  };
  if (!g.is_object() || !g.contains("type") || !g["type"].is_string() || !g.contains("coordinates"))
    return bad("is not GeoJSON");
  const std::string type = g["type"].get<std::string>();
  std::vector<Ring> rings;
  auto add_polygon = [&](const nlohmann::json& poly) -> bool {
    if (!poly.is_array()) return false;
    for (const auto& ring : poly) {
      if (!ring.is_array()) return false;
      Ring r;
      for (const auto& p : ring) {
        if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) return false;
        r.push_back({p[0].get<double>(), p[1].get<double>()});
      }
      rings.push_back(std::move(r));
    }
    return true;
  };
  if (type == "Polygon") {
    if (!add_polygon(g["coordinates"])) return bad("has bad coordinates");
  } else if (type == "MultiPolygon") {
    if (!g["coordinates"].is_array()) return bad("has bad coordinates");
    for (const auto& poly : g["coordinates"])
      if (!add_polygon(poly)) return bad("has bad coordinates");
  } else {
    return bad("is a " + type + ", not a Polygon or MultiPolygon");
  }
  return rings;
}

}  // namespace

Result<std::vector<Ring>> shape_rings(const UnitShape& shape) {
  if (!shape.geojson.is_null()) return rings_from_geojson(shape.geojson, shape.code);
  auto polygons = wkb::read_polygons(shape.wkb);
  std::vector<Ring> rings;
  if (polygons)
    for (const auto& polygon : *polygons)
      for (const auto& ring : polygon) {
        Ring r;
        r.reserve(ring.size());
        for (const auto& p : ring) r.push_back({p.x, p.y});
        rings.push_back(std::move(r));
      }
  if (!polygons || rings.empty())
    return Error::invalid("unit " + shape.code + ": geometry is not a WKB Polygon or MultiPolygon",
                          {{"shapes." + shape.code + ".geometry", "bad WKB"}});
  return rings;
}

void draw_choropleth(Canvas& c, double width, double height, const std::vector<MapUnit>& units,
                     const std::vector<MapClass>& classes, const std::string& legend_title) {
  double minx = 1e300, maxx = -1e300, miny = 1e300, maxy = -1e300;
  for (const auto& u : units)
    for (const auto& r : u.rings)
      for (const auto& p : r) {
        minx = std::min(minx, p.x); maxx = std::max(maxx, p.x);
        miny = std::min(miny, p.y); maxy = std::max(maxy, p.y);
      }
  if (minx > maxx) return;
  // Equirectangular projection scaled by cos(latitude): true shapes at a province's size.
  const double kx = std::cos((miny + maxy) / 2 * M_PI / 180.0);
  const double legend_w = 120;
  const double aw = width - legend_w - 10, ah = height - 10;
  const double scale = std::min(aw / ((maxx - minx) * kx), ah / (maxy - miny));
  const double ox = 5 + (aw - (maxx - minx) * kx * scale) / 2, oy = 5 + (ah - (maxy - miny) * scale) / 2;
  auto P = [&](const Pt& p) { return Pt{ox + (p.x - minx) * kx * scale, oy + (maxy - p.y) * scale}; };
  const Rgb no_data{205, 205, 205};
  Stroke border{kWhite, 1.0};
  Stroke outline{{80, 80, 80}, 0.6};
  for (const auto& u : units) {
    const Rgb* fill = &no_data;
    if (u.value)
      for (const auto& k : classes)
        if (*u.value >= k.from && *u.value < k.to) fill = &k.color;
    std::vector<Ring> proj;
    for (const auto& r : u.rings) {
      Ring pr;
      for (const auto& p : r) pr.push_back(P(p));
      proj.push_back(std::move(pr));
    }
    c.polygon(proj, fill, &outline);
    (void)border;
  }
  // Labels at the centroid of each unit's largest ring (shoelace), name and value; a label
  // that would cover one already placed (a small city inside its district) moves down.
  struct Box { double x0, y0, x1, y1; };
  std::vector<Box> placed;
  for (const auto& u : units) {
    double best = 0, cx = 0, cy = 0;
    for (const auto& r : u.rings) {
      double a = 0, sx = 0, sy = 0;
      for (std::size_t i = 0, n = r.size(); i < n; ++i) {
        Pt p = P(r[i]), q = P(r[(i + 1) % n]);
        double cr = p.x * q.y - q.x * p.y;
        a += cr;
        sx += (p.x + q.x) * cr;
        sy += (p.y + q.y) * cr;
      }
      if (std::fabs(a) > best) {
        best = std::fabs(a);
        cx = sx / (3 * a);
        cy = sy / (3 * a);
      }
    }
    if (best == 0) continue;
    const double half_w = std::max(c.text_width(u.label, 7.5, true), 20.0) / 2 + 1;
    for (int tries = 0; tries < 4; ++tries) {
      bool clash = false;
      for (const auto& b : placed)
        if (cx - half_w < b.x1 && cx + half_w > b.x0 && cy - 8 < b.y1 && cy + 11 > b.y0) clash = true;
      if (!clash) break;
      cy += 10;
    }
    placed.push_back({cx - half_w, cy - 8, cx + half_w, cy + 11});
    c.text(cx, cy, u.label, 7.5, Anchor::middle, true);
    c.text(cx, cy + 9, u.value ? format_number_vi(*u.value, 1) + "%" : "–", 7.5, Anchor::middle);
  }
  // Legend and north arrow.
  double lx = width - legend_w + 4, ly = 20;
  auto title = wrap(c, legend_title, 8, legend_w - 8, 3);
  for (const auto& t : title) {
    c.text(lx, ly, t, 8, Anchor::start, true);
    ly += 10;
  }
  ly += 6;
  for (const auto& k : classes) {
    legend_swatch(c, lx, ly, k.color, k.label, 8);
    ly += 14;
  }
  legend_swatch(c, lx, ly, no_data, "Chưa đánh giá được", 8);
  double nx = width - 20, ny = height - 40;
  c.polygon({{{nx, ny - 16}, {nx - 6, ny}, {nx, ny - 4}, {nx + 6, ny}}}, &kBlack, nullptr);
  c.text(nx, ny + 11, "B", 9, Anchor::middle, true);
}

}  // namespace nongsan::reports
