#include "modules/identity/credentials.hpp"

#include <sodium.h>

#include <stdexcept>

namespace nongsan::identity {

namespace {
void init_sodium() {
  static const int ok = sodium_init();
  if (ok < 0) throw std::runtime_error("libsodium failed to initialise");
}
}  // namespace

std::string hash_password(std::string_view password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  // OWASP-style interactive limits: ~64 MiB and a few passes; Argon2id is the default
  // algorithm of crypto_pwhash_str.
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view password, std::string_view hash) {
  init_sodium();
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::vector<FieldError> password_problems(std::string_view pw, std::string_view username, const std::string& field) {
  std::vector<FieldError> out;
  if (pw.size() < 10) out.push_back({field, "must be at least 10 characters"});
  else if (pw == username) out.push_back({field, "must not be the username"});
  else if (pw.find_first_not_of(pw[0]) == std::string_view::npos) out.push_back({field, "must not repeat one character"});
  if (pw.size() > 256) out.push_back({field, "must be at most 256 characters"});
  return out;
}

std::string random_token(std::size_t bytes) {
  init_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string temporary_password() {
  init_sodium();
  // No look-alike characters (0/O, 1/l/I) so it can be read out over the phone.
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 14; ++i) {
    if (i == 7) out += '-';
    out += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return out;
}

std::string digest_hex(std::string_view data, std::string_view key) {
  init_sodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

bool equal_secrets(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  init_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string mask(std::string_view v) {
  if (v.empty()) return "";
  // Count UTF-8 code points so that masking never splits a character.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < v.size(); ++i)
    if ((static_cast<unsigned char>(v[i]) & 0xC0) != 0x80) starts.push_back(i);
  std::size_t keep = starts.size() > 6 ? 3 : (starts.size() > 3 ? 2 : 0);
  std::size_t hidden = starts.size() - keep;
  std::string out(hidden, '*');
  if (keep) out += std::string(v.substr(starts[hidden]));
  return out;
}

}  // namespace nongsan::identity
