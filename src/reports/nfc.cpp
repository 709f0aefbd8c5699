#include "reports/nfc.hpp"

#include <glib.h>

#include <fmt/format.h>

namespace nongsan::reports {

std::optional<std::string> to_nfc(std::string_view s) {
  gchar* out = g_utf8_normalize(s.data(), static_cast<gssize>(s.size()), G_NORMALIZE_NFC);
  if (!out) return std::nullopt;
  std::string r(out);
  g_free(out);
  return r;
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
