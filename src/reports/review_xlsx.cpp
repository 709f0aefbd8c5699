// The review as an XLSX workbook an officer can check: the inputs of each indicator as
// values, and the review rules (docs/review-json.md) as Excel formulas beside the system's own figures, so
// a difference shows in the "Chênh lệch" column. Formulas (row n of "Chỉ tiêu"):
//   % đạt     up: 100·J/I; down: 100·(G−J)/(G−I)          (J actual, I target, G baseline)
//   f         MIN(1, (D−S)/(E−S)) in days                    ('Tham số', named TyLeThoiGian)
//   dự báo    flow: J/f; stock: G + (J−G)/f, never below 0
//   đánh giá  no target "Chưa giao mục tiêu"; no actual "Chưa có số liệu"; no % "Không tính
//             được tỷ lệ"; ≥ 100 "Đạt, vượt"; ≥ 50 "Trên 50%"; else "Thấp"
//   tăng, giảm so với năm cơ sở (stock): J − G and 100·(J − G)/G
// libxlsxwriter 1.1.4 writes only to files, so the workbook goes through a temporary file.
#include <fmt/format.h>

#include <map>
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "reports/charts.hpp"
#include "reports/review_report.hpp"

namespace nongsan::reports {

using nlohmann::json;

namespace {

std::optional<double> num(const json& o, const char* k) {
  if (!o.is_object() || !o.contains(k) || !o[k].is_number()) return std::nullopt;
  return o[k].get<double>();
}
std::string str(const json& o, const char* k) {
  if (!o.is_object() || !o.contains(k) || !o[k].is_string()) return "";
  return o[k].get<std::string>();
}

lxw_datetime to_lxw(const CivilDate& d) {
  lxw_datetime t{};
  t.year = d.year();
  t.month = static_cast<int>(d.month());
  t.day = static_cast<int>(d.day());
  return t;
}

struct Formats {
  lxw_format *title, *header, *text, *center, *qty, *count, *pct, *date, *label, *mono, *note, *fraction;
};

Formats make_formats(lxw_workbook* wb) {
  auto base = [&](bool border) {
    lxw_format* f = workbook_add_format(wb);
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 12);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
  };
  Formats F{};
  F.title = base(false);
  format_set_bold(F.title);
  format_set_font_size(F.title, 14);
  F.header = base(true);
  format_set_bold(F.header);
  format_set_text_wrap(F.header);
  format_set_align(F.header, LXW_ALIGN_CENTER);
  format_set_bg_color(F.header, 0xE7EEF7);
  F.text = base(true);
  format_set_text_wrap(F.text);
  F.center = base(true);
  format_set_align(F.center, LXW_ALIGN_CENTER);
  // [$-42A]: Vietnamese locale, so LibreOffice shows 1.234,5 whatever the system locale.
  F.qty = base(true);
  format_set_num_format(F.qty, "[$-42A]#,##0.0");
  // Counted units (công trình, trang trại …) are whole numbers.
  F.count = base(true);
  format_set_num_format(F.count, "[$-42A]#,##0");
  F.pct = base(true);
  format_set_num_format(F.pct, "[$-42A]#,##0.0");
  F.fraction = base(true);
  format_set_num_format(F.fraction, "[$-42A]0.000000");
  F.date = base(true);
  format_set_num_format(F.date, "dd/mm/yyyy");
  F.label = base(true);
  format_set_bold(F.label);
  F.mono = base(true);
  format_set_font_name(F.mono, "Liberation Mono");
  format_set_font_size(F.mono, 10);
  F.note = base(false);
  format_set_italic(F.note);
  format_set_font_size(F.note, 11);
  return F;
}

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(e));
}

// A formula with its cached result. The cached results are the system's own figures from
// the JSON, so a viewer that does not recalculate (LibreOffice's default for XLSX) shows
// them; one that recalculates (Excel, or LibreOffice set to) shows what the formula gives.
void formula(lxw_worksheet* ws, int row, int col, const std::string& f, lxw_format* fmt, std::optional<double> cached) {
  lxw_error e = cached ? worksheet_write_formula_num(ws, row, col, f.c_str(), fmt, *cached)
                       : worksheet_write_formula_str(ws, row, col, f.c_str(), fmt, "");
  check(e, "formula");
}
void formula(lxw_worksheet* ws, int row, int col, const std::string& f, lxw_format* fmt, const std::string& cached) {
  check(worksheet_write_formula_str(ws, row, col, f.c_str(), fmt, cached.c_str()), "formula");
}

void write_opt(lxw_worksheet* ws, int row, int col, std::optional<double> v, lxw_format* f) {
  if (v)
    worksheet_write_number(ws, row, col, *v, f);
  else
    worksheet_write_blank(ws, row, col, f);
}

}  // namespace

std::vector<std::uint8_t> render_review_xlsx(const json& r, const RenderOptions&) {
  namespace fs = std::filesystem;
  static std::atomic<unsigned> serial{0};  // several renders may run at once in the server
  const fs::path tmp = fs::temp_directory_path() / fmt::format("nongsan-review-{}-{}.xlsx", ::getpid(), ++serial);
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (!wb) throw std::runtime_error("xlsx: cannot create the workbook");
  Formats F = make_formats(wb);
  const auto as_of = *CivilDate::parse(r["as_of"].get<std::string>());
  const int milestone = r["milestone"].get<int>();
  const auto& indicators = r["indicators"];

  // --- Chỉ tiêu ---------------------------------------------------------------------
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Chỉ tiêu");
  lxw_worksheet* wu = workbook_add_worksheet(wb, "Theo đơn vị");
  const bool has_support = r.contains("support") && r["support"].is_object();
  lxw_worksheet* wsup = has_support ? workbook_add_worksheet(wb, "Hỗ trợ") : nullptr;
  lxw_worksheet* wp = workbook_add_worksheet(wb, "Tham số");
  worksheet_write_string(ws, 0, 0,
                         fmt::format("Kết quả thực hiện các chỉ tiêu — {} — đến ngày {}", str(r["unit"], "name"),
                                     as_of.vi())
                             .c_str(),
                         F.title);
  worksheet_write_string(ws, 1, 0,
                         "Cột L–P là công thức theo quy tắc đánh giá; cột Q–R là số liệu hệ thống tính; cột S là "
                         "chênh lệch để đối chiếu. f lấy ở trang Tham số (tên TyLeThoiGian).",
                         F.note);
  const char* heads[] = {"STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Loại (stock: hiện có; flow: lũy kế)",
                         "Chiều (up: tăng; down: giảm)", "Giá trị năm cơ sở", "Mục tiêu ban đầu",
                         "Mục tiêu hiện hành", "Thực hiện", "Năm số liệu", "Tỷ lệ đạt (%) — công thức",
                         "Dự báo đến mốc — công thức", "Dự báo (% mục tiêu) — công thức", "Đánh giá — công thức",
                         "Dự báo đạt? — công thức", "Tỷ lệ đạt (%) — hệ thống", "Dự báo — hệ thống",
                         "Chênh lệch tỷ lệ đạt (L − Q)", "Tăng, giảm so với năm cơ sở — công thức",
                         "Tăng, giảm so với năm cơ sở (%) — công thức"};
  const double widths[] = {5, 24, 36, 10, 11, 11, 11, 11, 11, 11, 8, 11, 12, 11, 14, 10, 11, 12, 11, 12, 11};
  const int hrow = 3;
  for (int i = 0; i < 21; ++i) {
    worksheet_write_string(ws, hrow, i, heads[i], F.header);
    worksheet_set_column(ws, i, i, widths[i], nullptr);
  }
  worksheet_set_row(ws, hrow, 48, nullptr);
  int row = hrow + 1;
  for (const auto& ind : indicators) {
    const int n = row + 1;  // Excel row number
    lxw_format* Q = ind.value("counted", false) ? F.count : F.qty;
    worksheet_write_number(ws, row, 0, row - hrow, F.center);
    worksheet_write_string(ws, row, 1, str(ind, "indicator").c_str(), F.text);
    worksheet_write_string(ws, row, 2, str(ind, "name_vi").c_str(), F.text);
    worksheet_write_string(ws, row, 3, str(ind, "measure_unit").c_str(), F.center);
    worksheet_write_string(ws, row, 4, str(ind, "kind").c_str(), F.center);
    worksheet_write_string(ws, row, 5, str(ind, "direction").c_str(), F.center);
    write_opt(ws, row, 6, num(ind, "baseline"), Q);
    write_opt(ws, row, 7, num(ind, "target_original"), Q);
    write_opt(ws, row, 8, num(ind, "target"), Q);
    write_opt(ws, row, 9, num(ind, "actual"), Q);
    if (ind["actual_year"].is_number_integer())
      worksheet_write_number(ws, row, 10, ind["actual_year"].get<int>(), F.center);
    else
      worksheet_write_blank(ws, row, 10, F.center);
    auto pct_formula = [&](const std::string& v) {
      return fmt::format(
          "=IF(OR({v}{n}=\"\",I{n}=\"\"),\"\",IF(F{n}=\"up\",IF(I{n}=0,\"\",100*{v}{n}/I{n}),"
          "IF(G{n}=I{n},\"\",100*(G{n}-{v}{n})/(G{n}-I{n}))))",
          fmt::arg("v", v), fmt::arg("n", n));
    };
    formula(ws, row, 11, pct_formula("J"), F.pct, num(ind, "achievement_pct"));
    formula(ws, row, 12,
            fmt::format("=IF(OR(J{0}=\"\",TyLeThoiGian<=0),\"\",MAX(0,IF(E{0}=\"flow\",J{0}/TyLeThoiGian,G{0}+(J{0}-G{0})/TyLeThoiGian)))", n),
            Q, num(ind, "forecast"));
    formula(ws, row, 13, pct_formula("M"), F.pct, num(ind, "forecast_pct"));
    formula(ws, row, 14,
            fmt::format("=IF(I{0}=\"\",\"Chưa giao mục tiêu\",IF(J{0}=\"\",\"Chưa có số liệu\",IF(L{0}=\"\",\"Không tính được tỷ lệ\","
                        "IF(L{0}>=100,\"Đạt, vượt\",IF(L{0}>=50,\"Trên 50%\",\"Thấp\")))))",
                        n),
            F.center, status_label_vi(ind));
    const json reached = ind.value("forecast_reached", json());
    formula(ws, row, 15, fmt::format("=IF(N{0}=\"\",\"\",IF(N{0}>=100,\"Đạt\",\"Khó đạt\"))", n), F.center,
            std::string(reached.is_boolean() ? (reached.get<bool>() ? "Đạt" : "Khó đạt") : ""));
    write_opt(ws, row, 16, num(ind, "achievement_pct"), F.pct);
    write_opt(ws, row, 17, num(ind, "forecast"), Q);
    formula(ws, row, 18, fmt::format("=IF(OR(L{0}=\"\",Q{0}=\"\"),\"\",L{0}-Q{0})", n), F.fraction,
            num(ind, "achievement_pct") ? std::optional<double>(0.0) : std::nullopt);
    // The change since the baseline (stocks): what the period added beside what the level reached.
    formula(ws, row, 19, fmt::format("=IF(OR(E{0}<>\"stock\",J{0}=\"\"),\"\",J{0}-G{0})", n), Q,
            num(ind, "change_since_baseline"));
    formula(ws, row, 20, fmt::format("=IF(OR(T{0}=\"\",G{0}=0),\"\",100*T{0}/G{0})", n), F.pct,
            num(ind, "change_since_baseline_pct"));
    ++row;
  }
  const int first = hrow + 2, last = row;  // Excel rows of the data
  worksheet_freeze_panes(ws, hrow + 1, 3);
  bool illustrative = r.value("illustrative", false) || r["programme"].value("illustrative", false);
  for (const auto& ind : indicators) illustrative = illustrative || ind.value("illustrative", false);
  if (has_support) illustrative = illustrative || r["support"].value("illustrative", false);
  worksheet_write_string(ws, row + 1, 2,
                         illustrative ? "SỐ LIỆU MINH HỌA, không phải số liệu chính thức."
                                      : "Nguồn: cơ sở dữ liệu chương trình.",
                         F.note);
  if (illustrative) worksheet_write_string(ws, 2, 0, "SỐ LIỆU MINH HỌA, không phải số liệu chính thức.", F.label);

  // --- Theo đơn vị ------------------------------------------------------------------
  worksheet_write_string(wu, 0, 0, "Kết quả theo đơn vị", F.title);
  worksheet_write_string(wu, 1, 0,
                         "Tỷ lệ đạt (công thức) = 100·Thực hiện/Mục tiêu cho chỉ tiêu tăng; chỉ tiêu giảm cần năm cơ sở của "
                         "đơn vị nên lấy số liệu hệ thống.",
                         F.note);
  const char* uheads[] = {"Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chiều", "Mục tiêu", "Thực hiện",
                          "Tỷ lệ đạt (%) — công thức", "Tỷ lệ đạt (%) — hệ thống", "Đánh giá — công thức",
                          "Dự báo (% mục tiêu) — hệ thống"};
  const double uw[] = {9, 22, 20, 36, 7, 12, 12, 12, 12, 15, 12};
  for (int i = 0; i < 11; ++i) {
    worksheet_write_string(wu, 3, i, uheads[i], F.header);
    worksheet_set_column(wu, i, i, uw[i], nullptr);
  }
  worksheet_set_row(wu, 3, 36, nullptr);
  int urow = 4;
  for (const auto& u : r["units"]) {
    for (const auto& x : u["indicators"]) {
      const int n = urow + 1;
      std::string name, dir;
      for (const auto& ind : indicators)
        if (str(ind, "indicator") == str(x, "indicator")) {
          name = str(ind, "name_vi");
          dir = str(ind, "direction");
        }
      worksheet_write_string(wu, urow, 0, str(u, "unit_code").c_str(), F.center);
      worksheet_write_string(wu, urow, 1, str(u, "unit_name").c_str(), F.text);
      worksheet_write_string(wu, urow, 2, str(x, "indicator").c_str(), F.text);
      worksheet_write_string(wu, urow, 3, name.c_str(), F.text);
      worksheet_write_string(wu, urow, 4, dir.c_str(), F.center);
      bool whole = false;
      for (const auto& ind : indicators)
        if (str(ind, "indicator") == str(x, "indicator")) whole = ind.value("counted", false);
      write_opt(wu, urow, 5, num(x, "target"), whole ? F.count : F.qty);
      write_opt(wu, urow, 6, num(x, "actual"), whole ? F.count : F.qty);
      formula(wu, urow, 7, fmt::format("=IF(OR(E{0}<>\"up\",F{0}=\"\",G{0}=\"\",F{0}=0),\"\",100*G{0}/F{0})", n), F.pct,
              dir == "up" ? num(x, "achievement_pct") : std::nullopt);
      write_opt(wu, urow, 8, num(x, "achievement_pct"), F.pct);
      formula(wu, urow, 9,
              fmt::format("=IF(F{0}=\"\",\"Chưa giao mục tiêu\",IF(G{0}=\"\",\"Chưa có số liệu\","
                          "IF(IF(H{0}=\"\",I{0},H{0})=\"\",\"Không tính được tỷ lệ\",IF(IF(H{0}=\"\",I{0},H{0})>=100,\"Đạt, vượt\","
                          "IF(IF(H{0}=\"\",I{0},H{0})>=50,\"Trên 50%\",\"Thấp\")))))",
                          n),
              F.center, status_label_vi(x));
      write_opt(wu, urow, 10, num(x, "forecast_pct"), F.pct);
      ++urow;
    }
  }
  worksheet_freeze_panes(wu, 4, 2);
  // Printed on A4 landscape, one page wide, the header row repeated.
  for (lxw_worksheet* sheet : {ws, wu, wp}) {
    worksheet_set_paper(sheet, 9);
    worksheet_fit_to_pages(sheet, 1, 0);
  }
  worksheet_set_landscape(ws);
  worksheet_set_landscape(wu);
  check(worksheet_repeat_rows(ws, hrow, hrow), "repeat rows");
  check(worksheet_repeat_rows(wu, 3, 3), "repeat rows");

  // --- Tham số ------------------------------------------------------------------------
  worksheet_set_column(wp, 0, 0, 44, nullptr);
  worksheet_set_column(wp, 1, 1, 70, nullptr);
  worksheet_set_column(wp, 2, 2, 16, nullptr);
  worksheet_write_string(wp, 0, 0, "Tham số của báo cáo", F.title);
  int pr = 2;
  auto label = [&](const char* l) { worksheet_write_string(wp, pr, 0, l, F.label); };
  label("Chương trình");
  worksheet_write_string(wp, pr++, 1, (str(r["programme"], "code") + " — " + str(r["programme"], "name_vi")).c_str(), F.text);
  label("Mốc mục tiêu (năm)");
  worksheet_write_number(wp, pr++, 1, milestone, F.center);  // row 4
  label("Ngày bắt đầu chương trình (S)");
  if (auto s = CivilDate::parse(str(r["programme"], "start"))) {
    lxw_datetime d = to_lxw(*s);
    worksheet_write_datetime(wp, pr, 1, &d, F.date);
  }
  ++pr;  // row 5
  label("Ngày kết thúc mốc (E = 31/12 năm mốc)");
  formula(wp, pr++, 1, "=DATE(B4,12,31)", F.date,  // row 6; cached as a serial day (1 = 1900-01-01)
          static_cast<double>(CivilDate(milestone, 12, 31).days_since_epoch() + 25569));
  label("Ngày đánh giá (D)");
  {
    lxw_datetime d = to_lxw(as_of);
    worksheet_write_datetime(wp, pr++, 1, &d, F.date);  // row 7
  }
  label("f = (D − S)/(E − S), tối đa 1 — công thức");
  formula(wp, pr++, 1, "=MIN(1,(B7-B5)/(B6-B5))", F.fraction, num(r, "elapsed_fraction"));  // row 8
  check(workbook_define_name(wb, "TyLeThoiGian", "='Tham số'!$B$8"), "define name");
  label("f — hệ thống");
  write_opt(wp, pr++, 1, num(r, "elapsed_fraction"), F.fraction);
  label("Năm cơ sở");
  if (r["programme"].contains("baseline_year") && r["programme"]["baseline_year"].is_number_integer())
    worksheet_write_number(wp, pr, 1, r["programme"]["baseline_year"].get<int>(), F.center);
  ++pr;
  label("Đơn vị");
  worksheet_write_string(wp, pr++, 1, (str(r["unit"], "name") + " (mã " + str(r["unit"], "code") + ")").c_str(), F.text);
  label("Mã dữ liệu (SHA-256 của dữ liệu nguồn)");
  worksheet_write_string(wp, pr++, 1, str(r, "data_hash").c_str(), F.mono);
  label("Lập lúc (giờ Việt Nam, UTC+7)");
  {
    const std::string g = str(r, "generated_at");
    auto secs = parse_utc_seconds(g);
    std::string local = secs ? utc_iso_from_seconds(*secs + 7 * 3600) : g;
    if (secs) local = CivilDate::parse(local.substr(0, 10))->vi() + " " + local.substr(11, 5) + " (" + g + " UTC)";
    worksheet_write_string(wp, pr++, 1, local.c_str(), F.text);
  }
  ++pr;
  worksheet_write_string(wp, pr, 0, "Đếm chỉ tiêu", F.header);
  worksheet_write_string(wp, pr, 1, "Công thức (từ trang Chỉ tiêu)", F.header);
  worksheet_write_string(wp, pr, 2, "Hệ thống", F.header);
  ++pr;
  const std::string O = fmt::format("'Chỉ tiêu'!O{}:O{}", first, last), P = fmt::format("'Chỉ tiêu'!P{}:P{}", first, last);
  const std::pair<const char*, std::string> counts[] = {
      {"total", fmt::format("=COUNTA('Chỉ tiêu'!B{}:B{})", first, last)},
      {"achieved", "=COUNTIF(" + O + ",\"Đạt, vượt\")"},
      {"over_half", "=COUNTIF(" + O + ",\"Trên 50%\")"},
      {"low", "=COUNTIF(" + O + ",\"Thấp\")"},
      {"no_target", "=COUNTIF(" + O + ",\"Chưa giao mục tiêu\")"},
      {"no_data", "=COUNTIF(" + O + ",\"Chưa có số liệu\")"},
      {"not_evaluable", "=COUNTIF(" + O + ",\"Không tính được tỷ lệ\")"},
      {"passed_half", "=COUNTIF(" + O + ",\"Đạt, vượt\")+COUNTIF(" + O + ",\"Trên 50%\")"},
      {"forecast_missed", "=COUNTIF(" + P + ",\"Khó đạt\")"}};
  const char* count_labels[] = {"Tổng số chỉ tiêu", "Đạt, vượt", "Đạt trên 50%", "Đạt thấp", "Chưa giao mục tiêu",
                                "Chưa có số liệu", "Không tính được tỷ lệ", "Đạt từ 50% trở lên", "Dự báo khó đạt"};
  // --- Hỗ trợ: the support section, totals as formulas beside the system's figures ----
  if (wsup) {
    const json& sp = r["support"];
    worksheet_write_string(wsup, 0, 0,
                           fmt::format("Tình hình thực hiện chính sách hỗ trợ năm {}", sp["year"].get<int>()).c_str(),
                           F.title);
    if (sp.value("illustrative", false))
      worksheet_write_string(wsup, 1, 0, "SỐ LIỆU MINH HỌA, không phải số liệu chính thức.", F.label);
    const char* sheads[] = {"Mã",           "Chính sách",        "Đơn vị tính", "Số hồ sơ",
                            "Chưa kiểm tra", "Khối lượng được hỗ trợ", "Đã phê duyệt (đồng)", "Đã chi trả (đồng)",
                            "Dự toán (đồng)", "Dự toán còn lại (đồng)", "Phát hiện qua kiểm tra chéo", "Minh họa"};
    const int shrow = 3;
    for (int i = 0; i < 12; ++i) worksheet_write_string(wsup, shrow, i, sheads[i], F.header);
    worksheet_set_column(wsup, 0, 0, 14, nullptr);
    worksheet_set_column(wsup, 1, 1, 40, nullptr);
    worksheet_set_column(wsup, 2, 9, 16, nullptr);
    worksheet_set_column(wsup, 10, 10, 40, nullptr);
    static const std::map<std::string, std::string> units = {
        {"area", "ha"}, {"hive", "đàn ong"}, {"head", "con"}, {"cage_m3", "m³ lồng"}, {"project", "dự án"}};
    int srow = shrow + 1;
    for (const auto& l : sp["policies"]) {
      const int n = srow + 1;
      const std::string item = str(l, "item");
      worksheet_write_string(wsup, srow, 0, str(l, "policy").c_str(), F.text);
      worksheet_write_string(wsup, srow, 1, str(l, "name_vi").c_str(), F.text);
      worksheet_write_string(wsup, srow, 2, units.contains(item) ? units.at(item).c_str() : item.c_str(), F.center);
      write_opt(wsup, srow, 3, num(l, "applications"), F.count);
      write_opt(wsup, srow, 4, num(l, "unchecked"), F.count);
      write_opt(wsup, srow, 5, num(l, "payable"), item == "area" ? F.qty : F.count);
      write_opt(wsup, srow, 6, num(l, "approved"), F.count);
      write_opt(wsup, srow, 7, num(l, "paid"), F.count);
      write_opt(wsup, srow, 8, num(l, "planned"), F.count);
      formula(wsup, srow, 9, fmt::format("=IF(I{0}=\"\",\"\",I{0}-G{0})", n), F.count, num(l, "remaining"));
      worksheet_write_string(wsup, srow, 10, support_findings_text(l["findings"]).c_str(), F.text);
      worksheet_write_string(wsup, srow, 11, l.value("illustrative", false) ? "có" : "", F.center);
      ++srow;
    }
    const json& tot = sp["total"];
    const int a = shrow + 2, b = srow;  // Excel rows of the policies
    worksheet_write_string(wsup, srow, 1, "Tổng cộng", F.label);
    const std::pair<int, const char*> sums[] = {{3, "applications"}, {4, "unchecked"}, {6, "approved"}, {7, "paid"}};
    for (const auto& [col, key] : sums) {
      const char letter = static_cast<char>('A' + col);
      formula(wsup, srow, col, fmt::format("=SUM({0}{1}:{0}{2})", letter, a, b), F.count, num(tot, key));
    }
    formula(wsup, srow, 8, fmt::format("=IF(COUNT(I{0}:I{1})=0,\"\",SUM(I{0}:I{1}))", a, b), F.count, num(tot, "planned"));
    formula(wsup, srow, 9, fmt::format("=IF(I{0}=\"\",\"\",I{0}-G{0})", srow + 1), F.count, num(tot, "remaining"));
    worksheet_write_string(wsup, srow, 10, support_findings_text(tot["findings"]).c_str(), F.text);
    worksheet_write_string(wsup, srow + 2, 1,
                           "Số hồ sơ: nộp trong năm, trừ hồ sơ bị từ chối. Khối lượng: theo lần kiểm tra chéo gần nhất "
                           "của năm (hồ sơ chưa kiểm tra tính theo kê khai). Đã chi trả: chi trả trừ thu hồi trong năm. "
                           "Dự toán còn lại: dự toán trừ số đã phê duyệt.",
                           F.note);
  }

  int k = 0;
  for (const auto& [key, f] : counts) {
    worksheet_write_string(wp, pr, 0, count_labels[k++], F.label);
    formula(wp, pr, 1, f, F.center, num(r["counts"], key));
    write_opt(wp, pr, 2, num(r["counts"], key), F.center);
    ++pr;
  }

  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    fs::remove(tmp);
    throw std::runtime_error(std::string("xlsx: ") + lxw_strerror(e));
  }
  std::ifstream in(tmp, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  fs::remove(tmp);
  return bytes;
}

}  // namespace nongsan::reports
