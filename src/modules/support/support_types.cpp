#include "modules/support/support_types.hpp"

namespace nongsan::support {

namespace {
template <typename E, std::size_t N>
std::optional<E> find_name(const std::pair<E, std::string_view> (&table)[N], std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}
template <typename E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [x, name] : table)
    if (x == e) return name;
  return "?";
}
constexpr std::pair<ItemUnit, std::string_view> kItemUnits[] = {{ItemUnit::area, "area"},       {ItemUnit::hive, "hive"},
                                                                 {ItemUnit::head, "head"},       {ItemUnit::cage_m3, "cage_m3"},
                                                                 {ItemUnit::project, "project"}};
constexpr std::pair<ApplicationStatus, std::string_view> kStatuses[] = {
    {ApplicationStatus::submitted, "submitted"}, {ApplicationStatus::verified, "verified"},
    {ApplicationStatus::appraised, "appraised"}, {ApplicationStatus::accepted, "accepted"},
    {ApplicationStatus::approved, "approved"},   {ApplicationStatus::paid, "paid"},
    {ApplicationStatus::rejected, "rejected"},   {ApplicationStatus::recovered, "recovered"}};
constexpr std::pair<PaymentKind, std::string_view> kPaymentKinds[] = {{PaymentKind::payment, "payment"},
                                                                       {PaymentKind::recovery, "recovery"}};
}  // namespace

std::string_view to_string(ItemUnit u) { return name_of(kItemUnits, u); }
std::optional<ItemUnit> parse_item_unit(std::string_view s) { return find_name(kItemUnits, s); }
std::string_view to_string(ApplicationStatus s) { return name_of(kStatuses, s); }
std::optional<ApplicationStatus> parse_application_status(std::string_view s) { return find_name(kStatuses, s); }
std::string_view to_string(PaymentKind k) { return name_of(kPaymentKinds, k); }
std::optional<PaymentKind> parse_payment_kind(std::string_view s) { return find_name(kPaymentKinds, s); }

}  // namespace nongsan::support
