// Importing producers from tables (registry_import.hpp: import_producers).
#include "modules/registry/registry_import.hpp"

#include <algorithm>
#include <unordered_map>

#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;
using namespace import;

namespace {

std::optional<ProducerKind> parse_kind(const std::string& s) {
  return parse_alias<ProducerKind>(s, &parse_producer_kind,
                                   {{"ho", ProducerKind::household},
                                    {"ho gia dinh", ProducerKind::household},
                                    {"ho nong dan", ProducerKind::household},
                                    {"htx", ProducerKind::cooperative},
                                    {"hop tac xa", ProducerKind::cooperative},
                                    {"tht", ProducerKind::cooperative_group},
                                    {"to hop tac", ProducerKind::cooperative_group},
                                    {"dn", ProducerKind::enterprise},
                                    {"doanh nghiep", ProducerKind::enterprise},
                                    {"cong ty", ProducerKind::enterprise},
                                    {"trang trai", ProducerKind::farm},
                                    {"gia trai", ProducerKind::farm}});
}


struct ProducerRow {
  std::int64_t number = 0;
  std::string external_id, name, commune_code, ethnicity, citizen_id, tax_code, phone, address, organisation;
  std::optional<ProducerKind> kind;
  std::optional<UnitId> unit;
  std::optional<int> members_count;
};

std::string digits_only(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-' && c != '.') out += c;
  return out;
}

}  // namespace

Result<ImportReport> import_producers(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  auto import_day = import_date(options);
  if (!import_day) return import_day.error();
  const CivilDate date = *import_day;
  const std::string source = source_name(options, fs);
  const Columns cols(fs.field_names);
  const std::string id_col = cols.find({"external_id", "id"});
  if (id_col.empty()) return missing_columns(source, {"external_id"}, fs.field_names);
  const std::string kind_col = cols.find({"kind", "loai"});
  const std::string name_col = cols.find({"name", "ten", "ho_ten"});
  const std::string unit_col = cols.find({"commune_code", "commune", "unit_code", "ma_xa"});
  const std::string members_col = cols.find({"members_count", "so_thanh_vien"});
  const std::string ethnicity_col = cols.find({"ethnicity", "dan_toc"});
  const std::string citizen_col = cols.find({"citizen_id", "cccd"});
  const std::string tax_col = cols.find({"tax_code", "mst", "ma_so_thue"});
  const std::string phone_col = cols.find({"phone", "dien_thoai", "sdt"});
  const std::string address_col = cols.find({"address", "dia_chi"});
  const std::string org_col = cols.find({"organisation", "organization", "htx"});

  Problems problems;
  check_text(fs, problems);
  auto graph = admin.graph();
  std::vector<ProducerRow> rows;
  for (const auto& f : fs.features) {
    ProducerRow r;
    r.number = f.number;
    r.external_id = cell(f, id_col);
    if (r.external_id.empty()) problems.add(f.number, id_col, "is empty: every producer needs an id");
    r.name = cell(f, name_col);
    if (std::string k = cell(f, kind_col); !k.empty()) {
      r.kind = parse_kind(k);
      if (!r.kind)
        problems.add(f.number, kind_col,
                     "must be household, cooperative, cooperative_group, enterprise or farm (hộ, HTX, THT, DN, trang "
                     "trại), not '" +
                         k + "'");
    }
    r.commune_code = cell(f, unit_col);
    if (!r.commune_code.empty()) {
      if (const auto* u = commune_on(*graph, r.commune_code, date)) r.unit = u->id;
      else problems.add(f.number, unit_col, "no commune with code '" + r.commune_code + "' on " + date.vi());
    }
    if (std::string m = cell(f, members_col); !m.empty()) {
      auto v = whole_number(m);
      if (!v || *v < 1 || *v > 1000000)
        problems.add(f.number, members_col, "must be a whole number of at least 1: '" + m + "'");
      else r.members_count = static_cast<int>(*v);
    }
    r.ethnicity = cell(f, ethnicity_col);
    r.citizen_id = digits_only(cell(f, citizen_col));
    if (!r.citizen_id.empty() && (!std::all_of(r.citizen_id.begin(), r.citizen_id.end(), [](char c) {
          return c >= '0' && c <= '9';
        }) || (r.citizen_id.size() != 9 && r.citizen_id.size() != 12)))
      problems.add(f.number, citizen_col, "must be 12 digits (căn cước) or 9 digits (old identity card)");
    r.tax_code = cell(f, tax_col);
    r.phone = cell(f, phone_col);
    r.address = cell(f, address_col);
    r.organisation = cell(f, org_col);
    if (!r.organisation.empty() && r.organisation == r.external_id)
      problems.add(f.number, org_col, "a producer cannot be a member of itself");
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> ids;
    for (const auto& r : rows) ids.emplace_back(r.number, r.external_id);
    flag_duplicates(ids, id_col, problems, "id");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::unordered_map<std::string, std::optional<Producer>> stored;
    std::unordered_map<std::string, const ProducerRow*> in_file;
    for (const auto& r : rows) {
      if (r.external_id.empty()) continue;
      in_file.emplace(r.external_id, &r);
      stored.emplace(r.external_id, RegistryRepository::find_producer_by_external_id(c, r.external_id));
    }
    for (const auto& r : rows) {
      if (r.external_id.empty()) continue;
      if (!stored[r.external_id] && r.name.empty())
        all.add(r.number, name_col.empty() ? "name" : name_col, "is required for a new producer");
    }
    // Organisations: in the file (and not bad), or already stored.
    for (const auto& r : rows) {
      if (r.organisation.empty() || r.organisation == r.external_id) continue;
      auto f = in_file.find(r.organisation);
      if (f != in_file.end()) {
        if (all.bad(f->second->number))
          all.add(r.number, org_col,
                  "organisation '" + r.organisation + "' (feature " + std::to_string(f->second->number) +
                      ") has problems itself");
        continue;
      }
      if (!stored.count(r.organisation))
        stored.emplace(r.organisation, RegistryRepository::find_producer_by_external_id(c, r.organisation));
      if (!stored[r.organisation])
        all.add(r.number, org_col, "no producer '" + r.organisation + "' in the file or the registry");
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();

    const std::string key = identity::pii_hash_key(c);
    auto hash_of = [&](const std::string& citizen) {
      return citizen.empty() ? std::string() : identity::digest_hex(citizen, key);
    };
    std::unordered_map<std::string, ProducerId> ids;
    std::unordered_map<std::string, bool> changed_row;
    Progress storing(options, "storing", rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      storing.tick(i);
      const ProducerRow& r = rows[i];
      if (all.bad(r.number)) continue;
      const auto& old = stored[r.external_id];
      if (!old) {
        Producer p;
        p.external_id = r.external_id;
        p.kind = r.kind.value_or(ProducerKind::household);
        p.name = r.name;
        p.unit = r.unit;
        p.members_count = r.members_count;
        p.ethnicity = r.ethnicity;
        p.citizen_id = r.citizen_id;
        p.tax_code = r.tax_code;
        p.phone = r.phone;
        p.address = r.address;
        ids[r.external_id] = RegistryRepository::insert_producer(c, p, hash_of(p.citizen_id));
        ++out.created;
        continue;
      }
      Producer p = *old;
      bool changed = false;
      auto set = [&](auto& field, const auto& value, bool present) {
        if (present && !(field == value)) {
          field = value;
          changed = true;
        }
      };
      if (r.kind) set(p.kind, *r.kind, true);
      set(p.name, r.name, !r.name.empty());
      set(p.unit, r.unit, !unit_col.empty());
      set(p.members_count, r.members_count, !members_col.empty());
      set(p.ethnicity, r.ethnicity, !ethnicity_col.empty());
      set(p.citizen_id, r.citizen_id, !citizen_col.empty());
      set(p.tax_code, r.tax_code, !tax_col.empty());
      set(p.phone, r.phone, !phone_col.empty());
      set(p.address, r.address, !address_col.empty());
      if (changed) RegistryRepository::update_producer(c, p, hash_of(p.citizen_id));
      ids[r.external_id] = p.id;
      changed_row[r.external_id] = changed;
    }
    for (const auto& r : rows) {
      if (all.bad(r.number) || r.organisation.empty()) continue;
      ProducerId member = ids.at(r.external_id);
      ProducerId org = ids.count(r.organisation) ? ids.at(r.organisation) : stored[r.organisation]->id;
      auto orgs = RegistryRepository::organisations_of(c, member, date);
      if (std::find(orgs.begin(), orgs.end(), org) != orgs.end()) continue;
      RegistryRepository::add_membership(c, member, org, date);
      ++out.links_added;
      if (auto it = changed_row.find(r.external_id); it != changed_row.end() && !it->second) it->second = true;
    }
    for (const auto& [id, changed] : changed_row) (changed ? out.updated : out.unchanged)++;
    storing.tick(rows.size());
    // One summary row per import (no personal data in it), as for parcels.
    json after = counts_json(out, source, date);
    after["memberships_added"] = out.links_added;
    audit::record(c, actor, "import", "producer", source, std::nullopt, std::nullopt, after);
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

}  // namespace nongsan::registry
