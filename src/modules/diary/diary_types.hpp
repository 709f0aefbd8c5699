// Pesticides (products, ingredient status over time, labels) and farming-diary
// entries: the records the diary checks read (docs/diary.md). Plain types, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"

namespace nongsan::diary {

// A plant-protection product as registered (Circular 25/2024/TT-BNNPTNT lists).
struct Pesticide {
  std::string code, name;
  std::vector<std::string> active_ingredients;  // ActiveIngredient names, as written
  CivilDate registered_from;
  std::optional<CivilDate> registered_to;       // inclusive; nullopt = still registered
};

enum class IngredientStatus { permitted, banned };
std::string_view to_string(IngredientStatus s);
std::optional<IngredientStatus> parse_ingredient_status(std::string_view text);

// One row of an ingredient's status history: in force from `from` until a later row.
struct StatusRow {
  std::string active_ingredient;
  IngredientStatus status = IngredientStatus::permitted;
  CivilDate from;
  std::string source;  // the circular or decision
};

// What a product's label allows on one crop.
struct PesticideLabel {
  std::string product, crop;
  double max_dose_per_ha = 0;  // the label's unit per hectare (kg or litres)
  int phi_days = 0;            // pre-harvest interval (thời gian cách ly)
};

// Diary entries are `Log` kinds of the glossary.
enum class EntryKind { spray, fertiliser, harvest, observation };
std::string_view to_string(EntryKind k);
std::optional<EntryKind> parse_entry_kind(std::string_view text);

struct DiaryEntry {
  std::int64_t id = 0;
  std::string code;            // `entry` in the files
  std::int64_t parcel_id = 0;
  std::string parcel;          // the parcel's external id
  CivilDate date;
  EntryKind kind = EntryKind::observation;
  std::string product;         // as written in the diary
  std::optional<double> dose_per_ha, quantity_kg;
  std::string lot;             // the Lot a harvest goes into
  std::string amends;          // code of the entry this one amends; "" for none
  std::string note, source, created_by, created_at;
};

// A planting of the registry, as the checks read it (crop in force start ≤ d ≤ end).
struct PlantingSpan {
  std::int64_t parcel_id = 0;
  std::string crop;
  CivilDate start;
  std::optional<CivilDate> end;
};

enum class FindingKind { unregistered, banned, not_for_crop, over_dose, phi_not_passed };
std::string_view to_string(FindingKind k);
std::optional<FindingKind> parse_finding_kind(std::string_view text);

struct Finding {
  FindingKind kind = FindingKind::unregistered;
  std::string entry;    // the spray's code, or the harvest's for phi_not_passed
  std::int64_t parcel_id = 0;
  std::string parcel;   // external id
  std::string product;  // as written in the diary (the sprayed one for phi_not_passed)
  std::string lot;
  CivilDate date;       // of the entry
  // phi_not_passed: the spray behind it (the latest one of the product) and the interval.
  std::string spray_entry;
  std::optional<CivilDate> spray_date;
  int phi_days = 0;
  std::string detail;   // English, for the JSON; the UI words findings itself
};

}  // namespace nongsan::diary
