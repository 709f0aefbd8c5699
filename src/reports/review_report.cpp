#include "reports/review_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/text.hpp"
#include "reports/document_writers.hpp"
#include "reports/nfc.hpp"

namespace nongsan::reports {

using nlohmann::json;

std::optional<ReportFormat> parse_report_format(std::string_view t) {
  if (t == "html") return ReportFormat::html;
  if (t == "pdf") return ReportFormat::pdf;
  if (t == "docx") return ReportFormat::docx;
  if (t == "xlsx") return ReportFormat::xlsx;
  return std::nullopt;
}

std::string_view to_string(ReportFormat f) {
  switch (f) {
    case ReportFormat::html: return "html";
    case ReportFormat::pdf: return "pdf";
    case ReportFormat::docx: return "docx";
    case ReportFormat::xlsx: return "xlsx";
  }
  return "pdf";
}

std::string_view content_type(ReportFormat f) {
  switch (f) {
    case ReportFormat::html: return "text/html; charset=utf-8";
    case ReportFormat::pdf: return "application/pdf";
    case ReportFormat::docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case ReportFormat::xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

std::string_view file_extension(ReportFormat f) {
  switch (f) {
    case ReportFormat::html: return ".html";
    case ReportFormat::pdf: return ".pdf";
    case ReportFormat::docx: return ".docx";
    case ReportFormat::xlsx: return ".xlsx";
  }
  return "";
}

// --- formatting -----------------------------------------------------------------

namespace {

std::optional<double> num(const json& o, const char* k) {
  if (!o.is_object() || !o.contains(k) || !o[k].is_number()) return std::nullopt;
  return o[k].get<double>();
}

std::string str(const json& o, const char* k) {
  if (!o.is_object() || !o.contains(k) || !o[k].is_string()) return "";
  return o[k].get<std::string>();
}

// Quantities: whole numbers without decimals, others with one (1.234,5). Counted
// units (works, farms, products …: the review's `counted`) are always whole numbers:
// never "171,2 công trình" (docs/rules.md §3).
std::string qty(std::optional<double> v, bool counted = false) {
  if (!v) return "–";
  double r = std::round(*v);
  if (counted || std::fabs(*v - r) < 0.05) return format_number_vi(r == 0 ? 0.0 : r, 0);
  return format_number_vi(*v, 1);
}
bool counted(const json& ind) { return ind.value("counted", false); }

// +450 / −12,5 (a change has its sign, the minus sign of print).
std::string signed_qty(double v, bool whole) {
  std::string s = qty(std::fabs(v), whole);
  if (s == "0") return s;
  return (v < 0 ? "−" : "+") + s;
}

// The change since the baseline of a stock indicator: "+450" over "+5,0%"; "–" for flows.
std::string change_text(const json& ind) {
  auto v = num(ind, "change_since_baseline");
  if (!v) return "–";
  std::string s = signed_qty(*v, counted(ind));
  if (auto p = num(ind, "change_since_baseline_pct")) {
    double r = std::round(*p * 10) / 10;
    s += "\n" + (r == 0 ? std::string("0,0") : (r < 0 ? "−" : "+") + format_number_vi(std::fabs(r), 1)) + "%";
  }
  return s;
}

std::string pct(std::optional<double> v) { return v ? format_number_vi(*v, 1) : "–"; }

std::string date_vi(const std::string& iso) {
  auto d = CivilDate::parse(iso.substr(0, 10));
  if (!d) return iso;
  return fmt::format("{:02}/{:02}/{}", d->day(), d->month(), d->year());
}

// A UTC time "2023-07-04T23:30:00Z" as Vietnam's date and "hh:mm" (UTC+7).
std::optional<std::pair<CivilDate, std::string>> vietnam_time(const std::string& utc) {
  auto secs = parse_utc_seconds(utc);
  if (!secs) return std::nullopt;
  const std::string local = utc_iso_from_seconds(*secs + 7 * 3600);
  auto date = CivilDate::parse(local.substr(0, 10));
  if (!date) return std::nullopt;
  return std::pair{*date, local.substr(11, 5)};
}

// Whether the review's figures are illustrative: said by the review, its programme or
// any indicator.
bool illustrative(const json& r) {
  if (r.value("illustrative", false) || r["programme"].value("illustrative", false)) return true;
  if (r.contains("support") && r["support"].is_object() && r["support"].value("illustrative", false)) return true;
  for (const auto& ind : r["indicators"])
    if (ind.value("illustrative", false)) return true;
  return false;
}

// "Huyện Tam Đường" -> "Tam Đường", "Thành phố Lai Châu" -> "TP. Lai Châu": short labels for maps and columns.
std::string short_unit(const std::string& name) {
  for (const char* p : {"Huyện ", "Thị xã ", "Xã ", "Phường ", "Thị trấn "})
    if (name.rfind(p, 0) == 0) return name.substr(std::string(p).size());
  if (name.rfind("Thành phố ", 0) == 0) return "TP. " + name.substr(std::string("Thành phố ").size());
  return name;
}

std::string upper_first_lower(std::string s) {
  // The party trích yếu starts lower case (HD 36 examples); only the ASCII first letter is changed.
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// Why an indicator has no band, as a reader reads it (a review written before the
// `status` key: from the target and the actual).
std::string status_of(const json& ind) {
  std::string st = str(ind, "status");
  if (!st.empty()) return st;
  if (ind.value("band", json()).is_string()) return str(ind, "band");
  if (!num(ind, "target")) return "no_target";
  return num(ind, "actual") ? "not_evaluable" : "no_data";
}
std::string no_band_label(const std::string& status) {
  if (status == "no_target") return "Chưa giao mục tiêu";
  if (status == "not_evaluable") return "Không tính được tỷ lệ";
  return "Chưa có số liệu";
}

}  // namespace

std::string status_label_vi(const json& ind) {
  Band b = parse_band(ind.value("band", json()));
  return b == Band::none ? no_band_label(status_of(ind)) : band_label_vi(b);
}

namespace {

// The review's own assessment text (in its language); else the band and the forecast.
std::string evaluation_text(const json& ind) {
  if (!str(ind, "assessment").empty()) return str(ind, "assessment");
  Band b = parse_band(ind.value("band", json()));
  if (b == Band::none) return no_band_label(status_of(ind));
  std::string s = band_label_vi(b);
  if (ind.value("forecast_reached", json()).is_boolean())
    s += ind["forecast_reached"].get<bool>() ? "; dự báo đạt" : "; dự báo khó đạt";
  return s;
}

Cell c(std::string text, Cell::Align a = Cell::Align::left, bool bold = false, int colspan = 1, int rowspan = 1) {
  Cell x;
  x.text = std::move(text);
  x.align = a;
  x.bold = bold;
  x.colspan = colspan;
  x.rowspan = rowspan;
  return x;
}
constexpr auto L = Cell::Align::left;
constexpr auto C = Cell::Align::center;
constexpr auto R = Cell::Align::right;

Table indicator_table(const json& r, int& table_no) {
  const std::string milestone = std::to_string(r["milestone"].get<int>());
  const std::string as_of = date_vi(r["as_of"].get<std::string>());
  Table t;
  t.caption = fmt::format("Biểu {}. Kết quả thực hiện các chỉ tiêu đến ngày {}", ++table_no, as_of);
  t.font_pt = 11;
  t.columns = {{9, C}, {24, L}, {11, C}, {15, R}, {15, R}, {17, R}, {20, R}, {12, R}, {19, R}, {23, L}};
  t.header = {{c("STT", C, true, 1, 2), c("Chỉ tiêu", C, true, 1, 2), c("Đơn vị tính", C, true, 1, 2),
               c("Mục tiêu năm " + milestone, C, true, 2), c("Thực hiện", C, true, 1, 2),
               c("Tăng, giảm so với năm cơ sở", C, true, 1, 2), c("Tỷ lệ đạt (%)", C, true, 1, 2),
               c("Dự báo năm " + milestone + "\n(% mục tiêu)", C, true, 1, 2), c("Đánh giá", C, true, 1, 2)},
              {c("Ban đầu", C, true), c("Điều chỉnh", C, true)}};
  const int as_of_year = CivilDate::parse(r["as_of"].get<std::string>())->year();
  int stt = 0;
  bool any_illustrative = false, any_flag = false;
  for (const auto& ind : r["indicators"]) {
    std::string name = str(ind, "name_vi");
    if (ind.value("illustrative", false)) any_illustrative = true;
    auto flags = ind.value("flags", json::array());
    if (std::find(flags.begin(), flags.end(), "reported_differs_from_computed") != flags.end()) {
      name += " (†)";
      any_flag = true;
    }
    auto target = num(ind, "target"), original = num(ind, "target_original");
    bool revised = target && original && *target != *original;
    const bool whole = counted(ind);
    std::string actual = qty(num(ind, "actual"), whole);
    if (ind.value("actual_year", json()).is_number_integer() && ind["actual_year"].get<int>() != as_of_year &&
        num(ind, "actual"))
      actual += fmt::format("\n(năm {})", ind["actual_year"].get<int>());
    std::string forecast = qty(num(ind, "forecast"), whole);
    if (num(ind, "forecast_pct")) forecast += "\n(" + pct(num(ind, "forecast_pct")) + "%)";
    t.rows.push_back({c(std::to_string(++stt), C), c(name), c(str(ind, "measure_unit"), C),
                      c(qty(original ? original : target, whole), R), c(revised ? qty(target, whole) : "", R),
                      c(actual, R), c(change_text(ind), R), c(pct(num(ind, "achievement_pct")), R), c(forecast, R),
                      c(evaluation_text(ind))});
  }
  std::string note;
  if (any_illustrative) note += "Số liệu minh họa (illustrative), không phải số liệu chính thức. ";
  if (any_flag) note += "(†) Số liệu báo cáo khác số liệu tính từ cơ sở dữ liệu. ";
  note += "Tỷ lệ đạt của chỉ tiêu giảm (càng thấp càng tốt) tính theo mức giảm so với năm cơ sở. "
          "Tỷ lệ đạt của chỉ tiêu hiện có (diện tích, số lượng) là mức đã có so với mục tiêu; phần tăng, giảm "
          "so với năm cơ sở cho biết kết quả trong kỳ.";
  t.note = note;
  return t;
}

std::vector<std::string> revision_notes(const json& r) {
  std::vector<std::string> out;
  for (const auto& ind : r["indicators"]) {
    if (!ind.value("target_decision", json()).is_string()) continue;
    const bool lower = num(ind, "target") && num(ind, "target_original") && *num(ind, "target") < *num(ind, "target_original");
    std::string s = "Mục tiêu " + str(ind, "name_vi") + " điều chỉnh từ " + qty(num(ind, "target_original"), counted(ind)) +
                    (lower ? " xuống " : " lên ") + qty(num(ind, "target"), counted(ind)) + " " + str(ind, "measure_unit") + " theo " +
                    str(ind, "target_decision");
    if (ind.value("target_effective", json()).is_string()) s += " (hiệu lực từ " + date_vi(str(ind, "target_effective")) + ")";
    out.push_back(s + ".");
  }
  return out;
}

// Per unit: how many indicators are in each band (counted from the bands the review gives).
struct UnitCounts {
  int with_data = 0, achieved = 0, over_half = 0, low = 0, no_target = 0, no_data = 0, forecast_missed = 0;
};
UnitCounts count_unit(const json& u) {
  UnitCounts k;
  for (const auto& x : u["indicators"]) {
    Band b = parse_band(x.value("band", json()));
    if (b == Band::none) {
      if (status_of(x) == "no_target") ++k.no_target;
      else ++k.no_data;
      continue;
    }
    ++k.with_data;
    if (b == Band::achieved) ++k.achieved;
    if (b == Band::over_half) ++k.over_half;
    if (b == Band::low) ++k.low;
    if (x.value("forecast_reached", json()).is_boolean() && !x["forecast_reached"].get<bool>()) ++k.forecast_missed;
  }
  return k;
}

// --- support (docs/support.md, "The review's support section") ---------------------

}  // namespace

std::string support_finding_vi(const std::string& k) {
  static const std::map<std::string, std::string> names = {
      {"overlap", "chồng lấn"},
      {"exclusive_policies", "chính sách loại trừ nhau"},
      {"over_declared", "kê khai vượt diện tích"},
      {"not_controlled", "không có quyền sử dụng đất"},
      {"outside_zone", "ngoài vùng tập trung"},
      {"wrong_crop", "không đúng cây trồng"},
      {"unsuitable", "đất không thích nghi"},
      {"duplicate_person", "trùng người đề nghị"},
      {"cap_exceeded", "vượt mức trần"},
      {"paid_without_acceptance", "chi trả trước nghiệm thu"},
      {"paid_over_approved", "chi vượt số được duyệt"}};
  auto it = names.find(k);
  return it == names.end() ? k : it->second;
}

namespace {
std::string item_unit_vi(const std::string& item) {
  if (item == "area") return "ha";
  if (item == "hive") return "đàn ong";
  if (item == "head") return "con";
  if (item == "cage_m3") return "m³ lồng";
  return "dự án";
}

// Money in the table in millions of đồng (triệu đồng), as provincial reports print it;
// the JSON and the XLSX keep whole đồng.
std::string million_dong(const json& o, const char* k) {
  auto v = num(o, k);
  if (!v) return "–";
  std::string s = qty(*v / 1e6);
  if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);  // a true minus, as the indicator table prints falls
  return s;
}

}  // namespace

std::string support_findings_text(const json& f) {
  std::string s;
  if (f.is_object())
    for (const auto& [k, n] : f.items())
      if (n.is_number_integer())
        s += (s.empty() ? "" : "; ") + support_finding_vi(k) + " " + std::to_string(n.get<std::int64_t>());
  return s.empty() ? "không" : s;
}

namespace {

Table support_table(const json& sp, int& table_no) {
  Table t;
  t.caption = fmt::format("Biểu {}. Tình hình thực hiện chính sách hỗ trợ năm {}", ++table_no, sp["year"].get<int>());
  t.columns = {{8, Cell::Align::center},  {38, Cell::Align::left},  {12, Cell::Align::right}, {22, Cell::Align::right},
               {17, Cell::Align::right},  {17, Cell::Align::right}, {17, Cell::Align::right}, {34, Cell::Align::left}};
  auto hc = [](const char* text) { return Cell{text, 1, 1, true, Cell::Align::center}; };
  t.header = {{hc("TT"), hc("Chính sách"), hc("Số hồ sơ"), hc("Khối lượng được hỗ trợ"), hc("Đã phê duyệt"),
               hc("Đã chi trả"), hc("Dự toán còn lại"), hc("Phát hiện qua kiểm tra chéo")}};
  int i = 0;
  for (const auto& l : sp["policies"]) {
    std::string name = str(l, "name_vi") + " (" + str(l, "policy") + ")";
    if (l.value("illustrative", false)) name += " — minh họa";
    std::string volume = qty(num(l, "payable"), str(l, "item") != "area") + " " + item_unit_vi(str(l, "item"));
    if (l.value("unchecked", 0) > 0) volume += fmt::format(" ({} hồ sơ chưa kiểm tra)", l["unchecked"].get<std::int64_t>());
    t.rows.push_back({Cell{std::to_string(++i), 1, 1, false, Cell::Align::center}, Cell{name},
                      Cell{qty(num(l, "applications"), true), 1, 1, false, Cell::Align::right},
                      Cell{volume, 1, 1, false, Cell::Align::right}, Cell{million_dong(l, "approved"), 1, 1, false, Cell::Align::right},
                      Cell{million_dong(l, "paid"), 1, 1, false, Cell::Align::right},
                      Cell{million_dong(l, "remaining"), 1, 1, false, Cell::Align::right}, Cell{support_findings_text(l["findings"])}});
  }
  const json& tot = sp["total"];
  t.rows.push_back({Cell{"", 1, 1, true}, Cell{"Tổng cộng", 1, 1, true},
                    Cell{qty(num(tot, "applications"), true), 1, 1, true, Cell::Align::right}, Cell{"", 1, 1, true},
                    Cell{million_dong(tot, "approved"), 1, 1, true, Cell::Align::right},
                    Cell{million_dong(tot, "paid"), 1, 1, true, Cell::Align::right},
                    Cell{million_dong(tot, "remaining"), 1, 1, true, Cell::Align::right},
                    Cell{support_findings_text(tot["findings"]), 1, 1, true}});
  t.font_pt = 11;
  t.note = "Đơn vị tiền: triệu đồng. Số hồ sơ: nộp trong năm, trừ hồ sơ bị từ chối. Khối lượng: diện tích hoặc số lượng được hỗ trợ theo lần kiểm "
           "tra chéo gần nhất của năm (hồ sơ chưa kiểm tra tính theo kê khai). Đã phê duyệt: số tiền được duyệt của hồ sơ "
           "đã duyệt hoặc đã chi. Đã chi trả: chi trả trừ thu hồi trong năm. Dự toán còn lại: dự toán trừ số đã phê duyệt.";
  return t;
}

void add_support_section(OfficialDocument& d, const json& r, int& table_no) {
  if (!r.contains("support") || !r["support"].is_object()) return;
  const json& sp = r["support"];
  d.body.push_back(Heading{1, "TÌNH HÌNH THỰC HIỆN CHÍNH SÁCH HỖ TRỢ"});
  std::string run;
  if (sp["check_run"].is_object()) {
    auto local = vietnam_time(str(sp["check_run"], "run_at"));
    run = local ? fmt::format("Lần kiểm tra chéo gần nhất của năm chạy ngày {} (giờ Việt Nam).", local->first.vi())
                : std::string("Đã có lần kiểm tra chéo của năm.");
  } else {
    run = "Chưa chạy kiểm tra chéo hồ sơ của năm; khối lượng tính theo kê khai.";
  }
  d.body.push_back(Paragraph{fmt::format("Kết quả thực hiện các chính sách hỗ trợ năm {} tại Biểu {}. {}",
                                         sp["year"].get<int>(), table_no + 1, run)});
  if (sp["policies"].empty()) {
    d.body.push_back(Paragraph{"Chưa có hồ sơ đề nghị hỗ trợ."});
    return;
  }
  d.body.push_back(support_table(sp, table_no));
}

Table unit_summary_table(const json& r, int& table_no) {
  Table t;
  t.caption = fmt::format("Biểu {}. Kết quả theo đơn vị hành chính", ++table_no);
  t.font_pt = 11;
  t.columns = {{9, C}, {38, L}, {20, R}, {18, R}, {18, R}, {18, R}, {22, R}, {22, R}};
  t.header = {{c("STT", C, true, 1, 2), c("Đơn vị", C, true, 1, 2), c("Số chỉ tiêu đánh giá được", C, true, 1, 2),
               c("Trong đó", C, true, 3), c("Chưa giao mục tiêu", C, true, 1, 2), c("Dự báo khó đạt", C, true, 1, 2)},
              {c("Đạt, vượt", C, true), c("Trên 50%", C, true), c("Thấp", C, true)}};
  int stt = 0;
  for (const auto& u : r["units"]) {
    auto k = count_unit(u);
    t.rows.push_back({c(std::to_string(++stt), C), c(str(u, "unit_name")), c(std::to_string(k.with_data), R),
                      c(std::to_string(k.achieved), R), c(std::to_string(k.over_half), R), c(std::to_string(k.low), R),
                      c(std::to_string(k.no_target), R), c(std::to_string(k.forecast_missed), R)});
  }
  return t;
}

Table unit_matrix_table(const json& r, int& table_no) {
  Table t;
  t.caption = fmt::format("Biểu {}. Tỷ lệ đạt mục tiêu (%) theo chỉ tiêu và đơn vị", ++table_no);
  t.font_pt = 10;
  const auto& units = r["units"];
  const double rest = 165 - 10 - 38;
  const double w = units.empty() ? rest : rest / static_cast<double>(units.size());
  t.columns = {{10, C}, {38, L}};
  std::vector<Cell> head{c("STT", C, true), c("Chỉ tiêu", C, true)};
  for (const auto& u : units) {
    t.columns.push_back({w, R});
    head.push_back(c(short_unit(str(u, "unit_name")), C, true));
  }
  t.header = {head};
  int stt = 0;
  for (const auto& ind : r["indicators"]) {
    std::vector<Cell> row{c(std::to_string(++stt), C), c(str(ind, "name_vi"))};
    for (const auto& u : units) {
      std::optional<double> v;
      for (const auto& x : u["indicators"])
        if (str(x, "indicator") == str(ind, "indicator")) v = num(x, "achievement_pct");
      row.push_back(c(pct(v), R));
    }
    t.rows.push_back(row);
  }
  t.note = "– : chưa giao mục tiêu, chưa có số liệu, hoặc không tính được tỷ lệ (mục tiêu bằng giá trị năm cơ sở).";
  return t;
}

std::vector<TrendSeries> trend_series(const json& r) {
  std::vector<TrendSeries> out;
  const int milestone = r["milestone"].get<int>();
  for (const auto& ind : r["indicators"]) {
    if (!ind["trend"].is_array() || ind["trend"].empty()) continue;
    TrendSeries s;
    s.title = str(ind, "name_vi");
    s.measure_unit = str(ind, "measure_unit");
    s.target = num(ind, "target");
    s.forecast = num(ind, "forecast");
    s.target_year = milestone;
    s.counted = counted(ind);
    // A flow's target is for the whole period, so its values are drawn cumulated from the
    // start year — the same sum the review's actual is.
    const bool flow = str(ind, "kind") == "flow";
    const int start_year = CivilDate::parse(str(r["programme"], "start"))
                               ? CivilDate::parse(str(r["programme"], "start"))->year()
                               : 0;
    double acc = 0;
    for (const auto& p : ind["trend"]) {
      int y = p["year"].get<int>();
      double v = p["value"].get<double>();
      if (flow) {
        if (y < start_year) continue;
        acc += v;
        v = acc;
      }
      s.values.emplace_back(y, v);
    }
    if (flow) s.title += " (lũy kế)";
    out.push_back(std::move(s));
  }
  return out;
}

constexpr double kPt = 72.0 / 25.4;

}  // namespace

Result<OfficialDocument> build_review_document(const json& r, const std::vector<UnitShape>& shapes,
                                               const RenderOptions& o) {
  if (auto st = validate_review(r); !st) return st.error();
  const bool party = o.profile == ProfileId::party_hd36;
  OfficialDocument d;
  d.profile = o.profile;
  const auto& p = layout_profile(o.profile);

  d.superior_body = o.superior_body == "-" ? "" : !o.superior_body.empty() ? o.superior_body
                                                 : party                 ? ""
                                                                         : "UBND TỈNH LAI CHÂU";
  d.issuing_body = !o.issuing_body.empty() ? o.issuing_body : party ? "TỈNH ỦY LAI CHÂU" : "SỞ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG";
  d.number = o.number;
  d.symbol = !o.symbol.empty() ? o.symbol : party ? "BC/TU" : "BC-SNNMT";
  d.place = o.place.empty() ? "Lai Châu" : o.place;
  const std::string generated = str(r, "generated_at");
  // The review is stamped in UTC; a document in Vietnam is dated and timed in Vietnam
  // (UTC+7, no daylight saving): 23:30 UTC on 4 July is 06:30 on 5 July.
  const auto local = vietnam_time(generated);
  if (o.date)
    d.date = *o.date;
  else if (local)
    d.date = local->first;
  else
    d.date = CivilDate::today();
  d.type_name = "BÁO CÁO";
  const std::string as_of = date_vi(str(r, "as_of"));
  const std::string milestone = std::to_string(r["milestone"].get<int>());
  const std::string unit_name = str(r["unit"], "name");
  std::string title = o.title;
  if (title.empty()) {
    title = "Kết quả thực hiện các chỉ tiêu của " + str(r["programme"], "name_vi");
    if (str(r["unit"], "level") != "province") title += " tại " + unit_name;
    title += " đến ngày " + as_of;
  }
  d.title = p.title_lower_start ? upper_first_lower(title) : title;

  // --- body ---
  int table_no = 0, figure_no = 0;
  // Illustrative figures are said so on page 1, before any figure is read.
  if (illustrative(r))
    d.body.push_back(Paragraph{"SỐ LIỆU MINH HỌA: các số liệu trong báo cáo này là số liệu minh họa, không phải số liệu "
                               "chính thức; không sử dụng để chỉ đạo, điều hành.",
                               false, false, true});
  d.body.push_back(Heading{1, "TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU"});
  for (const auto& para : r["narrative"]["paragraphs"])
    if (para.is_string()) d.body.push_back(Paragraph{para.get<std::string>()});
  for (const auto& s : revision_notes(r)) d.body.push_back(Paragraph{s});

  d.body.push_back(Heading{1, "KẾT QUẢ THEO TỪNG CHỈ TIÊU"});
  d.body.push_back(Paragraph{fmt::format("Kết quả thực hiện {} chỉ tiêu đến ngày {} so với mục tiêu năm {} tại Biểu {} và Hình {}{}.",
                                         r["counts"]["total"].get<int>(), as_of, milestone, table_no + 1, figure_no + 1,
                                         trend_series(r).empty() ? "" : "; diễn biến từng chỉ tiêu qua các năm tại Phụ lục I")});
  d.body.push_back(indicator_table(r, table_no));

  std::vector<BarItem> bars;
  for (const auto& ind : r["indicators"])
    bars.push_back({str(ind, "name_vi"), num(ind, "achievement_pct"), parse_band(ind.value("band", json())),
                    no_band_label(status_of(ind))});
  {
    Figure f;
    f.caption = fmt::format("Hình {}. Tỷ lệ đạt mục tiêu năm {} của các chỉ tiêu đến ngày {}", ++figure_no, milestone, as_of);
    f.width_mm = 165;
    f.height_mm = achievement_bars_height_pt(bars.size()) / kPt;
    f.draw = [bars, w = f.width_mm * kPt, h = f.height_mm * kPt](Canvas& cv) { draw_achievement_bars(cv, w, h, bars); };
    f.alt = "Biểu đồ thanh: tỷ lệ đạt của từng chỉ tiêu, đường 50% và 100%.";
    d.body.push_back(std::move(f));
  }
  add_support_section(d, r, table_no);
  // --- per unit ---
  const auto& units = r["units"];
  if (!units.empty()) {
    d.body.push_back(Heading{1, "KẾT QUẢ THEO ĐƠN VỊ"});
    d.body.push_back(unit_summary_table(r, table_no));
    std::vector<std::string> stand;
    for (const auto& s : r.value("standouts", json::array())) {
      std::string name = str(s, "name_vi");
      if (name.empty())
        for (const auto& ind : r["indicators"])
          if (str(ind, "indicator") == str(s, "indicator")) name = str(ind, "name_vi");
      stand.push_back(fmt::format("- {}: {} đạt {}% ({}).", str(s, "unit_name"), name, pct(num(s, "achievement_pct")),
                                  str(s, "note") == "highest" ? "cao nhất" : "thấp nhất"));
    }
    if (!stand.empty()) {
      d.body.push_back(Paragraph{"Các đơn vị nổi bật theo chỉ tiêu:"});
      for (auto& s : stand) d.body.push_back(Paragraph{s});
    }
    // The map: one chosen indicator's achievement (coloured by its band), or the share
    // of indicators with data that passed 50 % in each unit.
    std::map<std::string, const UnitShape*> by_code;
    for (const auto& s : shapes) by_code[s.code] = &s;
    std::vector<MapUnit> map_units;
    std::vector<MapClass> classes;
    std::string legend;
    const json* map_ind = nullptr;
    for (const auto& ind : r["indicators"])
      if (!o.map_indicator.empty() && str(ind, "indicator") == o.map_indicator) map_ind = &ind;
    if (!o.map_indicator.empty() && !map_ind)
      return Error::invalid("map indicator " + o.map_indicator + " is not in the review",
                            {{"map_indicator", "unknown indicator " + o.map_indicator}});
    if (map_ind) {
      legend = "Tỷ lệ đạt mục tiêu: " + str(*map_ind, "name_vi");
      classes = {{0, 50, band_color(Band::low), "Dưới 50%"},
                 {50, 100, band_color(Band::over_half), "Từ 50% đến dưới 100%"},
                 {100, 1e18, band_color(Band::achieved), "Từ 100% trở lên"}};
    } else {
      legend = "Tỷ lệ chỉ tiêu đạt từ 50% trở lên (trong số chỉ tiêu có số liệu)";
      classes = {{0, 60, {239, 243, 255}, "Dưới 60%"},
                 {60, 70, {189, 215, 231}, "60% - dưới 70%"},
                 {70, 80, {107, 174, 214}, "70% - dưới 80%"},
                 {80, 90, {49, 130, 189}, "80% - dưới 90%"},
                 {90, 1e18, {8, 81, 156}, "Từ 90% trở lên"}};
    }
    std::vector<std::string> missing;
    for (const auto& u : units) {
      auto it = by_code.find(str(u, "unit_code"));
      if (it == by_code.end()) {
        missing.push_back(str(u, "unit_name"));
        continue;
      }
      auto rings = shape_rings(*it->second);
      if (!rings) return rings.error();
      MapUnit mu;
      mu.code = str(u, "unit_code");
      mu.label = short_unit(str(u, "unit_name"));
      mu.rings = std::move(*rings);
      if (map_ind) {
        for (const auto& x : u["indicators"])
          if (str(x, "indicator") == o.map_indicator) mu.value = num(x, "achievement_pct");
      } else {
        auto k = count_unit(u);
        if (k.with_data > 0) mu.value = 100.0 * (k.achieved + k.over_half) / k.with_data;
      }
      map_units.push_back(std::move(mu));
    }
    if (!map_units.empty()) {
      Figure f;
      f.caption = fmt::format("Hình {}. Bản đồ {} theo đơn vị, đến ngày {}", ++figure_no,
                              map_ind ? "tỷ lệ đạt mục tiêu " + str(*map_ind, "name_vi") : "tỷ lệ chỉ tiêu đạt từ 50% trở lên",
                              as_of);
      f.width_mm = 165;
      f.height_mm = 120;
      f.draw = [map_units, classes, legend, w = f.width_mm * kPt, h = f.height_mm * kPt](Canvas& cv) {
        draw_choropleth(cv, w, h, map_units, classes, legend);
      };
      f.alt = "Bản đồ các đơn vị tô màu theo " + legend;
      d.body.push_back(std::move(f));
    }
    if (!missing.empty()) {
      std::string s = "Không có ranh giới để vẽ trên bản đồ: ";
      for (std::size_t i = 0; i < missing.size(); ++i) s += (i ? ", " : "") + missing[i];
      d.body.push_back(Note{s + "."});
    }
  }
  // Appendices: the trend of every indicator, then the matrix of indicators by unit.
  std::vector<Block> trend_blocks;
  auto series = trend_series(r);
  const std::size_t per_figure = 6;
  for (std::size_t k = 0; k < series.size(); k += per_figure) {
    std::vector<TrendSeries> part(series.begin() + k, series.begin() + std::min(series.size(), k + per_figure));
    int rows = static_cast<int>((part.size() + 1) / 2);
    Figure f;
    f.caption = fmt::format("Hình {}. Diễn biến thực hiện, mục tiêu và dự báo đến năm {}{}", ++figure_no, milestone,
                            series.size() > per_figure ? fmt::format(" ({}/{})", k / per_figure + 1,
                                                                     (series.size() + per_figure - 1) / per_figure)
                                                       : "");
    f.width_mm = 165;
    f.height_mm = rows * 56.0 + 8;
    f.draw = [part, w = f.width_mm * kPt, h = f.height_mm * kPt](Canvas& cv) { draw_trend_panels(cv, w, h, part, 2); };
    f.alt = "Đồ thị diễn biến theo năm của từng chỉ tiêu với đường mục tiêu và dự báo.";
    trend_blocks.push_back(std::move(f));
  }

  const std::string attached = fmt::format("(Kèm theo Báo cáo số {} ngày {})", number_line(d).substr(party ? 4 : 5),
                                          date_vi(d.date.iso()));
  int appendix_no = 0;
  if (!trend_blocks.empty()) {
    d.appendix.push_back(AppendixHeading{"Phụ lục " + roman(++appendix_no), "DIỄN BIẾN THỰC HIỆN CÁC CHỈ TIÊU", attached});
    for (auto& b : trend_blocks) d.appendix.push_back(std::move(b));
  }
  if (!units.empty()) {
    if (!d.appendix.empty()) d.appendix.push_back(PageBreak{});
    d.appendix.push_back(AppendixHeading{"Phụ lục " + roman(++appendix_no), "TỶ LỆ ĐẠT MỤC TIÊU THEO CHỈ TIÊU VÀ ĐƠN VỊ",
                                         attached});
    d.appendix.push_back(unit_matrix_table(r, table_no));
  }
  const std::string hash = str(r, "data_hash");
  const std::string made = local ? local->first.vi() + " " + local->second + " giờ Việt Nam (UTC+7)" : generated;
  d.body.push_back(Note{fmt::format("Số liệu tính đến ngày {} từ cơ sở dữ liệu của chương trình {}; mã dữ liệu (SHA-256) {}, lập lúc {}{}.",
                                    as_of, str(r["programme"], "code"), hash, made,
                                    illustrative(r) ? "; số liệu minh họa" : "")});
  d.footer_note = fmt::format("Số liệu: {} · lập lúc {}{}", hash.substr(0, 12), made,
                              illustrative(r) ? " · SỐ LIỆU MINH HỌA" : "");

  // --- recipients and signature ---
  if (!o.recipients.empty())
    d.recipients = o.recipients;
  else if (party)
    d.recipients = {"Ban Thường vụ Tỉnh ủy", "Các đồng chí Tỉnh ủy viên", "Các huyện ủy, thành ủy",
                    "Các sở, ngành liên quan"};
  else {
    // Since 1/7/2025 local government has two levels (communes and wards under the province).
    const auto as_of_date = CivilDate::parse(str(r, "as_of"));
    const bool two_levels = as_of_date && *as_of_date >= CivilDate(2025, 7, 1);
    d.recipients = {"UBND tỉnh (b/c)", "Văn phòng Tỉnh ủy", two_levels ? "UBND các xã, phường" : "UBND các huyện, thành phố"};
    if (str(r["unit"], "level") != "province" && !unit_name.empty()) d.recipients.push_back("UBND " + upper_first_lower(unit_name));
    d.recipients.push_back("Lãnh đạo Sở");
  }
  d.archive_line = !o.archive_line.empty() ? o.archive_line : party ? "Lưu Văn phòng Tỉnh ủy" : "Lưu: VT, KHTC";
  d.signature = o.signature;
  if (d.signature.authority.empty() && d.signature.position.empty()) {
    d.signature.authority = party ? "T/M BAN THƯỜNG VỤ" : "KT. GIÁM ĐỐC";
    d.signature.position = party ? "PHÓ BÍ THƯ" : "PHÓ GIÁM ĐỐC";
  }
  return d;
}

}  // namespace nongsan::reports
