// GS1 identification keys: check digits (GTIN-8/12/13/14, GLN, SSCC and the other keys
// of the GS1 General Specifications §7.9), GS1 Digital Link URIs (GS1 Digital Link
// standard 1.2: parse, build, percent-encoding of Table 7-1), and EPC URNs (EPC Tag
// Data Standard 2.0 §6–§8) converted to the canonical Digital Link URI that the CBV 2.0
// event hash uses. Pure: no I/O, no storage, no JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nongsan::epcis::gs1 {

// The GS1 mod-10 check digit of `digits` (the key without its check digit); -1 when
// `digits` is empty or holds anything but 0–9.
int check_digit(std::string_view digits);
// `key` (check digit last) has only digits and a correct check digit.
bool check_digit_ok(std::string_view key);
// `digits` followed by its check digit ("" when `digits` is not all digits).
std::string with_check_digit(std::string_view digits);

// GTIN-8, -12, -13 or -14 with a correct check digit, as 14 digits (left-padded with
// zeros); nullopt otherwise.
std::optional<std::string> gtin14(std::string_view gtin);
bool valid_gtin(std::string_view gtin);
bool valid_gln(std::string_view gln);    // 13 digits, check digit
bool valid_sscc(std::string_view sscc);  // 18 digits, check digit

// Percent-encoding of a Digital Link path value (GS1 Digital Link 1.2 Table 7-1: every
// character outside the unreserved set is encoded; '%' of an existing escape is kept when
// `keep_escapes`, which is how EPC URNs carry them).
std::string dl_encode(std::string_view value, bool keep_escapes = false);
// Decodes %XX; nullopt on a malformed escape.
std::optional<std::string> dl_decode(std::string_view value);

// A Digital Link URI split into its primary key and qualifiers, values decoded.
struct DigitalLink {
  std::string domain = "https://id.gs1.org";  // scheme and host, no trailing '/'
  std::string key_ai;                         // "01", "00", "414", "8004" …
  std::string key;                            // the key's value
  std::vector<std::pair<std::string, std::string>> qualifiers;  // ("10", lot), ("21", serial), ("254", ext) …
  std::string query;                          // after '?', kept as given
};
// Parses any http(s) Digital Link URI (AIs or the short names gtin, lot, ser, gln, sscc …);
// nullopt when the path holds no GS1 primary key. A GTIN is returned as 14 digits.
std::optional<DigitalLink> parse_digital_link(std::string_view uri);
// Builds the URI (values percent-encoded; the query appended when not empty).
std::string build_digital_link(const DigitalLink& dl);
// https://id.gs1.org/01/{gtin14}/10/{lot}; nullopt when the GTIN is invalid or the lot empty.
std::optional<std::string> lot_digital_link(std::string_view gtin, std::string_view lot);

// Any URI naming a GS1 key — EPC pure identity URN (sgtin, sscc, sgln, grai, giai, gsrn,
// gsrnp, gdti, cpi, sgcn, ginc, gsin, itip, upui, pgln), EPC class URN (lgtin), EPC id
// pattern URN (sgtin, grai, gdti, sgcn, cpi, itip, upui with "*"), or a Digital Link URI
// on any domain — as the constrained canonical Digital Link URI of the CBV 2.0 event hash
// (§8.9.2 rule: id.gs1.org, AIs, GTIN-14, finest level only, no CPV, no query);
// nullopt when `uri` is none of these.
std::optional<std::string> canonical_digital_link(std::string_view uri);

// A canonical Digital Link URI back to an EPC URN, given the GS1 Company Prefix length
// (6–12 digits, which a Digital Link does not carry): 01+21 → sgtin, 01+10 → lgtin class,
// 01 → idpat:sgtin, 00 → sscc, 414[+254] → sgln; nullopt for others or a bad length.
std::optional<std::string> digital_link_to_epc(std::string_view uri, int company_prefix_length);

}  // namespace nongsan::epcis::gs1
