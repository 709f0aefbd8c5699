// The farming diary and the supply chain as one record (docs/epcis.md "Diary events"):
// every diary harvest and spray becomes an EPCIS 2.0 ObjectEvent, an amendment an error
// declaration on the amended entry's event plus the corrected event; a held lot gets no
// shipping or departing event (docs/rules.md §14); a lot's journey is the events naming
// it, in time order.
//
// The events are built by pure functions (`entry_event`, `declared_in_error`, `lots_named`)
// and captured through EpcisService::capture_derived right after the entry's own
// transaction (the capture keeps its own job and transaction); they are idempotent by
// the CBV 2.0 event hash, so importing a diary again captures nothing new. Identifiers
// nongsan assigns where the diary names none: the lot's LGTIN class from the GTIN of the
// parcel's crop (the trace module's GTIN table, read through a GtinSource), the parcel's place `urn:nongsan:parcel:{id}`,
// the event's `urn:nongsan:diary:{entry}`.
//
// Depends on diary (entries, lot status), areacodes (the parcel's growing-area code) and
// the rest of epcis; must not depend on api, app or cli. The diary never depends on it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/epcis/epcis_service.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::epcis {

// The nongsan namespace of the extension fields (spray product and dose, the diary
// entry, the growing-area code).
inline constexpr const char* kNongsanNamespace = "https://nongsan.example/ns/epcis/";
// The non-CBV business step of a spray (CBV 2.0 has no step for a treatment).
inline constexpr const char* kTreatingStep = "urn:nongsan:bizstep:treating";

// crop code → GTIN-14: the GTIN the diary's events put on a crop's lots.
using GtinTable = std::map<std::string, std::string>;
// Reads the GTIN table where it is kept (the trace module's trace_gtin, the one home of the
// GTINs, which also names the product of a lot's QR code); read once per batch of entries.
using GtinSource = std::function<GtinTable(storage::Connection&)>;

// What an entry's event needs beyond the entry.
struct EntryPlace {
  std::string gtin;       // of the crop in force on the entry's date; "" when none
  std::string area_code;  // the parcel's issued growing-area code; "" when none
};

std::string parcel_uri(const std::string& parcel_external_id);
std::string entry_event_id(const std::string& entry_code);
// The class naming a lot: its LGTIN Digital Link with the crop's GTIN, or
// urn:nongsan:lot:{lot} when the crop has no GTIN.
std::string lot_class(const std::string& gtin, const std::string& lot);

// The event of a harvest (commissioning, ADD, the lot in KGM) or a spray (treating,
// OBSERVE, product and dose as extensions); nullopt for other kinds.
std::optional<nlohmann::json> entry_event(const diary::DiaryEntry& e, const EntryPlace& place);
// `original` declared in error by the amending entry `by` (EPCIS 2.0 §7.4.1.2): the same
// event with an errorDeclaration (declared on the amendment's date, reason
// incorrect_data, the corrective event the amendment's own).
nlohmann::json declared_in_error(nlohmann::json original, const diary::DiaryEntry& by);
// The lot codes an event names in its classes or EPCs (LGTIN Digital Links or EPC
// URNs, and urn:nongsan:lot:…).
std::vector<std::string> lots_named(const nlohmann::json& event);

// One step of a lot's journey.
struct JourneyStep {
  std::string event_time, type, action, biz_step, place, event_id, hash;
  std::optional<double> quantity;  // of the lot, in `uom`
  std::string uom;
  bool declared_in_error = false;
};

class DiaryBridge {
 public:
  DiaryBridge(storage::Database& db, diary::DiaryService& diary, EpcisService& epcis, GtinSource gtins);

  // Hooks this bridge into the diary (events for every stored entry) and into EPCIS
  // capture (the held-lot rule). Call once at start.
  void attach();

  // The events of `entries` (with the error declaration of each amended one), captured.
  // nullopt when none of them makes an event.
  Result<std::optional<CaptureJob>> record(const identity::Actor& a, const std::vector<diary::DiaryEntry>& entries);

  // The events naming `lot` in eventTime order. Needs diary.read; the lot must be in the
  // actor's scope (as DiaryService::lot_status): out of scope answers as missing.
  Result<std::vector<JourneyStep>> journey(const identity::Actor& a, const std::string& lot);

  // The classes naming `lot` in events: the LGTIN of the GTIN of the crop of each of its
  // harvests (urn:nongsan:lot:… when a crop has none), the first harvest's first. Scope as
  // `journey`.
  Result<std::vector<std::string>> lot_classes(const identity::Actor& a, const std::string& lot);

  // The problems of a shipping or departing event naming a held lot (the capture rule).
  std::vector<Problem> held_lot_problems(const identity::Actor& a, const nlohmann::json& event);

 private:
  EntryPlace place_of(storage::Connection& c, const GtinTable& gtins, const diary::DiaryEntry& e);
  std::vector<std::string> classes_of(storage::Connection& c, const diary::LotStatus& s);

  storage::Database& db_;
  diary::DiaryService& diary_;
  EpcisService& epcis_;
  GtinSource gtins_;
};

nlohmann::json to_json(const JourneyStep& s);

}  // namespace nongsan::epcis
