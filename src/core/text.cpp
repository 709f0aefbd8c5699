#include "core/text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/number_input.hpp"

namespace nongsan {

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Returns U+FFFD on bad input.
char32_t decode(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 0x2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

// Every precomposed Vietnamese letter, grouped by the ASCII letter it folds to.
const std::unordered_map<char32_t, char>& fold_table() {
  static const auto table = [] {
    std::unordered_map<char32_t, char> t;
    const std::pair<char, const char*> groups[] = {
        {'a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"},
        {'e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"},
        {'i', "ìíỉĩịÌÍỈĨỊ"},
        {'o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"},
        {'u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"},
        {'y', "ỳýỷỹỵỲÝỶỸỴ"},
        {'d', "đĐ"},
    };
    for (const auto& [base, letters] : groups) {
      std::string_view s(letters);
      for (std::size_t i = 0; i < s.size();) t[decode(s, i)] = base;
    }
    return t;
  }();
  return table;
}

bool is_combining_mark(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

}  // namespace

void append_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string fold_vietnamese(std::string_view s) {
  const auto& table = fold_table();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = decode(s, i);
    if (cp < 0x80) {
      out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    } else if (auto it = table.find(cp); it != table.end()) {
      out += it->second;
    } else if (is_combining_mark(cp)) {
      // decomposed input (NFD): drop the tone and vowel marks
    } else {
      append_utf8(cp, out);
    }
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t before = i;
    char32_t cp = decode(s, i);
    if (cp == 0xFFFD && !(i - before == 3 && s.substr(before, 3) == "\xEF\xBF\xBD")) return false;
  }
  return true;
}

std::string format_number_vi(double value, int decimals) {
  if (std::isnan(value)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string digits(buf);
  auto dot = digits.find('.');
  std::string integer = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  std::string out;
  int n = static_cast<int>(integer.size());
  for (int i = 0; i < n; ++i) {
    out += integer[i];
    if ((n - i - 1) % 3 == 0 && i != n - 1) out += '.';
  }
  if (!frac.empty()) out += "," + frac;
  bool negative = value < 0 && out.find_first_not_of("0.,") != std::string::npos;
  return negative ? "-" + out : out;
}

std::optional<double> parse_number(std::string_view text, bool vietnamese_first) {
  std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  std::string sign;
  if (t[0] == '-' || t[0] == '+') {
    sign = t[0] == '-' ? "-" : "";
    t = t.substr(1);
  }
  std::vector<std::size_t> dots, commas;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '.') dots.push_back(i);
    else if (c == ',') commas.push_back(i);
    else if (c == ' ' || (c < '0' || c > '9')) return std::nullopt;
  }
  auto groups_ok = [&](const std::vector<std::size_t>& seps, std::size_t end) {
    // thousands separators must split the integer part into groups of three
    if (seps.empty()) return true;
    if (seps.front() == 0 || seps.front() > 3) return false;
    for (std::size_t k = 0; k < seps.size(); ++k) {
      std::size_t next = k + 1 < seps.size() ? seps[k + 1] : end;
      if (next - seps[k] - 1 != 3) return false;
    }
    return true;
  };
  char decimal = 0;
  std::vector<std::size_t>* thousands = nullptr;
  if (!dots.empty() && !commas.empty()) {
    decimal = dots.back() > commas.back() ? '.' : ',';
    thousands = decimal == '.' ? &commas : &dots;
    std::size_t dec_pos = decimal == '.' ? dots.back() : commas.back();
    if ((decimal == '.' ? dots.size() : commas.size()) != 1) return std::nullopt;
    if (!groups_ok(*thousands, dec_pos)) return std::nullopt;
  } else if (dots.size() + commas.size() == 0) {
  } else {
    auto& seps = dots.empty() ? commas : dots;
    char sep = dots.empty() ? ',' : '.';
    bool three_after = t.size() - seps.back() - 1 == 3;
    if (seps.size() > 1) {
      thousands = &seps;
      if (!groups_ok(seps, t.size())) return std::nullopt;
    } else if (three_after && seps.front() <= 3 && seps.front() > 0 &&
               ((sep == '.' && vietnamese_first) || (sep == ',' && !vietnamese_first))) {
      thousands = &seps;
    } else {
      decimal = sep;
    }
  }
  std::string clean = sign;
  for (char c : t) {
    if (c == decimal) clean += '.';
    else if (c == '.' || c == ',') continue;
    else clean += c;
  }
  if (clean.empty() || clean == "-" || clean.back() == '.' || clean.front() == '.') return std::nullopt;
  auto v = parse_real(clean, NumberRange::real(), "number");  // the one reader of numbers (number_input.hpp)
  if (!v) return std::nullopt;
  return *v;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace nongsan
