// Stored support records: the types of support_types.hpp with their database ids
// and the registry ids they point to. What the repository reads and writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/support/support_types.hpp"

namespace nongsan::support {

using PolicyId = StrongId<struct PolicyTag>;
using ApplicationId = StrongId<struct ApplicationTag>;
using PaymentId = StrongId<struct PaymentTag>;

struct PolicyRecord {
  PolicyId id;
  PolicyVersion policy;
  std::string created_by, created_at;
};

struct ItemRecord {
  std::int64_t seq = 0;
  std::optional<std::int64_t> parcel_id;
  std::string parcel;  // external id ("" for counted items)
  double quantity = 0;
};

struct ApplicationRecord {
  ApplicationId id;
  std::string code, policy;
  ProducerId applicant_id;
  std::string applicant;  // external id
  std::string applicant_name;
  std::optional<UnitId> unit;
  CivilDate filed;
  std::optional<CivilDate> accepted;
  ApplicationStatus status = ApplicationStatus::submitted;
  std::optional<Dong> approved_amount;
  std::string note, source, created_at, updated_at;
  std::vector<ItemRecord> items;

  Application to_application() const&;
  Application to_application() &&;  // moves the strings and items out
};

struct StepRecord {
  std::string from_status, to_status;
  CivilDate step_date;
  std::string reason, actor, at;
};

struct PaymentRecord {
  PaymentId id;
  ApplicationId application_id;
  std::string application;  // code
  CivilDate date;
  Dong amount = 0;
  PaymentKind kind = PaymentKind::payment;
  std::string funding_source, reference, source, created_at;
};

enum class FundingSource { national_target_programme, central_budget, provincial_budget, credit, other };
std::string_view to_string(FundingSource f);
std::optional<FundingSource> parse_funding_source(std::string_view s);

struct BudgetLine {
  std::string policy;
  int year = 0;
  FundingSource source = FundingSource::provincial_budget;
  Dong planned = 0;
  std::string note;
};

}  // namespace nongsan::support
