#include "modules/files/stored_file.hpp"

#include <algorithm>

#include <sodium.h>

#include "core/text.hpp"

namespace nongsan::files {

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
  std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), "\n\r \t", &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  if (end != text.data() + text.size()) return std::nullopt;  // trailing text that is not base64
  out.resize(len);
  return out;
}

std::string sniff_media_type(const std::vector<std::uint8_t>& b) {
  if (b.size() >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') return "application/pdf";
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
  static const std::uint8_t png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (b.size() >= 8 && std::equal(png, png + 8, b.begin())) return "image/png";
  if (b.size() >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' &&
      b[10] == 'B' && b[11] == 'P')
    return "image/webp";
  return "";
}

std::string sha256_hex(const std::vector<std::uint8_t>& bytes) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, bytes.data(), bytes.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : hash) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

std::optional<std::string> clean_file_name(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name = name.substr(slash + 1);
  if (!is_valid_utf8(name)) return std::nullopt;
  std::string out;
  for (char ch : name)
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F) out += ch;
  out = std::string(trim(out));
  if (out.empty() || out == "." || out == ".." || out.size() > 255) return std::nullopt;
  return out;
}

Result<Upload> read_upload(const std::string& field, std::string_view name, std::string_view media_type,
                           std::string_view content_base64, const UploadLimits& limits) {
  std::vector<FieldError> errors;
  Upload u;
  if (auto n = clean_file_name(name)) u.name = *n;
  else errors.push_back({field + ".name", "must be a file name of 1 to 255 bytes"});
  std::string accepted;
  for (const auto& m : limits.media_types) accepted += (accepted.empty() ? "" : ", ") + m;
  if (std::find(limits.media_types.begin(), limits.media_types.end(), media_type) == limits.media_types.end())
    errors.push_back({field + ".media_type", "must be one of: " + accepted});
  if (content_base64.empty()) errors.push_back({field + ".content_base64", "is required"});
  else if (static_cast<std::int64_t>(content_base64.size() / 4 * 3) > limits.max_bytes + 3)
    errors.push_back({field + ".content_base64", "the file is larger than " + std::to_string(limits.max_bytes) + " bytes"});
  if (!errors.empty()) return Error::invalid("the file was not stored", std::move(errors));
  auto bytes = decode_base64(content_base64);
  if (!bytes) return Error::invalid("the file was not stored", {{field + ".content_base64", "is not base64"}});
  if (static_cast<std::int64_t>(bytes->size()) > limits.max_bytes)
    return Error::invalid("the file was not stored",
                          {{field + ".content_base64", "the file is larger than " + std::to_string(limits.max_bytes) + " bytes"}});
  if (bytes->empty()) return Error::invalid("the file was not stored", {{field + ".content_base64", "is required"}});
  const std::string actual = sniff_media_type(*bytes);
  if (actual != media_type)
    return Error::invalid("the file was not stored",
                          {{field + ".content_base64", actual.empty() ? "is not a file of an accepted type (" + accepted + ")"
                                                                      : "holds " + actual + ", not " + std::string(media_type)}});
  u.media_type = actual;
  u.sha256 = sha256_hex(*bytes);
  u.bytes = std::move(*bytes);
  return u;
}

}  // namespace nongsan::files
