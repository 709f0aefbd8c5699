// The narrative of a review, in Vietnamese as an official report writes it
// (Notice 752-TB/TU: "phần lớn chỉ tiêu đạt trên 50 %", then those achieved or
// exceeded, those low, and what needs revising). Numbers 1.234,5; dates dd/mm/yyyy.
// Written only from the figures of the review JSON; rounding only here.
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
  std::vector<std::string> stand;
  for (const auto& s : review["standouts"]) {
    std::string what = s["note"] == "highest" ? "cao nhất" : "thấp nhất";
    stand.push_back(s["unit_name"].get<std::string>() + " đạt " + what + " về " + s["name_vi"].get<std::string>() + " (" +
                    pct(s["achievement_pct"].get<double>()) + ")");
  }
  if (!stand.empty()) paras.push_back("Theo đơn vị: " + join(stand) + ".");

  return {{"title", "Đánh giá giữa kỳ thực hiện " + programme + " — " + unit_name + " — đến ngày " + as_of},
          {"paragraphs", paras}};
}

}  // namespace nongsan::targets
