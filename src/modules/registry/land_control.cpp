#include "modules/registry/land_control.hpp"

namespace nongsan::registry {

namespace {
bool overlap(const LandRight& a, const LandRight& b) {
  bool a_before_b = a.valid_to && *a.valid_to < b.valid_from;
  bool b_before_a = b.valid_to && *b.valid_to < a.valid_from;
  return !a_before_b && !b_before_a;
}
bool controlling(LandRightKind k) { return k == LandRightKind::lessee || k == LandRightKind::contributed; }
}  // namespace

std::optional<LandRight> controller_on(const std::vector<LandRight>& rights, const CivilDate& date) {
  std::optional<LandRight> owner;
  for (const auto& r : rights) {
    if (!r.valid_on(date)) continue;
    if (controlling(r.kind)) return r;
    if (r.kind == LandRightKind::owner) owner = r;
  }
  return owner;
}

std::vector<FieldError> right_conflicts(const std::vector<LandRight>& rights) {
  std::vector<FieldError> out;
  for (std::size_t i = 0; i < rights.size(); ++i)
    for (std::size_t j = i + 1; j < rights.size(); ++j) {
      const auto& a = rights[i];
      const auto& b = rights[j];
      if (!overlap(a, b)) continue;
      bool both_owners = a.kind == LandRightKind::owner && b.kind == LandRightKind::owner;
      bool both_control = controlling(a.kind) && controlling(b.kind);
      if (both_owners || both_control)
        out.push_back({"valid_from", std::string(both_owners ? "two owners" : "two leases or contributions") +
                                         " overlap: " + a.valid_from.vi() + " – " + (a.valid_to ? a.valid_to->vi() : "nay") +
                                         " and " + b.valid_from.vi() + " – " + (b.valid_to ? b.valid_to->vi() : "nay")});
    }
  return out;
}

}  // namespace nongsan::registry
