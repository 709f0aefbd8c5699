#include "modules/identity/role.hpp"

#include <algorithm>

namespace nongsan::identity {

namespace {
struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view name_vi;
  std::vector<Permission> permissions;
};

const std::vector<RoleInfo>& roles() {
  using P = Permission;
  static const std::vector<RoleInfo> table = {
      {Role::anonymous, "anonymous", "Công chúng (không đăng nhập)", {}},
      {Role::province_admin, "province_admin", "Quản trị hệ thống cấp tỉnh",
       {P::units_read, P::units_write, P::figures_read, P::figures_write, P::users_read, P::users_manage,
        P::pii_reveal, P::audit_read, P::system_admin, P::registry_read, P::registry_write, P::targets_read,
        P::targets_enter, P::targets_approve, P::targets_manage, P::targets_unlock, P::suitability_read,
        P::suitability_write, P::support_read, P::support_enter, P::support_verify, P::support_appraise,
        P::support_approve, P::support_pay, P::support_manage,
        P::diary_read, P::diary_enter, P::pesticides_manage, P::lots_clear,
        P::codes_read, P::codes_apply, P::codes_decide, P::codes_manage,
        P::chains_read, P::chains_write, P::chains_manage,
        P::ocop_read, P::ocop_enter, P::ocop_manage}},
      // Sees everything and approves; does not manage accounts.
      {Role::province_officer, "province_officer", "Cán bộ cấp tỉnh",
       {P::units_read, P::figures_read, P::figures_write, P::registry_read, P::registry_write, P::targets_read,
        P::targets_enter, P::targets_approve, P::targets_manage, P::suitability_read, P::suitability_write,
        P::support_read, P::support_enter, P::support_verify, P::support_appraise, P::support_approve, P::support_pay,
        P::support_manage,
        P::diary_read, P::diary_enter, P::pesticides_manage, P::lots_clear,
        P::codes_read, P::codes_apply, P::codes_decide, P::codes_manage,
        P::chains_read, P::chains_write, P::chains_manage,
        P::ocop_read, P::ocop_enter, P::ocop_manage}},
      // District or commune officer: reads and writes within the unit's subtree; enters,
      // verifies and appraises support applications there, never approves or pays.
      {Role::unit_officer, "unit_officer", "Cán bộ cấp huyện/xã",
       {P::units_read, P::figures_read, P::figures_write, P::registry_read, P::registry_write, P::targets_read,
        P::targets_enter, P::suitability_read, P::support_read, P::support_enter, P::support_verify,
        P::support_appraise,
        P::diary_read, P::diary_enter, P::lots_clear,
        P::codes_read, P::codes_apply, P::codes_decide,
        P::chains_read, P::chains_write,
        P::ocop_read, P::ocop_enter}},
      // Cooperative or enterprise: its own records (registry, diaries, lots) in later modules.
      {Role::producer, "producer", "Hợp tác xã / doanh nghiệp",
       {P::units_read, P::registry_read, P::suitability_read, P::support_read,
        P::diary_read, P::diary_enter,
        P::codes_read, P::codes_apply,
        P::chains_read,
        P::ocop_read}},
      // Reads across the province to inspect; writes only inspection records (later module).
      {Role::inspector, "inspector", "Thanh tra, kiểm tra",
       {P::units_read, P::figures_read, P::registry_read, P::targets_read, P::suitability_read, P::support_read,
        P::diary_read,
        P::codes_read,
        P::chains_read,
        P::ocop_read}},
  };
  return table;
}
}  // namespace

std::string_view to_string(Role role) {
  for (const auto& r : roles())
    if (r.role == role) return r.code;
  return "";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& r : roles())
    if (r.code == text && r.role != Role::anonymous) return r.role;
  return std::nullopt;
}

std::string_view role_name_vi(Role role) {
  for (const auto& r : roles())
    if (r.role == role) return r.name_vi;
  return "";
}

std::string_view to_string(Permission p) {
  switch (p) {
    case Permission::units_read: return "units.read";
    case Permission::units_write: return "units.write";
    case Permission::figures_read: return "figures.read";
    case Permission::figures_write: return "figures.write";
    case Permission::users_read: return "users.read";
    case Permission::users_manage: return "users.manage";
    case Permission::pii_reveal: return "pii.reveal";
    case Permission::audit_read: return "audit.read";
    case Permission::system_admin: return "system.admin";
    case Permission::registry_read: return "registry.read";
    case Permission::registry_write: return "registry.write";
    case Permission::targets_read: return "targets.read";
    case Permission::targets_enter: return "targets.enter";
    case Permission::targets_approve: return "targets.approve";
    case Permission::targets_manage: return "targets.manage";
    case Permission::targets_unlock: return "targets.unlock";
    case Permission::suitability_read: return "suitability.read";
    case Permission::suitability_write: return "suitability.write";
    case Permission::support_read: return "support.read";
    case Permission::support_enter: return "support.enter";
    case Permission::support_verify: return "support.verify";
    case Permission::support_appraise: return "support.appraise";
    case Permission::support_approve: return "support.approve";
    case Permission::support_pay: return "support.pay";
    case Permission::support_manage: return "support.manage";
    case Permission::diary_read: return "diary.read";
    case Permission::diary_enter: return "diary.enter";
    case Permission::pesticides_manage: return "pesticides.manage";
    case Permission::lots_clear: return "lots.clear";
    case Permission::codes_read: return "codes.read";
    case Permission::codes_apply: return "codes.apply";
    case Permission::codes_decide: return "codes.decide";
    case Permission::codes_manage: return "codes.manage";
    case Permission::chains_read: return "chains.read";
    case Permission::chains_write: return "chains.write";
    case Permission::chains_manage: return "chains.manage";
    case Permission::ocop_read: return "ocop.read";
    case Permission::ocop_enter: return "ocop.enter";
    case Permission::ocop_manage: return "ocop.manage";
    case Permission::epcis_read: return "epcis.read";
    case Permission::epcis_capture: return "epcis.capture";
    case Permission::inspection_read: return "inspection.read";
    case Permission::inspection_record: return "inspection.record";
    case Permission::inspection_manage: return "inspection.manage";
    case Permission::inspection_decide: return "inspection.decide";
    case Permission::inspection_plan: return "inspection.plan";
  }
  return "";
}

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> all = {
      Permission::units_read,   Permission::units_write,  Permission::figures_read,
      Permission::figures_write, Permission::users_read,  Permission::users_manage,
      Permission::pii_reveal,   Permission::audit_read,   Permission::system_admin,
      Permission::registry_read, Permission::registry_write, Permission::targets_read,
      Permission::targets_enter, Permission::targets_approve, Permission::targets_manage,
      Permission::targets_unlock, Permission::suitability_read,
      Permission::suitability_write, Permission::support_read, Permission::support_enter,
      Permission::support_verify, Permission::support_appraise, Permission::support_approve,
      Permission::support_pay, Permission::support_manage,
      Permission::diary_read, Permission::diary_enter, Permission::pesticides_manage, Permission::lots_clear,
      Permission::codes_read, Permission::codes_apply, Permission::codes_decide, Permission::codes_manage,
      Permission::chains_read, Permission::chains_write, Permission::chains_manage,
      Permission::ocop_read, Permission::ocop_enter, Permission::ocop_manage,
      Permission::epcis_read, Permission::epcis_capture,
      Permission::inspection_read, Permission::inspection_record, Permission::inspection_manage,
      Permission::inspection_decide, Permission::inspection_plan};
  return all;
}

// EPCIS events carry no commune (they name objects, places and partners, not units), so
// they are the province's records: the province's roles read them, and the inspector reads
// them to inspect; the province's officers capture (other systems do it with an
// officer's bearer token). Unit officers and producers get them when events gain an
// owner to scope them by (docs/epcis.md "Permissions").
static bool epcis_role_has(Role role, Permission p) {
  switch (role) {
    case Role::province_admin:
    case Role::province_officer: return true;
    case Role::inspector: return p == Permission::epcis_read;
    default: return false;
  }
}

// Inspections (docs/inspection.md "Decisions", "Permissions"): the inspector records in the
// field and reads the inspections assigned to them, and reads plans and risks; officers
// read, create and decide within their scope (a decision also needs the permission of the
// module it acts on); only the province's roles plan (risk weights, plans, the registry
// quality sample); producers hold none.
static bool inspection_role_has(Role role, Permission p) {
  switch (role) {
    case Role::province_admin:
    case Role::province_officer: return true;
    case Role::unit_officer: return p != Permission::inspection_plan;
    case Role::inspector: return p == Permission::inspection_read || p == Permission::inspection_record;
    default: return false;
  }
}

bool role_has(Role role, Permission p) {
  if (p == Permission::epcis_read || p == Permission::epcis_capture) return epcis_role_has(role, p);
  if (p == Permission::inspection_read || p == Permission::inspection_record || p == Permission::inspection_manage ||
      p == Permission::inspection_decide || p == Permission::inspection_plan)
    return inspection_role_has(role, p);
  for (const auto& r : roles())
    if (r.role == role) return std::find(r.permissions.begin(), r.permissions.end(), p) != r.permissions.end();
  return false;
}

bool role_is_unit_scoped(Role role) { return role == Role::unit_officer; }

}  // namespace nongsan::identity
