#include "modules/epcis/event_hash.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string_view>

#include "modules/epcis/gs1.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::epcis {
namespace {

using nlohmann::json;

constexpr std::string_view kCbv = "https://ref.gs1.org/cbv/";

// Fields of an event that never enter the hash (CBV 2.0 §8.9.2: the event's own
// identity, when it was recorded, and a later error declaration about it), and
// comments, which are not data.
bool ignored(std::string_view key) {
  return key == "type" || key == "eventID" || key == "recordTime" || key == "errorDeclaration" || key == "comment" ||
         key == "rdfs:comment" || (!key.empty() && key.front() == '@');
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}
void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool numeric_text(std::string_view s) {
  static const std::regex re(R"(^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$)");
  return std::regex_match(s.begin(), s.end(), re);
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}


class Canon {
 public:
  explicit Canon(const HashContext& ctx) : ctx_(ctx) {
    auto it = ctx_.prefixes.find("gs1");
    gs1_ = it != ctx_.prefixes.end() ? it->second : "https://gs1.org/voc/";
  }

  std::string key(std::string_view k) const {
    auto colon = k.find(':');
    if (colon == std::string_view::npos) return std::string(k);
    auto it = ctx_.prefixes.find(k.substr(0, colon));
    if (it == ctx_.prefixes.end()) return std::string(k);
    return "{" + it->second + "}" + std::string(k.substr(colon + 1));
  }

  std::string value(const json& v, Vocab vocab = Vocab::none, bool time = false) const {
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    if (v.is_number_float()) return canonical_number(v.get<double>());
    if (!v.is_string()) return {};
    std::string s = trim(v.get<std::string>());
    if (s.empty()) return s;
    if (time) return canonical_time(s);
    s = vocabulary(s, vocab);
    if (numeric_text(s)) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return canonical_number(d);
    }
    if (auto dl = gs1::canonical_digital_link(s)) return *dl;
    return s;
  }

 private:
  std::string vocabulary(const std::string& s, Vocab vocab) const {
    auto colon = s.find(':');
    if (colon == std::string::npos) {
      switch (vocab) {
        case Vocab::biz_step: return std::string(kCbv) + "BizStep-" + s;
        case Vocab::disposition: return std::string(kCbv) + "Disp-" + s;
        case Vocab::btt: return std::string(kCbv) + "BTT-" + s;
        case Vocab::sdt: return std::string(kCbv) + "SDT-" + s;
        case Vocab::component: return std::string(kCbv) + "Comp-" + s;
        case Vocab::gs1: return gs1_ + s;
        case Vocab::none: return s;
      }
    }
    // The CBV 1.x URNs become the CBV 2.0 web vocabulary.
    static constexpr std::pair<std::string_view, std::string_view> kUrns[] = {
        {"urn:epcglobal:cbv:bizstep:", "BizStep-"}, {"urn:epcglobal:cbv:disp:", "Disp-"},
        {"urn:epcglobal:cbv:btt:", "BTT-"},         {"urn:epcglobal:cbv:sdt:", "SDT-"},
        {"urn:epcglobal:cbv:er:", "ER-"}};
    for (auto [urn, term] : kUrns)
      if (s.rfind(urn, 0) == 0) return std::string(kCbv) + std::string(term) + s.substr(urn.size());
    // A CURIE of a GS1 vocabulary (gs1:Temperature, cbv:Comp-latitude) is expanded;
    // other prefixes are the user's and stay as written.
    auto it = ctx_.prefixes.find(std::string_view(s).substr(0, colon));
    if (it != ctx_.prefixes.end() &&
        (it->second.rfind("https://ref.gs1.org", 0) == 0 || it->second.rfind("https://gs1.org", 0) == 0))
      return it->second + s.substr(colon + 1);
    return s;
  }

  const HashContext& ctx_;
  std::string gs1_;
};

void sort_join(std::vector<std::string>& parts, std::string& out) {
  std::sort(parts.begin(), parts.end());
  for (auto& p : parts) out += p;
}

// Anything outside the fixed order: "name=value" or "name" followed by its children,
// siblings in sorted order.
void generic(const Canon& c, const std::string& name, const json& v, std::vector<std::string>& out) {
  if (v.is_array()) {
    for (const auto& e : v) generic(c, name, e, out);
    return;
  }
  if (v.is_object()) {
    std::vector<std::string> parts;
    for (const auto& [k, child] : v.items())
      if (!ignored(k) || k == "type") generic(c, c.key(k), child, parts);
    std::string s = name;
    sort_join(parts, s);
    out.push_back(std::move(s));
    return;
  }
  std::string val = c.value(v);
  out.push_back(val.empty() ? name : name + "=" + val);
}

std::string generic_rest(const Canon& c, const json& obj, std::initializer_list<std::string_view> known) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : obj.items()) {
    if (std::find(known.begin(), known.end(), k) != known.end() || ignored(k)) continue;
    generic(c, c.key(k), v, parts);
  }
  std::string s;
  sort_join(parts, s);
  return s;
}

struct Field {
  std::string_view name;
  Vocab vocab = Vocab::none;
  bool time = false;
};

// "name=value" for each listed field present in `obj`, in the listed order; a field
// holding an array gives one per element, sorted.
std::string ordered(const Canon& c, const json& obj, std::initializer_list<Field> fields) {
  std::string s;
  for (const auto& f : fields) {
    auto it = obj.find(f.name);
    if (it == obj.end()) continue;
    std::vector<std::string> parts;
    auto one = [&](const json& v) {
      std::string val = c.value(v, f.vocab, f.time);
      if (!val.empty()) parts.push_back(std::string(f.name) + "=" + val);
    };
    if (it->is_array())
      for (const auto& e : *it) one(e);
    else
      one(*it);
    sort_join(parts, s);
  }
  return s;
}

std::string epc_list(const Canon& c, const json& event, const char* name) {
  auto it = event.find(name);
  if (it == event.end() || !it->is_array()) return {};
  std::vector<std::string> parts;
  for (const auto& e : *it) {
    std::string v = c.value(e);
    if (!v.empty()) parts.push_back("epc=" + v);
  }
  if (parts.empty()) return {};
  std::string s = name;
  sort_join(parts, s);
  return s;
}

std::string quantity_list(const Canon& c, const json& event, const char* name) {
  auto it = event.find(name);
  if (it == event.end() || !it->is_array()) return {};
  std::vector<std::string> parts;
  for (const auto& q : *it) {
    if (!q.is_object()) continue;
    std::string body = ordered(c, q, {{"epcClass"}, {"quantity"}, {"uom"}}) + generic_rest(c, q, {"epcClass", "quantity", "uom"});
    if (!body.empty()) parts.push_back("quantityElement" + body);
  }
  if (parts.empty()) return {};
  std::string s = name;
  sort_join(parts, s);
  return s;
}

// bizTransactionList, sourceList, destinationList: each element "type=…<name>=…".
std::string typed_list(const Canon& c, const json& list, const std::string& list_name, const char* item, Vocab vocab) {
  std::vector<std::string> parts;
  for (const auto& e : list) {
    if (!e.is_object()) continue;
    std::string body = ordered(c, e, {{"type", vocab}, {item}}) + generic_rest(c, e, {"type", item});
    if (!body.empty()) parts.push_back(body);
  }
  std::string s = list_name;
  sort_join(parts, s);
  return s;
}

std::string sensor_elements(const Canon& c, const json& list) {
  std::vector<std::string> elements;
  for (const auto& el : list) {
    if (!el.is_object()) continue;
    std::string s = "sensorElement";
    if (auto m = el.find("sensorMetadata"); m != el.end() && m->is_object()) {
      std::string body = ordered(c, *m,
                                 {{"time", Vocab::none, true},
                                  {"startTime", Vocab::none, true},
                                  {"endTime", Vocab::none, true},
                                  {"deviceID"},
                                  {"deviceMetadata"},
                                  {"rawData"},
                                  {"dataProcessingMethod"},
                                  {"bizRules"}}) +
                         generic_rest(c, *m,
                                      {"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
                                       "dataProcessingMethod", "bizRules"});
      if (!body.empty()) s += "sensorMetadata" + body;
    }
    if (auto r = el.find("sensorReport"); r != el.end() && r->is_array()) {
      std::vector<std::string> reports;
      for (const auto& rep : *r) {
        if (!rep.is_object()) continue;
        std::string body =
            ordered(c, rep,
                    {{"type", Vocab::gs1}, {"exception", Vocab::gs1}, {"deviceID"}, {"deviceMetadata"}, {"rawData"},
                     {"dataProcessingMethod"}, {"time", Vocab::none, true}, {"microorganism"}, {"chemicalSubstance"},
                     {"value"}, {"component", Vocab::component}, {"stringValue"}, {"booleanValue"}, {"hexBinaryValue"},
                     {"uriValue"}, {"minValue"}, {"maxValue"}, {"meanValue"}, {"sDev"}, {"percRank"}, {"percValue"},
                     {"uom"}, {"coordinateReferenceSystem"}}) +
            generic_rest(c, rep,
                         {"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
                          "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
                          "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                          "percValue", "uom", "coordinateReferenceSystem"});
        if (!body.empty()) reports.push_back("sensorReport" + body);
      }
      sort_join(reports, s);
    }
    s += generic_rest(c, el, {"sensorMetadata", "sensorReport"});
    if (s != "sensorElement") elements.push_back(std::move(s));
  }
  if (elements.empty()) return {};
  std::string s = "sensorElementList";
  sort_join(elements, s);
  return s;
}

std::string location(const Canon& c, const json& event, const char* name) {
  auto it = event.find(name);
  if (it == event.end()) return {};
  if (!it->is_object()) return {};
  std::string body = ordered(c, *it, {{"id"}}) + generic_rest(c, *it, {"id"});
  return body.empty() ? std::string() : std::string(name) + body;
}

}  // namespace

std::string canonical_number(double v) {
  if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
  if (v == std::floor(v)) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  // Python's repr: shortest round-trip digits, fixed notation for 1e-4 <= |v| < 1e16.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  auto e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char ch : mant)
    if (ch != '.') digits += ch;
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    } else if (static_cast<std::size_t>(exp) + 1 >= digits.size()) {
      out = digits + std::string(static_cast<std::size_t>(exp) + 1 - digits.size(), '0');
    } else {
      out = digits.substr(0, static_cast<std::size_t>(exp) + 1) + "." + digits.substr(static_cast<std::size_t>(exp) + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  }
  return neg ? "-" + out : out;
}

namespace {
const std::regex& time_re() {
  static const std::regex re(R"(^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$)");
  return re;
}
}  // namespace

bool valid_time(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, time_re())) return false;
  long long y = std::stoll(m[1]);
  int mo = std::stoi(m[2]), d = std::stoi(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || std::stoi(m[4]) > 23 || std::stoi(m[5]) > 59 || std::stoi(m[6]) > 59) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[mo - 1] + (mo == 2 && leap ? 1 : 0);
  if (d > max) return false;
  std::string tz = m[8];
  return tz == "Z" || (std::stoi(tz.substr(1, 2)) <= 14 && std::stoi(tz.substr(4, 2)) <= 59);
}

std::string canonical_time(const std::string& text) {
  std::smatch m;
  if (!valid_time(text) || !std::regex_match(text, m, time_re())) return text;
  long long y = std::stoll(m[1]);
  unsigned mo = static_cast<unsigned>(std::stoi(m[2])), d = static_cast<unsigned>(std::stoi(m[3]));
  int hh = std::stoi(m[4]), mi = std::stoi(m[5]), ss = std::stoi(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || ss > 59) return text;
  // Fraction rounded half up to milliseconds.
  std::string frac = m[7].matched ? m[7].str() : "";
  long long ms = 0;
  for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  if (frac.size() > 3 && frac[3] >= '5') ++ms;
  long long offset_min = 0;
  std::string tz = m[8];
  if (tz != "Z") {
    offset_min = std::stoi(tz.substr(1, 2)) * 60 + std::stoi(tz.substr(4, 2));
    if (tz[0] == '-') offset_min = -offset_min;
  }
  long long total_ms = ((days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss) - offset_min * 60) * 1000 + ms;
  long long days = total_ms >= 0 ? total_ms / 86400000 : -((-total_ms + 86399999) / 86400000);
  long long rem = total_ms - days * 86400000;
  long long yy;
  unsigned mm, dd;
  civil_from_days(days, yy, mm, dd);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", yy, mm, dd, rem / 3600000,
                rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
  return buf;
}

HashContext hash_context(const json& document) {
  HashContext c;
  c.prefixes = {{"epcis", "https://ref.gs1.org/epcis/"},
                {"cbv", "https://ref.gs1.org/cbv/"},
                {"cbvmda", "urn:epcglobal:cbv:mda:"},
                {"gs1", "https://gs1.org/voc/"},
                {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
                {"owl", "http://www.w3.org/2002/07/owl#"},
                {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                {"dcterms", "http://purl.org/dc/terms/"}};
  auto add = [&](const json& ctx) {
    if (!ctx.is_object()) return;
    for (const auto& [k, v] : ctx.items())
      if (v.is_string()) c.prefixes[k] = v.get<std::string>();
  };
  if (auto it = document.find("@context"); it != document.end()) {
    if (it->is_array())
      for (const auto& e : *it) add(e);
    else
      add(*it);
  }
  // "<prefix>:ignoreFields" on the document or anywhere on the way to its event list.
  std::vector<const json*> holders{&document};
  if (auto b = document.find("epcisBody"); b != document.end() && b->is_object()) {
    holders.push_back(&*b);
    if (auto q = b->find("queryResults"); q != b->end() && q->is_object()) {
      holders.push_back(&*q);
      if (auto r = q->find("resultsBody"); r != q->end() && r->is_object()) holders.push_back(&*r);
    }
  }
  for (const json* h : holders)
    for (const auto& [k, v] : h->items()) {
      auto colon = k.find(':');
      if ((colon == std::string::npos ? k : k.substr(colon + 1)) != "ignoreFields" || !v.is_array()) continue;
      for (const auto& f : v)
        if (f.is_string()) c.ignore_fields.push_back(f.get<std::string>());
    }
  return c;
}

const json* document_events(const json& document) {
  if (!document.is_object()) return nullptr;
  auto body = document.find("epcisBody");
  if (body == document.end() || !body->is_object()) return nullptr;
  if (auto l = body->find("eventList"); l != body->end() && l->is_array()) return &*l;
  if (auto q = body->find("queryResults"); q != body->end() && q->is_object())
    if (auto r = q->find("resultsBody"); r != q->end() && r->is_object())
      if (auto l = r->find("eventList"); l != r->end() && l->is_array()) return &*l;
  return nullptr;
}

HashContext event_context(const HashContext& ctx, const json& event) {
  HashContext out = ctx;
  auto it = event.is_object() ? event.find("@context") : event.end();
  if (!event.is_object() || it == event.end()) return out;
  auto add = [&](const json& c) {
    if (!c.is_object()) return;
    for (const auto& [k, v] : c.items())
      if (v.is_string()) out.prefixes[k] = v.get<std::string>();
  };
  if (it->is_array())
    for (const auto& e : *it) add(e);
  else
    add(*it);
  return out;
}

std::string canonical_value(const json& value, Vocab vocab, const HashContext& ctx) {
  return Canon(ctx).value(value, vocab);
}
std::string canonical_key(const std::string& key, const HashContext& ctx) { return Canon(ctx).key(key); }

std::string pre_hash_string(const json& event, const HashContext& doc_ctx) {
  const HashContext ctx = event.is_object() && event.contains("@context") ? event_context(doc_ctx, event) : doc_ctx;
  Canon c(ctx);
  std::string s = "eventType=" + (event.contains("type") && event["type"].is_string() ? event["type"].get<std::string>() : "");
  s += ordered(c, event, {{"eventTime", Vocab::none, true}, {"eventTimeZoneOffset"}, {"certificationInfo"}, {"parentID"}});
  s += epc_list(c, event, "epcList");
  s += epc_list(c, event, "inputEPCList");
  s += epc_list(c, event, "childEPCs");
  s += quantity_list(c, event, "quantityList");
  s += quantity_list(c, event, "childQuantityList");
  s += quantity_list(c, event, "inputQuantityList");
  s += epc_list(c, event, "outputEPCList");
  s += quantity_list(c, event, "outputQuantityList");
  s += ordered(c, event, {{"action"}, {"transformationID"}, {"bizStep", Vocab::biz_step}, {"disposition", Vocab::disposition}});
  if (auto pd = event.find("persistentDisposition"); pd != event.end() && pd->is_object()) {
    std::string body = ordered(c, *pd, {{"set", Vocab::disposition}, {"unset", Vocab::disposition}});
    if (!body.empty()) s += "persistentDisposition" + body;
  }
  s += location(c, event, "readPoint");
  s += location(c, event, "bizLocation");
  if (auto se = event.find("sensorElementList"); se != event.end() && se->is_array()) s += sensor_elements(c, *se);

  // The rest in sorted order: the business transactions, sources and destinations, the
  // ILMD and the user's extensions.
  std::vector<std::string> rest;
  static constexpr std::string_view kDone[] = {
      "eventTime",          "eventTimeZoneOffset", "certificationInfo",  "parentID",       "epcList",
      "inputEPCList",       "childEPCs",           "quantityList",       "childQuantityList", "inputQuantityList",
      "outputEPCList",      "outputQuantityList",  "action",             "transformationID", "bizStep",
      "disposition",        "persistentDisposition", "readPoint",        "bizLocation",    "sensorElementList"};
  for (const auto& [k, v] : event.items()) {
    if (ignored(k) || std::find(std::begin(kDone), std::end(kDone), k) != std::end(kDone) ||
        std::find(ctx.ignore_fields.begin(), ctx.ignore_fields.end(), k) != ctx.ignore_fields.end())
      continue;
    if (k == "bizTransactionList" && v.is_array())
      rest.push_back(typed_list(c, v, k, "bizTransaction", Vocab::btt));
    else if (k == "sourceList" && v.is_array())
      rest.push_back(typed_list(c, v, k, "source", Vocab::sdt));
    else if (k == "destinationList" && v.is_array())
      rest.push_back(typed_list(c, v, k, "destination", Vocab::sdt));
    else
      generic(c, c.key(k), v, rest);
  }
  sort_join(rest, s);
  return s;
}

std::string event_hash(const json& event, const HashContext& ctx) {
  return "ni:///sha-256;" + targets::sha256_hex(pre_hash_string(event, ctx)) + "?ver=CBV2.0";
}

}  // namespace nongsan::epcis
