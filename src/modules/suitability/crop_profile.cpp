#include "modules/suitability/crop_profile.hpp"

#include <cmath>
#include <limits>
#include <set>

namespace nongsan::suitability {

using nlohmann::json;

std::string_view class_name(SuitClass c) {
  switch (c) {
    case SuitClass::S1: return "S1";
    case SuitClass::S2: return "S2";
    case SuitClass::S3: return "S3";
    case SuitClass::N: return "N";
    case SuitClass::nodata: break;
  }
  return "nodata";
}

std::optional<Method> parse_method(std::string_view name) {
  if (name == "limiting") return Method::limiting;
  if (name == "storie") return Method::storie;
  if (name == "square_root") return Method::square_root;
  return std::nullopt;
}

std::string_view method_name(Method m) {
  switch (m) {
    case Method::limiting: return "limiting";
    case Method::storie: return "storie";
    case Method::square_root: return "square_root";
  }
  return "limiting";
}

std::optional<FactorType> parse_factor_type(std::string_view name) {
  if (name == "continuous") return FactorType::continuous;
  if (name == "categorical") return FactorType::categorical;
  return std::nullopt;
}

std::string_view factor_type_name(FactorType t) {
  return t == FactorType::categorical ? "categorical" : "continuous";
}

bool CropProfile::sourced() const { return unsourced_factors().empty(); }

std::vector<std::size_t> CropProfile::unsourced_factors() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < factors.size(); ++i)
    if (factors[i].source.find_first_not_of(" \t\r\n") == std::string::npos) out.push_back(i);
  return out;
}

std::optional<std::size_t> CropProfile::factor_index(std::string_view layer) const {
  for (std::size_t i = 0; i < factors.size(); ++i)
    if (factors[i].layer == layer) return i;
  return std::nullopt;
}

namespace {

constexpr const char* kClassKeys[3] = {"S1", "S2", "S3"};

// Collects every problem of a profile rather than stopping at the first.
struct Problems {
  std::vector<FieldError> list;
  void add(std::string field, std::string message) { list.push_back({std::move(field), std::move(message)}); }
};

std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

bool finite_number(const json& v) { return v.is_number() && std::isfinite(v.get<double>()); }

// What a JSON value is, in words ("a text", "null"), for "must be a number, not ...".
std::string kind_of(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return "a text (\"" + v.get<std::string>().substr(0, 20) + "\")";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "an object";
  if (v.is_number() && !std::isfinite(v.get<double>())) return "a number out of range";
  return "a number";
}

// Adds "must be a finite number" for `v` at `path` unless it is one.
bool require_number(const json& v, const std::string& path, Problems& pr) {
  if (finite_number(v)) return true;
  pr.add(path, "must be a finite number, not " + kind_of(v));
  return false;
}

// A JSON number that is a whole number fitting in long long (3 or 3.0, not 3.5 or "3").
std::optional<long long> integer_code(const json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<long long>(d);
  }
  return std::nullopt;
}

std::optional<std::string> string_field(const json& o, const char* key, const std::string& path, Problems& pr,
                                        bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) pr.add(path + key, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    pr.add(path + key, "must be a text");
    return std::nullopt;
  }
  return it->get<std::string>();
}

bool valid_layer_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

void parse_intervals(const json& f, Factor& out, const std::string& path, Problems& pr) {
  for (int c = 0; c < 3; ++c) {
    auto it = f.find(kClassKeys[c]);
    if (it == f.end() || it->is_null()) continue;
    std::string p = path + "." + kClassKeys[c];
    if (!it->is_array()) {
      pr.add(p, "must be a list of [low, high] intervals");
      continue;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& iv = (*it)[i];
      std::string pi = idx(p, i);
      if (!iv.is_array() || iv.size() != 2) {
        pr.add(pi, "must be an interval [low, high]");
        continue;
      }
      const bool low_ok = require_number(iv[0], idx(pi, 0), pr), high_ok = require_number(iv[1], idx(pi, 1), pr);
      if (!low_ok || !high_ok) continue;
      double lo = iv[0].get<double>(), hi = iv[1].get<double>();
      if (!(lo < hi)) {
        pr.add(pi, "interval low must be < high (intervals are [low, high))");
        continue;
      }
      out.intervals[c].emplace_back(lo, hi);
    }
  }
}

std::vector<long long> parse_codes(const json& list, const std::string& p, Problems& pr) {
  std::vector<long long> out;
  if (!list.is_array()) {
    pr.add(p, "must be a list of integer codes");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto code = integer_code(list[i]);
    if (!code) {
      pr.add(idx(p, i), "must be an integer code of the raster, not " + kind_of(list[i]) +
                            " (a factor's `legend` maps codes to labels)");
      continue;
    }
    out.push_back(*code);
  }
  return out;
}

void parse_categories(const json& f, Factor& out, const std::string& path, Problems& pr) {
  for (int c = 0; c < 3; ++c) {
    auto it = f.find(kClassKeys[c]);
    if (it == f.end() || it->is_null()) continue;
    out.codes[c] = parse_codes(*it, path + "." + kClassKeys[c], pr);
  }
  if (auto it = f.find("N"); it != f.end() && !it->is_null()) out.n_codes = parse_codes(*it, path + ".N", pr);
  for (const char* key : {"legend", "legend_vi"}) {
    auto it = f.find(key);
    if (it == f.end() || it->is_null()) continue;
    auto& out_legend = std::string(key) == "legend" ? out.legend : out.legend_vi;
    if (!it->is_object()) {
      pr.add(path + "." + key, "must be an object {\"code\": \"label\"}");
      continue;
    }
    for (const auto& [k, v] : it->items()) {
      long long code = 0;
      std::size_t used = 0;
      bool ok = false;
      try {
        code = std::stoll(k, &used);
        ok = used == k.size();
      } catch (const std::exception&) {
      }
      if (!ok) {
        pr.add(path + "." + key + "." + k, "key must be an integer code");
        continue;
      }
      if (!v.is_string()) {
        pr.add(path + "." + key + "." + k, "label must be a text");
        continue;
      }
      out_legend.emplace_back(code, v.get<std::string>());
    }
  }
}

std::vector<std::pair<double, double>> parse_rating_curve(const json& list, const std::string& p, Problems& pr) {
  std::vector<std::pair<double, double>> out;
  if (!list.is_array() || list.empty()) {
    pr.add(p, "must be a non-empty list of [value, rating] breakpoints");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& b = list[i];
    std::string pi = idx(p, i);
    if (!b.is_array() || b.size() != 2) {
      pr.add(pi, "must be a breakpoint [value, rating] of two numbers");
      return {};
    }
    const bool value_ok = require_number(b[0], idx(pi, 0), pr), rating_ok = require_number(b[1], idx(pi, 1), pr);
    if (!value_ok || !rating_ok) return {};
    double x = b[0].get<double>(), r = b[1].get<double>();
    if (r < 0 || r > 100) {
      pr.add(pi, "rating must be between 0 and 100");
      return {};
    }
    if (!out.empty() && !(x > out.back().first)) {
      pr.add(pi, "values must increase strictly from one breakpoint to the next");
      return {};
    }
    out.emplace_back(x, r);
  }
  return out;
}

const std::set<std::string> kFactorKeys = {"layer", "type", "S1", "S2", "S3", "advisory", "source", "unit", "unit_vi"};
const std::set<std::string> kCategoricalKeys = {"N", "legend", "legend_vi"};
const std::set<std::string> kProfileKeys = {"crop", "name_vi", "name_en", "method", "factors", "class_thresholds",
                                            "ratings"};

Factor parse_factor(const json& f, const std::string& path, Problems& pr) {
  Factor out;
  if (!f.is_object()) {
    pr.add(path, "must be an object with `layer` and `type`");
    return out;
  }
  std::string pre = path + ".";
  if (auto layer = string_field(f, "layer", pre, pr, true)) {
    out.layer = *layer;
    if (!valid_layer_name(out.layer))
      pr.add(pre + "layer", "must be a name of letters, digits and '_' (such as elevation or soil_group), not '" +
                                out.layer + "'");
  }
  bool type_ok = false;
  if (auto type = string_field(f, "type", pre, pr, true)) {
    auto t = parse_factor_type(*type);
    if (!t) {
      pr.add(pre + "type", "unknown factor type '" + *type + "' (continuous or categorical)");
    } else {
      out.type = *t;
      type_ok = true;
    }
  }
  if (auto it = f.find("advisory"); it != f.end() && !it->is_null()) {
    if (!it->is_boolean())
      pr.add(pre + "advisory", "must be true or false");
    else
      out.advisory = it->get<bool>();
  }
  if (auto s = string_field(f, "source", pre, pr, false)) out.source = *s;
  if (auto s = string_field(f, "unit", pre, pr, false)) out.unit = *s;
  if (auto s = string_field(f, "unit_vi", pre, pr, false)) out.unit_vi = *s;

  bool categorical = out.type == FactorType::categorical;
  if (categorical)
    parse_categories(f, out, path, pr);
  else
    parse_intervals(f, out, path, pr);
  bool any = false;
  for (int c = 0; c < 3; ++c) any = any || !(categorical ? out.codes[c].empty() : out.intervals[c].empty());
  if (!any && type_ok)
    pr.add(path, categorical ? "lists no code for S1, S2 or S3: every cell would be N"
                             : "has no S1, S2 or S3 interval: every cell would be N");
  if (auto it = f.find("ratings"); it != f.end()) {
    pr.add(pre + "ratings", "rating curves go in the profile's `ratings` object, keyed by layer");
  }

  for (const auto& [k, v] : f.items()) {
    if (kFactorKeys.count(k) || (categorical && kCategoricalKeys.count(k)) || k == "ratings") continue;
    out.extra[k] = v;
  }
  return out;
}

}  // namespace

Result<CropProfile> parse_crop_profile(const json& j) {
  Problems pr;
  CropProfile p;
  if (!j.is_object()) return Error::invalid("a crop profile must be a JSON object", {{"", "must be an object"}});

  if (auto crop = string_field(j, "crop", "", pr, true)) {
    p.crop = *crop;
    if (p.crop.find_first_not_of(" \t") == std::string::npos) pr.add("crop", "must not be empty");
  }
  if (auto s = string_field(j, "name_vi", "", pr, false)) p.name_vi = *s;
  if (auto s = string_field(j, "name_en", "", pr, false)) p.name_en = *s;
  if (auto m = string_field(j, "method", "", pr, false)) {
    auto method = parse_method(*m);
    if (!method)
      pr.add("method", "unknown method '" + *m + "' (limiting, storie or square_root)");
    else
      p.method = *method;
  }

  auto fs = j.find("factors");
  if (fs == j.end() || !fs->is_array() || fs->empty()) {
    pr.add("factors", "must be a non-empty list of factors");
  } else if (fs->size() > 255) {
    pr.add("factors", "at most 255 factors (the limiting-factor raster holds positions 1-255)");
  } else {
    for (std::size_t i = 0; i < fs->size(); ++i) {
      Factor f = parse_factor((*fs)[i], idx("factors", i), pr);
      if (!f.layer.empty()) {
        if (auto prev = p.factor_index(f.layer))
          pr.add(idx("factors", i) + ".layer",
                 "layer '" + f.layer + "' is already used by factors[" + std::to_string(*prev) + "]");
      }
      p.factors.push_back(std::move(f));
    }
  }

  if (auto it = j.find("class_thresholds"); it != j.end() && !it->is_null()) {
    bool numbers = it->is_array() && it->size() == 3;
    if (!numbers) {
      pr.add("class_thresholds", "must be three numbers [S1, S2, S3], e.g. [75, 50, 25]");
    } else {
      for (int c = 0; c < 3; ++c) numbers = require_number((*it)[c], idx("class_thresholds", c), pr) && numbers;
    }
    if (numbers) {
      for (int c = 0; c < 3; ++c) p.class_thresholds[c] = (*it)[c].get<double>();
      const auto& t = p.class_thresholds;
      if (!(t[0] > t[1] && t[1] > t[2]))
        pr.add("class_thresholds", "must be in descending order (S1 > S2 > S3)");
      for (int c = 0; c < 3; ++c)
        if (t[c] < 0 || t[c] > 100) pr.add(idx("class_thresholds", c), "must be between 0 and 100");
    }
  }

  if (auto it = j.find("ratings"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      pr.add("ratings", "must be an object {layer: [[value, rating], ...]}");
    } else {
      for (const auto& [layer, curve] : it->items()) {
        std::string path = "ratings." + layer;
        auto fi = p.factor_index(layer);
        if (!fi) {
          pr.add(path, "no factor uses layer '" + layer + "'");
          continue;
        }
        if (p.factors[*fi].type == FactorType::categorical) {
          pr.add(path, "categorical factors are rated by class (S1 100, S2 80, S3 60, N 0); remove this curve");
          continue;
        }
        p.factors[*fi].ratings = parse_rating_curve(curve, path, pr);
      }
    }
  }

  for (const auto& [k, v] : j.items())
    if (!kProfileKeys.count(k)) p.extra[k] = v;

  if (!pr.list.empty()) {
    std::string what = p.crop.empty() ? "crop profile" : "crop profile '" + p.crop + "'";
    return Error::invalid(what + " is not valid", std::move(pr.list));
  }
  return p;
}

Result<std::vector<CropProfile>> parse_crop_profiles(const json& j) {
  if (j.is_object()) {
    auto p = parse_crop_profile(j);
    if (!p) return p.error();
    return std::vector<CropProfile>{std::move(*p)};
  }
  if (!j.is_array()) return Error::invalid("crop profiles must be a JSON object or a list of objects");
  std::vector<CropProfile> out;
  std::vector<FieldError> fields;
  std::set<std::string> crops;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto p = parse_crop_profile(j[i]);
    std::string pre = "[" + std::to_string(i) + "]";
    if (!p) {
      for (const auto& f : p.error().fields) fields.push_back({pre + (f.field.empty() ? "" : "." + f.field), f.message});
      continue;
    }
    if (!crops.insert(p->crop).second) fields.push_back({pre + ".crop", "crop '" + p->crop + "' appears twice"});
    out.push_back(std::move(*p));
  }
  if (!fields.empty()) return Error::invalid("crop profiles are not valid", std::move(fields));
  return out;
}

json to_json(const CropProfile& p) {
  json j = p.extra.is_object() ? p.extra : json::object();
  j["crop"] = p.crop;
  j["name_vi"] = p.name_vi;
  if (!p.name_en.empty()) j["name_en"] = p.name_en;
  j["method"] = std::string(method_name(p.method));
  j["class_thresholds"] = json::array({p.class_thresholds[0], p.class_thresholds[1], p.class_thresholds[2]});
  json factors = json::array();
  json ratings = json::object();
  for (const auto& f : p.factors) {
    json o = f.extra.is_object() ? f.extra : json::object();
    o["layer"] = f.layer;
    o["type"] = std::string(factor_type_name(f.type));
    for (int c = 0; c < 3; ++c) {
      if (f.type == FactorType::continuous) {
        if (f.intervals[c].empty()) continue;
        json list = json::array();
        for (auto [lo, hi] : f.intervals[c]) list.push_back({lo, hi});
        o[kClassKeys[c]] = list;
      } else {
        if (f.codes[c].empty()) continue;
        o[kClassKeys[c]] = f.codes[c];
      }
    }
    if (f.type == FactorType::categorical) {
      if (!f.n_codes.empty()) o["N"] = f.n_codes;
      for (const auto* l : {&f.legend, &f.legend_vi}) {
        if (l->empty()) continue;
        json legend = json::object();
        for (const auto& [code, label] : *l) legend[std::to_string(code)] = label;
        o[l == &f.legend ? "legend" : "legend_vi"] = legend;
      }
    }
    if (f.advisory) o["advisory"] = true;
    if (!f.source.empty()) o["source"] = f.source;
    if (!f.unit.empty()) o["unit"] = f.unit;
    if (!f.unit_vi.empty()) o["unit_vi"] = f.unit_vi;
    if (!f.ratings.empty()) {
      json curve = json::array();
      for (auto [x, r] : f.ratings) curve.push_back({x, r});
      ratings[f.layer] = curve;
    }
    factors.push_back(std::move(o));
  }
  j["factors"] = std::move(factors);
  if (!ratings.empty()) j["ratings"] = std::move(ratings);
  return j;
}

Status check_method(const CropProfile& p, Method m) {
  std::vector<FieldError> fields;
  bool any = false;
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    const auto& f = p.factors[i];
    if (f.advisory) continue;
    any = true;
    if (is_parametric(m) && f.type == FactorType::continuous && f.ratings.empty())
      fields.push_back({"ratings." + f.layer, "is required by the " + std::string(method_name(m)) +
                                                  " method (factors[" + std::to_string(i) + "] is continuous)"});
  }
  if (!any) fields.push_back({"factors", "every factor is advisory: nothing decides the class"});
  if (!fields.empty())
    return Error::invalid("crop profile '" + p.crop + "' cannot be evaluated with the " +
                              std::string(method_name(m)) + " method",
                          std::move(fields));
  return {};
}

}  // namespace nongsan::suitability
