// A file kept inside a record: what every upload route needs before the owning module
// stores it — the bytes from base64, the media type read from the bytes, the SHA-256,
// and a file name fit to store and to send back in a Content-Disposition. Pure: no
// storage, no HTTP; the owning module keeps the table, the size limit and the media
// types it accepts (its settings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::files {

// Standard base64 (RFC 4648 §4); line breaks and spaces are ignored. nullopt when the
// text is not base64.
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

// The media type the bytes are, from their first bytes: application/pdf, image/jpeg,
// image/png, image/webp; "" for anything else.
std::string sniff_media_type(const std::vector<std::uint8_t>& bytes);

// Lower-case hexadecimal SHA-256 of the bytes.
std::string sha256_hex(const std::vector<std::uint8_t>& bytes);

// The name as stored: the last path component (a browser may send C:\…\x.pdf), trimmed,
// without control characters; nullopt when nothing is left or it is over 255 bytes or
// not UTF-8.
std::optional<std::string> clean_file_name(std::string_view name);

struct Upload {
  std::string name;
  std::string media_type;  // as read from the bytes
  std::vector<std::uint8_t> bytes;
  std::string sha256;
};

// The limits the owning module applies (its settings).
struct UploadLimits {
  std::int64_t max_bytes = 0;
  std::vector<std::string> media_types;  // accepted, e.g. application/pdf, image/jpeg
};

// Reads an upload given as {name, media_type, content_base64} (the JSON object of an
// upload route): every problem names its field, prefixed by `field` ("file.name",
// "file.content_base64" …). The declared media type must be accepted and be what the
// bytes are.
Result<Upload> read_upload(const std::string& field, std::string_view name, std::string_view media_type,
                           std::string_view content_base64, const UploadLimits& limits);

}  // namespace nongsan::files
