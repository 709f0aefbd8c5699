#include "geo/library_messages.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <vector>

namespace nongsan::geo {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has(const std::string& lower_text, std::string_view needle) { return lower_text.find(needle) != std::string::npos; }

// "[103.5 22.25]" or " at 103.5 22.25" -> "(103.5, 22.25)"; "" when there is none.
std::string place_in(std::string_view text) {
  static const std::regex bracket(R"(\[\s*([-+0-9.eEinfaINFA]+)\s+([-+0-9.eEinfaINFA]+)(?:\s+[-+0-9.eEinfaINFA]+)?\s*\])");
  static const std::regex at(R"(\bat\s+([-+0-9.eEinfaINFA]+)\s+([-+0-9.eEinfaINFA]+))");
  const std::string s(text);
  std::smatch m;
  if (std::regex_search(s, m, bracket) || std::regex_search(s, m, at)) return "(" + m[1].str() + ", " + m[2].str() + ")";
  return "";
}

struct Known {
  std::string_view needle;  // lower case, found anywhere in the library's text
  std::string_view sentence;
};

// GEOS's validity reasons (GEOSisValidReason), in the order they are tested.
constexpr Known kValidity[] = {
    {"ring self-intersection", "a ring of the boundary touches itself"},
    {"self-intersection", "the boundary crosses itself"},
    {"hole lies outside shell", "a hole lies outside the outer boundary"},
    {"holes are nested", "a hole lies inside another hole"},
    {"interior is disconnected", "holes cut the polygon into separate pieces"},
    {"nested shells", "one part of the shape lies inside another part"},
    {"duplicate rings", "the same ring is given twice"},
    {"too few points", "a ring has too few distinct points to enclose an area"},
    {"invalid coordinate", "a coordinate is not a finite number"},
    {"ring is not closed", "a ring is not closed: its last point must repeat its first"},
};

// GEOS's messages of failed reads and operations.
constexpr Known kGeos[] = {
    {"points of linearring do not form a closed linestring",
     "a ring of the polygon is not closed: its last point must repeat its first"},
    {"invalid number of points in linearring", "a ring of the polygon has fewer than 4 points (a closed ring repeats its first point at the end, so a triangle needs 4)"},
    {"point array must contain 0 or >1 elements", "a line has a single point: a line needs at least two"},
    {"unknown geometry type", "the geometry type is not one of Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection"},
    {"expected two coordinates", "a position must be two numbers: longitude and latitude"},
    {"number overflow", "a coordinate is too large to be a number"},
    {"error parsing json", "the geometry is not valid GeoJSON"},
    {"input buffer is smaller than requested object size", "the geometry's binary data (WKB) is cut short"},
    {"unexpected eof parsing wkb", "the geometry's binary data (WKB) is cut short"},
    {"unknown wkb type", "the geometry's binary data (WKB) names a geometry type that does not exist"},
    {"expected word but encountered end of stream", "the text ends before the geometry does"},
    {"expected number but encountered", "a coordinate is not a number"},
    {"unknown type:", "the text does not start with a geometry type (POINT, LINESTRING, POLYGON, ...)"},
    {"parseexception", "the geometry text cannot be read"},
};

// GDAL's messages, file by file kind.
constexpr Known kGdal[] = {
    {"corrupted .shp file", "the .shp file is damaged: a shape's record is cut short or gives an impossible number of points"},
    {"corrupted .shx file", "the .shx index of the Shapefile is damaged"},
    {"no such file or directory", "the file does not exist"},
    {"does not exist in the file system", "the file does not exist"},
    {"permission denied", "the file cannot be opened: permission denied"},
    {".shx", "the .shx index of the Shapefile is missing or damaged"},
    {".dbf", "the .dbf table of the Shapefile is missing or damaged"},
    {"dbfread", "the .dbf table of the Shapefile is damaged"},
    {"cpl_unz", "the ZIP archive is damaged: a file inside it cannot be unpacked"},
    {"unzreadcurrentfile", "the ZIP archive is damaged: a file inside it cannot be unpacked"},
    {"decompression failed", "the compressed file is damaged: its content cannot be unpacked"},
    {"z_err", "the compressed file is damaged: its content cannot be unpacked"},
    {"not a valid zip", "the ZIP archive is damaged"},
    {"file is not a database", "the GeoPackage file is not a database: it is damaged or of another kind"},
    {"database disk image is malformed", "the GeoPackage file is damaged"},
    {"tiffreaddirectory", "the GeoTIFF file is damaged"},
    {"tiff", "the GeoTIFF file is damaged or cut short"},
    {"ireadblock failed", "a block of the raster cannot be read: the file is damaged or cut short"},
    {"not recognized as a supported file format", "the file is not in a format that can be read"},
    {"not recognised as a supported file format", "the file is not in a format that can be read"},
    {"unable to open", "the file cannot be opened"},
    {"failed to read geojson", "the GeoJSON text is broken"},
    {"geojson parsing error", "the GeoJSON text is broken"},
    {"json parsing error", "the JSON text is broken"},
    {"missing , or ]", "part of the file's text is broken (a list is not closed)"},
    {"unexpected end of file", "the file ends before its data does: it is cut short"},
    {"read error", "the file cannot be read: it is damaged or cut short"},
    {"fread", "the file cannot be read: it is damaged or cut short"},
    {"no space left", "the disk is full"},
};

// A library text that shows the library's insides rather than the user's file.
bool looks_internal(const std::string& lower_text) {
  return has(lower_text, ".cpp") || has(lower_text, ".c,") || has(lower_text, "()") || has(lower_text, "exception") ||
         has(lower_text, "0x") || has(lower_text, "in file ./");
}

std::string_view find_sentence(const std::string& lower_text, const auto& table) {
  for (const auto& k : table)
    if (has(lower_text, k.needle)) return k.sentence;
  return {};
}

}  // namespace

std::string plain_validity_reason(std::string_view reason) {
  const std::string l = lower(reason);
  std::string sentence(find_sentence(l, kValidity));
  if (sentence.empty()) {
    if (!reason.empty()) spdlog::debug("geo: GEOS validity reason not translated: {}", reason);
    sentence = "the geometry is not valid";
  }
  const std::string place = place_in(reason);
  return place.empty() ? sentence : sentence + " at " + place;
}

std::string plain_geos_message(std::string_view library_text, std::string_view fallback) {
  if (library_text.empty()) return std::string(fallback);
  spdlog::debug("geo: GEOS said: {}", library_text);
  const std::string l = lower(library_text);
  // An overlay refused an invalid input: "TopologyException: Input geom 1 is invalid: Self-intersection at 5 5".
  if (has(l, "topologyexception")) {
    if (auto p = l.find("input geom "); p != std::string::npos && p + 11 < l.size()) {
      const std::string which = l[p + 11] == '0' ? "the first shape" : "the second shape";
      return which + " is not valid: " + plain_validity_reason(library_text.substr(library_text.find(':', p) + 1));
    }
    return "the shapes cannot be combined: one of them is not valid (check it for a boundary that crosses itself)";
  }
  std::string_view s = find_sentence(l, kGeos);
  if (s.empty()) return std::string(fallback);
  return std::string(s);
}

std::string plain_gdal_message(std::string_view library_text, std::string_view fallback) {
  if (library_text.empty()) return std::string(fallback);
  spdlog::debug("geo: GDAL said: {}", library_text);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= library_text.size()) {
    std::size_t end = library_text.find("; ", start);
    std::string_view part = library_text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? library_text.size() + 1 : end + 2;
    if (part.empty()) continue;
    const std::string l = lower(part);
    std::string sentence(find_sentence(l, kGdal));
    if (sentence.empty()) sentence = looks_internal(l) ? std::string(fallback) : std::string(part);
    if (!sentence.empty() && std::find(out.begin(), out.end(), sentence) == out.end()) out.push_back(sentence);
  }
  std::string joined;
  for (const auto& s : out) joined += (joined.empty() ? "" : "; ") + s;
  return joined.empty() ? std::string(fallback) : joined;
}

}  // namespace nongsan::geo
