// Importing programmes, indicators, targets and observations from tables (CSV or
// XLSX, read by the CLI with geo::read_features). Header rows, exactly (names
// matched without regard to case; optional columns in brackets):
//   programmes   code,name_vi,start,end,baseline_year[,milestones,name_en,illustrative,source]
//   indicators   programme,code,name_vi,name_en,unit,kind,direction[,source,computed,not_above,illustrative,note]
//   targets      programme,indicator,unit_code,year,value[,decision,effective_date]
//   observations programme,indicator,unit_code,year,value[,status,period,note]
// Any other column is an error naming it. Dates YYYY-MM-DD or dd/mm/yyyy; numbers
// with a decimal point or a decimal comma ("1234.5", "1234,5", "1.234,5"). Every
// problem is reported as "line N, column NAME: reason" (line 1 is the header);
// a file with any problem stores nothing (one transaction; once a row has a problem
// no later row is written, only checked). Importing the same
// file again changes nothing: rows are matched by their keys (programme code;
// programme + indicator code; indicator + unit + year [+ effective date] for
// targets; indicator + unit + year + period for observations). A target row for
// an existing target with a new effective date adds a revision; the first row of a
// target is its original. Observations default to `approved`, since the CLI acts
// as administrator; they must be for the baseline year or later. Once every row is
// stored, each imported observation is checked (observation_flags.hpp): the flags are
// kept on it and returned as warnings ("line N: outlier — ...").
// Refused besides: a programme that ends before it starts; milestones that are not
// years ("2023-02-30"); a not_above naming no indicator of the programme (in the
// database or the same file); years and dates outside the plausible years
// (TargetsSettings, e.g. 1900–2100). The import is audited once more as a whole:
// the file's name and SHA-256, the kind and the counts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/field_values.hpp"
#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/targets/targets_settings.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

enum class ImportKind { programmes, indicators, targets, observations };
std::string_view to_string(ImportKind k);
std::optional<ImportKind> parse_import_kind(std::string_view t);

struct TableRow {
  int line = 0;       // line in the file (header = 1)
  FieldValues cells;  // by header name as in the file; names shared by all rows
};
struct Table {
  std::vector<std::string> headers;
  std::vector<TableRow> rows;
};

struct ImportReport {
  int created = 0, updated = 0, unchanged = 0, revisions = 0;
  std::vector<std::string> warnings;  // check flags on imported observations
};

// What was imported: the file's name as given and the SHA-256 of its bytes, kept in
// the audit trail with the counts.
struct ImportSource {
  std::string name;
  std::string sha256;
};

// REQUIRES: the actor may manage targets (checked). Years and dates outside the
// settings' plausible years are refused.
Result<ImportReport> import_table(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                  ImportKind kind, const Table& table, const ImportSource& source,
                                  const TargetsSettings& settings = {});

}  // namespace nongsan::targets
