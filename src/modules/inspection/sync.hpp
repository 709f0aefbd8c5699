// The rules of the device sync (docs/inspection.md, "Inspections and sync"): what an
// item a device sends must hold, field by field, and the check of a photo (its bytes
// are the image its mime type says, within the size limit). Pure: no storage, no
// permission — inspection_service.cpp applies the items one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/inspection/inspection_records.hpp"

namespace nongsan::inspection {

// The largest photo accepted, decoded (the sync contract).
inline constexpr std::size_t kMaxPhotoBytes = 8u * 1024u * 1024u;

// ISO 8601 with a date and a time, UTC ("Z") or an offset: 2026-03-01T08:15:00Z,
// 2026-03-01T08:15:00.123+07:00.
bool is_iso_time(std::string_view s);

// The image type of `bytes` from their first bytes (JPEG, PNG, WebP), or "".
std::string sniff_image_mime(const std::vector<std::uint8_t>& bytes);

// The fields an inspection item may change; only those present are set.
struct InspectionFields {
  std::optional<std::string> status;
  std::optional<nlohmann::json> answers;
  std::optional<std::string> notes;
  std::optional<std::string> parcel;  // "" = none
  std::optional<std::string> measured_geojson;  // "" = none; else a GeoJSON geometry text
  std::optional<std::optional<double>> measured_area_m2;
  std::optional<std::string> measure_method;
  std::optional<std::string> opened_at, closed_at;
};
// `path` prefixes the field names in errors ("fields").
Result<InspectionFields> parse_inspection_fields(const nlohmann::json& fields, const std::string& path);

// A finding item's fields (client_id and inspection come from the item).
Result<FindingRecord> parse_finding_fields(const nlohmann::json& fields, const std::string& path);

// A photo item: client_id, taken_at, lon, lat, accuracy_m, mime, data_base64 — the
// bytes decoded, their type checked against `mime`, their SHA-256 computed.
Result<PhotoRecord> parse_photo_item(const nlohmann::json& item);

// Text of an item's string member, "" when absent or not a string.
std::string item_text(const nlohmann::json& item, const char* key);

}  // namespace nongsan::inspection
