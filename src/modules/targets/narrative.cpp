// The narrative of a review, in Vietnamese as an official report writes it
// (Notice 752-TB/TU: "phần lớn chỉ tiêu đạt trên 50 %", then those achieved or
// exceeded, those low, and what needs revising). Numbers 1.234,5; dates dd/mm/yyyy.
// Written only from the figures of the review JSON; rounding only here.
#include <algorithm>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::targets {

using nlohmann::json;

namespace {
std::string pct(double v) { return format_number_vi(v, 1) + " %"; }

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
  return s;
}

std::string date_vi(const std::string& iso) {
  auto d = CivilDate::parse(iso);
  return d ? d->vi() : iso;
}
}  // namespace

json narrative_vi(const json& review) {
  const json& c = review["counts"];
  const std::string unit_name = review["unit"].is_object() ? review["unit"]["name"].get<std::string>() : "";
  const std::string as_of = date_vi(review["as_of"].get<std::string>());
  const std::string milestone = std::to_string(review["milestone"].get<int>());
  const std::string programme = review["programme"]["name_vi"].get<std::string>();
  const int total = c["total"].get<int>();

  std::vector<std::string> achieved, low, missed, no_data;
  for (const auto& i : review["indicators"]) {
    std::string name = i["name_vi"].get<std::string>();
    if (i["band"].is_null()) {
      no_data.push_back(name);
    } else {
      double a = i["achievement_pct"].get<double>();
      if (i["band"] == "achieved") achieved.push_back(name + " (" + pct(a) + ")");
      if (i["band"] == "low") low.push_back(name + " (" + pct(a) + ")");
    }
    if (i["forecast_reached"].is_boolean() && !i["forecast_reached"].get<bool>())
      missed.push_back(name + " (dự báo " + pct(i["forecast_pct"].get<double>()) + ")");
  }

  std::vector<std::string> paras;
  std::string p1 = "Đến ngày " + as_of + ", " + unit_name + " có " + std::to_string(c["passed_half"].get<int>()) + "/" +
                   std::to_string(total) + " chỉ tiêu đạt trên 50 % kế hoạch năm " + milestone + " của " + programme;
  if (review["elapsed_fraction"].is_number())
    p1 += " (thời gian đã thực hiện bằng " + pct(100.0 * review["elapsed_fraction"].get<double>()) +
          " thời gian đến năm " + milestone + ")";
  paras.push_back(p1 + ".");
  if (achieved.empty()) paras.push_back("Chưa có chỉ tiêu nào đạt kế hoạch.");
  else paras.push_back(std::to_string(achieved.size()) + " chỉ tiêu đã đạt và vượt kế hoạch: " + join(achieved) + ".");
  if (low.empty()) paras.push_back("Không có chỉ tiêu nào đạt thấp (dưới 50 %).");
  else paras.push_back(std::to_string(low.size()) + " chỉ tiêu đạt thấp (dưới 50 %): " + join(low) + ".");
  if (missed.empty())
    paras.push_back("Theo tiến độ hiện nay, các chỉ tiêu có số liệu đều được dự báo đạt kế hoạch năm " + milestone + ".");
  else
    paras.push_back("Theo tiến độ hiện nay, " + std::to_string(missed.size()) + " chỉ tiêu dự báo không đạt kế hoạch năm " +
                    milestone + ": " + join(missed) + "; đề nghị rà soát, điều chỉnh chỉ tiêu và giải pháp thực hiện.");
  if (!no_data.empty())
    paras.push_back(std::to_string(no_data.size()) + " chỉ tiêu chưa có số liệu hoặc chưa giao kế hoạch: " +
                    join(no_data) + ".");
  // Per-unit standouts, as a reader can take them in: which units have the most
  // indicators achieved and the most low ones, then the few widest gaps — the three
  // highest achievements at or above 100 % and the three lowest below 50 % (the full
  // list per indicator stays in the JSON's `standouts` and the per-unit table).
  std::vector<std::string> stand;
  if (review.contains("units") && review["units"].size() >= 2) {
    // The unit(s) with the most achieved and with the most low indicators; named only
    // when at most two units share the first place (otherwise nobody stands out).
    std::vector<std::pair<int, std::string>> achieved_by_unit, low_by_unit;
    for (const auto& u : review["units"]) {
      int a = 0, l = 0;
      for (const auto& i : u["indicators"]) {
        if (i["band"] == "achieved") ++a;
        if (i["band"] == "low") ++l;
      }
      achieved_by_unit.push_back({a, u["unit_name"].get<std::string>()});
      low_by_unit.push_back({l, u["unit_name"].get<std::string>()});
    }
    const std::string of = "/" + std::to_string(total);
    auto leaders = [&](const std::vector<std::pair<int, std::string>>& v, const std::string& what) {
      int best = 0;
      for (const auto& [n, name] : v) best = std::max(best, n);
      std::vector<std::string> names;
      for (const auto& [n, name] : v)
        if (n == best) names.push_back(name);
      if (best == 0 || names.size() > 2) return;
      std::string who = names[0] + (names.size() == 2 ? " và " + names[1] : "");
      stand.push_back(who + " có nhiều chỉ tiêu " + what + " nhất (" + std::to_string(best) + of + ")");
    };
    leaders(achieved_by_unit, "đạt và vượt");
    leaders(low_by_unit, "đạt thấp");
  }
  std::vector<const json*> high, lowest;
  for (const auto& s : review["standouts"]) {
    double v = s["achievement_pct"].get<double>();
    if (s["note"] == "highest" && v >= 100) high.push_back(&s);
    if (s["note"] == "lowest" && v < 50) lowest.push_back(&s);
  }
  auto by_pct = [](const json* a, const json* b) {
    return (*a)["achievement_pct"].get<double>() < (*b)["achievement_pct"].get<double>();
  };
  std::stable_sort(high.begin(), high.end(), [&](const json* a, const json* b) { return by_pct(b, a); });
  std::stable_sort(lowest.begin(), lowest.end(), by_pct);
  auto phrase = [](const json& s) {
    return s["unit_name"].get<std::string>() + " về " + s["name_vi"].get<std::string>() + " (" +
           pct(s["achievement_pct"].get<double>()) + ")";
  };
  std::vector<std::string> hi_text, lo_text;
  for (std::size_t k = 0; k < high.size() && k < 3; ++k) hi_text.push_back(phrase(*high[k]));
  for (std::size_t k = 0; k < lowest.size() && k < 3; ++k) lo_text.push_back(phrase(*lowest[k]));
  if (!hi_text.empty()) stand.push_back("đạt cao nổi bật: " + join(hi_text));
  if (!lo_text.empty()) stand.push_back("thấp nhất: " + join(lo_text));
  if (!stand.empty()) paras.push_back("Theo đơn vị: " + join(stand) + ".");

  return {{"title", "Đánh giá giữa kỳ thực hiện " + programme + " — " + unit_name + " — đến ngày " + as_of},
          {"paragraphs", paras}};
}

}  // namespace nongsan::targets
