#include "modules/epcis/epcis_service.hpp"

#include <chrono>
#include <cstdio>
#include <set>

#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/epcis/epcis_repository.hpp"
#include "modules/epcis/event_index.hpp"
#include "modules/epcis/validation.hpp"
#include "modules/identity/credentials.hpp"

namespace nongsan::epcis {
namespace {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

constexpr const char* kEpcisContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

// Now in UTC at millisecond precision, the form event times are stored in.
std::string now_ms() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

EpcisService::EpcisService(storage::Database& db) : db_(db) {}

Result<CaptureJob> EpcisService::capture(const identity::Actor& a, const json& document, const std::string& source) {
  auto job = submit(a, document, source);
  if (!job || job->state != "failed") return job;
  std::vector<FieldError> fields;
  for (const auto& p : job->errors) {
    std::string where = p["event"].is_number() ? "event " + std::to_string(p["event"].get<std::int64_t>()) : "document";
    if (!p.value("eventID", "").empty()) where += " (eventID " + p.value("eventID", "") + ")";
    fields.push_back({where + " " + p.value("path", ""), p.value("message", "")});
  }
  return Error::invalid("the EPCIS document was not captured (capture " + job->capture_id + "): " +
                            std::to_string(fields.size()) + " problem(s); nothing was stored",
                        std::move(fields));
}

Result<std::vector<CaptureJob>> EpcisService::capture_jobs(const identity::Actor& a, std::int64_t limit) {
  if (auto s = AccessPolicy::require(a, Permission::epcis_capture); !s) return s.error();
  return db_.read([&](storage::Connection& c) { return EpcisRepository::captures(c, limit); });
}

Result<CaptureJob> EpcisService::submit(const identity::Actor& a, const json& document, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::epcis_capture); !s) return s.error();
  return store(a, document, source);
}

Result<CaptureJob> EpcisService::store(const identity::Actor& a, const json& document, const std::string& source) {
  CaptureJob job;
  job.capture_id = identity::random_token(12);
  job.state = "running";
  job.source = source;
  job.created_by = a.name;
  job.created_at = now_ms();
  job.id = db_.write([&](storage::Connection& c) { return EpcisRepository::insert_capture(c, job); });

  auto problems = validate_document(document);
  const json* events = document_events(document);
  job.events = events ? static_cast<std::int64_t>(events->size()) : 0;
  if (problems.empty() && events != nullptr)
    for (std::size_t i = 0; i < events->size(); ++i)
      for (const auto& rule : rules_)
        for (auto p : rule(a, (*events)[i])) {
          p.event = i;
          const auto& ev = (*events)[i];
          if (ev.contains("eventID") && ev["eventID"].is_string()) p.event_id = ev["eventID"].get<std::string>();
          problems.push_back(std::move(p));
        }
  if (!problems.empty() || events == nullptr) {
    job.state = "failed";
    job.finished_at = now_ms();
    for (const auto& p : problems)
      job.errors.push_back({{"event", p.event ? json(*p.event) : json(nullptr)},
                            {"eventID", p.event_id},
                            {"path", p.path},
                            {"message", p.message}});
    db_.write([&](storage::Connection& c) { EpcisRepository::finish_capture(c, job); });
    return job;
  }

  const HashContext ctx = hash_context(document);
  const std::string record_time = now_ms();
  auto stored = db_.write([&](storage::Connection& c) -> Result<CaptureJob> {
    std::set<std::string> seen;
    for (const auto& ev : *events) {
      EventIndex ix = index_event(ev, ctx);
      if (seen.count(ix.hash) || EpcisRepository::event_exists(c, ix.hash)) {
        // An error declaration of a stored event is recorded on it (EPCIS 2.0 §7.4.1.2).
        if (ev.contains("errorDeclaration") && ev["errorDeclaration"].is_object())
          EpcisRepository::declare_error(c, ix.hash, ev["errorDeclaration"]);
        ++job.already_present;
        continue;
      }
      seen.insert(ix.hash);
      // The event keeps the context of its document, so that it hashes alike on its own.
      json kept = ev;
      if (!kept.contains("@context") && document.contains("@context")) kept["@context"] = document["@context"];
      kept.erase("recordTime");  // the repository's, given back by queries
      EpcisRepository::insert_event(c, ix, job.id, record_time, kept.dump());
      for (const auto& listener : listeners_) listener(c, a, kept, ix.hash, job.capture_id);
      ++job.captured;
    }
    job.state = "success";
    job.finished_at = now_ms();
    EpcisRepository::finish_capture(c, job);
    audit::record(c, a, "epcis.capture", "epcis_capture", job.capture_id, std::nullopt, std::nullopt,
                  json{{"source", source}, {"events", job.events}, {"captured", job.captured},
                       {"already_present", job.already_present}});
    return job;
  });
  return stored;
}

json EpcisService::document_of(const std::vector<json>& events, const json& context) {
  json ctx = json::array({kEpcisContext});
  if (context.is_array()) {
    for (const auto& c : context)
      if (c != json(kEpcisContext)) ctx.push_back(c);
  } else if (context.is_object() && !context.empty()) {
    ctx.push_back(context);
  }
  json doc = {{"@context", ctx},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", now_ms()},
              {"epcisBody", {{"eventList", events}}}};
  return doc;
}

Result<CaptureJob> EpcisService::capture_events(const identity::Actor& a, const std::vector<json>& events,
                                                const json& context, const std::string& source) {
  return capture(a, document_of(events, context), source);
}

Result<CaptureJob> EpcisService::capture_derived(const identity::Actor& a, const std::vector<json>& events,
                                                 const json& context, const std::string& source) {
  return store(a, document_of(events, context), source);
}

Result<CaptureJob> EpcisService::capture_job(const identity::Actor& a, const std::string& capture_id) {
  if (auto s = AccessPolicy::require(a, Permission::epcis_capture); !s) return s.error();
  auto j = db_.read([&](storage::Connection& c) { return EpcisRepository::capture(c, capture_id); });
  if (!j) return Error::not_found("no such capture job: " + capture_id);
  return *j;
}

Result<QueryPage> EpcisService::query(const identity::Actor& a, const EventFilter& f) {
  if (auto s = AccessPolicy::require(a, Permission::epcis_read); !s) return s.error();
  std::int64_t limit = f.per_page;
  QueryPage page;
  page.events = db_.read([&](storage::Connection& c) { return EpcisRepository::events(c, f, limit + 1); });
  if (f.max_event_count && f.after.empty() && static_cast<std::int64_t>(page.events.size()) > *f.max_event_count &&
      *f.max_event_count < limit)
    return Error::invalid("the query matches more events than maxEventCount",
                          {{"maxEventCount", "more than " + std::to_string(*f.max_event_count) + " events match"}});
  if (static_cast<std::int64_t>(page.events.size()) > limit) {
    page.events.resize(static_cast<std::size_t>(limit));
    const auto& last = page.events.back();
    page.next_page_token = last.event_time + "~" + std::to_string(last.id);
  }
  return page;
}

json EpcisService::query_document(const QueryPage& page) {
  json list = json::array();
  for (const auto& e : page.events) {
    json ev = e.document;
    ev["recordTime"] = e.record_time;
    list.push_back(std::move(ev));
  }
  return {{"@context", json::array({kEpcisContext})},
          {"type", "EPCISQueryDocument"},
          {"schemaVersion", "2.0"},
          {"creationDate", now_ms()},
          {"epcisBody", {{"queryResults", {{"queryName", "SimpleEventQuery"}, {"resultsBody", {{"eventList", list}}}}}}}};
}

json EpcisService::job_json(const CaptureJob& j) {
  return {{"captureID", j.capture_id},
          {"createdAt", j.created_at},
          {"finishedAt", j.finished_at ? json(*j.finished_at) : json(nullptr)},
          {"running", j.state == "running"},
          {"success", j.state == "success"},
          {"captureErrorBehaviour", "rollback"},
          {"events", j.events},
          {"captured", j.captured},
          {"alreadyPresent", j.already_present},
          {"errors", j.errors}};
}

}  // namespace nongsan::epcis
