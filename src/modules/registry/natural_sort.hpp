// Natural order of the registry's codes: numbers inside a code compare as numbers
// ("1-2" before "1-10", "tờ 9" before "tờ 10"), ASCII letters without regard to
// case. Pure; no storage.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::registry {

// A key whose byte order is the natural order of `code`. Stored beside the code
// (parcel.external_id_key, sheet_no_key, parcel_no_key) so that both backends sort
// by a plain byte comparison. Each run of digits becomes its length in two digits
// (leading zeros dropped) followed by the digits, so a shorter number sorts first
// and a number still sorts against other characters as a digit does; codes that
// differ only in leading zeros or case get the same key (order them by the code).
std::string natural_sort_key(std::string_view code);

}  // namespace nongsan::registry
