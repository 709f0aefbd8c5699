// A delivery read from an EPCIS 2.0 event (docs/chains.md "Deliveries from EPCIS"): which
// events are deliveries (a receiving ObjectEvent, or a TransactionEvent ADD, that names a
// contract `urn:nongsan:contract:<code>` in its bizTransactionList), the participant
// (the owning_party source `urn:nongsan:producer:<external id>`), the quantity (the
// quantityList in KGM) and the date (eventTime in the event's eventTimeZoneOffset).
// Pure: reads the event's JSON only; knows nothing of the EPCIS module, the API or the
// app (the composition root hands the captured events over).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"

namespace nongsan::chains {

inline constexpr const char* kContractUriPrefix = "urn:nongsan:contract:";
inline constexpr const char* kProducerUriPrefix = "urn:nongsan:producer:";

// What an event says about a delivery. `problem` is "" for a well-formed delivery, else
// a reason code the chains page translates: no_participant, several_participants,
// no_quantity, not_kilograms, bad_time.
struct EventDelivery {
  std::string contract;             // the contract code the event names
  std::string participant;          // the producer's external id, "" when none
  double quantity_kg = 0;           // the sum of the quantityList's KGM entries
  std::optional<CivilDate> date;    // local date of eventTime
  std::string problem;
};

// True when `step` is the CBV business step `word` in any of its spellings: the bare
// word, https://ref.gs1.org/cbv/BizStep-<word>, urn:epcglobal:cbv:bizstep:<word>.
bool is_biz_step(const std::string& step, const std::string& word);

// nullopt when the event is no delivery candidate: not a receiving ObjectEvent nor a
// TransactionEvent with action ADD, or naming no contract. A candidate that names
// several contracts is read against the first one.
std::optional<EventDelivery> delivery_of_event(const nlohmann::json& event);

// The local calendar date of an EPCIS eventTime ("…T…±hh:mm" or "…Z") in the zone
// `offset` ("±hh:mm"; "" = the eventTime's own offset). nullopt when unreadable.
std::optional<CivilDate> local_event_date(const std::string& event_time, const std::string& offset);

}  // namespace nongsan::chains
