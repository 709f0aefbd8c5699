// Unicode NFC for the text of documents (document-format.md §3: store and emit NFC;
// decomposed Vietnamese marks show broken in some PDF viewers and fail the DOCX checks).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::reports {

// nullopt when `s` is not valid UTF-8. Linear in the length of `s`: the text is
// normalised in pieces cut where no character can compose or reorder across the cut.
std::optional<std::string> to_nfc(std::string_view s);
// Where to_nfc cuts `s` (the end offset of each piece; valid UTF-8 only).
std::vector<std::size_t> nfc_pieces(std::string_view s);
// Every string value of `j` in NFC. Returns the JSON path of the first string that is
// not valid UTF-8, or "" when all were converted.
std::string normalize_json_nfc(nlohmann::json& j, const std::string& path = "");

}  // namespace nongsan::reports
