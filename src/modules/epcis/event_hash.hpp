// The CBV 2.0 event hash (GS1 CBV 2.0 §8.9 "Event hash ID"): the canonical pre-hash
// string of an EPCIS 2.0 JSON-LD event and its ni:///sha-256;…?ver=CBV2.0 name, as the
// reference implementation (epcis-event-hash-generator) computes them — docs/epcis.md
// lists the canonicalisation rules. Pure: JSON in, strings out; no storage.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::epcis {

// Prefix → namespace IRI: the EPCIS 2.0 context's prefixes, overridden by the objects
// of a document's "@context".
struct HashContext {
  std::map<std::string, std::string, std::less<>> prefixes;
  // Top-level event fields a document asks to leave out of the hash ("<prefix>:ignoreFields",
  // a list of field names; the reference implementation's convention for fields a
  // repository adds, such as its own copy of the hash).
  std::vector<std::string> ignore_fields;
};
HashContext hash_context(const nlohmann::json& document);

// The events of an EPCISDocument (epcisBody.eventList) or EPCISQueryDocument
// (epcisBody.queryResults.resultsBody.eventList), in document order; nullptr when the
// document has neither.
const nlohmann::json* document_events(const nlohmann::json& document);

std::string pre_hash_string(const nlohmann::json& event, const HashContext& ctx);
// "ni:///sha-256;<hex>?ver=CBV2.0" of the pre-hash string.
std::string event_hash(const nlohmann::json& event, const HashContext& ctx);

// A timestamp with a UTC offset (xsd:dateTime) in UTC at millisecond precision, rounded
// half up ("2023-02-02T11:04:03.1415Z" → "…03.142Z"); the text itself when it is not one.
std::string canonical_time(const std::string& text);
// `text` is such a timestamp (a real date and time with Z or ±hh:mm).
bool valid_time(const std::string& text);
// A number as the reference writes it: integral values without ".0", others in the
// shortest round-trip form (Python's repr).
std::string canonical_number(double v);

}  // namespace nongsan::epcis
