// OcopService::dossier: the OCOP dossier (Decision 148/QĐ-TTg; docs/ocop.md "The dossier")
// pre-filled from what nongsan holds about the product's subject and its parcels. Other
// modules are read through their services (DossierSources), each call outside this
// module's own read; a section each module cannot give is a gap with the precise reason.
#include <algorithm>
#include <map>
#include <set>

#include "modules/access/access_policy.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/certificates/certificate_service.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/ocop/lab_json.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/trace/trace_service.hpp"

namespace nongsan::ocop {

using identity::Actor;
using nlohmann::json;
using storage::Connection;

namespace {

// A section: filled with its items and where they come from, or a gap with its reason.
json section(const char* source, json items) {
  return {{"filled", true}, {"gap_vi", nullptr}, {"source", source}, {"items", std::move(items)}};
}
json gap_section(const char* source, const std::string& reason_vi) {
  return {{"filled", false}, {"gap_vi", reason_vi}, {"source", source}, {"items", json::array()}};
}
// The reason a module's answer gives no section: no permission, or its error.
std::string refused_vi(const Error& e, const char* what) {
  if (e.code == ErrorCode::forbidden) return std::string("Tài khoản không có quyền đọc ") + what;
  return std::string("Không đọc được ") + what + ": " + e.message;
}

}  // namespace

Result<json> OcopService::dossier(const Actor& a, const std::string& code, const CivilDate& on) {
  auto detail = product(a, code, on);
  if (!detail) return detail.error();
  struct Own {
    Product p;
    DossierFacts facts;
    std::vector<LabResult> labs;
    std::map<std::string, std::string> gtins;  // crop → GTIN (the trace module's table)
  };
  auto own = db_.read([&](Connection& c) -> Result<Own> {
    auto p = product_in_scope(c, a, code);
    if (!p) return p.error();
    Own o{*p, dossier_facts(c, p->subject_id, on), LabRepository::results(c, p->id), {}};
    if (sources_.trace) o.gtins = trace::TraceService::crop_gtins(c);
    return o;
  });
  if (!own) return own.error();
  const Product& p = own->p;
  const DossierFacts& f = own->facts;

  json parcels = json::array();
  double area = 0;
  std::set<std::string> parcel_ext;
  std::vector<std::int64_t> parcel_ids;
  for (const auto& x : f.parcels) {
    parcels.push_back({{"id", x.id}, {"parcel", x.external_id}, {"area_m2", x.area_m2}, {"crops", x.crops}});
    area += x.area_m2;
    parcel_ext.insert(x.external_id);
    parcel_ids.push_back(x.id);
  }
  const bool no_parcels = f.parcels.empty();
  const std::string no_parcels_vi = "Chủ thể không có thửa đất nào trong sổ địa chính nông nghiệp vào ngày " + on.iso();
  json sections = json::object();

  // Growing-area codes covering the subject's parcels (or held by the subject).
  if (!sources_.areacodes) sections["area_codes"] = gap_section("areacodes", "Chưa kết nối phân hệ mã số vùng trồng");
  else {
    json items = json::array();
    std::optional<Error> failed;
    areacodes::CodeQuery q;
    q.page_size = 500;
    for (q.page = 1;; ++q.page) {
      auto page = sources_.areacodes->list(a, q);
      if (!page) {
        failed = page.error();
        break;
      }
      for (const auto& c : (*page)["items"]) {
        bool covers = c["holder"]["external_id"] == p.subject;
        for (const auto& x : c["parcels"]) covers = covers || parcel_ext.count(x.get<std::string>());
        if (covers)
          items.push_back({{"id", c["id"]}, {"code", c["code"]}, {"kind", c["kind"]}, {"crop", c["crop"]},
                           {"crop_name_vi", c["crop_name_vi"]}, {"status", c["status"]}, {"parcels", c["parcels"]}});
      }
      if (q.page * q.page_size >= (*page)["total"].get<std::int64_t>()) break;
    }
    if (failed) sections["area_codes"] = gap_section("areacodes", refused_vi(*failed, "mã số vùng trồng"));
    else if (items.empty())
      sections["area_codes"] = gap_section(
          "areacodes", no_parcels ? "Không có mã số vùng trồng: chủ thể không có thửa đất nào"
                                  : "Không có mã số vùng trồng nào trên các thửa của chủ thể");
    else sections["area_codes"] = section("areacodes", items);
  }

  // The diary over the last 12 months, its findings as warnings, the lots and the volumes.
  const CivilDate from = CivilDate::from_days(on.days_since_epoch() - 364);
  const CivilDate year_start(on.year(), 1, 1);
  const CivilDate read_from = std::min(from, year_start);
  std::vector<diary::DiaryEntry> entries;
  std::optional<std::string> diary_gap;
  if (!sources_.diary) diary_gap = "Chưa kết nối phân hệ nhật ký sản xuất";
  else if (no_parcels) diary_gap = "Không có nhật ký: chủ thể không có thửa đất nào";
  json warnings = json::array();
  if (!diary_gap) {
    auto e = sources_.diary->entries(a, parcel_ids, read_from, on);
    if (!e) diary_gap = refused_vi(e.error(), "nhật ký sản xuất");
    else entries = std::move(*e);
    if (!diary_gap) {
      auto fs = sources_.diary->findings(a, from, on, parcel_ids);
      if (!fs) diary_gap = refused_vi(fs.error(), "nhật ký sản xuất");
      else
        for (const auto& x : *fs)
          if (x.kind == diary::FindingKind::banned || x.kind == diary::FindingKind::over_dose ||
              x.kind == diary::FindingKind::phi_not_passed)
            warnings.push_back({{"kind", std::string(diary::to_string(x.kind))}, {"entry", x.entry},
                                {"parcel", x.parcel}, {"date", x.date.iso()}, {"product", x.product},
                                {"lot", x.lot}, {"detail", x.detail}});
    }
  }
  if (diary_gap) {
    sections["diary"] = gap_section("diary", *diary_gap);
    sections["diary"]["from"] = from.iso();
    sections["diary"]["to"] = on.iso();
    sections["diary"]["warnings"] = json::array();
  } else {
    std::map<std::string, int> by_kind;
    for (const auto& e : entries)
      if (!(e.date < from)) ++by_kind[std::string(diary::to_string(e.kind))];
    json items = json::array();
    for (const auto& [k, n] : by_kind) items.push_back({{"kind", k}, {"entries", n}});
    sections["diary"] = items.empty() ? gap_section("diary", "Không có mục nhật ký nào trên các thửa của chủ thể từ " +
                                                                 from.iso() + " đến " + on.iso())
                                      : section("diary", items);
    sections["diary"]["from"] = from.iso();
    sections["diary"]["to"] = on.iso();
    sections["diary"]["warnings"] = warnings;
  }

  // Lots harvested on the parcels over the 12 months, with their public trace page.
  {
    struct Lot {
      CivilDate first, last;
      double kg = 0;
      std::set<std::string> parcels;
    };
    std::map<std::string, Lot> lots;
    double year_kg = 0;
    int year_harvests = 0;
    for (const auto& e : entries) {
      if (e.kind != diary::EntryKind::harvest) continue;
      if (!(e.date < year_start)) {
        year_kg += e.quantity_kg.value_or(0);
        ++year_harvests;
      }
      if (e.date < from || e.lot.empty()) continue;
      auto [it, fresh] = lots.try_emplace(e.lot, Lot{e.date, e.date, 0, {}});
      it->second.first = std::min(it->second.first, e.date);
      it->second.last = std::max(it->second.last, e.date);
      it->second.kg += e.quantity_kg.value_or(0);
      it->second.parcels.insert(e.parcel);
    }
    if (diary_gap) sections["lots"] = gap_section("diary, trace, epcis", no_parcels && sources_.diary
                                                                          ? "Không có lô thu hoạch: chủ thể không có thửa đất nào"
                                                                          : *diary_gap);
    else if (lots.empty())
      sections["lots"] = gap_section("diary, trace, epcis", "Không có lô nào thu hoạch trên các thửa của chủ thể từ " +
                                                                from.iso() + " đến " + on.iso());
    else {
      std::string base = "https://id.gs1.org";
      if (sources_.trace)
        if (auto r = sources_.trace->resolver(base); r && !r->empty()) base = *r;
      std::set<std::string> gtins;
      for (const auto& [crop, g] : own->gtins) gtins.insert(g);
      json items = json::array();
      for (const auto& [lot, l] : lots) {
        json row = {{"lot", lot},
                    {"harvested_from", l.first.iso()},
                    {"harvested_to", l.last.iso()},
                    {"quantity_kg", l.kg},
                    {"parcels", json(std::vector<std::string>(l.parcels.begin(), l.parcels.end()))},
                    {"gtin", nullptr},
                    {"uri", nullptr},
                    {"path", nullptr},
                    {"held", false},
                    {"epcis_events", 0},
                    {"trace_gap_vi", "Chưa kết nối phân hệ truy xuất nguồn gốc"}};
        if (sources_.trace) {
          row["trace_gap_vi"] = "Cây trồng của lô chưa có mã GTIN trong bảng truy xuất";
          for (const auto& g : gtins) {
            auto pl = sources_.trace->public_lot(g, lot, base);
            if (!pl) {
              row["trace_gap_vi"] = refused_vi(pl.error(), "dữ liệu truy xuất");
              break;
            }
            if (pl->state == trace::PublicLot::State::held) {
              row["gtin"] = pl->gtin;
              row["held"] = true;
              row["trace_gap_vi"] = "Lô đang bị giữ lại chờ xem xét: chưa có trang truy xuất công khai";
              break;
            }
            if (pl->state != trace::PublicLot::State::ok) continue;
            row["gtin"] = pl->gtin;
            row["uri"] = pl->uri;
            auto slash = pl->uri.find("/01/");
            row["path"] = slash == std::string::npos ? json(nullptr) : json(pl->uri.substr(slash));
            row["epcis_events"] = static_cast<std::int64_t>(pl->journey.size());
            row["trace_gap_vi"] = nullptr;
            break;
          }
        }
        items.push_back(std::move(row));
      }
      sections["lots"] = section("diary, trace, epcis", items);
    }

    // Volumes: harvested kg in the year of `on`, from the diary.
    if (diary_gap) sections["volumes"] = gap_section("diary", no_parcels && sources_.diary
                                                                  ? "Không có số liệu sản lượng: chủ thể không có thửa đất nào"
                                                                  : *diary_gap);
    else if (year_harvests == 0)
      sections["volumes"] = gap_section("diary", "Không có mục thu hoạch nào trong năm " + std::to_string(on.year()) +
                                                     " trên các thửa của chủ thể");
    else sections["volumes"] = section("diary", json::array({{{"year", on.year()}, {"harvests", year_harvests},
                                                               {"harvested_kg", year_kg}}}));
  }

  // Certificates covering the product or the subject's parcels on `on`.
  if (!sources_.certificates) sections["certificates"] = gap_section("certificates", "Chưa kết nối phân hệ chứng nhận");
  else {
    json items = json::array();
    std::set<std::string> seen;
    std::optional<Error> failed;
    auto add = [&](const char* kind, const std::string& target) {
      auto r = sources_.certificates->covering(a, kind, target, on);
      if (!r) {
        failed = r.error();
        return;
      }
      for (const auto& c : (*r)["items"])
        if (seen.insert(c["code"].get<std::string>()).second)
          items.push_back({{"code", c["code"]}, {"kind", c["kind"]}, {"issuer", c["issuer"]}, {"standard", c["standard"]},
                           {"valid_from", c["valid_from"]}, {"valid_to", c["valid_to"]}, {"status", c["status"]},
                           {"covers", std::string(kind) + ":" + target}, {"illustrative", c["illustrative"]}});
    };
    add("product", p.code);
    for (const auto& x : parcel_ext) add("parcel", x);
    if (failed) sections["certificates"] = gap_section("certificates", refused_vi(*failed, "chứng nhận"));
    else if (items.empty())
      sections["certificates"] = gap_section("certificates", "Không có chứng nhận nào còn hiệu lực ngày " + on.iso() +
                                                                 " cho sản phẩm hoặc các thửa của chủ thể");
    else sections["certificates"] = section("certificates", items);
  }

  // Linkage: the contracts the subject is party to, delivered vs committed in the year.
  if (!sources_.chains) sections["linkage"] = gap_section("chains", "Chưa kết nối phân hệ liên kết chuỗi");
  else {
    auto list = sources_.chains->list_contracts(a, on.year(), "");
    if (!list) sections["linkage"] = gap_section("chains", refused_vi(list.error(), "hợp đồng liên kết"));
    else {
      json items = json::array();
      for (const auto& k : (*list)["items"]) {
        std::string role;
        if (k["lead"]["external_id"] == p.subject) role = "lead";
        for (const auto& x : k["participants"])
          if (role.empty() && x["external_id"] == p.subject) role = "participant";
        if (role.empty()) continue;
        items.push_back({{"id", k["id"]}, {"code", k["code"]}, {"commodity", k["commodity"]}, {"role", role},
                         {"start", k["start"]}, {"end", k["end"]}, {"year_committed_kg", k["year_committed_kg"]},
                         {"year_delivered_kg", k["year_delivered_kg"]}, {"illustrative", k["illustrative"]}});
      }
      sections["linkage"] = items.empty()
                                ? gap_section("chains", "Chủ thể không tham gia hợp đồng liên kết nào trong năm " +
                                                            std::to_string(on.year()))
                                : section("chains", items);
      sections["linkage"]["year"] = on.year();
    }
    if (!sections["linkage"].contains("year")) sections["linkage"]["year"] = on.year();
  }

  // Lab results of the product up to `on`.
  {
    json items = json::array();
    for (const auto& r : own->labs)
      if (!(on < r.tested_on)) items.push_back(lab_json(r));
    sections["lab_results"] = items.empty() ? gap_section("ocop", "Chưa có kết quả kiểm nghiệm nào của sản phẩm đến ngày " + on.iso())
                                            : section("ocop", items);
  }

  const json& ev = (*detail)["evaluations"];
  bool self = std::any_of(ev.begin(), ev.end(), [](const json& e) { return e["level"] == "self"; });
  json gaps = json::array();
  if (no_parcels) gaps.push_back({{"key", "parcels"}, {"text_vi", no_parcels_vi}});
  if (!self) gaps.push_back({{"key", "self_assessment"}, {"text_vi", "Chưa có phiếu tự đánh giá của chủ thể"}});
  for (const char* key : {"area_codes", "diary", "lots", "volumes", "certificates", "linkage", "lab_results"})
    if (!sections[key]["filled"].get<bool>()) gaps.push_back({{"key", key}, {"text_vi", sections[key]["gap_vi"]}});
  return json{{"product", *detail},
              {"producer", {{"id", p.subject}, {"name", p.subject_name}, {"kind", p.subject_kind}}},
              {"parcels", parcels},
              {"parcel_area_m2", area},
              {"support", {{"applications", f.support_applications}, {"paid", f.support_paid}}},
              {"sections", sections},
              {"gaps", gaps}};
}

}  // namespace nongsan::ocop
