// Plain sentences for what GEOS and GDAL report, so that a user reads what is
// wrong with the file or the geometry ("a ring of the polygon is not closed: its
// last point must repeat its first") and not the library's words
// ("IllegalArgumentException: Points of LinearRing do not form a closed
// linestring", "Corrupted .shp file", "cpl_unzOpenCurrentFile() failed"). Every
// library text that goes through here is logged at debug level for whoever
// diagnoses a file. The known texts and their sentences are the tables in
// library_messages.cpp; tests/geo/library_messages_test.cpp reads each one.
//
// Depends on core only (and spdlog for the log line); thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::geo {

// GEOS's message of a failed read or operation. A text that is not a known one
// gives `fallback` (the library's wording stays in the log).
std::string plain_geos_message(std::string_view library_text, std::string_view fallback);

// GEOS's reason for an invalid geometry ("Self-intersection[523001.5 2440012.25]")
// as a sentence with the place ("the boundary crosses itself at (523001.5,
// 2440012.25)"). An unknown reason: "the geometry is not valid" with the place.
std::string plain_validity_reason(std::string_view reason);

// GDAL's messages (several joined by "; ") as plain sentences, each once. Texts
// that are not known ones pass as they are unless they show the library's
// internals (source files, function calls, codes); those give `fallback`.
std::string plain_gdal_message(std::string_view library_text, std::string_view fallback);

}  // namespace nongsan::geo
