// The EPCIS 2.0 REST binding (GS1 EPCIS 2.0 §12, its OpenAPI; docs/epcis.md): capture
// of EPCIS documents with the capture job resource, and the events query with the
// standard's SimpleEventQuery parameters, paged with nextPageToken and a Link header.
// Outside /api/v1 as the standard names them; errors as RFC 7807 problem details with
// the EPCIS exception types (Route::problems). Only HTTP here: the rules and the
// parameter parsing are the epcis module's (EpcisService, parse_event_filter).
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "modules/epcis/event_index.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

// The EPCIS 2.0 exception types (the standard's OpenAPI, "epcisException:…").
Route::ProblemTypes epcis_problems(const std::string& invalid) {
  return {.prefix = "epcisException:",
          .invalid = invalid,
          .unauthenticated = "SecurityException",
          .forbidden = "SecurityException",
          .not_found = "NoSuchResourceException",
          .other = "ImplementationException"};
}

// Percent-encodes a query component (RFC 3986 unreserved characters kept).
std::string encode_component(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Response capture(RequestContext& ctx) {
  auto job = ctx.services.epcis.submit(ctx.actor, ctx.body, "api");
  if (!job) return error_response(job.error(), ctx.request.request_id);
  Response r = json_response(202, epcis::EpcisService::job_json(*job));
  r.headers.emplace_back("Location", "/epcis/capture/" + job->capture_id);
  return r;
}

Response capture_job(RequestContext& ctx) {
  auto job = ctx.services.epcis.capture_job(ctx.actor, ctx.path_params.at("captureID"));
  if (!job) return error_response(job.error(), ctx.request.request_id);
  return json_response(200, epcis::EpcisService::job_json(*job));
}

Response capture_jobs(RequestContext& ctx) {
  auto jobs = ctx.services.epcis.capture_jobs(ctx.actor, ctx.query_int("perPage").value_or(100));
  if (!jobs) return error_response(jobs.error(), ctx.request.request_id);
  json list = json::array();
  for (const auto& j : *jobs) list.push_back(epcis::EpcisService::job_json(j));
  return json_response(200, list);
}

Response events(RequestContext& ctx) {
  auto filter = epcis::parse_event_filter(ctx.request.query);
  if (!filter) return error_response(filter.error(), ctx.request.request_id);
  auto page = ctx.services.epcis.query(ctx.actor, *filter);
  if (!page) return error_response(page.error(), ctx.request.request_id);
  Response r = json_response(200, epcis::EpcisService::query_document(*page));
  r.content_type = "application/ld+json";
  if (!page->next_page_token.empty()) {
    // The same query with the next page's token (EPCIS 2.0 §12.6: Link rel="next").
    std::string next = "/epcis/events?";
    for (const auto& [k, v] : ctx.request.query)
      if (k != "nextPageToken") next += encode_component(k) + "=" + encode_component(v) + "&";
    next += "nextPageToken=" + encode_component(page->next_page_token);
    r.headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
  }
  return r;
}

}  // namespace

std::vector<Route> epcis_routes() {
  using F = FieldType;
  const std::vector<std::string> kDocument = {"application/ld+json", "application/json"};
  std::vector<ParamSpec> query = {
      {"eventType", F::string, "ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent or "
                               "AssociationEvent (several with |)", {}, std::nullopt},
      {"GE_eventTime", F::string, "events at or after this time (ISO 8601 with a time zone)", {}, std::nullopt},
      {"LT_eventTime", F::string, "events before this time", {}, std::nullopt},
      {"GE_recordTime", F::string, "recorded at or after this time", {}, std::nullopt},
      {"LT_recordTime", F::string, "recorded before this time", {}, std::nullopt},
      {"perPage", F::integer, "events per page", {}, NumberRange::int32(1, 10000)},
      {"nextPageToken", F::string, "the token of the Link rel=\"next\" of the previous page", {}, std::nullopt},
      {"orderBy", F::string, "eventTime (the only order)", {"eventTime"}, std::nullopt},
      {"orderDirection", F::string, "ASC (default) or DESC", {"ASC", "DESC"}, std::nullopt},
      {"maxEventCount", F::integer, "refuse the query when more events match", {}, NumberRange::int32(1, 1000000000)},
      {"eventCountLimit", F::integer, "at most this many events", {}, NumberRange::int32(1, 1000000000)},
  };
  return {
      {.method = "POST", .path = "/epcis/capture", .permission = Permission::epcis_capture, .tag = "epcis",
       .summary = "Capture an EPCISDocument (application/ld+json or application/json), all or nothing: 202 with "
                  "Location: /epcis/capture/{captureID}, the capture job (success, or the errors and nothing stored)",
       .success_status = 202, .handler = capture, .response = Schema::ref("EpcisCaptureJob"),
       .document_media_types = kDocument, .problems = epcis_problems("ValidationException")},
      {.method = "GET", .path = "/epcis/capture", .permission = Permission::epcis_capture, .tag = "epcis",
       .summary = "The latest capture jobs, newest first",
       .query = {{"perPage", F::integer, "jobs to list", {}, NumberRange::int32(1, 1000)}},
       .handler = capture_jobs, .response = Schema::array(Schema::ref("EpcisCaptureJob")),
       .problems = epcis_problems("QueryParameterException")},
      {.method = "GET", .path = "/epcis/capture/{captureID}", .permission = Permission::epcis_capture,
       .tag = "epcis", .summary = "A capture job: running, success, and the problems of a refused document",
       .handler = capture_job, .response = Schema::ref("EpcisCaptureJob"),
       .problems = epcis_problems("QueryParameterException")},
      {.method = "GET", .path = "/epcis/events", .permission = Permission::epcis_read, .tag = "epcis",
       .summary = "Events matching the SimpleEventQuery parameters (also EQ_bizStep, EQ_disposition, EQ_action, "
                  "EQ_readPoint, EQ_bizLocation, MATCH_epc, MATCH_anyEPC, MATCH_epcClass, "
                  "EQ_bizTransaction_TYPE, EQ_source_TYPE, EQ_destination_TYPE, EQ_ plus a field IRI, "
                  "EQ_ILMD_ plus a field IRI; docs/epcis.md), as an EPCISQueryDocument; the next page in Link rel=\"next\"",
       .query = query, .handler = events, .response = Schema::ref("EPCISQueryDocument").media_type("application/ld+json"),
       .open_query_prefixes = {"EQ_", "MATCH_", "GE_", "LT_", "GT_", "LE_", "EXISTS_"},
       .problems = epcis_problems("QueryParameterException")},
  };
}

}  // namespace nongsan::api
