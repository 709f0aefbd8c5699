#include "modules/registry/registry_types.hpp"

#include <array>
#include <utility>

namespace nongsan::registry {

namespace {
template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& t, E v) {
  for (const auto& [e, s] : t)
    if (e == v) return s;
  return "";
}
template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& t, std::string_view v) {
  for (const auto& [e, s] : t)
    if (s == v) return e;
  return std::nullopt;
}
constexpr std::array<std::pair<ProducerKind, std::string_view>, 5> kKinds{{{ProducerKind::household, "household"},
                                                                         {ProducerKind::cooperative, "cooperative"},
                                                                         {ProducerKind::cooperative_group, "cooperative_group"},
                                                                         {ProducerKind::enterprise, "enterprise"},
                                                                         {ProducerKind::farm, "farm"}}};
constexpr std::array<std::pair<ParcelState, std::string_view>, 3> kStates{
    {{ParcelState::in_use, "in_use"}, {ParcelState::idle, "idle"}, {ParcelState::inefficient_rice, "inefficient_rice"}}};
constexpr std::array<std::pair<LandRightKind, std::string_view>, 3> kRights{
    {{LandRightKind::owner, "owner"}, {LandRightKind::lessee, "lessee"}, {LandRightKind::contributed, "contributed"}}};
constexpr std::array<std::pair<ZoneStatus, std::string_view>, 3> kZone{
    {{ZoneStatus::planned, "planned"}, {ZoneStatus::active, "active"}, {ZoneStatus::closed, "closed"}}};
constexpr std::array<std::pair<FromUse, std::string_view>, 4> kFrom{{{FromUse::rice, "rice"},
                                                                    {FromUse::inefficient_rice, "inefficient_rice"},
                                                                    {FromUse::idle, "idle"},
                                                                    {FromUse::other, "other"}}};
}  // namespace

std::string_view to_string(ProducerKind k) { return name_of(kKinds, k); }
std::optional<ProducerKind> parse_producer_kind(std::string_view s) { return parse_of(kKinds, s); }
std::string_view to_string(ParcelState s) { return name_of(kStates, s); }
std::optional<ParcelState> parse_parcel_state(std::string_view s) { return parse_of(kStates, s); }
std::string_view to_string(LandRightKind k) { return name_of(kRights, k); }
std::optional<LandRightKind> parse_land_right_kind(std::string_view s) { return parse_of(kRights, s); }
std::string_view to_string(ZoneStatus s) { return name_of(kZone, s); }
std::optional<ZoneStatus> parse_zone_status(std::string_view s) { return parse_of(kZone, s); }
std::string_view to_string(FromUse f) { return name_of(kFrom, f); }
std::optional<FromUse> parse_from_use(std::string_view s) { return parse_of(kFrom, s); }

}  // namespace nongsan::registry
