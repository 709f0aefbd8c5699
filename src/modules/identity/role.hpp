// Roles and permissions: the one table of who may do what. Routes declare the
// permission they need; services add the record scope (a unit subtree, or the
// producer's own records) through AccessPolicy. Denied unless listed here.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace nongsan::identity {

// `anonymous` is the public without a login: it holds no permission and is never stored.
enum class Role { anonymous, province_admin, province_officer, unit_officer, producer, inspector };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
// Vietnamese name of the role, for documents and the CLI.
std::string_view role_name_vi(Role role);

enum class Permission {
  units_read,       // administrative units and the map
  units_write,      // import and edit units and reform links
  figures_read,     // figures by unit, within scope
  figures_write,    // enter and change figures, within scope
  users_read,       // the user list
  users_manage,     // create, edit, reset passwords
  pii_reveal,       // see personal identifiers in full (each view audited)
  audit_read,       // browse the audit trail
  registry_read,    // producers, parcels, zones, plantings — within scope
  registry_write,   // change them — within scope
  system_admin,     // backups, migrations
  targets_read,     // programmes, indicators, targets, observations and reviews — within scope
  targets_enter,    // enter, edit and submit draft observations — within scope
  targets_approve,  // approve or return submitted observations (province)
  targets_manage,   // programmes, indicators, targets and imports (province)
  targets_unlock,   // unlock an approved observation, with a reason (administrator)
  suitability_read,   // land suitability: profiles, layers, results, reports, map
  suitability_write,  // edit crop profiles, register raster layers, run evaluations (planners)
  support_read,       // support policies, applications, payments, findings — within scope
  support_enter,      // enter applications and their attachments — within scope
  support_verify,     // verify an application, record its acceptance, reject it — within scope
  support_appraise,   // appraise an application (district or province)
  support_approve,    // approve the amount (province)
  support_pay,        // record payments and recoveries (finance)
  support_manage,     // policies, budgets, settings, imports, the cross-checks (province)
  // diary: pesticides, farming diaries, their checks and lot holds
  diary_read,         // diary entries, findings and lot status — within scope (own parcels for a producer)
  diary_enter,        // enter diary entries and amendments — within scope
  pesticides_manage,  // import pesticide products, ingredient status, labels and diaries (province)
  lots_clear,         // clear a lot's hold with a reason, audited — within scope
  codes_read,         // growing-area and packing-house codes, seasons, findings — within scope
  codes_apply,        // apply for a code, declare seasons — within scope (a producer: its own)
  codes_decide,       // issue, refuse, suspend, reinstate, cancel a code — within scope
  codes_manage,       // imports of codes and seasons, the code-health check that suspends (province)
  chains_read,        // linkage contracts, deliveries, facilities, markets — within scope
  chains_write,       // enter contracts, deliveries, facilities, buyers, events — within scope
  chains_manage,      // imports, thresholds, investment projects (province)
  ocop_read,          // OCOP products, evaluations, dossiers; standards, marks, certificates — within scope
  ocop_enter,         // self-assessments, quality-watch findings, certificates — within scope
  ocop_manage,        // council evaluations, downgrade/revocation decisions, OCOP imports (province)
  // EPCIS 2.0 traceability events (docs/epcis.md); granted in role.cpp's epcis block.
  epcis_read,         // query EPCIS events (GET /epcis/events, nongsan epcis query)
  epcis_capture,      // capture EPCIS documents (POST /epcis/capture, nongsan epcis capture)
  // Inspections in the field (docs/inspection.md); granted in role.cpp's inspection block.
  inspection_read,    // inspections, findings, photos, decisions — within scope (an inspector: their own)
  inspection_record,  // the field app: assignments, sync, conflicts resolved (an inspector: their own)
  inspection_manage,  // create an inspection by hand and assign it — within scope
  inspection_decide,  // decide on a finding (with the target module's permission, docs/inspection.md)
  inspection_plan,    // create plans, set risk weights, draw and record the registry-quality sample (province)
};
std::string_view to_string(Permission p);
const std::vector<Permission>& all_permissions();

bool role_has(Role role, Permission p);
// True for roles whose reads and writes are limited to their unit's subtree.
bool role_is_unit_scoped(Role role);

}  // namespace nongsan::identity
