// The public page of a lot's GS1 Digital Link URI: light HTML (no script, inline CSS,
// readable on a 390 px phone) in Vietnamese or English, and the GS1 linkset
// (RFC 9264 JSON, GS1 Digital Link 1.2 §6 link types). Pure: no storage, no I/O.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "modules/trace/trace_types.hpp"

namespace nongsan::trace {

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

// `lang` "vi" (default) or "en". The HTTP status goes with it: 200 for ok and held,
// 404 for bad_gtin and unknown_lot.
std::string public_page_html(const PublicLot& p, std::string_view lang);
int public_page_status(const PublicLot& p);
// The linkset of an ok lot (anchor = the URI): gs1:pip (this page), gs1:traceability
// (the EPCIS events of the lot), gs1:certificationInfo (one per certificate).
nlohmann::json public_linkset(const PublicLot& p, const std::string& resolver_base);

}  // namespace nongsan::trace
