// Importing land rights from tables (registry_import.hpp: import_rights).
#include "modules/registry/registry_import.hpp"

#include <unordered_map>

#include "modules/registry/land_control.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;
using namespace import;

namespace {

std::optional<LandRightKind> parse_right_kind(const std::string& s) {
  return parse_alias<LandRightKind>(s, &parse_land_right_kind,
                                    {{"chu su dung", LandRightKind::owner},
                                     {"chu", LandRightKind::owner},
                                     {"thue", LandRightKind::lessee},
                                     {"gop quyen", LandRightKind::contributed},
                                     {"gop quyen su dung dat", LandRightKind::contributed},
                                     {"gop von", LandRightKind::contributed}});
}

struct RightRow {
  std::int64_t number = 0;
  std::string parcel, producer, document;
  std::optional<LandRightKind> kind;
  std::optional<CivilDate> valid_from, valid_to;
};
}  // namespace

Result<ImportReport> import_rights(storage::Database& db, admin::AdminService&, const identity::Actor& actor,
                                   const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  auto import_day = import_date(options);
  if (!import_day) return import_day.error();
  const CivilDate date = *import_day;
  const std::string source = source_name(options, fs);
  const Columns cols(fs.field_names);
  const std::string parcel_col = cols.find({"parcel", "parcel_id", "parcel_external_id", "ma_thua"});
  const std::string producer_col = cols.find({"producer", "producer_id", "producer_external_id", "chu"});
  const std::string kind_col = cols.find({"kind", "loai"});
  const std::string from_col = cols.find({"valid_from", "tu_ngay"});
  {
    std::vector<std::string> missing;
    if (parcel_col.empty()) missing.push_back("parcel");
    if (producer_col.empty()) missing.push_back("producer");
    if (kind_col.empty()) missing.push_back("kind");
    if (from_col.empty()) missing.push_back("valid_from");
    if (!missing.empty()) return missing_columns(source, missing, fs.field_names);
  }
  const std::string to_col = cols.find({"valid_to", "den_ngay"});
  const std::string document_col = cols.find({"document", "giay_to"});

  Problems problems;
  check_text(fs, problems);
  std::vector<RightRow> rows;
  for (const auto& f : fs.features) {
    RightRow r;
    r.number = f.number;
    r.parcel = cell(f, parcel_col);
    if (r.parcel.empty()) problems.add(f.number, parcel_col, "is empty: the parcel's id is required");
    r.producer = cell(f, producer_col);
    if (r.producer.empty()) problems.add(f.number, producer_col, "is empty: the producer's id is required");
    const std::string k = cell(f, kind_col);
    r.kind = parse_right_kind(k);
    if (!r.kind) problems.add(f.number, kind_col, "must be owner, lessee or contributed, not '" + k + "'");
    r.valid_from = date_cell(f, from_col, options, problems);
    if (!r.valid_from && cell(f, from_col).empty()) problems.add(f.number, from_col, "is empty");
    r.valid_to = date_cell(f, to_col, options, problems);
    if (r.valid_from && r.valid_to && *r.valid_to < *r.valid_from)
      problems.add(f.number, to_col, "is before " + from_col);
    r.document = cell(f, document_col);
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> keys;
    for (const auto& r : rows)
      keys.emplace_back(r.number, r.parcel.empty() || r.producer.empty() || !r.kind || !r.valid_from
                                      ? std::string()
                                      : r.parcel + " / " + r.producer + " / " + std::string(to_string(*r.kind)) +
                                            " / " + r.valid_from->vi());
    flag_duplicates(keys, from_col, problems, "right");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::unordered_map<std::string, std::optional<Parcel>> parcels;
    std::unordered_map<std::string, std::optional<Producer>> producers;
    std::unordered_map<std::int64_t, std::vector<LandRight>> rights;  // by parcel id: stored, then accepted rows
    enum class Action { insert, end, none };
    std::vector<Action> action(rows.size(), Action::none);
    std::vector<LandRight> planned(rows.size());
    std::vector<LandRightId> existing_id(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (all.bad(r.number)) continue;
      if (!parcels.count(r.parcel))
        parcels.emplace(r.parcel, RegistryRepository::find_parcel_by_external_id(c, r.parcel, false));
      if (!producers.count(r.producer))
        producers.emplace(r.producer, RegistryRepository::find_producer_by_external_id(c, r.producer));
      const auto& parcel = parcels[r.parcel];
      const auto& producer = producers[r.producer];
      if (!parcel) all.add(r.number, parcel_col, "no parcel '" + r.parcel + "' in the registry");
      if (!producer) all.add(r.number, producer_col, "no producer '" + r.producer + "' in the registry");
      if (!parcel || !producer) continue;
      auto& held = rights[parcel->id.value];
      if (held.empty()) held = RegistryRepository::rights_of_parcel(c, parcel->id);
      LandRight l;
      l.parcel = parcel->id;
      l.producer = producer->id;
      l.kind = *r.kind;
      l.valid_from = *r.valid_from;
      l.valid_to = r.valid_to;
      l.document = r.document;
      planned[i] = l;
      action[i] = Action::insert;
      bool known = false;
      for (auto& h : held) {
        if (h.producer != l.producer || h.kind != l.kind || h.valid_from != l.valid_from) continue;
        known = true;
        if (h.valid_to == l.valid_to && (document_col.empty() || h.document == l.document)) {
          action[i] = Action::none;
        } else if (!h.valid_to && l.valid_to && (document_col.empty() || h.document == l.document)) {
          action[i] = Action::end;
          existing_id[i] = h.id;
          h.valid_to = l.valid_to;  // later rows see the ended right
        } else {
          all.add(r.number, to_col.empty() ? from_col : to_col,
                  "this right is recorded with other values (until " + (h.valid_to ? h.valid_to->vi() : "now") +
                      ", document '" + h.document + "'); an import may only add an end date");
          action[i] = Action::none;
        }
        break;
      }
      if (known) continue;
      const auto before = right_conflicts(held).size();
      held.push_back(l);
      auto after = right_conflicts(held);
      if (after.size() > before) {
        held.pop_back();
        std::vector<std::string> msgs;
        for (std::size_t k = before; k < after.size(); ++k) msgs.push_back(after[k].message);
        all.add(r.number, from_col,
                "the parcel '" + r.parcel + "' would have an ambiguous controller: " + list_of(msgs, 5));
        action[i] = Action::none;
      }
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (all.bad(rows[i].number)) continue;
      if (action[i] == Action::insert) {
        RegistryRepository::insert_right(c, planned[i]);
        ++out.created;
      } else if (action[i] == Action::end) {
        RegistryRepository::end_right(c, existing_id[i], *rows[i].valid_to);
        ++out.updated;
      } else {
        ++out.unchanged;
      }
    }
    audit::record(c, actor, "import", "land_right", source, std::nullopt, std::nullopt, counts_json(out, source, date));
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

}  // namespace nongsan::registry
