// Farming diaries and pesticides (Notice 752-TB/TU §2.3, §2.4; docs/diary.md): the
// pesticide reference data and its imports, diary entries (never edited; amended by a
// later entry), the checks (`nongsan check diaries`, run on entry too) and lot holds.
// Scope: an entry belongs to its parcel's scope (registry::RecordScope: a unit officer
// their unit's subtree, a producer the parcels its members hold a right on; parcels
// without a unit are the province's). Every parcel or entry a request names passes
// the same check as reading it; out of scope answers as missing.
//
// Entry points for other modules (EPCIS events, code health, QR refusal):
// `entries` (parcels × date range), `findings` (a date range, optionally some parcels)
// and `lot_status` (held or not, the uncleared findings, the lot's harvests).
// Must not depend on api, app or cli.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/diary/diary_repository.hpp"
#include "modules/diary/diary_types.hpp"
#include "modules/identity/actor.hpp"
#include "modules/support/support_import.hpp"
#include "storage/database.hpp"

namespace nongsan::diary {

// The rows of an imported file: the shared shape of the CSV/XLSX imports.
using ImportTable = support::ImportTable;
using ImportRow = support::ImportRow;

struct ImportReport {
  int created = 0, updated = 0, unchanged = 0;
};

// One hold on a lot: a phi_not_passed of one of its harvests, cleared or not.
struct Hold {
  Finding finding;
  std::optional<Clearance> clearance;
};

struct LotStatus {
  std::string lot;
  bool held = false;
  std::vector<Hold> holds;             // every phi_not_passed of the lot, cleared ones too
  std::vector<DiaryEntry> harvests;    // the lot's harvests (parcel, date, quantity)
};

struct EntryResult {
  DiaryEntry entry;
  std::vector<Finding> findings;       // the findings the entry raises (its own, or a harvest's)
};

class DiaryService {
 public:
  DiaryService(storage::Database& db, admin::AdminService& admin);

  // Told of the entries once stored (add_entry: the new one; import_diary: every entry of
  // the file, unchanged ones too, so that a listener idempotent by content catches up).
  // How the diary's harvests and sprays become EPCIS events (diary_events) without this
  // module depending on epcis.
  using EntriesStored = std::function<void(const identity::Actor&, const std::vector<DiaryEntry>&)>;
  void on_entries_stored(EntriesStored f) { listeners_.push_back(std::move(f)); }

  // Imports, all or nothing, "line N, column C: reason". Identical rows change nothing;
  // a changed row replaces the stored one (products by code, statuses by ingredient and
  // date, labels by product and crop), audited with before and after.
  Result<ImportReport> import_products(const identity::Actor& a, const ImportTable& t, const std::string& source);
  Result<ImportReport> import_statuses(const identity::Actor& a, const ImportTable& t, const std::string& source);
  Result<ImportReport> import_labels(const identity::Actor& a, const ImportTable& t, const std::string& source);
  // Diary entries; an entry code already stored with the same content is unchanged, with
  // other content an error (entries are never edited: amend with a later entry).
  Result<ImportReport> import_diary(const identity::Actor& a, const ImportTable& t, const std::string& source);

  // One entry from the UI or the API: parcel_id, date, kind, product, dose_per_ha,
  // quantity_kg, lot, amends, note; `entry` (its code) optional. Answers the entry and
  // the findings it raises.
  Result<EntryResult> add_entry(const identity::Actor& a, const nlohmann::json& body);

  // Effective entries (amended ones left out unless `with_amended`) on `parcels` (every
  // parcel in scope when nullopt) dated within [from, to].
  Result<std::vector<DiaryEntry>> entries(const identity::Actor& a, const std::optional<std::vector<std::int64_t>>& parcels,
                                          std::optional<CivilDate> from, std::optional<CivilDate> to,
                                          bool with_amended = false);
  // The findings of the entries dated within [from, to] (on `parcels` when given), in scope.
  Result<std::vector<Finding>> findings(const identity::Actor& a, std::optional<CivilDate> from,
                                        std::optional<CivilDate> to,
                                        const std::optional<std::vector<std::int64_t>>& parcels = std::nullopt);
  Result<LotStatus> lot_status(const identity::Actor& a, const std::string& lot);
  // Clears the uncleared holds of `lot` (only those of harvest `entry` and `product` when
  // given) with a reason; audited. Answers the lot's status after.
  Result<LotStatus> clear_hold(const identity::Actor& a, const std::string& lot, const std::string& reason,
                               const std::string& entry = "", const std::string& product = "");
  // The reference list for the entry form: products with their registration and
  // ingredient status on `date`, and their labels.
  Result<nlohmann::json> products(const identity::Actor& a, const CivilDate& date);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
  std::vector<EntriesStored> listeners_;
  void tell(const identity::Actor& a, const std::vector<DiaryEntry>& stored) const {
    for (const auto& f : listeners_) f(a, stored);
  }
};

nlohmann::json to_json(const DiaryEntry& e);
nlohmann::json to_json(const Finding& f);
nlohmann::json to_json(const LotStatus& s);

}  // namespace nongsan::diary
