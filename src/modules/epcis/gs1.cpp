#include "modules/epcis/gs1.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace nongsan::epcis::gs1 {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Splits `s` at `sep` into every part (empty parts kept).
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

// GS1 Company Prefix and the reference that fills the key up to `total` digits.
bool prefix_ok(std::string_view cp, std::string_view ref, std::size_t total) {
  return all_digits(cp) && cp.size() >= 6 && cp.size() <= 12 && cp.size() + ref.size() == total &&
         (ref.empty() || all_digits(ref));
}

// An EPC URN component (TDS §5: characters of Table I.3.1-1 and %XX escapes).
bool urn_chars_ok(std::string_view s, std::size_t min_len, std::size_t max_len) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i, ++n) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && std::string_view("!')(*+,.:;=_-").find(c) == std::string_view::npos)
      return false;
  }
  return n >= min_len && n <= max_len;
}

// The GTIN-14 of an SGTIN-style company prefix and item reference (indicator first).
std::string gtin_of(std::string_view cp, std::string_view item_ref) {
  std::string raw;
  raw += item_ref.substr(0, 1);
  raw += cp;
  raw += item_ref.substr(1);
  return with_check_digit(raw);
}

constexpr std::string_view kDomain = "https://id.gs1.org";

struct AiName {
  std::string_view ai, name;
};
constexpr std::array<AiName, 17> kShortNames{{{"01", "gtin"},   {"8006", "itip"}, {"8010", "cpid"}, {"414", "gln"},
                                              {"417", "party"}, {"8017", "gsrnp"}, {"8018", "gsrn"}, {"255", "gcn"},
                                              {"00", "sscc"},   {"253", "gdti"},  {"401", "ginc"},  {"402", "gsin"},
                                              {"8003", "grai"}, {"8004", "giai"}, {"22", "cpv"},    {"10", "lot"},
                                              {"21", "ser"}}};
constexpr std::array<std::string_view, 14> kPrimary{"01",   "8006", "8010", "414",  "417", "8017", "8018",
                                                    "255",  "00",   "253",  "401",  "402", "8003", "8004"};

std::string ai_of(std::string_view segment) {
  for (const auto& s : kShortNames)
    if (segment == s.name) return std::string(s.ai);
  return std::string(segment);
}
bool is_primary(std::string_view ai) { return std::find(kPrimary.begin(), kPrimary.end(), ai) != kPrimary.end(); }

}  // namespace

int check_digit(std::string_view digits) {
  if (!all_digits(digits)) return -1;
  int sum = 0, weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10;
}

bool check_digit_ok(std::string_view key) {
  if (key.size() < 2 || !all_digits(key)) return false;
  return check_digit(key.substr(0, key.size() - 1)) == key.back() - '0';
}

std::string with_check_digit(std::string_view digits) {
  int c = check_digit(digits);
  if (c < 0) return {};
  std::string out(digits);
  out += static_cast<char>('0' + c);
  return out;
}

std::optional<std::string> gtin14(std::string_view gtin) {
  if (!(gtin.size() == 8 || gtin.size() == 12 || gtin.size() == 13 || gtin.size() == 14) || !check_digit_ok(gtin))
    return std::nullopt;
  return std::string(14 - gtin.size(), '0') + std::string(gtin);
}
bool valid_gtin(std::string_view gtin) { return gtin14(gtin).has_value(); }
bool valid_gln(std::string_view gln) { return gln.size() == 13 && check_digit_ok(gln); }
bool valid_sscc(std::string_view sscc) { return sscc.size() == 18 && check_digit_ok(sscc); }

std::string dl_encode(std::string_view value, bool keep_escapes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c == '%' && keep_escapes && i + 2 < value.size() && is_hex(value[i + 1]) && is_hex(value[i + 2])) {
      out += value.substr(i, 3);
      i += 2;
      continue;
    }
    // Table 7-1 of GS1 Digital Link, plus what a URI path never carries raw.
    bool encode = c <= 0x20 || c >= 0x7F || std::string_view("!#%&()*+,/:?\"<>[]\\^`{|}").find(static_cast<char>(c)) !=
                                                 std::string_view::npos;
    if (encode) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<std::string> dl_decode(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size() || !is_hex(value[i + 1]) || !is_hex(value[i + 2])) return std::nullopt;
    out += static_cast<char>(std::stoi(std::string(value.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

std::optional<DigitalLink> parse_digital_link(std::string_view uri) {
  std::string_view rest;
  if (uri.rfind("https://", 0) == 0)
    rest = uri.substr(8);
  else if (uri.rfind("http://", 0) == 0)
    rest = uri.substr(7);
  else
    return std::nullopt;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  DigitalLink dl;
  dl.domain = std::string(uri.substr(0, uri.size() - rest.size() + slash));
  std::string_view path = rest.substr(slash);
  if (auto h = path.find('#'); h != std::string_view::npos) path = path.substr(0, h);
  if (auto q = path.find('?'); q != std::string_view::npos) {
    dl.query = std::string(path.substr(q + 1));
    path = path.substr(0, q);
  }
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto segs = split(path.substr(1), '/');
  std::size_t i = 0;
  while (i < segs.size() && !is_primary(ai_of(segs[i]))) ++i;  // a path prefix before the key is allowed
  if (i + 1 >= segs.size()) return std::nullopt;
  dl.key_ai = ai_of(segs[i]);
  auto key = dl_decode(segs[i + 1]);
  if (!key || key->empty()) return std::nullopt;
  dl.key = *key;
  if (dl.key_ai == "01") {
    if (!all_digits(dl.key) || !(dl.key.size() == 8 || dl.key.size() == 12 || dl.key.size() == 13 || dl.key.size() == 14))
      return std::nullopt;
    dl.key = std::string(14 - dl.key.size(), '0') + dl.key;
  } else if (dl.key_ai == "00" && !(dl.key.size() == 18 && all_digits(dl.key))) {
    return std::nullopt;
  } else if ((dl.key_ai == "414" || dl.key_ai == "417") && !(dl.key.size() == 13 && all_digits(dl.key))) {
    return std::nullopt;
  }
  for (i += 2; i < segs.size(); i += 2) {
    if (i + 1 >= segs.size()) return std::nullopt;
    auto v = dl_decode(segs[i + 1]);
    if (!v || segs[i].empty()) return std::nullopt;
    dl.qualifiers.emplace_back(ai_of(segs[i]), *v);
  }
  return dl;
}

std::string build_digital_link(const DigitalLink& dl) {
  std::string out = dl.domain + "/" + dl.key_ai + "/" + dl_encode(dl.key);
  for (const auto& [ai, v] : dl.qualifiers) out += "/" + ai + "/" + dl_encode(v);
  if (!dl.query.empty()) out += "?" + dl.query;
  return out;
}

std::optional<std::string> lot_digital_link(std::string_view gtin, std::string_view lot) {
  auto g = gtin14(gtin);
  if (!g || lot.empty()) return std::nullopt;
  return build_digital_link(DigitalLink{std::string(kDomain), "01", *g, {{"10", std::string(lot)}}, ""});
}

namespace {

std::string enc(std::string_view urn_value) {
  // EPC URNs already escape what they must (TDS Table I.3.1-1); Digital Link also
  // escapes ! ( ) * + , : (GS1 Digital Link Table 7-1).
  std::string out;
  for (char c : urn_value) {
    switch (c) {
      case '!': out += "%21"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '*': out += "%2A"; break;
      case '+': out += "%2B"; break;
      case ',': out += "%2C"; break;
      case ':': out += "%3A"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<std::string> from_epc_urn(std::string_view uri) {
  std::string base(kDomain);
  auto take = [&](std::string_view prefix, std::string_view& body) {
    if (uri.rfind(prefix, 0) != 0) return false;
    body = uri.substr(prefix.size());
    return true;
  };
  std::string_view b;
  if (take("urn:epc:id:sgtin:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view serial = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 13) || !urn_chars_ok(serial, 1, 20)) return std::nullopt;
    return base + "/01/" + gtin_of(p[0], p[1]) + "/21/" + enc(serial);
  }
  if (take("urn:epc:id:sscc:", b)) {
    auto p = split(b, '.');
    if (p.size() != 2 || !prefix_ok(p[0], p[1], 17) || p[1].empty()) return std::nullopt;
    return base + "/00/" + with_check_digit(std::string(p[1].substr(0, 1)) + std::string(p[0]) + std::string(p[1].substr(1)));
  }
  if (take("urn:epc:id:sgln:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view ext = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 12) || !urn_chars_ok(ext, 1, 20)) return std::nullopt;
    std::string gln = with_check_digit(std::string(p[0]) + std::string(p[1]));
    if (ext == "0") return base + "/414/" + gln;
    return base + "/414/" + gln + "/254/" + enc(ext);
  }
  if (take("urn:epc:id:pgln:", b)) {
    auto p = split(b, '.');
    if (p.size() != 2 || !prefix_ok(p[0], p[1], 12)) return std::nullopt;
    return base + "/417/" + with_check_digit(std::string(p[0]) + std::string(p[1]));
  }
  if (take("urn:epc:id:grai:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view serial = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 12) || !urn_chars_ok(serial, 1, 16)) return std::nullopt;
    return base + "/8003/" + with_check_digit("0" + std::string(p[0]) + std::string(p[1])) + enc(serial);
  }
  if (take("urn:epc:id:giai:", b)) {
    auto dot = b.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto cp = b.substr(0, dot), ref = b.substr(dot + 1);
    if (!prefix_ok(cp, "", cp.size()) || cp.size() < 6 || !urn_chars_ok(ref, 1, 30 - cp.size())) return std::nullopt;
    return base + "/8004/" + std::string(cp) + enc(ref);
  }
  for (auto [scheme, ai] : {std::pair{"gsrn", "8018"}, std::pair{"gsrnp", "8017"}}) {
    if (take(std::string("urn:epc:id:") + scheme + ":", b)) {
      auto p = split(b, '.');
      if (p.size() != 2 || !prefix_ok(p[0], p[1], 17)) return std::nullopt;
      return base + "/" + ai + "/" + with_check_digit(std::string(p[0]) + std::string(p[1]));
    }
  }
  if (take("urn:epc:id:gdti:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view serial = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 12) || !urn_chars_ok(serial, 1, 17)) return std::nullopt;
    return base + "/253/" + with_check_digit(std::string(p[0]) + std::string(p[1])) + enc(serial);
  }
  if (take("urn:epc:id:sgcn:", b)) {
    auto p = split(b, '.');
    if (p.size() != 3 || !prefix_ok(p[0], p[1], 12) || !all_digits(p[2]) || p[2].size() > 12) return std::nullopt;
    return base + "/255/" + with_check_digit(std::string(p[0]) + std::string(p[1])) + std::string(p[2]);
  }
  if (take("urn:epc:id:cpi:", b)) {
    auto first = b.find('.'), last = b.rfind('.');
    if (first == std::string_view::npos || last == first) return std::nullopt;
    auto cp = b.substr(0, first), ref = b.substr(first + 1, last - first - 1), serial = b.substr(last + 1);
    if (!all_digits(cp) || cp.size() < 6 || cp.size() > 12 || !urn_chars_ok(ref, 1, 30 - cp.size()) ||
        !all_digits(serial) || serial.size() > 12)
      return std::nullopt;
    return base + "/8010/" + enc(std::string(cp) + std::string(ref)) + "/8011/" + std::string(serial);
  }
  if (take("urn:epc:id:ginc:", b)) {
    auto dot = b.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto cp = b.substr(0, dot), ref = b.substr(dot + 1);
    if (!all_digits(cp) || cp.size() < 6 || cp.size() > 12 || !urn_chars_ok(ref, 1, 30 - cp.size())) return std::nullopt;
    return base + "/401/" + std::string(cp) + enc(ref);
  }
  if (take("urn:epc:id:gsin:", b)) {
    auto p = split(b, '.');
    if (p.size() != 2 || !prefix_ok(p[0], p[1], 16)) return std::nullopt;
    return base + "/402/" + with_check_digit(std::string(p[0]) + std::string(p[1]));
  }
  if (take("urn:epc:id:itip:", b)) {
    auto p = split(b, '.');
    if (p.size() < 5) return std::nullopt;
    std::string_view serial = b.substr(p[0].size() + p[1].size() + p[2].size() + p[3].size() + 4);
    if (!prefix_ok(p[0], p[1], 13) || p[2].size() != 2 || p[3].size() != 2 || !all_digits(p[2]) || !all_digits(p[3]) ||
        !urn_chars_ok(serial, 1, 20))
      return std::nullopt;
    return base + "/8006/" + gtin_of(p[0], p[1]) + std::string(p[2]) + std::string(p[3]) + "/21/" + enc(serial);
  }
  if (take("urn:epc:id:upui:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view tpx = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 13) || !urn_chars_ok(tpx, 1, 28)) return std::nullopt;
    return base + "/01/" + gtin_of(p[0], p[1]) + "/235/" + enc(tpx);
  }
  if (take("urn:epc:class:lgtin:", b)) {
    auto p = split(b, '.');
    if (p.size() < 3) return std::nullopt;
    std::string_view lot = b.substr(p[0].size() + p[1].size() + 2);
    if (!prefix_ok(p[0], p[1], 13) || !urn_chars_ok(lot, 1, 20)) return std::nullopt;
    return base + "/01/" + gtin_of(p[0], p[1]) + "/10/" + enc(lot);
  }
  if (take("urn:epc:idpat:", b)) {
    auto colon = b.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto scheme = b.substr(0, colon);
    auto p = split(b.substr(colon + 1), '.');
    if (p.empty() || p.back() != "*") return std::nullopt;
    p.pop_back();
    if ((scheme == "sgtin" || scheme == "upui") && p.size() == 2 && prefix_ok(p[0], p[1], 13))
      return base + "/01/" + gtin_of(p[0], p[1]);
    if (scheme == "grai" && p.size() == 2 && prefix_ok(p[0], p[1], 12))
      return base + "/8003/" + with_check_digit("0" + std::string(p[0]) + std::string(p[1]));
    if (scheme == "gdti" && p.size() == 2 && prefix_ok(p[0], p[1], 12))
      return base + "/253/" + with_check_digit(std::string(p[0]) + std::string(p[1]));
    if (scheme == "sgcn" && p.size() == 2 && prefix_ok(p[0], p[1], 12))
      return base + "/255/" + with_check_digit(std::string(p[0]) + std::string(p[1]));
    if (scheme == "cpi" && p.size() == 2 && all_digits(p[0]) && urn_chars_ok(p[1], 1, 30))
      return base + "/8010/" + enc(std::string(p[0]) + std::string(p[1]));
    if (scheme == "itip" && p.size() == 4 && prefix_ok(p[0], p[1], 13) && p[2].size() == 2 && p[3].size() == 2 &&
        all_digits(p[2]) && all_digits(p[3]))
      return base + "/8006/" + gtin_of(p[0], p[1]) + std::string(p[2]) + std::string(p[3]);
    return std::nullopt;
  }
  return std::nullopt;
}

// A Digital Link URI reduced to the constrained canonical form, values kept as written.
std::optional<std::string> from_digital_link(std::string_view uri) {
  std::string_view rest;
  if (uri.rfind("https://", 0) == 0)
    rest = uri.substr(8);
  else if (uri.rfind("http://", 0) == 0)
    rest = uri.substr(7);
  else
    return std::nullopt;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view path = rest.substr(slash);
  if (auto h = path.find_first_of("?#"); h != std::string_view::npos) path = path.substr(0, h);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto segs = split(path.substr(1), '/');
  std::size_t i = 0;
  while (i < segs.size() && !is_primary(ai_of(segs[i]))) ++i;
  if (i + 1 >= segs.size()) return std::nullopt;
  std::string ai = ai_of(segs[i]);
  std::string key(segs[i + 1]);
  if (key.size() < 4 || !all_digits(key.substr(0, 4))) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> q;
  for (std::size_t j = i + 2; j < segs.size(); j += 2) {
    if (j + 1 >= segs.size()) return std::nullopt;
    q.emplace_back(ai_of(segs[j]), std::string(segs[j + 1]));
  }
  if (ai == "01") {
    if (!all_digits(key) || !(key.size() == 8 || key.size() == 12 || key.size() == 13 || key.size() == 14))
      return std::nullopt;
    key = std::string(14 - key.size(), '0') + key;
  }
  std::erase_if(q, [](const auto& p) { return p.first == "22"; });
  auto has = [&](std::string_view a) { return std::any_of(q.begin(), q.end(), [&](const auto& p) { return p.first == a; }); };
  if (has("21")) std::erase_if(q, [](const auto& p) { return p.first == "10"; });
  // Only the key qualifiers of Digital Link's grammar survive (the finest level).
  std::string out = std::string(kDomain) + "/" + ai + "/" + key;
  if (q.size() > 1) return std::nullopt;
  if (q.size() == 1) {
    const auto& [qa, qv] = q.front();
    bool ok = (ai == "01" && (qa == "10" || qa == "21" || qa == "235")) || (ai == "8006" && (qa == "10" || qa == "21")) ||
              (ai == "414" && qa == "254") || (ai == "8010" && qa == "8011");
    if (!ok || qv.empty()) return std::nullopt;
    out += "/" + qa + "/" + qv;
  }
  if ((ai == "00" || ai == "8017" || ai == "8018") && !(key.size() == 18 && all_digits(key))) return std::nullopt;
  if ((ai == "414" || ai == "417") && !(key.size() == 13 && all_digits(key))) return std::nullopt;
  if (ai == "402" && !(key.size() == 17 && all_digits(key))) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> canonical_digital_link(std::string_view uri) {
  if (uri.rfind("urn:epc:", 0) == 0) return from_epc_urn(uri);
  return from_digital_link(uri);
}

std::optional<std::string> digital_link_to_epc(std::string_view uri, int cpl) {
  auto dl = parse_digital_link(uri);
  if (!dl || cpl < 6 || cpl > 12) return std::nullopt;
  auto n = static_cast<std::size_t>(cpl);
  auto urn_value = [](const std::string& v) {
    // TDS §6.3: characters outside Table I.3.1-1 are %-escaped in an EPC URN.
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : v) {
      if (std::isalnum(c) != 0 || std::string_view("!')(*+,-.:;=_").find(static_cast<char>(c)) != std::string_view::npos) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  };
  auto qualifier = [&](std::string_view ai) -> const std::string* {
    for (const auto& [a, v] : dl->qualifiers)
      if (a == ai) return &v;
    return nullptr;
  };
  if (dl->key_ai == "01") {
    if (!check_digit_ok(dl->key) || n > 12) return std::nullopt;
    const std::string& g = dl->key;
    std::string cp = g.substr(1, n), item = g.substr(0, 1) + g.substr(1 + n, 12 - n);
    if (auto s = qualifier("21")) return "urn:epc:id:sgtin:" + cp + "." + item + "." + urn_value(*s);
    if (auto l = qualifier("10")) return "urn:epc:class:lgtin:" + cp + "." + item + "." + urn_value(*l);
    return "urn:epc:idpat:sgtin:" + cp + "." + item + ".*";
  }
  if (dl->key_ai == "00") {
    if (!valid_sscc(dl->key)) return std::nullopt;
    const std::string& s = dl->key;
    return "urn:epc:id:sscc:" + s.substr(1, n) + "." + s.substr(0, 1) + s.substr(1 + n, 16 - n);
  }
  if (dl->key_ai == "414") {
    if (!valid_gln(dl->key)) return std::nullopt;
    const std::string& g = dl->key;
    auto ext = qualifier("254");
    return "urn:epc:id:sgln:" + g.substr(0, n) + "." + g.substr(n, 12 - n) + "." + (ext ? urn_value(*ext) : "0");
  }
  return std::nullopt;
}

}  // namespace nongsan::epcis::gs1
