// validate_review: the review JSON checked against its contract (docs/review-json.md)
// before a renderer reads any of it. A review may come from a file anyone can edit
// (`nongsan report render --in`), so every value a writer reads is checked here for
// its type, its allowed words and its length, and every problem is named by its JSON
// path ("units[3].level: must be a string"); the writers can then read without
// guarding each access. Lengths are limited so that a document stays a document
// (a name is a line, a paragraph a page) and no text can make the layout run for
// minutes.
#include <fmt/format.h>

#include <initializer_list>
#include <string_view>

#include "reports/review_report.hpp"

namespace nongsan::reports {

using nlohmann::json;

namespace {

// Lengths in characters (UTF-8 code points), counts in elements.
constexpr std::size_t kCode = 64, kWord = 32, kName = 500, kLine = 2000, kParagraph = 20000, kHash = 128;
constexpr std::size_t kMaxIndicators = 500, kMaxUnits = 2000, kMaxParagraphs = 200, kMaxTrend = 200, kMaxFlags = 20,
                      kMaxStandouts = 5000;

std::size_t chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class Checker {
 public:
  explicit Checker(std::vector<FieldError>& errs) : errs_(errs) {}

  void fail(const std::string& path, const std::string& why) {
    if (errs_.size() < 200) errs_.push_back({path, why});
  }

  // A member of `obj`; nullptr when absent (reported when required) or, for a
  // nullable member, when null.
  const json* member(const json& obj, const std::string& path, const char* key, bool required, bool nullable) {
    if (!obj.contains(key)) {
      if (required) fail(path + key, "missing");
      return nullptr;
    }
    const json& v = obj[key];
    if (v.is_null() && nullable) return nullptr;
    return &v;
  }

  const json* string(const json& obj, const std::string& path, const char* key, std::size_t max_chars,
                     bool required = true, bool nullable = false,
                     std::initializer_list<std::string_view> allowed = {}) {
    const json* v = member(obj, path, key, required, nullable);
    if (!v) return nullptr;
    if (!v->is_string()) {
      fail(path + key, nullable ? "must be a string or null" : "must be a string");
      return nullptr;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (allowed.size() > 0) {
      for (auto a : allowed)
        if (s == a) return v;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(path + key, "must be one of " + list + (nullable ? " or null" : ""));
      return nullptr;
    }
    if (chars(s) > max_chars) {
      fail(path + key, fmt::format("is longer than {} characters", max_chars));
      return nullptr;
    }
    return v;
  }

  void number(const json& obj, const std::string& path, const char* key, bool required = true, bool nullable = false) {
    const json* v = member(obj, path, key, required, nullable);
    if (v && !v->is_number()) fail(path + key, nullable ? "must be a number or null" : "must be a number");
  }

  void integer(const json& obj, const std::string& path, const char* key, int min, int max, bool required = true,
               bool nullable = false) {
    const json* v = member(obj, path, key, required, nullable);
    if (!v) return;
    if (!v->is_number_integer()) {
      fail(path + key, nullable ? "must be a whole number or null" : "must be a whole number");
      return;
    }
    auto n = v->get<std::int64_t>();
    if (n < min || n > max) fail(path + key, fmt::format("must be from {} to {}", min, max));
  }

  void boolean(const json& obj, const std::string& path, const char* key, bool required = false, bool nullable = false) {
    const json* v = member(obj, path, key, required, nullable);
    if (v && !v->is_boolean()) fail(path + key, nullable ? "must be true, false or null" : "must be true or false");
  }

  void date(const json& obj, const std::string& path, const char* key, bool required = true, bool nullable = false) {
    const json* v = string(obj, path, key, kWord, required, nullable);
    if (!v) return;
    const auto& s = v->get_ref<const std::string&>();
    if (!(s.size() == 10 && s[4] == '-' && CivilDate::parse(s))) fail(path + key, "must be a date yyyy-mm-dd");
  }

  // An object member; nullptr (reported) when absent or not an object.
  const json* object(const json& obj, const std::string& path, const char* key, bool required = true) {
    const json* v = member(obj, path, key, required, false);
    if (v && !v->is_object()) {
      fail(path + key, "must be an object");
      return nullptr;
    }
    return v;
  }

  const json* array(const json& obj, const std::string& path, const char* key, std::size_t max_items,
                    bool required = true) {
    const json* v = member(obj, path, key, required, false);
    if (!v) return nullptr;
    if (!v->is_array()) {
      fail(path + key, "must be an array");
      return nullptr;
    }
    if (v->size() > max_items) {
      fail(path + key, fmt::format("has more than {} elements", max_items));
      return nullptr;
    }
    return v;
  }

  // Each element of `arr` must be an object; `each(element, "path[i].")` checks it.
  template <typename F>
  void objects(const json& arr, const std::string& path, F each) {
    std::size_t i = 0;
    for (const auto& e : arr) {
      std::string p = fmt::format("{}[{}]", path, i++);
      if (!e.is_object()) fail(p, "must be an object");
      else each(e, p + ".");
    }
  }

 private:
  std::vector<FieldError>& errs_;
};

const std::initializer_list<std::string_view> kBands = {"achieved", "over_half", "low"};
const std::initializer_list<std::string_view> kStatuses = {"achieved", "over_half", "low",
                                                          "no_target", "no_data", "not_evaluable"};
const std::initializer_list<std::string_view> kLevels = {"province", "district", "commune"};

void check_indicator(Checker& k, const json& ind, const std::string& p) {
  k.string(ind, p, "indicator", kCode);
  k.string(ind, p, "name_vi", kName);
  k.string(ind, p, "name_en", kName, false, true);
  k.string(ind, p, "measure_unit", kWord);
  k.string(ind, p, "kind", kWord, true, false, {"stock", "flow"});
  k.string(ind, p, "direction", kWord, true, false, {"up", "down"});
  k.string(ind, p, "source", kWord, false, false, {"reported", "computed"});
  k.string(ind, p, "unit_code", kCode, false);
  k.number(ind, p, "baseline");
  for (const char* key : {"target", "target_original", "actual", "achievement_pct", "forecast", "forecast_pct"})
    k.number(ind, p, key, true, true);
  for (const char* key : {"change_since_baseline", "change_since_baseline_pct"}) k.number(ind, p, key, false, true);
  k.string(ind, p, "target_decision", kLine, false, true);
  k.date(ind, p, "target_effective", false, true);
  k.integer(ind, p, "actual_year", 1000, 9999, true, true);
  k.string(ind, p, "band", kWord, true, true, kBands);
  k.string(ind, p, "status", kWord, false, false, kStatuses);
  k.string(ind, p, "assessment", kLine, false);
  k.boolean(ind, p, "forecast_reached", true, true);
  k.boolean(ind, p, "counted");
  k.boolean(ind, p, "illustrative");
  if (const json* trend = k.array(ind, p, "trend", kMaxTrend))
    k.objects(*trend, p + "trend", [&](const json& t, const std::string& tp) {
      k.integer(t, tp, "year", 1000, 9999);
      k.number(t, tp, "value");
    });
  if (const json* flags = k.array(ind, p, "flags", kMaxFlags, false)) {
    std::size_t i = 0;
    for (const auto& f : *flags) {
      std::string fp = fmt::format("{}flags[{}]", p, i++);
      if (!f.is_string()) k.fail(fp, "must be a string");
      else if (chars(f.get_ref<const std::string&>()) > kCode) k.fail(fp, fmt::format("is longer than {} characters", kCode));
    }
  }
}

}  // namespace

// The support section (docs/review-json.md, "support"): null, or the year's figures per policy.
void check_findings(Checker& k, const json& obj, const std::string& path) {
  const json* f = k.object(obj, path, "findings");
  if (!f) return;
  if (f->size() > 50) k.fail(path + "findings", "has more than 50 kinds");
  for (const auto& [key, n] : f->items()) {
    if (chars(key) > kWord) k.fail(path + "findings", fmt::format("names a kind longer than {} characters", kWord));
    else if (!n.is_number_integer() || n.get<std::int64_t>() < 0) k.fail(path + "findings." + key, "must be a count");
  }
}

void check_support(Checker& k, const json& r) {
  if (!r.contains("support") || r["support"].is_null()) return;
  const json* sp = k.object(r, "", "support");
  if (!sp) return;
  k.integer(*sp, "support.", "year", 1000, 9999);
  k.boolean(*sp, "support.", "illustrative");
  if (sp->contains("check_run") && !(*sp)["check_run"].is_null()) {
    if (const json* run = k.object(*sp, "support.", "check_run")) k.string(*run, "support.check_run.", "run_at", kWord);
  } else if (!sp->contains("check_run")) {
    k.fail("support.check_run", "missing");
  }
  auto money = [&](const json& o, const std::string& p) {
    for (const char* f : {"approved", "paid"}) k.number(o, p, f);
    for (const char* f : {"planned", "remaining"}) k.number(o, p, f, true, true);
    k.integer(o, p, "applications", 0, 100000000);
    k.integer(o, p, "unchecked", 0, 100000000);
    check_findings(k, o, p);
  };
  if (const json* ps = k.array(*sp, "support.", "policies", kMaxIndicators))
    k.objects(*ps, "support.policies", [&](const json& l, const std::string& p) {
      k.string(l, p, "policy", kCode);
      k.string(l, p, "name_vi", kName);
      k.string(l, p, "name_en", kName, false, true);
      k.string(l, p, "item", kWord, true, false, {"area", "hive", "head", "cage_m3", "project"});
      k.boolean(l, p, "illustrative");
      k.number(l, p, "payable");
      money(l, p);
    });
  if (const json* t = k.object(*sp, "support.", "total")) money(*t, "support.total.");
}

Status validate_review(const json& r) {
  if (!r.is_object()) return Error::invalid("the review JSON does not follow the contract", {{"(root)", "must be an object"}});
  std::vector<FieldError> errs;
  Checker k(errs);
  k.string(r, "", "kind", kWord, true, false, {"review"});
  k.string(r, "", "lang", kWord, false, false, {"vi", "en"});
  if (const json* p = k.object(r, "", "programme")) {
    k.string(*p, "programme.", "code", kCode);
    k.string(*p, "programme.", "name_vi", kName);
    k.string(*p, "programme.", "name_en", kName, false, true);
    k.date(*p, "programme.", "start");
    k.date(*p, "programme.", "end");
    k.integer(*p, "programme.", "baseline_year", 1000, 9999, false);
    k.boolean(*p, "programme.", "illustrative");
    if (const json* ms = k.array(*p, "programme.", "milestones", 50, false)) {
      std::size_t i = 0;
      for (const auto& m : *ms) {
        if (!m.is_number_integer()) k.fail(fmt::format("programme.milestones[{}]", i), "must be a year");
        ++i;
      }
    }
  }
  k.integer(r, "", "milestone", 1000, 9999);
  k.date(r, "", "as_of");
  k.number(r, "", "elapsed_fraction", true, true);
  k.boolean(r, "", "illustrative");
  if (const json* u = k.object(r, "", "unit")) {
    k.string(*u, "unit.", "code", kCode);
    k.string(*u, "unit.", "name", kName);
    k.string(*u, "unit.", "level", kWord, false, false, kLevels);
  }
  if (const json* inds = k.array(r, "", "indicators", kMaxIndicators))
    k.objects(*inds, "indicators", [&](const json& ind, const std::string& p) { check_indicator(k, ind, p); });
  if (const json* c = k.object(r, "", "counts")) {
    for (const char* key : {"total", "achieved", "over_half", "low", "no_data", "passed_half", "forecast_missed"})
      k.integer(*c, "counts.", key, 0, 1000000);
    for (const char* key : {"no_target", "not_evaluable"}) k.integer(*c, "counts.", key, 0, 1000000, false);
  }
  if (const json* n = k.object(r, "", "narrative")) {
    k.string(*n, "narrative.", "title", kLine, false);
    if (const json* paras = k.array(*n, "narrative.", "paragraphs", kMaxParagraphs)) {
      std::size_t i = 0;
      for (const auto& para : *paras) {
        std::string pp = fmt::format("narrative.paragraphs[{}]", i++);
        if (!para.is_string()) k.fail(pp, "must be a string");
        else if (chars(para.get_ref<const std::string&>()) > kParagraph)
          k.fail(pp, fmt::format("is longer than {} characters", kParagraph));
      }
    }
  }
  if (const json* units = k.array(r, "", "units", kMaxUnits))
    k.objects(*units, "units", [&](const json& u, const std::string& p) {
      k.string(u, p, "unit_code", kCode);
      k.string(u, p, "unit_name", kName);
      k.string(u, p, "level", kWord, false, false, kLevels);
      if (const json* xs = k.array(u, p, "indicators", kMaxIndicators))
        k.objects(*xs, p + "indicators", [&](const json& x, const std::string& xp) {
          k.string(x, xp, "indicator", kCode);
          for (const char* f : {"target", "actual", "achievement_pct", "forecast_pct"}) k.number(x, xp, f, true, true);
          k.string(x, xp, "band", kWord, true, true, kBands);
          k.string(x, xp, "status", kWord, false, false, kStatuses);
          k.boolean(x, xp, "forecast_reached", false, true);
        });
    });
  if (const json* st = k.array(r, "", "standouts", kMaxStandouts, false))
    k.objects(*st, "standouts", [&](const json& s, const std::string& p) {
      k.string(s, p, "unit_code", kCode, false);
      k.string(s, p, "unit_name", kName);
      k.string(s, p, "indicator", kCode);
      k.string(s, p, "name_vi", kName, false);
      k.number(s, p, "achievement_pct");
      k.string(s, p, "note", kWord, true, false, {"highest", "lowest"});
    });
  check_support(k, r);
  k.string(r, "", "data_hash", kHash);
  if (const json* g = k.string(r, "", "generated_at", kWord)) {
    const auto& s = g->get_ref<const std::string&>();
    if (!parse_utc_seconds(s))
      k.fail("generated_at", "must be a UTC time yyyy-mm-ddThh:mm:ssZ");
  }
  if (!errs.empty()) return Error::invalid("the review JSON does not follow the contract", std::move(errs));
  return {};
}

}  // namespace nongsan::reports
