#include "modules/targets/targets_types.hpp"

#include <array>

#include "core/text.hpp"

namespace nongsan::targets {

std::string_view to_string(Kind k) { return k == Kind::stock ? "stock" : "flow"; }
std::string_view to_string(Direction d) { return d == Direction::up ? "up" : "down"; }
std::string_view to_string(Source s) { return s == Source::reported ? "reported" : "computed"; }
std::string_view to_string(ObservationStatus s) {
  switch (s) {
    case ObservationStatus::draft: return "draft";
    case ObservationStatus::submitted: return "submitted";
    case ObservationStatus::approved: return "approved";
    case ObservationStatus::returned: return "returned";
  }
  return "draft";
}
std::string length_problem(std::string_view text, std::size_t max_chars) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n > max_chars ? "is longer than " + std::to_string(max_chars) + " characters" : "";
}

bool is_counted_unit(std::string_view measure_unit) {
  // Compared without diacritics or case, so "Cong trinh" and "HTX" match too. None of
  // these folds to a measure (ha, tấn → tan, tạ → ta, m³, %, km, lít, đồng …).
  static constexpr std::array<std::string_view, 24> kCounted = {
      "cong trinh", "trang trai", "san pham", "chuoi", "chuoi lien ket", "dan", "con", "ho", "htx",
      "hop tac xa", "to hop tac", "co so", "doanh nghiep", "ma", "ma so", "du an", "nguoi", "lao dong",
      "xa", "thon", "ban", "vung", "mo hinh", "cay"};
  const std::string folded = fold_vietnamese(trim(measure_unit));
  for (auto c : kCounted)
    if (folded == c) return true;
  return false;
}

std::optional<Kind> parse_kind(std::string_view t) {
  if (t == "stock") return Kind::stock;
  if (t == "flow") return Kind::flow;
  return std::nullopt;
}
std::optional<Direction> parse_direction(std::string_view t) {
  if (t == "up") return Direction::up;
  if (t == "down") return Direction::down;
  return std::nullopt;
}
std::optional<Source> parse_source(std::string_view t) {
  if (t == "reported") return Source::reported;
  if (t == "computed") return Source::computed;
  return std::nullopt;
}
std::optional<ObservationStatus> parse_status(std::string_view t) {
  for (auto s : {ObservationStatus::draft, ObservationStatus::submitted, ObservationStatus::approved,
                 ObservationStatus::returned})
    if (to_string(s) == t) return s;
  return std::nullopt;
}

}  // namespace nongsan::targets
