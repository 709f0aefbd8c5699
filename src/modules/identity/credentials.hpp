// Secrets: password hashing (Argon2id through libsodium's crypto_pwhash_str),
// random tokens, token digests, and masking of personal identifiers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace nongsan::identity {

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view hash);
// Problems with a new password (empty when acceptable): at least 10 characters,
// not the username, not all one character.
std::vector<FieldError> password_problems(std::string_view password, std::string_view username,
                                          const std::string& field = "password");

// `bytes` random bytes, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
// A readable temporary password (for administrator resets).
std::string temporary_password();
// Hex BLAKE2b digest of a token (what is stored for sessions) or, with a key, the
// keyed digest used to find duplicate citizen ID numbers without reading them.
std::string digest_hex(std::string_view data, std::string_view key = {});
// Constant-time comparison.
bool equal_secrets(std::string_view a, std::string_view b);

// "0912345678" -> "*******678": only the last three characters are shown.
std::string mask(std::string_view value);

}  // namespace nongsan::identity
