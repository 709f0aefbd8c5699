// The records of inspections in the field: inspections, their photos, findings and
// decisions, and the log of what devices synced (tables of migration 0020). SQL lives
// here only; the rules are in sync.hpp and decision.hpp, permission and scope in
// inspection_service.hpp. Must not depend on api, cli or the other modules' services.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "storage/database.hpp"

namespace nongsan::inspection {

struct InspectionRecord {
  std::int64_t id = 0;
  std::string code;
  std::optional<std::int64_t> plan_entry_id;
  std::string subject_kind, subject_ref, checklist_kind;
  std::optional<UnitId> unit;
  std::optional<std::int64_t> inspector_id;
  std::string inspector;  // the login, "" when not assigned
  std::string status = "assigned";
  std::string answers = "{}";  // JSON text
  std::string notes;
  std::optional<std::int64_t> parcel_id;
  std::string parcel;  // the parcel's external id
  std::string measured_geojson;
  std::optional<double> measured_area_m2;
  std::string measure_method;
  std::string opened_at, closed_at;
  std::int64_t version = 1;
  bool illustrative = false;
  std::string created_at, updated_at, updated_by;
};

struct FindingRecord {
  std::int64_t id = 0;
  std::int64_t inspection_id = 0;
  std::string inspection_code;
  std::string client_id, kind, subject_kind, subject_ref;
  std::string severity = "minor";
  std::string detail;
  std::optional<double> measured_area_m2;
  std::string status = "open";
  std::string recorded_at, created_at;
};

struct PhotoRecord {
  std::int64_t id = 0;
  std::int64_t inspection_id = 0;
  std::string client_id, taken_at;
  std::optional<double> lon, lat, accuracy_m;
  std::string mime, sha256;
  std::vector<std::uint8_t> data;  // filled only when asked for
  std::string created_at;
};

struct DecisionRecord {
  std::int64_t id = 0;
  std::int64_t finding_id = 0;
  std::string action, target_ref;
  std::optional<double> amount;
  std::optional<std::int64_t> stars;
  std::string decision_no, reason, result_ref, decided_by, decided_at;
};

struct SyncRecord {
  std::int64_t id = 0;
  std::string device_id, user_login;
  std::optional<std::int64_t> inspection_id;
  std::string item_kind, client_id, device_time, server_time, outcome;
  std::string detail = "{}";
};

struct InspectionFilter {
  std::optional<std::string> status;
  std::optional<std::int64_t> inspector_id;  // only this inspector's
  std::string subject_kind, subject_ref;
};

class InspectionRecords {
 public:
  static std::optional<InspectionRecord> find(storage::Connection& c, const std::string& code);
  static std::optional<InspectionRecord> find(storage::Connection& c, std::int64_t id);
  static std::vector<InspectionRecord> list(storage::Connection& c, const InspectionFilter& f);
  static std::int64_t insert(storage::Connection& c, const InspectionRecord& r);
  // Writes every field and sets version = r.version (the caller increments it).
  static void update(storage::Connection& c, const InspectionRecord& r);
  // The next free code "INS-<year>-NNNN".
  static std::string next_code(storage::Connection& c, int year);

  static std::vector<FindingRecord> findings(storage::Connection& c, std::int64_t inspection_id);
  static std::optional<FindingRecord> finding(storage::Connection& c, std::int64_t id);
  static std::optional<FindingRecord> finding_by_client_id(storage::Connection& c, const std::string& client_id);
  static std::int64_t insert_finding(storage::Connection& c, const FindingRecord& f);
  static void set_finding_status(storage::Connection& c, std::int64_t id, const std::string& status);

  static std::vector<PhotoRecord> photos(storage::Connection& c, std::int64_t inspection_id);
  static std::optional<PhotoRecord> photo_by_client_id(storage::Connection& c, const std::string& client_id,
                                                       bool with_data);
  static std::int64_t insert_photo(storage::Connection& c, const PhotoRecord& p);

  static std::vector<DecisionRecord> decisions(storage::Connection& c, std::int64_t finding_id);
  // Decisions whose target is `target_ref` (what a target record shows).
  static std::vector<DecisionRecord> decisions_on(storage::Connection& c, const std::string& target_ref);
  static std::int64_t insert_decision(storage::Connection& c, const DecisionRecord& d);

  static void insert_sync(storage::Connection& c, const SyncRecord& s);
  static std::vector<SyncRecord> sync_log(storage::Connection& c, std::int64_t inspection_id);
};

}  // namespace nongsan::inspection
