// What the trace module works with: the GTIN assigned to a crop's product, and what the
// public page of a lot shows. Plain data; no storage, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.hpp"

namespace nongsan::trace {

// A product's GTIN (GTIN-14, check digit verified) and the crop it names.
struct GtinEntry {
  std::string gtin, crop, name_vi, name_en;
  bool illustrative = false;
  std::string updated_at;
};

// A certificate covering the lot, its parcel or its growing-area code, as the public
// page shows it (never the holder: a holder may be a household).
struct PublicCertificate {
  std::string code, kind, standard, issuer, status;
  std::string valid_from, valid_to;
  std::string covers;  // "lot", "parcel" or "code"
};

// One step of the lot's journey (an EPCIS event naming the lot).
struct JourneyStep {
  std::string event_time, biz_step, disposition, location;
  std::string time_zone_offset;  // the event's eventTimeZoneOffset ("+07:00"): the page shows local time
};

// What the public page of a Digital Link URI shows. `state` decides how much:
// bad_gtin and unknown_lot show nothing of a lot, held only that it is under review.
struct PublicLot {
  enum class State { ok, held, bad_gtin, unknown_lot } state = State::ok;
  std::string gtin, lot, uri;
  std::string product_vi, product_en, crop;
  bool product_illustrative = false;
  std::string producer;                      // a cooperative or an enterprise; "" otherwise
  std::string area_code, area_code_status;   // the code whose parcels include the harvests'
  std::vector<std::string> harvest_dates;    // ISO dates, ascending, distinct
  int sprays_checked = 0;                    // spray entries on the lot's parcels checked
  std::vector<std::string> checks;           // the checks passed (finding kinds with none open)
  std::vector<PublicCertificate> certificates;
  std::vector<JourneyStep> journey;
};

}  // namespace nongsan::trace
