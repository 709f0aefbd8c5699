#include "modules/support/policy_file.hpp"

#include <cmath>
#include <set>

#include "core/text.hpp"
#include "modules/support/condition.hpp"

namespace nongsan::support {

using nlohmann::json;

namespace {

// Plausible dates of a policy: the programme's documents are from this century.
bool plausible(const CivilDate& d) { return d.year() >= 1945 && d.year() <= 2100; }

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {"code",      "version",        "name_vi",  "name_en", "content",
                                             "item",      "rate",           "one_time", "cap_per_beneficiary_year",
                                             "exclusive_with", "requires",  "conditions", "source", "illustrative",
                                             "note"};
  return keys;
}

struct Reader {
  const json& j;
  std::string path;
  std::vector<FieldError>& errors;

  std::string at(const std::string& key) const { return path.empty() ? key : path + "." + key; }

  std::optional<std::string> text(const std::string& key, bool required, std::size_t max = 2000) {
    if (!j.contains(key) || j[key].is_null()) {
      if (required) errors.push_back({at(key), "is required"});
      return std::nullopt;
    }
    if (!j[key].is_string()) {
      errors.push_back({at(key), "must be a text"});
      return std::nullopt;
    }
    const auto& s = j[key].get_ref<const std::string&>();
    if (!is_valid_utf8(s)) errors.push_back({at(key), "is not valid UTF-8"});
    else if (s.size() > max) errors.push_back({at(key), "is longer than " + std::to_string(max) + " bytes"});
    else if (required && trim(s).empty()) errors.push_back({at(key), "must not be empty"});
    else return s;
    return std::nullopt;
  }
  std::optional<double> number(const std::string& key, bool required, double min, double max) {
    if (!j.contains(key) || j[key].is_null()) {
      if (required) errors.push_back({at(key), "is required"});
      return std::nullopt;
    }
    if (!j[key].is_number()) {
      errors.push_back({at(key), "must be a number"});
      return std::nullopt;
    }
    double v = j[key].get<double>();
    if (!std::isfinite(v) || v < min || v > max) {
      errors.push_back({at(key), "must be between " + std::to_string(static_cast<long long>(min)) + " and " +
                                     std::to_string(static_cast<long long>(max))});
      return std::nullopt;
    }
    return v;
  }
  bool boolean(const std::string& key) {
    if (!j.contains(key) || j[key].is_null()) return false;
    if (!j[key].is_boolean()) {
      errors.push_back({at(key), "must be true or false"});
      return false;
    }
    return j[key].get<bool>();
  }
  std::vector<std::string> texts(const std::string& key) {
    std::vector<std::string> out;
    if (!j.contains(key) || j[key].is_null()) return out;
    if (!j[key].is_array()) {
      errors.push_back({at(key), "must be a list of texts"});
      return out;
    }
    for (std::size_t i = 0; i < j[key].size(); ++i) {
      const auto& v = j[key][i];
      if (!v.is_string() || v.get_ref<const std::string&>().empty() || !is_valid_utf8(v.get_ref<const std::string&>()))
        errors.push_back({at(key) + "[" + std::to_string(i) + "]", "must be a non-empty text"});
      else
        out.push_back(v.get<std::string>());
    }
    return out;
  }
};

}  // namespace

Result<PolicyVersion> parse_policy(const json& j, const std::string& path) {
  std::vector<FieldError> errors;
  if (!j.is_object()) return Error::invalid("a policy must be a JSON object", {{path.empty() ? "policy" : path, "must be an object"}});
  Reader r{j, path, errors};
  for (const auto& [key, value] : j.items())
    if (!known_keys().count(key)) errors.push_back({r.at(key), "unknown field"});

  PolicyVersion p;
  if (auto v = r.text("code", true, 64)) {
    p.code = *v;
    for (char c : p.code)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
        errors.push_back({r.at("code"), "may hold only letters, digits, - _ and ."});
        break;
      }
  }
  if (auto v = r.text("version", true, 32)) {
    auto date = CivilDate::parse(*v);
    if (!date) errors.push_back({r.at("version"), "must be a date (YYYY-MM-DD)"});
    else if (!plausible(*date)) errors.push_back({r.at("version"), "must be a date between 1945 and 2100"});
    else p.version = *date;
  }
  p.name_vi = r.text("name_vi", true, 500).value_or("");
  p.name_en = r.text("name_en", false, 500).value_or("");
  p.content = r.text("content", true, 100).value_or("");
  if (auto v = r.text("item", true, 32)) {
    if (auto u = parse_item_unit(*v)) p.item = *u;
    else errors.push_back({r.at("item"), "must be one of: area, hive, head, cage_m3, project"});
  }
  // A rate up to 10 billion đồng per unit: a province's largest project support.
  p.rate = r.number("rate", true, 0, 1e10).value_or(0);
  p.one_time = r.boolean("one_time");
  if (auto v = r.number("cap_per_beneficiary_year", false, 0, 1e13)) {
    if (*v != std::floor(*v)) errors.push_back({r.at("cap_per_beneficiary_year"), "must be whole đồng"});
    else p.cap_per_beneficiary_year = static_cast<Dong>(*v);
  }
  p.exclusive_with = r.texts("exclusive_with");
  for (std::size_t i = 0; i < p.exclusive_with.size(); ++i)
    if (p.exclusive_with[i] == p.code)
      errors.push_back({r.at("exclusive_with") + "[" + std::to_string(i) + "]", "a policy cannot exclude itself"});
  if (j.contains("requires") && !j["requires"].is_null()) {
    const json& q = j["requires"];
    if (!q.is_object()) {
      errors.push_back({r.at("requires"), "must be an object"});
    } else {
      Reader rq{q, r.at("requires"), errors};
      for (const auto& [key, value] : q.items())
        if (key != "crop" && key != "zone" && key != "controller" && key != "suitability" && key != "profile")
          errors.push_back({rq.at(key), "unknown field (crop, zone, controller, suitability, profile)"});
      p.requires_.crop = rq.text("crop", false, 100);
      p.requires_.zone = rq.boolean("zone");
      p.requires_.controller = rq.boolean("controller");
      p.requires_.suitability = rq.texts("suitability");
      for (std::size_t i = 0; i < p.requires_.suitability.size(); ++i) {
        const auto& c = p.requires_.suitability[i];
        if (c != "S1" && c != "S2" && c != "S3" && c != "N")
          errors.push_back({rq.at("suitability") + "[" + std::to_string(i) + "]", "must be S1, S2, S3 or N"});
      }
      p.requires_.profile = rq.text("profile", false, 100);
      if (p.requires_.zone && !p.requires_.crop)
        errors.push_back({rq.at("zone"), "needs requires.crop: the zones of which crop?"});
      if (!p.requires_.suitability.empty() && !p.requires_.crop && !p.requires_.profile)
        errors.push_back({rq.at("suitability"), "needs requires.crop or requires.profile: suitable for what?"});
      if (!is_area(p.item) && !p.requires_.empty())
        errors.push_back({r.at("requires"), "applies to land: only policies with item \"area\" can require a crop, zone, "
                                     "controller or suitability"});
    }
  }
  p.conditions = r.text("conditions", false, kMaxConditionLength).value_or("");
  if (!p.conditions.empty()) {
    auto c = Condition::parse(p.conditions, standard_facts(), r.at("conditions"));
    if (!c) errors.insert(errors.end(), c.error().fields.begin(), c.error().fields.end());
  }
  p.source = r.text("source", false, 1000).value_or("");
  p.illustrative = r.boolean("illustrative");
  p.note = r.text("note", false, 4000).value_or("");
  if (!errors.empty()) return Error::invalid("the policy is not valid", std::move(errors));
  return p;
}

Result<std::vector<PolicyVersion>> parse_policies(const json& j) {
  std::vector<PolicyVersion> out;
  std::vector<FieldError> errors;
  if (j.is_object()) {
    auto p = parse_policy(j);
    if (!p) return p.error();
    out.push_back(*p);
    return out;
  }
  if (!j.is_array()) return Error::invalid("the policies file must hold a JSON array of policies", {{"file", "must be an array"}});
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string path = "[" + std::to_string(i) + "]";
    auto p = parse_policy(j[i], path);
    if (!p) {
      errors.insert(errors.end(), p.error().fields.begin(), p.error().fields.end());
      continue;
    }
    if (!seen.insert({p->code, p->version.iso()}).second)
      errors.push_back({path + ".version", "policy " + p->code + " has two versions dated " + p->version.iso()});
    out.push_back(std::move(*p));
  }
  if (!errors.empty()) return Error::invalid("the policies are not valid; nothing was imported", std::move(errors));
  return out;
}

json to_json(const PolicyVersion& p) {
  json requires_ = json::object();
  if (p.requires_.crop) requires_["crop"] = *p.requires_.crop;
  if (p.requires_.zone) requires_["zone"] = true;
  if (p.requires_.controller) requires_["controller"] = true;
  if (!p.requires_.suitability.empty()) requires_["suitability"] = p.requires_.suitability;
  if (p.requires_.profile) requires_["profile"] = *p.requires_.profile;
  json j = {{"code", p.code},
            {"version", p.version.iso()},
            {"name_vi", p.name_vi},
            {"name_en", p.name_en},
            {"content", p.content},
            {"item", std::string(to_string(p.item))},
            {"rate", p.rate},
            {"one_time", p.one_time},
            {"cap_per_beneficiary_year", p.cap_per_beneficiary_year ? json(*p.cap_per_beneficiary_year) : json(nullptr)},
            {"exclusive_with", p.exclusive_with},
            {"requires", requires_},
            {"conditions", p.conditions},
            {"source", p.source},
            {"illustrative", p.illustrative},
            {"note", p.note}};
  return j;
}

const PolicyVersion* find_version_in_force(const std::vector<PolicyVersion>& versions, std::string_view code,
                                           const CivilDate& date) {
  const PolicyVersion* best = nullptr;
  for (const auto& v : versions)
    if (v.code == code && v.version <= date && (!best || best->version < v.version)) best = &v;
  return best;
}

std::optional<PolicyVersion> version_in_force(const std::vector<PolicyVersion>& versions, const std::string& code,
                                              const CivilDate& date) {
  const PolicyVersion* best = find_version_in_force(versions, code, date);
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace nongsan::support
