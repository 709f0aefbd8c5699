// Inspections in the field (Notice 752-TB/TU §2.5; docs/inspection.md "Inspections and
// sync", "Decisions"): inspections created by hand or by a plan, the device sync of the
// field app (assignments, items applied one by one with versions and conflicts, photos
// stored once by client_id, the measured area recomputed in VN-2000), and the decisions
// findings lead to, taken through the other modules' services by the role that may
// take them. Every write is audited in its transaction.
//
// Scope: an inspector sees the inspections assigned to them; officers with
// inspection.read see those of their scope (an inspection belongs to the commune of
// its subject; without one, to the province). Out of scope answers as missing.
// Depends on access, audit, identity, registry (repository and scope), support,
// areacodes and ocop (services); never on api or cli.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/inspection/checklists.hpp"
#include "modules/inspection/inspection_records.hpp"
#include "storage/database.hpp"

namespace nongsan::support { class SupportService; }
namespace nongsan::areacodes { class AreaCodeService; }
namespace nongsan::ocop { class OcopService; }
namespace nongsan::registry { class RegistryService; }

namespace nongsan::inspection {

struct InspectionSettings {
  // A device's measured area differing from the server's by more than this share (%)
  // is noted as a mismatch (data/inspection/checklists.json "settings").
  double area_mismatch_pct = 5;
};

// The modules a decision acts on.
struct DecisionTargets {
  support::SupportService* support = nullptr;
  areacodes::AreaCodeService* areacodes = nullptr;
  ocop::OcopService* ocop = nullptr;
  registry::RegistryService* registry = nullptr;
};

class InspectionService {
 public:
  InspectionService(storage::Database& db, admin::AdminService& admin, Checklists checklists,
                    InspectionSettings settings, DecisionTargets targets);

  // Officers: the inspections in scope (status filter: assigned, open, closed).
  Result<nlohmann::json> list(const identity::Actor& a, const std::optional<std::string>& status);
  // One inspection with its answers, findings (with their decisions), photos, measured
  // and registered boundaries and sync log.
  Result<nlohmann::json> get(const identity::Actor& a, const std::string& code);
  // By hand: subject_kind, subject_ref, checklist_kind, inspector (login), optional
  // parcel (external id) and notes.
  Result<nlohmann::json> create(const identity::Actor& a, const nlohmann::json& body);

  // The device sync contract.
  Result<nlohmann::json> assignments(const identity::Actor& a);
  Result<nlohmann::json> sync(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> resolve(const identity::Actor& a, const std::string& code, const nlohmann::json& body);
  Result<PhotoRecord> photo(const identity::Actor& a, const std::string& client_id);
  const Checklists& checklists() const { return checklists_; }

  // A decision on a finding (decision.cpp): action, reason, decision_no, amount, stars,
  // date. Each action needs its role's permission (decision.hpp).
  Result<nlohmann::json> decide(const identity::Actor& a, std::int64_t finding_id, const nlohmann::json& body);
  // The decisions inspections led to on a record of another module ("application:HS-1",
  // "area_code:VN-…", "ocop_product:TEA", "parcel:P-1"), for that record's page.
  Result<nlohmann::json> decisions_on(const identity::Actor& a, const std::string& target_ref);

 private:
  struct Applied;
  nlohmann::json apply_item(const identity::Actor& a, const std::string& device_id, const nlohmann::json& item,
                            std::size_t index);
  storage::Database& db_;
  admin::AdminService& admin_;
  Checklists checklists_;
  InspectionSettings settings_;
  DecisionTargets targets_;
};

// The inspection as the field app holds it (the assignments shape).
nlohmann::json field_json(storage::Connection& c, const InspectionRecord& r);

}  // namespace nongsan::inspection
