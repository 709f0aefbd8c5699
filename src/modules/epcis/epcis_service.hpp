// EPCIS 2.0 repository (docs/epcis.md): capture of EPCIS documents — validated against
// the EPCIS 2.0 JSON schema and the standard's rules, all or nothing, events immutable
// and identified by their CBV 2.0 event hash — and the SimpleEventQuery with paging. The
// CLI (nongsan epcis …), the REST binding (/epcis/…) and other modules (the diary's
// harvests and sprays) call this one service. Permissions epcis.read and epcis.capture.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/epcis/epcis_types.hpp"
#include "modules/epcis/validation.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::epcis {

struct QueryPage {
  std::vector<StoredEvent> events;
  std::string next_page_token;  // "" = last page
};

class EpcisService {
 public:
  explicit EpcisService(storage::Database& db);

  // Captures an EPCISDocument (or EPCISQueryDocument). The job is stored whatever
  // happens; an invalid document stores no event and answers invalid_input naming each
  // event (index and eventID) and problem, with the job's captureID in the message.
  // Events already stored (same hash) are counted in already_present and changed in
  // nothing.
  Result<CaptureJob> capture(const identity::Actor& a, const nlohmann::json& document, const std::string& source);
  // The capture as the REST binding runs it: the job whatever the document holds
  // (state "failed" with its errors and nothing stored, or "success"); an error only
  // when the actor may not capture.
  Result<CaptureJob> submit(const identity::Actor& a, const nlohmann::json& document, const std::string& source);
  // The latest capture jobs, newest first (at most `limit`).
  Result<std::vector<CaptureJob>> capture_jobs(const identity::Actor& a, std::int64_t limit);
  // The same for events built in C++ (e.g. from the farming diary): `context` is the
  // document @context to use (the EPCIS context URL is always included).
  Result<CaptureJob> capture_events(const identity::Actor& a, const std::vector<nlohmann::json>& events,
                                    const nlohmann::json& context, const std::string& source);
  // The same for events another module derives from a record the actor was allowed to
  // write (the diary's harvests and sprays): no epcis.capture permission asked, since the
  // event is a consequence of the entry, not a capture of the actor's own.
  Result<CaptureJob> capture_derived(const identity::Actor& a, const std::vector<nlohmann::json>& events,
                                     const nlohmann::json& context, const std::string& source);
  // A rule that needs stored records (e.g. "no shipping event for a held lot", which the
  // diary adds: docs/epcis.md "Held lots"). Run on every event of every capture after the
  // schema and the standard's rules; its problems refuse the whole document.
  using CaptureRule = std::function<std::vector<Problem>(const identity::Actor&, const nlohmann::json& event)>;
  void add_capture_rule(CaptureRule rule) { rules_.push_back(std::move(rule)); }

  // Another module told of every event a capture stores (e.g. the chains' deliveries
  // taken from receiving events): called after validation and the rules, inside the
  // capture's write transaction, once per newly stored event (not for events already
  // present), with the event as stored, its CBV 2.0 hash and the job's captureID. What it
  // writes is stored with the events or not at all; it must not refuse an event (the
  // EPCIS record stays the standard's), and an exception rolls the capture back.
  using CaptureListener = std::function<void(storage::Connection&, const identity::Actor&, const nlohmann::json& event,
                                             const std::string& hash, const std::string& capture_id)>;
  void add_capture_listener(CaptureListener listener) { listeners_.push_back(std::move(listener)); }

  // The capture job resource (EPCIS 2.0 REST binding, /capture/{captureID}).
  Result<CaptureJob> capture_job(const identity::Actor& a, const std::string& capture_id);

  // One page of events matching `f`, in eventTime order.
  Result<QueryPage> query(const identity::Actor& a, const EventFilter& f);
  // The EPCISQueryDocument of a page (each event with its own @context and recordTime).
  static nlohmann::json query_document(const QueryPage& page);
  // The capture job as the REST binding shows it.
  static nlohmann::json job_json(const CaptureJob& j);

 private:
  Result<CaptureJob> store(const identity::Actor& a, const nlohmann::json& document, const std::string& source);
  static nlohmann::json document_of(const std::vector<nlohmann::json>& events, const nlohmann::json& context);

  storage::Database& db_;
  std::vector<CaptureRule> rules_;
  std::vector<CaptureListener> listeners_;
};

}  // namespace nongsan::epcis
