#include "modules/certificates/certificate_types.hpp"

#include <algorithm>
#include <array>

namespace nongsan::certificates {

namespace {
template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}
}  // namespace

bool is_standard_kind(std::string_view s) {
  return one_of(s, std::array<std::string_view, 5>{"tcvn", "vietgap", "organic", "provincial", "other"});
}
bool is_mark_kind(std::string_view s) {
  return one_of(s, std::array<std::string_view, 3>{"collective", "certification", "geographical_indication"});
}
bool is_certificate_kind(std::string_view s) {
  return one_of(s, std::array<std::string_view, 5>{"vietgap", "organic", "food_safety", "gi_use", "other"});
}
bool is_target_kind(std::string_view s) {
  return one_of(s, std::array<std::string_view, 5>{"parcel", "code", "facility", "product", "lot"});
}

std::string certificate_status(const Certificate& c, const CivilDate& on, int notice_days) {
  if (on < c.valid_from) return "not_yet";
  if (on > c.valid_to) return "expired";
  if (c.valid_to.days_since_epoch() - on.days_since_epoch() <= notice_days) return "expiring";
  return "valid";
}

}  // namespace nongsan::certificates
