// Reads what the cross-checks of one year need from the database — applications,
// payments, policies, and the registry's facts about every claimed parcel on the
// application's dates — and assembles the input of run_claim_checks. The geometry
// (areas of intersection between claimed parcels, and with the zones) is computed
// here with geo::find_overlaps, in the province's projected CRS, on all cores.
// No rules here: claim_checks.cpp decides.
#pragma once

#include <functional>
#include <string_view>

#include "core/result.hpp"
#include "modules/support/claim_checks.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

struct ClaimLoadOptions {
  int year = 0;
  CheckSettings settings;
  int threads = 0;  // 0 = one per core
  // When given, the large reads borrow connections of their own and run side by side
  // (only from outside a write transaction: the other connections would not see its
  // uncommitted rows). Otherwise everything is read on the connection passed in.
  storage::Database* database = nullptr;
  // Policy versions to consider besides the stored ones (a version with the same code
  // and date replaces the stored one): the preview of an amendment.
  std::vector<PolicyVersion> extra_policies;
  // (stage, done, total) while the geometry is compared; optional.
  std::function<void(std::string_view, std::size_t, std::size_t)> progress;
};

Result<ClaimInput> load_claim_input(storage::Connection& c, const ClaimLoadOptions& o);

// Digits only, and Vietnam's +84 written as the leading 0: "+84 912.345.678" and
// "0912345678" are the same phone.
std::string normalise_phone(std::string_view phone);

}  // namespace nongsan::support
