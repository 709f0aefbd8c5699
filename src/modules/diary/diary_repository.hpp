// SQL of the diary module, both backends (`?` placeholders, the shared subset).
// Static functions over a connection; the service holds the transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/diary/diary_types.hpp"
#include "storage/database.hpp"

namespace nongsan::diary {

struct ParcelRef {
  std::int64_t id = 0;
  std::string external_id;
  std::optional<std::int64_t> unit;
};

// A stored clearance of one phi_not_passed (harvest entry × sprayed product).
struct Clearance {
  std::string lot, harvest_entry, product, reason, cleared_by, cleared_at;
};

class DiaryRepository {
 public:
  static std::vector<Pesticide> products(storage::Connection& c);
  static std::vector<StatusRow> statuses(storage::Connection& c);
  static std::vector<PesticideLabel> labels(storage::Connection& c);
  static std::optional<Pesticide> product(storage::Connection& c, const std::string& code);
  static std::optional<StatusRow> status(storage::Connection& c, const std::string& ingredient, const CivilDate& from);
  static std::optional<PesticideLabel> label(storage::Connection& c, const std::string& product, const std::string& crop);
  static void insert_product(storage::Connection& c, const Pesticide& p, const std::string& source);
  static void update_product(storage::Connection& c, const Pesticide& p, const std::string& source);
  static void insert_status(storage::Connection& c, const StatusRow& s);
  static void update_status(storage::Connection& c, const StatusRow& s);
  static void insert_label(storage::Connection& c, const PesticideLabel& l, const std::string& source);
  static void update_label(storage::Connection& c, const PesticideLabel& l, const std::string& source);

  static std::optional<ParcelRef> parcel(storage::Connection& c, const std::string& external_id);
  static std::optional<ParcelRef> parcel(storage::Connection& c, std::int64_t id);
  static std::optional<DiaryEntry> entry(storage::Connection& c, const std::string& code);
  static std::int64_t insert_entry(storage::Connection& c, const DiaryEntry& e);
  // Entries on the parcels (all parcels when nullopt), dated up to `to` when given, in
  // date and code order.
  static std::vector<DiaryEntry> entries(storage::Connection& c, const std::optional<std::vector<std::int64_t>>& parcels,
                                         std::optional<CivilDate> to = std::nullopt);
  // Entries of one lot (harvests naming it).
  static std::vector<DiaryEntry> lot_entries(storage::Connection& c, const std::string& lot);
  static std::vector<PlantingSpan> plantings(storage::Connection& c,
                                             const std::optional<std::vector<std::int64_t>>& parcels);

  // Parcels with a planting of `crop` in force over the whole of [from, to], in id order
  // (the demo's choice of parcels).
  static std::vector<ParcelRef> parcels_growing(storage::Connection& c, const std::string& crop, const CivilDate& from,
                                                const CivilDate& to, int limit);
  static std::int64_t count_entries(storage::Connection& c);

  static std::vector<Clearance> clearances(storage::Connection& c, const std::optional<std::string>& lot);
  static void insert_clearance(storage::Connection& c, const Clearance& k);
};

}  // namespace nongsan::diary
