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

// The context of one event: `ctx` with the prefixes of the event's own "@context" (an
// event given back by a query carries the context of the document it came in).
HashContext event_context(const HashContext& ctx, const nlohmann::json& event);

// The pre-hash string (the event's own "@context", if any, is taken into account).
std::string pre_hash_string(const nlohmann::json& event, const HashContext& ctx);
// "ni:///sha-256;<hex>?ver=CBV2.0" of the pre-hash string.
std::string event_hash(const nlohmann::json& event, const HashContext& ctx);

// What a bare word of a field stands for (CBV 2.0: bizStep "shipping" is
// https://ref.gs1.org/cbv/BizStep-shipping).
enum class Vocab { none, biz_step, disposition, btt, sdt, gs1, component };
// A value in the canonical form of the hash: CBV words and CBV 1.x URNs as CBV 2.0 web
// URIs, GS1 CURIEs expanded, numbers normalised, GS1 keys as canonical Digital Link URIs.
std::string canonical_value(const nlohmann::json& value, Vocab vocab, const HashContext& ctx);
// A field name as the hash writes it: "prefix:local" → "{namespace}local".
std::string canonical_key(const std::string& key, const HashContext& ctx);

// A timestamp with a UTC offset (xsd:dateTime) in UTC at millisecond precision, rounded
// half up ("2023-02-02T11:04:03.1415Z" → "…03.142Z"); the text itself when it is not one.
std::string canonical_time(const std::string& text);
// `text` is such a timestamp (a real date and time with Z or ±hh:mm).
bool valid_time(const std::string& text);
// A number as the reference writes it: integral values without ".0", others in the
// shortest round-trip form (Python's repr).
std::string canonical_number(double v);

}  // namespace nongsan::epcis
