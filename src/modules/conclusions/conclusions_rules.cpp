// The conclusions written from the facts, as docs/conclusions.md states the rules. The
// wording follows the register of a provincial Party committee's notice (Notice
// 752-TB/TU): "đạt và vượt", "đạt thấp", "dự báo khó đạt", tasks that open with the body
// that carries them out. Numbers 1.234,5; dates dd/mm/yyyy; rounding only here.
#include "modules/conclusions/conclusions_rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/text.hpp"

namespace nongsan::conclusions {

using nlohmann::json;

namespace {

std::string num(double v, int decimals) { return format_number_vi(v, decimals); }
std::string pct(double v) { return num(v, 1) + " %"; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// The draft being written: sections, paragraphs and sources numbered in order of first use.
class Writer {
 public:
  explicit Writer(const Rules& r) : rules_(r) {}

  int source(const std::string& key, const std::string& kind, const std::string& label, const std::string& figure,
             const std::string& link) {
    if (auto it = index_.find(key); it != index_.end()) return it->second;
    const int n = static_cast<int>(sources_.size()) + 1;
    sources_.push_back({{"n", n}, {"kind", kind}, {"label", label}, {"figure", figure}, {"link", link}});
    index_[key] = n;
    return n;
  }

  void add(const std::string& section, const std::string& kind, const std::string& text, std::vector<int> refs) {
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    auto& list = paragraphs_[section];
    const std::string id = section + "." + std::to_string(list.size() + 1);
    list.push_back({{"id", id}, {"kind", kind}, {"text", text}, {"refs", refs}, {"edited", false}});
  }

  // "A, B, C và 2 … khác": at most max_items_named named, the rest counted.
  std::string items(const std::vector<std::string>& names, const std::string& what) const {
    const std::size_t max = static_cast<std::size_t>(std::max(1, rules_.thresholds.max_items_named));
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < max; ++i) s += (i ? "; " : "") + names[i];
    if (names.size() > max) s += " và " + std::to_string(names.size() - max) + " " + what + " khác";
    return s;
  }

  const TaskRule* task(const std::string& kind) const {
    for (const auto& t : rules_.tasks)
      if (t.kind == kind) return &t;
    return nullptr;
  }

  json sections() const {
    static const std::vector<std::pair<std::string, std::string>> heads = {
        {"intro", "Mở đầu"}, {"results", "Kết quả đạt được"}, {"limitations", "Hạn chế"}, {"tasks", "Nhiệm vụ, giải pháp trong thời gian tới"}};
    json out = json::array();
    for (const auto& [key, heading] : heads) {
      auto it = paragraphs_.find(key);
      out.push_back({{"key", key}, {"heading", heading}, {"paragraphs", it == paragraphs_.end() ? json::array() : json(it->second)}});
    }
    return out;
  }
  const json& sources() const { return sources_; }

 private:
  const Rules& rules_;
  json sources_ = json::array();
  std::map<std::string, int> index_;
  std::map<std::string, std::vector<json>> paragraphs_;
};

struct Limitation {
  std::string kind;
  std::vector<std::string> names;  // for the task's {items}
  std::vector<int> refs;
};

std::string indicator_link(const Facts& f, const std::string& code) {
  return "/targets/" + f.programme + "/indicators/" + code + "?as_of=" + f.as_of.iso();
}

std::string indicator_figure(const IndicatorFact& i) {
  std::string s;
  if (i.actual) s += "thực hiện " + num(*i.actual, 1) + " " + i.measure_unit;
  if (i.target) s += (s.empty() ? "" : "; ") + std::string("kế hoạch ") + num(*i.target, 1) + " " + i.measure_unit;
  if (i.achievement_pct) s += "; đạt " + pct(*i.achievement_pct);
  if (i.forecast_pct) s += "; dự báo " + pct(*i.forecast_pct);
  return s.empty() ? "chưa có số liệu" : s;
}

}  // namespace

Result<Rules> parse_rules(const json& doc) {
  if (!doc.is_object()) return Error::invalid("bad conclusions rules", {{"rules", "must be a JSON object"}});
  Rules r;
  const json t = doc.value("thresholds", json::object());
  auto number = [&](const char* key, double& out, double lo, double hi) -> Status {
    if (!t.contains(key)) return Status();
    if (!t[key].is_number() || t[key].get<double>() < lo || t[key].get<double>() > hi)
      return Error::invalid("bad conclusions rules", {{std::string("thresholds.") + key, "must be a number in range"}});
    out = t[key].get<double>();
    return Status();
  };
  double lapsing = r.thresholds.ocop_lapsing_days, named = r.thresholds.max_items_named;
  for (auto st : {number("over_half_pct", r.thresholds.over_half_pct, 0, 100),
                  number("low_policy_uptake_pct", r.thresholds.low_policy_uptake_pct, 0, 100),
                  number("many_findings_share_pct", r.thresholds.many_findings_share_pct, 0, 100),
                  number("s3n_zone_min_share", r.thresholds.s3n_zone_min_share, 0, 1),
                  number("ocop_lapsing_days", lapsing, 0, 3650), number("max_items_named", named, 1, 50)})
    if (!st) return st.error();
  r.thresholds.ocop_lapsing_days = static_cast<int>(lapsing);
  r.thresholds.max_items_named = static_cast<int>(named);
  for (const auto& c : doc.value("converted_land_indicators", json::array()))
    if (c.is_string()) r.converted_land_indicators.push_back(c.get<std::string>());
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < doc.value("tasks", json::array()).size(); ++i) {
    const json& e = doc["tasks"][i];
    TaskRule tr{e.value("kind", ""), e.value("body", ""), e.value("task", "")};
    if (tr.kind.empty() || tr.body.empty() || tr.task.empty())
      return Error::invalid("bad conclusions rules", {{"tasks[" + std::to_string(i) + "]", "needs kind, body and task"}});
    if (!kinds.insert(tr.kind).second)
      return Error::invalid("bad conclusions rules", {{"tasks[" + std::to_string(i) + "].kind", "appears twice"}});
    r.tasks.push_back(std::move(tr));
  }
  const json names = doc.value("names", json::object());
  for (const auto& [k, v] : names.items())
    if (v.is_string()) r.names[k] = v.get<std::string>();
  r.issuer = doc.value("issuer", json::object());
  return r;
}

json write_draft(const Facts& f, const Rules& rules) {
  Writer w(rules);
  auto name = [&](const std::string& code) {
    auto it = rules.names.find(code);
    return it == rules.names.end() ? code : it->second;
  };
  const Thresholds& th = rules.thresholds;
  const std::string as_of = f.as_of.vi();
  const std::string ms = std::to_string(f.milestone);
  const int review = w.source("review", "review", "Đánh giá giữa kỳ " + f.programme_name + " đến ngày " + as_of,
                              "mã dữ liệu " + f.review_hash.substr(0, 12),
                              "/targets/" + f.programme + "?as_of=" + f.as_of.iso());
  auto ind_source = [&](const IndicatorFact& i) {
    return w.source("indicator:" + i.code, "indicator", "Chỉ tiêu " + i.code + " — " + i.name_vi, indicator_figure(i),
                    indicator_link(f, i.code));
  };

  w.add("intro", "intro",
        "Ban Thường vụ Tỉnh ủy đã nghe báo cáo kết quả thực hiện " + f.programme_name + " đến ngày " + as_of +
            " (đánh giá theo kế hoạch đến năm " + ms + "); sau khi thảo luận, Ban Thường vụ Tỉnh ủy kết luận như sau:",
        {review});

  // ---- 1. Results ----
  int passed = 0, evaluated = 0;
  std::vector<const IndicatorFact*> achieved, low, missed, converted;
  for (const auto& i : f.indicators) {
    const bool banded = i.status == "achieved" || i.status == "over_half" || i.status == "low";
    if (banded) ++evaluated;
    if (i.achievement_pct && *i.achievement_pct >= th.over_half_pct) ++passed;
    if (i.status == "achieved") achieved.push_back(&i);
    if (i.achievement_pct && *i.achievement_pct < th.over_half_pct && banded) low.push_back(&i);
    if (i.forecast_reached && !*i.forecast_reached) missed.push_back(&i);
    if (std::find(rules.converted_land_indicators.begin(), rules.converted_land_indicators.end(), i.code) !=
        rules.converted_land_indicators.end())
      converted.push_back(&i);
  }
  if (evaluated == 0) {
    w.add("results", "no_data",
          "Đến ngày " + as_of + ", chưa có chỉ tiêu nào của " + f.programme_name +
              " có đủ mục tiêu và số liệu để đánh giá mức độ thực hiện.",
          {review});
  } else {
    w.add("results", "over_half",
          "Đến ngày " + as_of + ", có " + std::to_string(passed) + "/" + std::to_string(f.indicators_total) +
              " chỉ tiêu của " + f.programme_name + " đạt trên " + num(th.over_half_pct, 0) + " % kế hoạch đến năm " + ms + ".",
          {review});
    if (!achieved.empty()) {
      std::vector<std::string> names;
      std::vector<int> refs;
      for (const auto* i : achieved) {
        names.push_back(i->name_vi + " (" + pct(*i->achievement_pct) + ")");
        refs.push_back(ind_source(*i));
      }
      w.add("results", "achieved",
            "Có " + std::to_string(achieved.size()) + " chỉ tiêu đã đạt và vượt kế hoạch: " + w.items(names, "chỉ tiêu") + ".",
            refs);
    } else {
      w.add("results", "achieved", "Chưa có chỉ tiêu nào đạt kế hoạch đến năm " + ms + ".", {review});
    }
  }
  for (const auto* i : converted) {
    if (i->actual)
      w.add("results", "converted_land",
            i->name_vi + " đạt " + num(*i->actual, 1) + " " + i->measure_unit +
                (i->achievement_pct ? " (bằng " + pct(*i->achievement_pct) + " kế hoạch)" : std::string()) + ".",
            {ind_source(*i)});
    else
      w.add("results", "converted_land", "Chưa có số liệu chỉ tiêu " + i->name_vi + ".", {ind_source(*i)});
  }

  // ---- 1. Limitations ----
  std::vector<Limitation> lims;
  auto limitation = [&](const std::string& kind, const std::string& text, std::vector<std::string> names, std::vector<int> refs) {
    w.add("limitations", kind, text, refs);
    lims.push_back({kind, std::move(names), std::move(refs)});
  };
  auto no_data = [&](const std::string& kind, const std::string& text, int ref) { w.add("limitations", kind + "_no_data", text, {ref}); };

  if (!low.empty()) {
    std::vector<std::string> names, texts;
    std::vector<int> refs;
    for (const auto* i : low) {
      names.push_back(i->name_vi);
      texts.push_back(i->name_vi + " (" + pct(*i->achievement_pct) + ")");
      refs.push_back(ind_source(*i));
    }
    limitation("indicator_low",
               "Một số chỉ tiêu đạt thấp (dưới " + num(th.over_half_pct, 0) + " % kế hoạch): " + w.items(texts, "chỉ tiêu") + ".",
               names, refs);
  }
  if (!missed.empty()) {
    std::vector<std::string> names, texts;
    std::vector<int> refs;
    for (const auto* i : missed) {
      names.push_back(i->name_vi);
      texts.push_back(i->name_vi + (i->forecast_pct ? " (dự báo đạt " + pct(*i->forecast_pct) + ")" : std::string()));
      refs.push_back(ind_source(*i));
    }
    limitation("indicator_forecast_miss",
               "Theo tiến độ hiện nay, " + std::to_string(missed.size()) + " chỉ tiêu dự báo khó đạt kế hoạch năm " + ms +
                   ": " + w.items(texts, "chỉ tiêu") + ".",
               names, refs);
  }

  if (!f.zones) {
    no_data("zone_unsuitable",
            "Chưa có kết quả đánh giá thích nghi đất đai của các vùng sản xuất tập trung nên chưa nhận định được việc bố trí vùng trên đất kém thích nghi.",
            w.source("suitability:none", "suitability", "Đánh giá thích nghi đất đai các vùng sản xuất", "chưa có lượt đánh giá nào", "/suitability"));
  } else if (!f.zones->empty()) {
    std::vector<std::string> names, texts;
    std::vector<int> refs;
    for (const auto& z : *f.zones) {
      names.push_back(z.name);
      texts.push_back(z.name + " (" + name(z.crop) + (z.commune.empty() ? "" : ", " + z.commune) + "; S3, N chiếm " +
                      pct(100 * z.s3n_share) + ")");
      refs.push_back(w.source("zone:" + z.code + ":" + z.crop, "zone", "Vùng " + z.code + " — " + z.name + " (" + name(z.crop) + ")",
                              "S3 + N " + num(z.s3n_ha, 1) + " ha, " + pct(100 * z.s3n_share) + " diện tích đã đánh giá",
                              "/suitability?zone=" + z.code));
    }
    limitation("zone_unsuitable",
               std::to_string(f.zones->size()) + " vùng sản xuất tập trung được bố trí trên đất có trên " +
                   pct(100 * th.s3n_zone_min_share) + " diện tích kém thích nghi hoặc không thích nghi (S3, N): " +
                   w.items(texts, "vùng") + ".",
               names, refs);
  }

  const int year = f.as_of.year();
  if (!f.policies) {
    no_data("policy_low_uptake", "Chưa có số liệu chính sách hỗ trợ trong hệ thống nên chưa đánh giá được kết quả giải ngân và sai sót hồ sơ.",
            w.source("support:none", "support", "Chính sách hỗ trợ năm " + std::to_string(year), "chưa có chính sách nào", "/support/policies"));
  } else {
    std::vector<std::string> low_names, low_texts, many_names, many_texts;
    std::vector<int> low_refs, many_refs;
    for (const auto& p : *f.policies) {
      const bool low_uptake = p.planned && *p.planned > 0 && 100 * p.approved / *p.planned < th.low_policy_uptake_pct;
      const bool many = p.applications > 0 && 100.0 * p.findings / p.applications >= th.many_findings_share_pct;
      if (!low_uptake && !many) continue;
      std::string fig = std::to_string(p.applications) + " hồ sơ; đã duyệt " + num(p.approved, 0) + " đồng";
      if (p.planned) fig += "/kế hoạch " + num(*p.planned, 0) + " đồng";
      fig += "; " + std::to_string(p.findings) + " phát hiện qua kiểm tra chéo";
      const int ref = w.source("policy:" + p.code, "policy", "Chính sách " + p.code + " — " + p.name_vi + ", năm " + std::to_string(year),
                               fig, "/support/policies/" + p.code);
      if (low_uptake) {
        low_names.push_back(p.name_vi);
        low_texts.push_back(p.name_vi + " (đã duyệt " + pct(100 * p.approved / *p.planned) + " kế hoạch vốn)");
        low_refs.push_back(ref);
      }
      if (many) {
        many_names.push_back(p.name_vi);
        many_texts.push_back(p.name_vi + " (" + std::to_string(p.findings) + " phát hiện/" + std::to_string(p.applications) + " hồ sơ)");
        many_refs.push_back(ref);
      }
    }
    if (!low_texts.empty())
      limitation("policy_low_uptake",
                 "Một số chính sách hỗ trợ giải ngân thấp (dưới " + num(th.low_policy_uptake_pct, 0) + " % kế hoạch vốn năm " +
                     std::to_string(year) + "): " + w.items(low_texts, "chính sách") + ".",
                 low_names, low_refs);
    if (!many_texts.empty())
      limitation("policy_findings",
                 "Hồ sơ đề nghị hỗ trợ của một số chính sách còn nhiều sai sót qua kiểm tra chéo: " + w.items(many_texts, "chính sách") + ".",
                 many_names, many_refs);
  }

  if (!f.linkage) {
    no_data("linkage_loose", "Chưa có hợp đồng liên kết sản xuất - tiêu thụ năm " + std::to_string(year) + " trong hệ thống nên chưa đánh giá được mức độ thực hiện liên kết.",
            w.source("chains:none", "linkage", "Hợp đồng liên kết năm " + std::to_string(year), "chưa có hợp đồng nào", "/chains"));
  } else if (!f.linkage->empty()) {
    std::map<std::string, int> count;
    std::vector<std::string> contracts;
    std::vector<int> refs;
    for (const auto& l : *f.linkage) {
      ++count[l.kind];
      if (std::find(contracts.begin(), contracts.end(), l.contract) == contracts.end()) contracts.push_back(l.contract);
      refs.push_back(w.source("contract:" + l.contract, "contract", "Hợp đồng liên kết " + l.contract,
                              "cảnh báo năm " + std::to_string(year) + " đến " + as_of,
                              l.contract_id ? "/chains/contracts/" + std::to_string(*l.contract_id) : "/chains"));
    }
    std::vector<std::string> parts;
    if (count["side_selling"]) parts.push_back(std::to_string(count["side_selling"]) + " trường hợp bán sản phẩm ra ngoài liên kết");
    if (count["non_purchase"]) parts.push_back(std::to_string(count["non_purchase"]) + " trường hợp doanh nghiệp không thu mua theo cam kết");
    if (count["behind"]) parts.push_back(std::to_string(count["behind"]) + " trường hợp giao sản phẩm chậm so với cam kết");
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? ", " : "") + parts[i];
    limitation("linkage_loose",
               "Liên kết sản xuất - tiêu thụ còn lỏng lẻo: năm " + std::to_string(year) + " có " + joined + " (hợp đồng " +
                   w.items(contracts, "hợp đồng") + ").",
               contracts, refs);
  }

  if (!f.ocop) {
    no_data("ocop_lapsing", "Chưa có sản phẩm OCOP trong hệ thống nên chưa theo dõi được thời hạn công nhận.",
            w.source("ocop:none", "ocop", "Sản phẩm OCOP", "chưa có sản phẩm nào", "/ocop"));
  } else if (!f.ocop->empty()) {
    std::vector<std::string> names, texts;
    std::vector<int> refs;
    for (const auto& o : *f.ocop) {
      const std::string state = o.status == "expired"  ? "đã hết hạn"
                                : o.status == "revoked" ? "bị thu hồi"
                                                        : "sắp hết hạn";
      names.push_back(o.name);
      texts.push_back(o.name + " (" + std::to_string(o.stars) + " sao, " + state +
                      (o.expires && o.status != "revoked" ? " ngày " + o.expires->vi() : std::string()) + ")");
      refs.push_back(w.source("ocop:" + o.code, "ocop", "Sản phẩm OCOP " + o.code + " — " + o.name,
                              std::to_string(o.stars) + " sao; " + state + (o.expires ? " (hạn " + o.expires->vi() + ")" : std::string()),
                              "/ocop/products/" + o.code));
    }
    limitation("ocop_lapsing",
               std::to_string(f.ocop->size()) + " sản phẩm OCOP đã hết hạn, bị thu hồi hoặc sẽ hết hạn công nhận trong " +
                   std::to_string(th.ocop_lapsing_days) + " ngày tới: " + w.items(texts, "sản phẩm") + ".",
               names, refs);
  }

  if (!f.pesticides) {
    no_data("pesticide_violation", "Chưa có nhật ký sản xuất năm " + std::to_string(year) + " trong hệ thống nên chưa đánh giá được việc sử dụng thuốc bảo vệ thực vật.",
            w.source("diary:none", "diary", "Nhật ký sản xuất năm " + std::to_string(year), "chưa có ghi chép nào", "/diary/findings"));
  } else if (!f.pesticides->empty()) {
    static const std::map<std::string, std::string> kind_vi = {
        {"unregistered", "thuốc ngoài danh mục"}, {"banned", "thuốc cấm sử dụng"}, {"not_for_crop", "thuốc không đăng ký cho cây trồng"},
        {"over_dose", "vượt liều lượng"}, {"phi_not_passed", "thu hoạch chưa đủ thời gian cách ly"}};
    std::map<std::string, int> count;
    for (const auto& p : *f.pesticides) ++count[p.kind];
    std::vector<std::string> parts;
    for (const auto& [k, n] : count) parts.push_back(std::to_string(n) + " trường hợp " + (kind_vi.count(k) ? kind_vi.at(k) : k));
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? ", " : "") + parts[i];
    const int ref = w.source("diary:findings", "diary", "Kết quả kiểm tra nhật ký sản xuất từ 01/01/" + std::to_string(year) + " đến " + as_of,
                             std::to_string(f.pesticides->size()) + " phát hiện", "/diary/findings?from=" + std::to_string(year) + "-01-01&to=" + f.as_of.iso());
    limitation("pesticide_violation",
               "Việc sử dụng thuốc bảo vệ thực vật còn vi phạm: từ đầu năm " + std::to_string(year) + " đến ngày " + as_of +
                   ", nhật ký sản xuất ghi nhận " + std::to_string(f.pesticides->size()) + " trường hợp (" + joined + ").",
               {std::to_string(f.pesticides->size()) + " trường hợp vi phạm"}, {ref});
  }

  if (!f.supply) {
    no_data("processing_short", "Chưa có số liệu cơ sở chế biến trong hệ thống nên chưa đối chiếu được công suất chế biến với sản lượng nguyên liệu.",
            w.source("supply:none", "supply", "Công suất chế biến và nguồn nguyên liệu", "chưa có cơ sở chế biến nào", "/chains/facilities"));
  } else if (!f.supply->empty()) {
    std::vector<std::string> names, texts;
    std::vector<int> refs;
    for (const auto& s : *f.supply) {
      names.push_back(name(s.commodity));
      texts.push_back(name(s.commodity) + " (sản lượng dự kiến " + num(s.drawn_supply_t, 0) + " tấn, công suất " + num(s.capacity_t, 0) + " tấn/vụ)");
      refs.push_back(w.source("supply:" + s.commodity, "supply", "Công suất chế biến và nguồn nguyên liệu — " + name(s.commodity),
                              "sản lượng vùng nguyên liệu " + num(s.drawn_supply_t, 1) + " tấn; công suất " + num(s.capacity_t, 1) + " tấn/vụ",
                              "/chains/facilities"));
    }
    limitation("processing_short",
               "Năng lực chế biến chưa đáp ứng sản lượng nguyên liệu của vùng sản xuất: " + w.items(texts, "mặt hàng") + ".", names, refs);
  }
  if (lims.empty() && f.zones && f.policies && f.linkage && f.ocop && f.pesticides && f.supply && low.empty() && missed.empty())
    w.add("limitations", "none", "Số liệu đến ngày " + as_of + " chưa cho thấy hạn chế nào theo các tiêu chí đánh giá.", {review});

  // ---- 2. Tasks ----
  for (const auto& l : lims) {
    const TaskRule* t = w.task(l.kind);
    if (!t) continue;
    std::string text = replace_all(replace_all(t->task, "{items}", w.items(l.names, "nội dung")), "{milestone}", ms);
    w.add("tasks", l.kind, t->body + " " + text + ".", l.refs);
  }
  if (lims.empty())
    w.add("tasks", "none", "Tiếp tục duy trì, phát huy kết quả đạt được; theo dõi, đánh giá định kỳ việc thực hiện các chỉ tiêu.", {review});

  return json{{"programme", f.programme},
              {"programme_name", f.programme_name},
              {"milestone", f.milestone},
              {"as_of", f.as_of.iso()},
              {"title", "kết luận về kết quả thực hiện " + f.programme_name + " đến ngày " + as_of},
              {"illustrative", f.illustrative},
              {"issuer", rules.issuer},
              {"sections", w.sections()},
              {"sources", w.sources()}};
}

Status check_references(const json& draft) {
  std::set<int> defined, used;
  const json& sources = draft.value("sources", json::array());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].contains("n") || !sources[i]["n"].is_number_integer() || sources[i]["n"].get<int>() != static_cast<int>(i) + 1)
      return Error::invalid("bad references", {{"sources[" + std::to_string(i) + "].n", "must number the sources from 1 in order"}});
    if (sources[i].value("label", "").empty())
      return Error::invalid("bad references", {{"sources[" + std::to_string(i) + "].label", "must not be empty"}});
    defined.insert(static_cast<int>(i) + 1);
  }
  const json& sections = draft.value("sections", json::array());
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const json& ps = sections[s].value("paragraphs", json::array());
    for (std::size_t p = 0; p < ps.size(); ++p) {
      const std::string path = "sections[" + std::to_string(s) + "].paragraphs[" + std::to_string(p) + "]";
      const json& refs = ps[p].value("refs", json::array());
      if (refs.empty()) return Error::invalid("bad references", {{path + ".refs", "every paragraph needs a reference"}});
      for (const auto& r : refs)
        if (!r.is_number_integer() || !defined.count(r.get<int>()))
          return Error::invalid("bad references", {{path + ".refs", "names a source that does not exist: " + r.dump()}});
        else
          used.insert(r.get<int>());
    }
  }
  for (int n : defined)
    if (!used.count(n)) return Error::invalid("bad references", {{"sources[" + std::to_string(n - 1) + "]", "is referred to by no paragraph"}});
  return Status();
}

Result<json> edit_paragraph(const json& draft, const std::string& id, const std::string& text) {
  std::string t = trim(text);
  if (t.empty()) return Error::invalid("empty paragraph", {{"text", "must not be empty"}});
  if (t.size() > 8000) return Error::invalid("paragraph too long", {{"text", "must be at most 8000 bytes"}});
  if (!is_valid_utf8(t)) return Error::invalid("bad text", {{"text", "must be UTF-8"}});
  json out = draft;
  for (auto& s : out["sections"])
    for (auto& p : s["paragraphs"])
      if (p["id"] == id) {
        p["text"] = t;
        p["edited"] = true;
        return out;
      }
  return Error::invalid("no such paragraph", {{"paragraph", "no paragraph " + id + " in the draft"}});
}

std::string printed_text(const json& p) {
  std::string refs;
  for (const auto& r : p.value("refs", json::array())) refs += (refs.empty() ? "" : ", ") + std::string("[") + std::to_string(r.get<int>()) + "]";
  return p.value("text", std::string()) + (refs.empty() ? "" : " " + refs);
}

}  // namespace nongsan::conclusions
