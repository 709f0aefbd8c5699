#include "modules/portal/portal_page.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/civil_date.hpp"
#include "core/text.hpp"
#include "modules/portal/portal_service.hpp"
#include "modules/trace/public_page.hpp"

namespace nongsan::portal {

using nlohmann::json;
using trace::html_escape;

namespace {

std::string s(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }
std::string num(const json& j, int d) { return j.is_number() ? format_number_vi(j.get<double>(), d) : "—"; }

const char* band_vi(const std::string& status) {
  if (status == "achieved") return "Đạt, vượt";
  if (status == "over_half") return "Trên 50%";
  if (status == "low") return "Thấp";
  if (status == "no_target") return "Chưa giao mục tiêu";
  if (status == "no_data") return "Chưa có số liệu";
  return "Chưa tính được";
}

template <typename F>
void each_ring(const json& geometry, F&& f) {
  const std::string type = s(geometry.value("type", json()));
  const json& c = geometry.value("coordinates", json::array());
  if (type == "Polygon") for (const auto& ring : c) f(ring);
  if (type == "MultiPolygon") for (const auto& poly : c) for (const auto& ring : poly) f(ring);
}

}  // namespace

std::string map_svg(const json& zones, const json& areas, int width, int height) {
  double minx = std::numeric_limits<double>::max(), miny = minx, maxx = -minx, maxy = -minx;
  for (const json* fc : {&zones, &areas})
    for (const auto& f : fc->value("features", json::array()))
      each_ring(f.value("geometry", json::object()), [&](const json& ring) {
        for (const auto& p : ring) {
          if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) continue;
          minx = std::min(minx, p[0].get<double>()), maxx = std::max(maxx, p[0].get<double>());
          miny = std::min(miny, p[1].get<double>()), maxy = std::max(maxy, p[1].get<double>());
        }
      });
  std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
                                "aria-label=\"Bản đồ vùng sản xuất và vùng trồng được cấp mã\">", width, height);
  if (minx > maxx) return out + "<text x=\"10\" y=\"20\">Chưa có dữ liệu bản đồ</text></svg>";
  const double k = std::min((width - 8) / std::max(maxx - minx, 1e-9), (height - 8) / std::max(maxy - miny, 1e-9));
  auto path = [&](const json& fc, const char* fill, const char* stroke) {
    for (const auto& f : fc.value("features", json::array())) {
      std::string d;
      each_ring(f.value("geometry", json::object()), [&](const json& ring) {
        bool first = true;
        for (const auto& p : ring) {
          if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) continue;
          d += fmt::format("{}{:.1f} {:.1f}", first ? "M" : "L", 4 + (p[0].get<double>() - minx) * k, 4 + (maxy - p[1].get<double>()) * k);
          first = false;
        }
        d += "Z";
      });
      const json& pr = f.value("properties", json::object());
      out += fmt::format("<path d=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.6\"><title>{}</title></path>", d, fill, stroke,
                         html_escape(s(pr.value("name", json())).empty() ? s(pr.value("code", json())) : s(pr.value("name", json()))));
    }
  };
  path(zones, "#b7e1b0", "#2e7d32");
  path(areas, "#ffb74d", "#e65100");
  return out + "</svg>";
}

std::string portal_html(const json& progress, const json& zones, const json& areas, const json& ocop, const json& lots) {
  std::string h;
  h += "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>Công khai kết quả thực hiện chương trình nông nghiệp hàng hóa — Lai Châu</title><style>"
       "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafaf7}"
       "header{background:#1b5e20;color:#fff;padding:12px 16px}header h1{font-size:1.15rem;margin:0}"
       "main{max-width:960px;margin:0 auto;padding:8px 12px}section{margin:16px 0}h2{font-size:1.05rem;border-bottom:2px solid #1b5e20;padding-bottom:4px}"
       "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:4px;text-align:left;vertical-align:top}"
       "td.n{text-align:right;white-space:nowrap}.bar{background:#e0e0e0;height:8px;border-radius:4px;min-width:60px}.bar i{display:block;height:8px;border-radius:4px;background:#2e7d32}"
       ".low i{background:#c62828}.over_half i{background:#f9a825}.wrap{overflow-x:auto}svg{width:100%;height:auto;background:#fff;border:1px solid #ddd}"
       ".note{font-size:.85rem;color:#555}.stars{color:#e65100;white-space:nowrap}a{color:#0d47a1}.ill{background:#fff3cd;padding:6px 8px;border-radius:4px}"
       "nav a{margin-right:12px}</style></head><body>";
  const json& prog = progress.value("programme", json::object());
  h += "<header><h1>Công khai kết quả thực hiện " + html_escape(s(prog.value("name_vi", json()))) + "</h1></header><main>";
  if (progress.value("illustrative", false))
    h += "<p class=\"ill\">Số liệu minh họa: các số liệu trên trang này là số liệu minh họa, không phải số liệu chính thức.</p>";
  if (progress.value("programmes", json::array()).size() > 1) {
    h += "<nav>";
    for (const auto& p : progress["programmes"])
      h += "<a href=\"/cong-khai?programme=" + html_escape(s(p["code"])) + "\">" + html_escape(s(p["name_vi"])) + "</a>";
    h += "</nav>";
  }
  auto as_of = CivilDate::parse(s(progress.value("as_of", json())));
  h += "<section id=\"chi-tieu\"><h2>Tiến độ các chỉ tiêu đến ngày " + html_escape(as_of ? as_of->vi() : "") + " (kế hoạch năm " +
       std::to_string(progress.value("milestone", 0)) + ")</h2><div class=\"wrap\"><table><thead><tr><th>Chỉ tiêu</th><th>Thực hiện</th><th>Kế hoạch</th><th>Tỷ lệ</th><th>Đánh giá</th></tr></thead><tbody>";
  for (const auto& i : progress.value("indicators", json::array())) {
    const std::string st = s(i["status"]);
    const double pct = i["achievement_pct"].is_number() ? std::clamp(i["achievement_pct"].get<double>(), 0.0, 100.0) : 0;
    h += "<tr><td>" + html_escape(s(i["name_vi"])) + "</td><td class=\"n\">" + num(i["actual"], 1) + " " + html_escape(s(i["measure_unit"])) +
         "</td><td class=\"n\">" + num(i["target"], 1) + "</td><td><div class=\"bar " + html_escape(st) + "\"><i style=\"width:" +
         fmt::format("{:.0f}", pct) + "%\"></i></div>" + num(i["achievement_pct"], 1) + (i["achievement_pct"].is_number() ? " %" : "") +
         "</td><td>" + band_vi(st) + "</td></tr>";
  }
  h += "</tbody></table></div></section>";
  const json& units = progress.value("units", json::array());
  if (!units.empty()) {
    h += "<section id=\"don-vi\"><h2>Theo đơn vị hành chính</h2><div class=\"wrap\"><table><thead><tr><th>Đơn vị</th><th>Đạt, vượt</th><th>Trên 50%</th><th>Thấp</th></tr></thead><tbody>";
    for (const auto& u : units) {
      int a = 0, o = 0, l = 0;
      for (const auto& i : u["indicators"]) {
        const std::string b = s(i["band"]);
        a += b == "achieved", o += b == "over_half", l += b == "low";
      }
      h += "<tr><td>" + html_escape(s(u["name"])) + "</td><td class=\"n\">" + std::to_string(a) + "</td><td class=\"n\">" + std::to_string(o) +
           "</td><td class=\"n\">" + std::to_string(l) + "</td></tr>";
    }
    h += "</tbody></table></div></section>";
  }
  h += "<section id=\"ban-do\"><h2>Vùng sản xuất tập trung và vùng trồng được cấp mã số</h2>" + map_svg(zones, areas, 360, 300) +
       "<p class=\"note\">Xanh: vùng sản xuất tập trung (" + std::to_string(zones.value("features", json::array()).size()) +
       "); cam: vùng trồng đã được cấp mã số (" + std::to_string(areas.value("features", json::array()).size()) + " thửa).</p></section>";
  h += "<section id=\"ocop\"><h2>Sản phẩm OCOP</h2>";
  if (ocop.value("items", json::array()).empty()) h += "<p>Chưa có sản phẩm OCOP còn hiệu lực.</p>";
  else {
    h += "<div class=\"wrap\"><table><thead><tr><th>Sản phẩm</th><th>Hạng</th><th>Địa phương</th><th>Hiệu lực đến</th></tr></thead><tbody>";
    for (const auto& i : ocop["items"]) {
      const int stars = i.value("stars", 0);
      std::string st;
      for (int k = 0; k < stars; ++k) st += "★";
      auto exp = CivilDate::parse(s(i["expires"]));
      h += "<tr><td>" + html_escape(s(i["name"])) + "</td><td class=\"stars\" aria-label=\"" + std::to_string(stars) + " sao\">" + st +
           "</td><td>" + html_escape(s(i["unit"])) + "</td><td>" + (exp ? exp->vi() : "") + "</td></tr>";
    }
    h += "</tbody></table></div>";
  }
  h += "</section><section id=\"truy-xuat\"><h2>Truy xuất nguồn gốc</h2><p>Mỗi lô sản phẩm có tem QR dẫn tới trang công khai của lô "
       "(dạng <code>/01/&lt;GTIN&gt;/10/&lt;mã lô&gt;</code>): nơi trồng, nhật ký, chứng nhận. Quét mã QR trên bao bì để xem.</p>";
  if (lots.is_array() && !lots.empty()) {
    h += "<p>Các lô thu hoạch gần đây:</p><ul class=\"lots\">";
    for (const auto& l : lots) {
      auto d = CivilDate::parse(s(l["harvested"]));
      h += "<li><a href=\"" + html_escape(s(l["path"])) + "\">" + html_escape(s(l["product_vi"])) + " — lô " +
           html_escape(s(l["lot"])) + "</a>" + (d ? " (thu hoạch " + d->vi() + ")" : "") + "</li>";
    }
    h += "</ul>";
  }
  h += "</section>";
  const std::string code = html_escape(s(prog.value("code", json())));
  h += "<section id=\"du-lieu-mo\"><h2>Dữ liệu mở</h2><ul>"
       "<li><a href=\"/api/v1/public/progress.csv?programme=" + code + "\">Tiến độ các chỉ tiêu (CSV)</a></li>"
       "<li><a href=\"/api/v1/public/zones.geojson\">Vùng sản xuất tập trung (GeoJSON)</a></li>"
       "<li><a href=\"/api/v1/public/growing-areas.geojson\">Vùng trồng được cấp mã số (GeoJSON)</a></li>"
       "<li><a href=\"/api/v1/public/ocop.csv\">Sản phẩm OCOP (CSV)</a></li></ul>"
       "<p class=\"note\">Dữ liệu được cung cấp theo giấy phép <a href=\"" + std::string(kLicenceUrl) + "\" rel=\"license\">" + kLicence +
       "</a>: được sử dụng, chia sẻ, chỉnh sửa, kể cả cho mục đích thương mại, với điều kiện ghi nguồn \"Tỉnh Lai Châu — nongsan\". "
       "Không có dữ liệu cá nhân trên trang này.</p></section></main></body></html>";
  return h;
}

}  // namespace nongsan::portal
