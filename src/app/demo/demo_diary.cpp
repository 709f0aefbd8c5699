// Farming diaries in the demo (docs/diary.md, "Demo"): the real bans of active
// ingredients (data/pesticides/bans.csv, with their decisions), illustrative products and
// labels (data/demo/diary/, codes MH-…, names "(minh họa)"), and an illustrative 2025
// season of diaries over tea and macadamia parcels of the demo registry, loaded through
// the same imports as `nongsan import pesticide-status|pesticide-products|
// pesticide-labels|diary`. One violation of each kind is planted: a product whose
// registration ended (unregistered), a product with a banned ingredient (banned), a
// product without a label for the crop (not_for_crop), a dose above the label
// (over_dose), a banned, unregistered, unlabelled herbicide, an unknown product, an
// entry amended by a later one, and two lots harvested too soon after a spray
// (phi_not_passed): one stays held, the other an officer clears with a reason.
//
// Parcels are read from the registry the demo built (plantings in force over 2025, in
// id order), so the diaries follow the registry. Deterministic. Nothing is added twice:
// with diary entries present, the part is skipped.
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

#include "app/demo/demo.hpp"
#include "app/embedded_data.hpp"
#include "geo/vector_io.hpp"
#include "modules/diary/diary_repository.hpp"
#include "modules/diary/diary_service.hpp"

namespace nongsan::app {

namespace {

// An embedded CSV file read by the imports' own reader (through a temporary file).
diary::ImportTable embedded_table(const std::string& path) {
  auto text = embedded_file(path);
  if (!text) throw std::runtime_error("reference data missing from the binary: data/" + path);
  auto tmp = std::filesystem::temp_directory_path() /
             ("nongsan-demo-" + std::to_string(std::hash<std::string>{}(path)) + "-" +
              std::filesystem::path(path).filename().string());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << *text;
  }
  auto fs = geo::read_features(tmp);
  std::error_code ignored;
  std::filesystem::remove(tmp, ignored);
  if (!fs) throw std::runtime_error("demo diary: data/" + path + ": " + fs.error().message);
  diary::ImportTable t;
  t.headers = fs->field_names;
  for (const auto& f : fs->features) {
    diary::ImportRow row;
    row.line = static_cast<int>(f.number) + 1;
    for (const auto& [k, v] : f.attributes) row.cells[std::string(k)] = std::string(v);
    t.rows.push_back(std::move(row));
  }
  return t;
}

void check(const Result<diary::ImportReport>& r, const std::string& what) {
  if (r) return;
  std::string detail;
  for (const auto& f : r.error().fields) detail += "; " + f.field + ": " + f.message;
  throw std::runtime_error("demo diary: " + what + ": " + r.error().message + detail);
}

struct Line {
  std::string entry, date, kind, product, dose, quantity, lot, amends, note;
};

}  // namespace

int demo_diary(App& app, const identity::Actor& actor, DemoReport& report) {
  auto& d = app.diary();
  const bool present = app.db().read([](storage::Connection& c) { return diary::DiaryRepository::count_entries(c) > 0; });
  if (present) return 0;
  check(d.import_statuses(actor, embedded_table("pesticides/bans.csv"), "data/pesticides/bans.csv"), "bans");
  check(d.import_products(actor, embedded_table("demo/diary/products.csv"), "data/demo/diary/products.csv (minh họa)"),
        "products");
  check(d.import_labels(actor, embedded_table("demo/diary/labels.csv"), "data/demo/diary/labels.csv (minh họa)"), "labels");

  const auto from = *CivilDate::parse("2025-01-01"), to = *CivilDate::parse("2025-12-31");
  // The clean seasons (tea 0 and 4, macadamia 2 and 3) go on the parcels of the crop's
  // provincially issued demo code (data/demo/areacodes/codes.json), the others on the first
  // parcels growing the crop: the clean lots' public pages then show an issued code and its
  // holder, and the violations stay off that code.
  const nlohmann::json codes = demo_data("demo/areacodes/codes.json");
  auto seasons_on = [&](const std::string& crop, std::size_t n, const std::set<std::size_t>& clean) {
    std::vector<std::string> coded;
    for (const auto& c : codes.at("codes"))
      if (c.at("crop") == crop && c.contains("issue"))
        if (auto p = demo_code_pick(app.db(), crop, c.at("zone").get<std::string>(), c.at("target_ha").get<double>())) {
          coded = p->parcels;
          break;
        }
    auto growing = app.db().read([&](storage::Connection& c) {
      return diary::DiaryRepository::parcels_growing(c, crop, from, to, static_cast<int>(n + coded.size()));
    });
    std::vector<diary::ParcelRef> out;
    std::size_t next_coded = 0, next_other = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (clean.count(i) && next_coded < coded.size()) {
        out.push_back({0, coded[next_coded++], std::nullopt});
        continue;
      }
      while (next_other < growing.size() &&
             std::find(coded.begin(), coded.end(), growing[next_other].external_id) != coded.end())
        ++next_other;
      if (next_other == growing.size()) break;
      out.push_back(growing[next_other++]);
    }
    return out;
  };
  const auto tea = seasons_on("tea", 6, {0, 4}), macadamia = seasons_on("macadamia", 4, {2, 3});
  // The season of each parcel, by its place in id order (docs/diary.md, "Demo").
  const std::vector<std::vector<Line>> tea_lines = {
      {{"NK-MH-T0-1", "2025-03-05", "fertiliser", "NPK 16-16-8", "", "200", "", "", "bón thúc đầu vụ"},
       {"NK-MH-T0-2", "2025-04-10", "spray", "MH-ABA-18EC", "0.25", "", "", "", "rầy xanh"},
       {"NK-MH-T0-3", "2025-04-20", "harvest", "", "", "800", "LOT-CHE-2025-01", "", "đủ thời gian cách ly"},
       {"NK-MH-T0-4", "2025-05-02", "observation", "", "", "", "", "", "bọ xít muỗi ít"}},
      {{"NK-MH-T1-1", "2025-05-01", "spray", "MH-ABA-18EC", "0.5", "", "", "", "quá liều nhãn"},
       {"NK-MH-T1-2", "2025-07-28", "spray", "MH-EMA-5WG", "0.2", "", "", "", ""},
       {"NK-MH-T1-3", "2025-07-31", "harvest", "", "", "650", "LOT-CHE-2025-02", "", "hái sớm 3 ngày sau phun"}},
      {{"NK-MH-T2-1", "2025-06-15", "spray", "MH-HEXA-5SC", "0.8", "", "", "", "đăng ký đã hết hạn"},
       {"NK-MH-T2-2", "2025-06-18", "harvest", "", "", "500", "LOT-CHE-2025-03", "", "hái sớm; đã xét nghiệm dư lượng"}},
      {{"NK-MH-T3-1", "2025-03-01", "spray", "MH-PARA-20SL", "1.0", "", "", "", "thuốc cỏ cấm"}},
      {{"NK-MH-T4-1", "2025-05-10", "spray", "MH-BT-WP", "5.0", "", "", "", "ghi nhầm liều"},
       {"NK-MH-T4-2", "2025-05-10", "spray", "MH-BT-WP", "0.5", "", "", "NK-MH-T4-1", "sửa liều đã ghi"},
       {"NK-MH-T4-3", "2025-05-14", "harvest", "", "", "700", "LOT-CHE-2025-04", "", ""}},
      {{"NK-MH-T5-1", "2025-04-01", "spray", "Thuốc không nhãn", "1.0", "", "", "", "thuốc không rõ nguồn gốc"}},
  };
  const std::vector<std::vector<Line>> macadamia_lines = {
      {{"NK-MH-M0-1", "2025-06-01", "spray", "MH-MIX-25WP", "1.0", "", "", "", "chứa carbendazim"}},
      {{"NK-MH-M1-1", "2025-06-10", "spray", "MH-EMA-5WG", "0.2", "", "", "", "không có nhãn cho mắc ca"}},
      {{"NK-MH-M2-1", "2025-08-20", "spray", "MH-ABA-18EC", "0.3", "", "", "", ""},
       {"NK-MH-M2-2", "2025-09-15", "harvest", "", "", "1200", "LOT-MCA-2025-01", "", ""}},
      {{"NK-MH-M3-1", "2025-04-01", "fertiliser", "Phân hữu cơ vi sinh", "", "500", "", "", ""},
       {"NK-MH-M3-2", "2025-09-20", "harvest", "", "", "900", "LOT-MCA-2025-02", "", ""}},
  };
  diary::ImportTable t;
  t.headers = {"entry", "parcel", "date", "kind", "product", "dose_per_ha", "quantity_kg", "lot", "amends", "note"};
  auto add = [&](const std::vector<diary::ParcelRef>& parcels, const std::vector<std::vector<Line>>& seasons) {
    for (std::size_t i = 0; i < parcels.size() && i < seasons.size(); ++i)
      for (const auto& l : seasons[i]) {
        diary::ImportRow row;
        row.line = static_cast<int>(t.rows.size()) + 2;
        row.cells = {{"entry", l.entry},       {"parcel", parcels[i].external_id}, {"date", l.date},
                     {"kind", l.kind},         {"product", l.product},            {"dose_per_ha", l.dose},
                     {"quantity_kg", l.quantity}, {"lot", l.lot},                 {"amends", l.amends},
                     {"note", l.note + (l.note.empty() ? "" : " ") + "(minh họa)"}};
        t.rows.push_back(std::move(row));
      }
  };
  add(tea, tea_lines);
  add(macadamia, macadamia_lines);
  if (t.rows.empty()) return 0;
  auto r = d.import_diary(actor, t, "demo (minh họa)");
  check(r, "diaries");
  // An officer clears the second lot harvested too soon: a residue test was below the limits.
  if (tea.size() >= 3) {
    auto cleared = d.clear_hold(actor, "LOT-CHE-2025-03",
                                "Mẫu xét nghiệm dư lượng dưới mức giới hạn tối đa (minh họa)");
    if (!cleared) throw std::runtime_error("demo diary: clearing LOT-CHE-2025-03: " + cleared.error().message);
  }
  report.notes.push_back("diary: " + std::to_string(r->created) + " entries over " + std::to_string(tea.size()) +
                         " tea and " + std::to_string(macadamia.size()) +
                         " macadamia parcels; lot LOT-CHE-2025-02 held, LOT-CHE-2025-03 cleared");
  return r->created;
}

}  // namespace nongsan::app
