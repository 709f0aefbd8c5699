// Storage of EPCIS events and capture jobs: static functions over storage::Connection&
// in the SQL both backends accept. No rules here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/epcis/epcis_types.hpp"
#include "storage/database.hpp"

namespace nongsan::epcis {

class EpcisRepository {
 public:
  static bool event_exists(storage::Connection& c, const std::string& hash);
  // Records an error declaration (EPCIS 2.0 §7.4.1.2) on the stored event of `hash`: the
  // hash leaves errorDeclaration out, so the declared event is the stored one. False when
  // it already carries one (the first declaration stands).
  static bool declare_error(storage::Connection& c, const std::string& hash, const nlohmann::json& declaration);
  static void insert_event(storage::Connection& c, const EventIndex& ix, std::int64_t capture,
                           const std::string& record_time, const std::string& document);
  // Events matching `f`, ordered by (event_time, id), at most `limit` after f.after.
  static std::vector<StoredEvent> events(storage::Connection& c, const EventFilter& f, std::int64_t limit);

  static std::int64_t insert_capture(storage::Connection& c, const CaptureJob& j);
  static void finish_capture(storage::Connection& c, const CaptureJob& j);
  static std::optional<CaptureJob> capture(storage::Connection& c, const std::string& capture_id);
  // The latest jobs, newest first.
  static std::vector<CaptureJob> captures(storage::Connection& c, std::int64_t limit);
};

}  // namespace nongsan::epcis
