// Messages in the reader's language. Code writes every error message in English
// (Error::invalid("no user with id " + id) …); the two edges — the API's error
// responses and the CLI's error printer — translate the Error they are about to
// show. Vietnamese is the default; English is chosen by Accept-Language (API) or
// --lang / NONGSAN_LANG / the locale (CLI).
//
// The translations are data: src/core/messages/vi.json, embedded in the binary,
// keyed by the English text with numbered placeholders for the variable parts:
//   "no user with id {1}": "không tìm thấy người dùng có mã {1}"
// A message matches a key when the key's literal text surrounds the variable parts;
// the most specific key wins (the most literal characters). The variable parts are
// translated too when they are themselves messages ("{1} is not valid JSON at {2}"
// with {2} = "line 3, column 14"). A message with no entry stays in English, and a
// test (tests/core/messages_test.cpp) fails when a message literal in src/ has none.
// Field names (JSON keys) are never translated; a field that is a place in a file
// ("line 12, column code") is, by the "fields" section of the catalogue.
// Depends on nlohmann-json (the catalogue) and the standard library.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace nongsan {

enum class Language { vi, en };

std::string_view to_string(Language lang);
// "vi", "vi-VN", "en", "en-US", "EN_gb.UTF-8" (a locale); nullopt for anything else.
std::optional<Language> parse_language(std::string_view text);
// The language an Accept-Language header asks for (RFC 9110 §12.5.4: q-values, the
// first of the highest); Vietnamese when it names neither Vietnamese nor English.
Language language_from_accept(std::string_view header);

class MessageCatalogue {
 public:
  // `document`: {"messages": {english: vietnamese}, "fields": {english: vietnamese}}.
  // Errors name the key whose placeholders do not match.
  static Result<MessageCatalogue> parse(std::string_view document);
  // The catalogue embedded in the binary (src/core/messages/vi.json).
  static const MessageCatalogue& embedded();

  std::string translate(std::string_view english, Language lang) const;
  std::string translate_field(std::string_view field, Language lang) const;
  Error translate(const Error& e, Language lang) const;

  // The key a message matches, if any (for tests and tools).
  std::optional<std::string> key_for(std::string_view english) const;
  // Every key of the messages section.
  std::vector<std::string> keys() const;

  struct Template;  // compiled key: literal parts and placeholder numbers

 private:
  std::string apply(const std::vector<std::shared_ptr<const Template>>& section, std::string_view text,
                    int depth, bool translate_parts) const;
  std::vector<std::shared_ptr<const Template>> messages_;
  std::vector<std::shared_ptr<const Template>> fields_;
};

// The embedded catalogue applied to one message or one error.
std::string translate_message(std::string_view english, Language lang);
Error translate_error(const Error& e, Language lang);

}  // namespace nongsan
