// Importing support applications and payments from the tables officials keep (CSV or
// XLSX; the CLI reads the file with geo::read_features and passes its rows here).
//
//   applications  application,policy,applicant,filed,accepted,status,parcel,quantity,approved_amount
//                 one row per item: `parcel` empty for counted items; `quantity` in hectares
//                 for area items; `applicant` and `parcel` are registry external ids;
//                 `accepted` empty when not yet accepted; `approved_amount` may be empty.
//   payments      application,date,amount,kind   (kind: payment or recovery)
//
// Column names are matched without regard to case; other columns are an error naming
// them. The import records applications as they stand — status, dates and amounts as
// given — without replaying the life cycle; payments are stored as given, also when
// dated before filing or acceptance, for applications not approved, or above the
// approved amount: finding those is the checks' job. All or nothing: every problem is
// reported as "line N, column NAME: reason" (line 1 is the header) and a file with any
// problem stores nothing. Importing the same file again changes nothing: applications
// are matched by code (a changed one is updated); a payment row matches a stored
// payment with the same application, date, amount and kind (repeats in a file are
// payments of their own).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

struct ImportRow {
  int line = 0;                               // in the file, the header being line 1
  std::map<std::string, std::string> cells;   // by column name as in the file
};

struct ImportTable {
  std::vector<std::string> headers;
  std::vector<ImportRow> rows;
};

struct SupportImportReport {
  int created = 0, updated = 0, unchanged = 0;
  std::vector<std::string> warnings;
};

Result<SupportImportReport> import_applications(storage::Database& db, const identity::Actor& actor,
                                                const ImportTable& table, const std::string& source);
Result<SupportImportReport> import_payments(storage::Database& db, const identity::Actor& actor,
                                            const ImportTable& table, const std::string& source);

// The columns of an official's table, checked against an import's: every required one
// present, none unknown or twice (errors "line 1, column NAME"); names match without
// regard to case. Shared by the imports that read support::ImportTable.
struct ImportColumns {
  std::map<std::string, std::string> actual;  // lower-case name → name in the file
  bool has(const std::string& n) const { return actual.count(n) > 0; }
};
Result<ImportColumns> check_import_columns(const ImportTable& t, const std::vector<std::string>& required,
                                           const std::vector<std::string>& optional_columns);
// The trimmed cell of `name` in `row` ("" when the column is absent).
std::string import_cell(const ImportRow& row, const ImportColumns& cols, const std::string& name);
// "line N, column NAME": where an import's error is.
std::string import_at(const ImportRow& row, const std::string& column);

// Whole đồng written as "12750000", "12.750.000", "12,750,000" or "12 750 000"; nullopt
// for anything else (a decimal part, a sign, letters).
std::optional<Dong> parse_dong(std::string_view text);

}  // namespace nongsan::support
