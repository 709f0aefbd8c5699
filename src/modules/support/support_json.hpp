// The JSON shapes of support records, shared by the API, the CLI and the documents.
#pragma once

#include <nlohmann/json.hpp>

#include "modules/admin/unit_graph.hpp"
#include "modules/support/claim_checks.hpp"
#include "modules/support/support_records.hpp"

namespace nongsan::support {

nlohmann::json policy_json(const PolicyRecord& r);
nlohmann::json application_json(const admin::UnitGraph& g, const ApplicationRecord& r);
nlohmann::json step_json(const StepRecord& s);
nlohmann::json payment_json(const PaymentRecord& p);
nlohmann::json settings_json(const CheckSettings& s, bool four_eyes);
nlohmann::json to_json(const Finding& f);
nlohmann::json to_json(const AmountTrace& t);
// Exactly to_json(t).dump(), written straight into a string: a check run stores the
// trace of each of a province's 200,000 applications, where building the JSON tree
// of each costs more than the rules that made it.
std::string trace_text(const AmountTrace& t);

}  // namespace nongsan::support
