// The pesticide rules of the farming diary, pure (docs/diary.md, docs/rules.md §"Pesticides
// and farming diaries"): registration on a date, an ingredient's status on a date, the crop
// in force on a parcel, and the findings of a set of entries. No I/O: the service reads
// the records and hands them here; tests call these directly.
// Must not depend on storage, api, app or cli.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/diary/diary_types.hpp"

namespace nongsan::diary {

// Codes, ingredients and crops compare trimmed and without regard to ASCII case: the
// same reading as the support module's `requires.crop` against planting crops.
std::string match_key(std::string_view s);

// Registered on `d`: registered_from ≤ d ≤ registered_to (both ends inclusive).
bool registered_on(const Pesticide& p, const CivilDate& d);

// The reference data the checks read, indexed by match_key.
class Reference {
 public:
  Reference(std::vector<Pesticide> products, std::vector<StatusRow> statuses, std::vector<PesticideLabel> labels);
  const Pesticide* product(std::string_view code) const;
  // The status of the latest row dated on or before `d`; permitted when there is none.
  IngredientStatus status_on(std::string_view ingredient, const CivilDate& d) const;
  // The status row in force on `d`, if any (for the source of a ban).
  const StatusRow* status_row_on(std::string_view ingredient, const CivilDate& d) const;
  const PesticideLabel* label(std::string_view product, std::string_view crop) const;
  const std::vector<Pesticide>& products() const { return products_; }

 private:
  std::vector<Pesticide> products_;
  std::map<std::string, std::size_t> by_code_;
  std::map<std::string, std::vector<StatusRow>> statuses_;  // by ingredient key, in date order
  std::map<std::pair<std::string, std::string>, PesticideLabel> labels_;
};

// The crops of the plantings of `parcel` in force on `d` (start ≤ d ≤ end), in the
// order given.
std::vector<std::string> crops_in_force(const std::vector<PlantingSpan>& plantings, std::int64_t parcel,
                                        const CivilDate& d);

// The entries the checks count: every entry that no other entry amends (an amended entry
// is replaced by its amendment; chains end at the latest amendment).
std::vector<DiaryEntry> effective_entries(const std::vector<DiaryEntry>& entries);

// The findings of `entries` (already effective; any parcels), for the entries dated
// within [from, to] (sprays by their date, harvests by theirs). Sprays before `from`
// still count towards phi_not_passed of harvests inside the range. Sorted by date,
// entry, kind, product.
std::vector<Finding> check_entries(const Reference& ref, const std::vector<DiaryEntry>& entries,
                                   const std::vector<PlantingSpan>& plantings,
                                   std::optional<CivilDate> from = std::nullopt,
                                   std::optional<CivilDate> to = std::nullopt);

}  // namespace nongsan::diary
