#include "reports/nfc.hpp"

#include <glib.h>

#include <fmt/format.h>

namespace nongsan::reports {

namespace {

// A code point before which the text may be cut and each side normalised alone: a
// starter (canonical combining class 0) that is its own NFC form and never the second
// half of a canonical composition, so nothing before it can reorder past it or compose
// with it. ASCII, Latin-1 and Latin Extended-A/B, Latin Extended Additional (every
// precomposed Vietnamese letter) and the CJK ideographs are; combining marks, Hangul
// jamo and the Indic vowel signs that compose with what precedes them are not.
bool safe_cut_before(gunichar c) {
  return c < 0x0300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x4E00 && c <= 0x9FFF);
}

// glib normalises a whole string at once, and its time grows with the square of a
// run of non-ASCII text (350,000 "ố" took minutes); cut into pieces of about this
// many bytes at safe points, the time is linear.
constexpr std::size_t kPiece = 2048;

std::optional<std::string> normalize_piece(std::string_view s) {
  gchar* out = g_utf8_normalize(s.data(), static_cast<gssize>(s.size()), G_NORMALIZE_NFC);
  if (!out) return std::nullopt;
  std::string r(out);
  g_free(out);
  return r;
}

}  // namespace

std::vector<std::size_t> nfc_pieces(std::string_view s) {
  std::vector<std::size_t> ends;
  std::size_t start = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  while (p < end) {
    const std::size_t at = static_cast<std::size_t>(p - s.data());
    if (at - start >= kPiece && safe_cut_before(g_utf8_get_char(p))) {
      ends.push_back(at);
      start = at;
    }
    p = g_utf8_next_char(p);
  }
  if (start < s.size()) ends.push_back(s.size());
  return ends;
}

std::optional<std::string> to_nfc(std::string_view s) {
  if (!g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return std::nullopt;
  if (s.size() <= kPiece) return normalize_piece(s);
  std::string out;
  out.reserve(s.size());
  std::size_t start = 0;
  for (std::size_t e : nfc_pieces(s)) {
    auto piece = normalize_piece(s.substr(start, e - start));
    if (!piece) return std::nullopt;
    out += *piece;
    start = e;
  }
  return out;
}

std::string normalize_json_nfc(nlohmann::json& j, const std::string& path) {
  if (j.is_string()) {
    auto n = to_nfc(j.get_ref<const std::string&>());
    if (!n) return path.empty() ? "(root)" : path;
    j = std::move(*n);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto bad = normalize_json_nfc(j[i], fmt::format("{}[{}]", path, i)); !bad.empty()) return bad;
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (auto bad = normalize_json_nfc(it.value(), path.empty() ? it.key() : path + "." + it.key()); !bad.empty())
        return bad;
  }
  return "";
}

}  // namespace nongsan::reports
