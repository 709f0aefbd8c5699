// An EPCIS 2.0 document as POST /epcis/capture and `nongsan epcis capture|hash` read it:
// parse_json_input, then the capture validation (the embedded EPCIS JSON schema through
// valijson and the standard's rules), then — whatever the validation says, as
// `nongsan epcis hash` does — the CBV 2.0 event hash and the query index of every event.
// The first byte chooses whether the rest is a whole document or one event wrapped in
// one (so that the mutations reach the event fields quickly). Invariants: a refusal of
// the JSON is invalid_input; every problem names an event inside the list or the
// document; every hash is "ni:///sha-256;<64 hex>?ver=CBV2.0", the same when computed
// twice, and the index carries the same hash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/json_input.hpp"
#include "modules/epcis/event_hash.hpp"
#include "modules/epcis/event_index.hpp"
#include "modules/epcis/validation.hpp"

using namespace nongsan;
using nlohmann::json;

namespace {
bool well_formed(const std::string& h) {
  const std::string head = "ni:///sha-256;", tail = "?ver=CBV2.0";
  if (h.size() != head.size() + 64 + tail.size() || h.rfind(head, 0) != 0 || !h.ends_with(tail)) return false;
  for (std::size_t i = head.size(); i < head.size() + 64; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(h[i]))) return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool wrap = data[0] & 1;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = parse_json_input(text, "the document");
  if (!parsed) {
    if (parsed.error().code != ErrorCode::invalid_input) __builtin_trap();
    return 0;
  }
  json doc = std::move(*parsed);
  if (wrap)
    doc = {{"@context", json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"})},
           {"type", "EPCISDocument"},
           {"schemaVersion", "2.0"},
           {"creationDate", "2025-01-01T00:00:00Z"},
           {"epcisBody", {{"eventList", json::array({doc})}}}};
  const json* events = epcis::document_events(doc);
  for (const auto& p : epcis::validate_document(doc))
    if (p.event && (!events || *p.event >= events->size())) __builtin_trap();
  if (!events || !events->is_array()) return 0;
  const auto ctx = epcis::hash_context(doc);
  for (const auto& ev : *events) {
    if (!ev.is_object()) continue;
    std::string h = epcis::event_hash(ev, ctx);
    if (!well_formed(h) || h != epcis::event_hash(ev, ctx)) __builtin_trap();
    if (epcis::index_event(ev, ctx).hash != h) __builtin_trap();
  }
  return 0;
}
