// The narrative of a review and the assessment of each indicator, in Vietnamese as an
// official report writes them (Notice 752-TB/TU: "phần lớn chỉ tiêu đạt trên 50 %",
// then those achieved or exceeded, those low, and what needs revising), or in English
// when the review is asked in English. Numbers 1.234,5 (Vietnamese) or 1,234.5
// (English); dates dd/mm/yyyy. Written only from the figures of the review JSON; rounding
// only here. Nothing is claimed of an indicator that has no target: it is named as such.
#include <algorithm>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::targets {

using nlohmann::json;

namespace {

bool english(const json& review) { return review.value("lang", std::string("vi")) == "en"; }

std::string number(double v, int decimals, bool en) {
  std::string s = format_number_vi(v, decimals);
  if (!en) return s;
  for (char& ch : s) ch = ch == '.' ? ',' : ch == ',' ? '.' : ch;  // 1.234,5 → 1,234.5
  return s;
}
std::string pct(double v, bool en) { return number(v, 1, en) + " %"; }

// English agreement: " indicator has" for one, " indicators have" for more.
std::string plural(std::size_t n, const char* one, const char* more) { return n == 1 ? one : more; }

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
  return s;
}

std::string date_vi(const std::string& iso) {
  auto d = CivilDate::parse(iso);
  return d ? d->vi() : iso;
}

// The name a reader of this language knows the indicator by (English when there is one).
std::string name_of(const json& o, bool en) {
  if (en && o.contains("name_en") && o["name_en"].is_string() && !o["name_en"].get<std::string>().empty())
    return o["name_en"].get<std::string>();
  return o.value("name_vi", std::string());
}

}  // namespace

std::string assessment_text(Assessment status, std::optional<bool> forecast_reached, const std::string& lang) {
  const bool en = lang == "en";
  std::string s;
  switch (status) {
    case Assessment::achieved: s = en ? "Met or exceeded" : "Đạt, vượt"; break;
    case Assessment::over_half: s = en ? "Above 50 %" : "Trên 50%"; break;
    case Assessment::low: s = en ? "Low (below 50 %)" : "Thấp"; break;
    case Assessment::no_target: return en ? "No target" : "Chưa giao mục tiêu";
    case Assessment::no_data: return en ? "No data" : "Chưa có số liệu";
    case Assessment::not_evaluable: return en ? "Cannot be assessed" : "Không tính được tỷ lệ";
  }
  if (forecast_reached) s += *forecast_reached ? (en ? "; forecast to be met" : "; dự báo đạt")
                                               : (en ? "; unlikely to be met" : "; dự báo khó đạt");
  return s;
}

json narrative(const json& review) {
  const bool en = english(review);
  const json& c = review["counts"];
  const std::string unit_name = review["unit"].is_object() ? review["unit"]["name"].get<std::string>() : "";
  const std::string as_of = date_vi(review["as_of"].get<std::string>());
  const std::string milestone = std::to_string(review["milestone"].get<int>());
  const std::string programme = name_of(review["programme"], en);
  const int total = c["total"].get<int>();

  std::vector<std::string> achieved, low, missed, no_target, no_data, not_evaluable;
  int reached = 0;
  for (const auto& i : review["indicators"]) {
    const std::string name = name_of(i, en);
    const std::string status = i["status"].get<std::string>();
    if (status == "achieved") achieved.push_back(name + " (" + pct(i["achievement_pct"].get<double>(), en) + ")");
    if (status == "low") low.push_back(name + " (" + pct(i["achievement_pct"].get<double>(), en) + ")");
    if (status == "no_target") no_target.push_back(name);
    if (status == "no_data") no_data.push_back(name);
    if (status == "not_evaluable") not_evaluable.push_back(name);
    if (i["forecast_reached"].is_boolean()) {
      if (i["forecast_reached"].get<bool>()) ++reached;
      else missed.push_back(name + (en ? " (forecast " : " (dự báo ") + pct(i["forecast_pct"].get<double>(), en) + ")");
    }
  }
  const int evaluated = c["achieved"].get<int>() + c["over_half"].get<int>() + c["low"].get<int>();
  const std::string n_of = std::to_string(c["passed_half"].get<int>()) + (en ? " of " : "/") + std::to_string(total);

  std::vector<std::string> paras;
  if (evaluated > 0) {
    std::string p1 = en ? "As of " + as_of + ", " + unit_name + " has " + n_of + " indicators above 50 % of the " +
                              milestone + " target of " + programme
                        : "Đến ngày " + as_of + ", " + unit_name + " có " + n_of + " chỉ tiêu đạt trên 50 % kế hoạch năm " +
                              milestone + " của " + programme;
    if (review["elapsed_fraction"].is_number()) {
      const std::string f = pct(100.0 * review["elapsed_fraction"].get<double>(), en);
      p1 += en ? " (" + f + " of the time to " + milestone + " has elapsed)"
               : " (thời gian đã thực hiện bằng " + f + " thời gian đến năm " + milestone + ")";
    }
    paras.push_back(p1 + ".");
    if (achieved.empty()) paras.push_back(en ? "No indicator has met its target yet." : "Chưa có chỉ tiêu nào đạt kế hoạch.");
    else
      paras.push_back(std::to_string(achieved.size()) +
                      (en ? plural(achieved.size(), " indicator has", " indicators have") + " met or exceeded the target: " : " chỉ tiêu đã đạt và vượt kế hoạch: ") +
                      join(achieved) + ".");
    if (low.empty()) paras.push_back(en ? "No indicator is below 50 %." : "Không có chỉ tiêu nào đạt thấp (dưới 50 %).");
    else
      paras.push_back(std::to_string(low.size()) + (en ? plural(low.size(), " indicator is", " indicators are") + " low (below 50 %): " : " chỉ tiêu đạt thấp (dưới 50 %): ") +
                      join(low) + ".");
  } else {
    // Nothing can be said of progress: never a word of success without a target.
    paras.push_back(en ? "As of " + as_of + ", none of the indicators of " + unit_name +
                             " can yet be assessed against the " + milestone + " target of " + programme + "."
                       : "Đến ngày " + as_of + ", " + unit_name + " chưa có chỉ tiêu nào đánh giá được so với kế hoạch năm " +
                             milestone + " của " + programme + ".");
  }
  if (!missed.empty())
    paras.push_back(en ? "At the current pace, " + std::to_string(missed.size()) + plural(missed.size(), " indicator is", " indicators are") + " unlikely to meet the " +
                             milestone + " target: " + join(missed) + "; the targets and the measures should be reviewed."
                       : "Theo tiến độ hiện nay, " + std::to_string(missed.size()) +
                             " chỉ tiêu dự báo không đạt kế hoạch năm " + milestone + ": " + join(missed) +
                             "; đề nghị rà soát, điều chỉnh chỉ tiêu và giải pháp thực hiện.");
  else if (reached > 0)
    paras.push_back(en ? (reached == 1 ? "At the current pace, the one indicator with a target and data is forecast to meet the "
                                       : "At the current pace, the " + std::to_string(reached) +
                                             " indicators with a target and data are all forecast to meet the ") +
                             milestone + " target."
                       : "Theo tiến độ hiện nay, " + std::to_string(reached) +
                             " chỉ tiêu đã có mục tiêu và số liệu đều được dự báo đạt kế hoạch năm " + milestone + ".");
  if (!no_target.empty())
    paras.push_back(std::to_string(no_target.size()) +
                    (en ? plural(no_target.size(), " indicator has", " indicators have") + " no target, so progress cannot be assessed: "
                        : " chỉ tiêu chưa được giao mục tiêu nên chưa đánh giá được mức đạt: ") +
                    join(no_target) + ".");
  if (!no_data.empty())
    paras.push_back(std::to_string(no_data.size()) + (en ? plural(no_data.size(), " indicator has", " indicators have") + " no data yet: " : " chỉ tiêu chưa có số liệu: ") +
                    join(no_data) + ".");
  if (!not_evaluable.empty())
    paras.push_back(std::to_string(not_evaluable.size()) +
                    (en ? plural(not_evaluable.size(), " indicator", " indicators") + " cannot be given a percentage (the target equals the baseline, or is 0): "
                        : " chỉ tiêu chưa tính được tỷ lệ đạt (mục tiêu bằng giá trị năm cơ sở hoặc bằng 0): ") +
                    join(not_evaluable) + ".");
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
    const std::string of = (en ? " of " : "/") + std::to_string(total);
    auto leaders = [&](const std::vector<std::pair<int, std::string>>& v, const std::string& what) {
      int best = 0;
      for (const auto& [n, name] : v) best = std::max(best, n);
      std::vector<std::string> names;
      for (const auto& [n, name] : v)
        if (n == best) names.push_back(name);
      if (best == 0 || names.size() > 2) return;
      std::string who = names[0] + (names.size() == 2 ? (en ? " and " : " và ") + names[1] : "");
      stand.push_back(en ? who + " " + (names.size() == 2 ? "have" : "has") + " the most indicators " + what + " (" +
                               std::to_string(best) + of + ")"
                         : who + " có nhiều chỉ tiêu " + what + " nhất (" + std::to_string(best) + of + ")");
    };
    leaders(achieved_by_unit, en ? "met or exceeded" : "đạt và vượt");
    leaders(low_by_unit, en ? "below 50 %" : "đạt thấp");
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
  auto phrase = [&](const json& s) {
    return s["unit_name"].get<std::string>() + (en ? " for " : " về ") + name_of(s, en) + " (" +
           pct(s["achievement_pct"].get<double>(), en) + ")";
  };
  std::vector<std::string> hi_text, lo_text;
  for (std::size_t k = 0; k < high.size() && k < 3; ++k) hi_text.push_back(phrase(*high[k]));
  for (std::size_t k = 0; k < lowest.size() && k < 3; ++k) lo_text.push_back(phrase(*lowest[k]));
  if (!hi_text.empty()) stand.push_back((en ? "standing out high: " : "đạt cao nổi bật: ") + join(hi_text));
  if (!lo_text.empty()) stand.push_back((en ? "lowest: " : "thấp nhất: ") + join(lo_text));
  if (!stand.empty()) paras.push_back((en ? "By unit: " : "Theo đơn vị: ") + join(stand) + ".");

  return {{"title", en ? "Mid-term review of " + programme + " — " + unit_name + " — as of " + as_of
                       : "Đánh giá giữa kỳ thực hiện " + programme + " — " + unit_name + " — đến ngày " + as_of},
          {"paragraphs", paras}};
}

}  // namespace nongsan::targets
