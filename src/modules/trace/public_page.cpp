#include "modules/trace/public_page.hpp"

#include <cstdio>
#include <map>

#include "core/civil_date.hpp"
#include "modules/epcis/gs1.hpp"

namespace nongsan::trace {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

namespace {

using Words = std::map<std::string, std::pair<const char*, const char*>, std::less<>>;
const Words& words() {
  static const Words w = {
      {"title", {"Truy xuất nguồn gốc lô hàng", "Lot traceability"}},
      {"product", {"Sản phẩm", "Product"}},
      {"lot", {"Lô", "Lot"}},
      {"gtin", {"Mã GTIN", "GTIN"}},
      {"producer", {"Tổ chức sản xuất", "Producer organisation"}},
      {"producer_none", {"Hộ sản xuất (không công bố thông tin cá nhân)", "A household (personal data not published)"}},
      {"area", {"Mã số vùng trồng", "Growing-area code"}},
      {"area_none", {"Chưa có mã số vùng trồng", "No growing-area code"}},
      {"harvest", {"Ngày thu hoạch", "Harvest date"}},
      {"checks", {"Kiểm tra thuốc bảo vệ thực vật đã đạt", "Pesticide checks passed"}},
      {"checks_sprays", {"lần phun trong nhật ký đã được kiểm tra", "sprays in the diary checked"}},
      {"certs", {"Chứng nhận", "Certificates"}},
      {"certs_none", {"Không có chứng nhận", "No certificate"}},
      {"journey", {"Hành trình của lô", "The lot's journey"}},
      {"journey_none", {"Chưa ghi nhận sự kiện nào", "No event recorded yet"}},
      {"valid_to", {"hiệu lực đến", "valid until"}},
      {"illustrative", {"Dữ liệu minh họa", "Illustrative data"}},
      {"held_title", {"Lô hàng đang được xem xét", "This lot is under review"}},
      {"held_text",
       {"Lô hàng này đang được cơ quan quản lý xem xét; thông tin sẽ được công bố khi hoàn tất.",
        "This lot is being reviewed by the authorities; its details will be shown when the review is over."}},
      {"nf_title", {"Không tìm thấy", "Not found"}},
      {"bad_gtin", {"Mã GTIN không hợp lệ hoặc không thuộc hệ thống này.", "The GTIN is not valid or not ours."}},
      {"unknown_lot", {"Không có lô hàng với mã này.", "There is no lot with this code."}},
      {"other_lang", {"English", "Tiếng Việt"}},
      {"footer", {"Trang công khai của hệ thống nông sản tỉnh", "Public page of the province's agriculture system"}},
      {"unregistered", {"Thuốc có trong danh mục được phép", "Products registered for use"}},
      {"banned", {"Không dùng hoạt chất cấm", "No banned ingredient"}},
      {"not_for_crop", {"Thuốc đăng ký cho cây trồng này", "Products registered for this crop"}},
      {"over_dose", {"Đúng liều lượng trên nhãn", "Doses within the label"}},
      {"phi_not_passed", {"Đủ thời gian cách ly trước thu hoạch", "Pre-harvest intervals kept"}},
      {"valid", {"còn hiệu lực", "valid"}},
      {"expiring", {"sắp hết hạn", "expiring"}},
      {"expired", {"hết hạn", "expired"}},
      {"not_yet", {"chưa có hiệu lực", "not yet valid"}},
      {"issued", {"đã cấp", "issued"}},
      {"step_commissioning", {"Thu hoạch, ghi nhận lô", "Harvested, lot recorded"}},
      {"step_packing", {"Đóng gói", "Packed"}},
      {"step_shipping", {"Xuất hàng", "Shipped"}},
      {"step_departing", {"Rời kho", "Departed"}},
      {"step_arriving", {"Đến nơi", "Arrived"}},
      {"step_receiving", {"Nhận hàng", "Received"}},
      {"step_inspecting", {"Kiểm tra", "Inspected"}},
      {"step_storing", {"Lưu kho", "Stored"}},
      {"step_retail_selling", {"Bán lẻ", "Sold at retail"}},
      {"place_farm", {"vùng trồng", "growing area"}},
      {"place_gln", {"địa điểm GLN", "location GLN"}},
      {"cert_vietgap", {"VietGAP", "VietGAP"}},
      {"cert_organic", {"Hữu cơ", "Organic"}},
      {"cert_food_safety", {"An toàn thực phẩm", "Food safety"}},
      {"cert_gi_use", {"Sử dụng chỉ dẫn địa lý", "Geographical indication use"}},
      {"suspended", {"tạm đình chỉ", "suspended"}},
  };
  return w;
}

std::string t(std::string_view key, bool en) {
  auto it = words().find(key);
  if (it == words().end()) return std::string(key);
  return en ? it->second.second : it->second.first;
}

// "2025-04-19T17:00:00.000Z" at offset "+07:00" → "20/04/2025 00:00" (the time where the
// event happened, as the buyer reads a date in Viet Nam); the text itself when unreadable.
std::string local_time(const std::string& utc, const std::string& offset) {
  auto date = CivilDate::parse(utc.substr(0, 10));
  int hh = 0, mm = 0, oh = 0, om = 0;
  if (!date || utc.size() < 16 || std::sscanf(utc.c_str() + 11, "%2d:%2d", &hh, &mm) != 2) return utc;
  int sign = 1;
  if (offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
      std::sscanf(offset.c_str() + 1, "%2d:%2d", &oh, &om) == 2)
    sign = offset[0] == '-' ? -1 : 1;
  std::int64_t minutes = date->days_since_epoch() * 1440 + hh * 60 + mm + sign * (oh * 60 + om);
  const std::int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  const std::int64_t rest = minutes - days * 1440;
  const CivilDate local = CivilDate::from_days(days);
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(rest / 60), static_cast<int>(rest % 60));
  return local.vi() + " " + hm;
}

// The last part of a CBV URI ("https://ref.gs1.org/cbv/BizStep-shipping" → "shipping").
std::string short_vocab(const std::string& uri) {
  auto pos = uri.find_last_of("-:/");
  return pos == std::string::npos ? uri : uri.substr(pos + 1);
}

const char* kStyle =
    "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f4}"
    "main{max-width:640px;margin:0 auto;padding:16px}h1{font-size:1.3em;margin:.2em 0 .6em}"
    "h2{font-size:1.05em;margin:1.2em 0 .4em;color:#2d5a27}section{background:#fff;border-radius:8px;"
    "padding:10px 14px;margin-bottom:10px;border:1px solid #dfe3da}dl{margin:0}dt{font-weight:600;margin-top:6px}"
    "dd{margin:0 0 4px}ul{margin:0;padding-left:1.2em}.ok{color:#2d5a27}.warn{color:#8a5a00}"
    ".tag{display:inline-block;background:#fff4d6;border:1px solid #e0c36a;border-radius:4px;padding:0 6px;"
    "font-size:.85em}footer{font-size:.85em;color:#555;margin-top:16px}a{color:#1d4f91}";

std::string head(const std::string& title, bool en) {
  return std::string("<!doctype html><html lang=\"") + (en ? "en" : "vi") +
         "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<meta name=\"robots\" content=\"noindex\"><title>" +
         html_escape(title) + "</title><style>" + kStyle + "</style></head><body><main>";
}

std::string foot(const PublicLot& p, bool en) {
  std::string other = en ? "vi" : "en";
  std::string s = "<footer><p><a href=\"?lang=" + other + "\" hreflang=\"" + other + "\">" + t("other_lang", en) +
                  "</a></p><p>" + t("footer", en) + "</p>";
  if (!p.uri.empty()) s += "<p>" + html_escape(p.uri) + "</p>";
  return s + "</footer></main></body></html>\n";
}

}  // namespace

int public_page_status(const PublicLot& p) {
  return p.state == PublicLot::State::bad_gtin || p.state == PublicLot::State::unknown_lot ? 404 : 200;
}

std::string public_page_html(const PublicLot& p, std::string_view lang) {
  const bool en = lang == "en";
  if (p.state == PublicLot::State::bad_gtin || p.state == PublicLot::State::unknown_lot) {
    std::string s = head(t("nf_title", en), en);
    s += "<h1>" + t("nf_title", en) + "</h1><section><p>" +
         t(p.state == PublicLot::State::bad_gtin ? "bad_gtin" : "unknown_lot", en) + "</p><p>" + t("gtin", en) +
         ": " + html_escape(p.gtin) + "<br>" + t("lot", en) + ": " + html_escape(p.lot) + "</p></section>";
    return s + foot(p, en);
  }
  const std::string product = en && !p.product_en.empty() ? p.product_en : p.product_vi;
  if (p.state == PublicLot::State::held) {
    std::string s = head(t("held_title", en), en);
    s += "<h1>" + t("held_title", en) + "</h1><section><p class=\"warn\">" + t("held_text", en) + "</p><p>" +
         html_escape(product) + " — " + t("lot", en) + " " + html_escape(p.lot) + "</p></section>";
    return s + foot(p, en);
  }
  std::string s = head(product + " — " + p.lot, en);
  s += "<h1>" + html_escape(product) + "</h1>";
  if (p.product_illustrative) s += "<p><span class=\"tag\">" + t("illustrative", en) + "</span></p>";
  s += "<section><dl><dt>" + t("lot", en) + "</dt><dd>" + html_escape(p.lot) + "</dd><dt>" + t("gtin", en) +
       "</dt><dd>" + html_escape(p.gtin) + "</dd><dt>" + t("producer", en) + "</dt><dd>" +
       (p.producer.empty() ? t("producer_none", en) : html_escape(p.producer)) + "</dd><dt>" + t("area", en) +
       "</dt><dd>" +
       (p.area_code.empty() ? t("area_none", en)
                            : html_escape(p.area_code) + " (" + html_escape(t(p.area_code_status, en)) + ")") +
       "</dd><dt>" + t("harvest", en) + "</dt><dd>";
  for (std::size_t i = 0; i < p.harvest_dates.size(); ++i)
    s += (i ? ", " : "") + html_escape(p.harvest_dates[i]);
  s += "</dd></dl></section>";
  s += "<h2>" + t("checks", en) + "</h2><section><ul>";
  for (const auto& c : p.checks) s += "<li class=\"ok\">✓ " + t(c, en) + "</li>";
  s += "</ul><p>" + std::to_string(p.sprays_checked) + " " + t("checks_sprays", en) + "</p></section>";
  s += "<h2>" + t("certs", en) + "</h2><section>";
  if (p.certificates.empty()) s += "<p>" + t("certs_none", en) + "</p>";
  else {
    s += "<ul>";
    for (const auto& c : p.certificates)
      s += "<li>" + html_escape(t("cert_" + c.kind, en).rfind("cert_", 0) == 0 ? c.kind : t("cert_" + c.kind, en)) + " " + html_escape(c.code) +
           (c.standard.empty() ? "" : " (" + html_escape(c.standard) + ")") + " — " + html_escape(t(c.status, en)) +
           ", " + t("valid_to", en) + " " + html_escape(c.valid_to) + "</li>";
    s += "</ul>";
  }
  s += "</section><h2>" + t("journey", en) + "</h2><section>";
  if (p.journey.empty()) s += "<p>" + t("journey_none", en) + "</p>";
  else {
    s += "<ul>";
    for (const auto& j : p.journey) {
      const std::string step = short_vocab(j.biz_step);
      const std::string named = t("step_" + step, en);
      // Places: a parcel is shown by its growing-area code, never by its id (a household's
      // parcel must not be traceable to it: docs/rules.md §15); a GLN as it stands.
      std::string place;
      if (j.location.rfind("urn:nongsan:parcel:", 0) == 0)
        place = t("place_farm", en) + (p.area_code.empty() ? "" : " " + p.area_code);
      else if (j.location.rfind("https://id.gs1.org/414/", 0) == 0)
        place = t("place_gln", en) + " " + j.location.substr(23);
      else
        place = j.location;
      s += "<li><time>" + html_escape(local_time(j.event_time, j.time_zone_offset)) + "</time> — " +
           html_escape(named.rfind("step_", 0) == 0 ? step : named) +
           (place.empty() ? "" : " · " + html_escape(place)) + "</li>";
    }
    s += "</ul>";
  }
  s += "</section>";
  return s + foot(p, en);
}

nlohmann::json public_linkset(const PublicLot& p, const std::string& resolver_base) {
  using nlohmann::json;
  const std::string canonical = epcis::gs1::lot_digital_link(p.gtin, p.lot).value_or(p.uri);
  json link = {{"anchor", p.uri}};
  link["https://gs1.org/voc/pip"] =
      json::array({{{"href", p.uri}, {"title", p.product_vi}, {"type", "text/html"}, {"hreflang", {"vi", "en"}}}});
  link["https://gs1.org/voc/traceability"] = json::array(
      {{{"href", resolver_base + "/epcis/events?MATCH_anyEPCClass=" + epcis::gs1::dl_encode(canonical)},
        {"title", "EPCIS events"},
        {"type", "application/ld+json"}}});
  if (!p.certificates.empty()) {
    json certs = json::array();
    for (const auto& c : p.certificates)
      certs.push_back({{"href", p.uri + "#cert-" + epcis::gs1::dl_encode(c.code)}, {"title", c.kind + " " + c.code}});
    link["https://gs1.org/voc/certificationInfo"] = certs;
  }
  link["https://gs1.org/voc/defaultLink"] = json::array({{{"href", p.uri}, {"title", p.product_vi}}});
  return json{{"linkset", json::array({link})}};
}

}  // namespace nongsan::trace
