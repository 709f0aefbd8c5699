// EPCIS repository types: what is indexed of an event, the standard's query filters
// (EPCIS 2.0 §8.2.7.1 SimpleEventQuery parameters), capture jobs. Pure data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::epcis {

// What the queries filter on, in the hash's canonical forms.
struct EventIndex {
  std::string hash, event_id, type, event_time, time_zone_offset, action, biz_step, disposition, read_point,
      biz_location, transformation_id;
  struct Epc {
    std::string role, epc, base;
  };
  std::vector<Epc> epcs;
  std::vector<std::tuple<std::string, std::string, std::string>> refs;    // (kind, type, value)
  std::vector<std::tuple<std::string, std::string, std::string>> fields;  // (scope, name IRI, value)
};

// The SimpleEventQuery parameters supported (docs/epcis.md "Query parameters").
struct EventFilter {
  std::vector<std::string> event_types;
  std::optional<std::string> ge_event_time, lt_event_time, ge_record_time, lt_record_time;  // canonical UTC
  std::vector<std::string> actions, biz_steps, dispositions, read_points, biz_locations, transformation_ids,
      event_ids;
  // One MATCH_ parameter: the roles it looks in and the values (canonical), any of which matches.
  struct Match {
    std::vector<std::string> roles;
    std::vector<std::string> values;
  };
  std::vector<Match> matches;
  struct Ref {
    std::string kind, type;  // type "" = any type
    std::vector<std::string> values;
  };
  std::vector<Ref> refs;
  struct Field {
    std::string scope, name;
    std::vector<std::string> values;
  };
  std::vector<Field> fields;
  bool descending = false;  // orderDirection DESC (order is by eventTime)
  std::int64_t per_page = 100;
  std::optional<std::int64_t> max_event_count;
  std::string after;  // the next page token: "<event_time>~<id>"
};

struct StoredEvent {
  std::int64_t id = 0;
  std::string hash, event_time, record_time;
  nlohmann::json document;
};

struct CaptureJob {
  std::int64_t id = 0;
  std::string capture_id, state, source, created_by, created_at;
  std::optional<std::string> finished_at;
  std::int64_t events = 0, captured = 0, already_present = 0;
  nlohmann::json errors = nlohmann::json::array();
};

}  // namespace nongsan::epcis
