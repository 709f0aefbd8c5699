#include "modules/inspection/sync.hpp"

#include <sodium.h>

#include <cmath>
#include <regex>

#include "modules/files/stored_file.hpp"

namespace nongsan::inspection {

using nlohmann::json;

namespace {

const std::vector<std::string> kStatuses = {"assigned", "open", "closed"};
const std::vector<std::string> kMethods = {"", "walked", "drawn"};
const std::vector<std::string> kSeverities = {"minor", "serious"};
const std::vector<std::string> kSubjectKinds = {"applicant", "parcel", "area_code", "ocop_product", "facility",
                                                "application"};

bool one_of(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// A string member of at most `max` bytes; errors name the field.
std::optional<std::string> string_member(const json& j, const char* key, const std::string& path, std::size_t max,
                                         std::vector<FieldError>& errors) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  const std::string field = path.empty() ? key : path + "." + key;
  if (it->is_null()) return std::string();
  if (!it->is_string()) {
    errors.push_back({field, "must be a text"});
    return std::nullopt;
  }
  std::string s = it->get<std::string>();
  if (s.size() > max) {
    errors.push_back({field, "is too long"});
    return std::nullopt;
  }
  return s;
}

std::optional<double> number_member(const json& j, const char* key, const std::string& field, double lo, double hi,
                                    std::vector<FieldError>& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < lo || it->get<double>() > hi) {
    errors.push_back({field, "must be a number from " + std::to_string(static_cast<long long>(lo)) + " to " +
                                 std::to_string(static_cast<long long>(hi))});
    return std::nullopt;
  }
  return it->get<double>();
}

std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

}  // namespace

bool is_iso_time(std::string_view s) {
  static const std::regex re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$)");
  return s.size() <= 40 && std::regex_match(s.begin(), s.end(), re);
}

std::string sniff_image_mime(const std::vector<std::uint8_t>& b) {
  std::string type = files::sniff_media_type(b);  // the one reading of a file's type
  return type.rfind("image/", 0) == 0 ? type : std::string();
}

std::string item_text(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<InspectionFields> parse_inspection_fields(const json& fields, const std::string& path) {
  if (!fields.is_object()) return Error::invalid("invalid inspection item", {{path, "must be an object"}});
  static const std::vector<std::string> known = {"status",           "answers",          "notes",
                                                 "parcel",           "measured_geojson", "measured_area_m2",
                                                 "measure_method",   "opened_at",        "closed_at"};
  std::vector<FieldError> errors;
  for (const auto& [k, v] : fields.items())
    if (!one_of(known, k)) errors.push_back({join(path, k.c_str()), "is not a field of an inspection"});
  InspectionFields f;
  f.status = string_member(fields, "status", path, 16, errors);
  if (f.status && !one_of(kStatuses, *f.status)) {
    errors.push_back({join(path, "status"), "must be assigned, open or closed"});
    f.status.reset();
  }
  if (fields.contains("answers")) {
    if (!fields["answers"].is_object()) errors.push_back({join(path, "answers"), "must be an object"});
    else f.answers = fields["answers"];
  }
  f.notes = string_member(fields, "notes", path, 10000, errors);
  f.parcel = string_member(fields, "parcel", path, 100, errors);
  if (fields.contains("measured_geojson")) {
    const json& g = fields["measured_geojson"];
    if (g.is_null() || (g.is_string() && g.get<std::string>().empty())) f.measured_geojson = std::string();
    else if (g.is_object()) f.measured_geojson = g.dump();
    else if (g.is_string()) f.measured_geojson = g.get<std::string>();
    else errors.push_back({join(path, "measured_geojson"), "must be a GeoJSON geometry"});
    if (f.measured_geojson && f.measured_geojson->size() > 2'000'000)
      errors.push_back({join(path, "measured_geojson"), "is too long"});
  }
  if (fields.contains("measured_area_m2"))
    f.measured_area_m2 = number_member(fields, "measured_area_m2", join(path, "measured_area_m2"), 0, 1e9, errors);
  f.measure_method = string_member(fields, "measure_method", path, 16, errors);
  if (f.measure_method && !one_of(kMethods, *f.measure_method))
    errors.push_back({join(path, "measure_method"), "must be walked or drawn"});
  f.opened_at = string_member(fields, "opened_at", path, 40, errors);
  if (f.opened_at && !f.opened_at->empty() && !is_iso_time(*f.opened_at))
    errors.push_back({join(path, "opened_at"), "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"});
  f.closed_at = string_member(fields, "closed_at", path, 40, errors);
  if (f.closed_at && !f.closed_at->empty() && !is_iso_time(*f.closed_at))
    errors.push_back({join(path, "closed_at"), "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"});
  if (!errors.empty()) return Error::invalid("invalid inspection item", std::move(errors));
  return f;
}

Result<FindingRecord> parse_finding_fields(const json& fields, const std::string& path) {
  if (!fields.is_object()) return Error::invalid("invalid finding item", {{path, "must be an object"}});
  static const std::vector<std::string> known = {"kind",   "subject_kind", "subject_ref",     "severity",
                                                 "detail", "measured_area_m2", "recorded_at"};
  std::vector<FieldError> errors;
  for (const auto& [k, v] : fields.items())
    if (!one_of(known, k)) errors.push_back({join(path, k.c_str()), "is not a field of a finding"});
  FindingRecord f;
  f.kind = string_member(fields, "kind", path, 64, errors).value_or("");
  if (f.kind.empty()) errors.push_back({join(path, "kind"), "is required"});
  f.subject_kind = string_member(fields, "subject_kind", path, 32, errors).value_or("");
  if (!one_of(kSubjectKinds, f.subject_kind))
    errors.push_back({join(path, "subject_kind"),
                      "must be applicant, application, parcel, area_code, ocop_product or facility"});
  f.subject_ref = string_member(fields, "subject_ref", path, 100, errors).value_or("");
  if (f.subject_ref.empty()) errors.push_back({join(path, "subject_ref"), "is required"});
  f.severity = string_member(fields, "severity", path, 16, errors).value_or("minor");
  if (f.severity.empty()) f.severity = "minor";
  if (!one_of(kSeverities, f.severity)) errors.push_back({join(path, "severity"), "must be minor or serious"});
  f.detail = string_member(fields, "detail", path, 10000, errors).value_or("");
  f.measured_area_m2 = number_member(fields, "measured_area_m2", join(path, "measured_area_m2"), 0, 1e9, errors);
  f.recorded_at = string_member(fields, "recorded_at", path, 40, errors).value_or("");
  if (!is_iso_time(f.recorded_at))
    errors.push_back({join(path, "recorded_at"), "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"});
  if (!errors.empty()) return Error::invalid("invalid finding item", std::move(errors));
  return f;
}

Result<PhotoRecord> parse_photo_item(const json& item) {
  std::vector<FieldError> errors;
  PhotoRecord p;
  p.client_id = item_text(item, "client_id");
  p.taken_at = item_text(item, "taken_at");
  if (!is_iso_time(p.taken_at)) errors.push_back({"taken_at", "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"});
  p.lon = number_member(item, "lon", "lon", -180, 180, errors);
  p.lat = number_member(item, "lat", "lat", -90, 90, errors);
  p.accuracy_m = number_member(item, "accuracy_m", "accuracy_m", 0, 100000, errors);
  p.mime = item_text(item, "mime");
  if (p.mime != "image/jpeg" && p.mime != "image/png" && p.mime != "image/webp")
    errors.push_back({"mime", "must be image/jpeg, image/png or image/webp"});
  const std::string b64 = item_text(item, "data_base64");
  if (b64.empty()) errors.push_back({"data_base64", "is required"});
  else if (b64.size() / 4 * 3 > kMaxPhotoBytes + 3)
    errors.push_back({"data_base64", "the photo is larger than 8 MiB"});
  if (!errors.empty()) return Error::invalid("invalid photo item", std::move(errors));
  p.data.resize(b64.size() / 4 * 3 + 3);
  std::size_t len = 0;
  if (sodium_base642bin(p.data.data(), p.data.size(), b64.data(), b64.size(), "\n\r ", &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return Error::invalid("invalid photo item", {{"data_base64", "is not base64"}});
  p.data.resize(len);
  if (p.data.size() > kMaxPhotoBytes)
    return Error::invalid("invalid photo item", {{"data_base64", "the photo is larger than 8 MiB"}});
  const std::string actual = sniff_image_mime(p.data);
  if (actual != p.mime)
    return Error::invalid("invalid photo item",
                          {{"data_base64", actual.empty() ? "is not a JPEG, PNG or WebP image"
                                                          : "holds " + actual + ", not " + p.mime}});
  p.sha256 = files::sha256_hex(p.data);
  return p;
}

}  // namespace nongsan::inspection
