// Values crossing the storage interface. Geometry travels as ISO WKB with its SRID;
// each backend encodes it as the database wants (GeoPackage blob, PostGIS EWKB).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace nongsan::storage {

struct Blob {
  std::vector<std::uint8_t> bytes;
};

struct Geometry {
  std::vector<std::uint8_t> wkb;  // ISO WKB, 2D, little- or big-endian
  int srid = 4326;
  bool operator==(const Geometry&) const = default;
};

struct Null {};

using Value = std::variant<Null, std::int64_t, double, std::string, Blob, Geometry>;

inline Value null_if_empty(const std::optional<std::string>& s) { return s ? Value{*s} : Value{Null{}}; }
template <typename T>
Value optional_value(const std::optional<T>& v) {
  if (!v) return Null{};
  return Value{*v};
}

// Thrown by backends. `kind` lets services turn a unique-key violation into a
// conflict error; everything else is a storage failure.
class DbError : public std::runtime_error {
 public:
  // disk_full: the database's disk (or file-size limit) is full; nothing of the write
  // was kept. unavailable: the database server cannot be reached or the connection
  // was lost; a later request may succeed on a new connection.
  enum class Kind { unique_violation, foreign_key_violation, constraint_violation, busy, disk_full, unavailable, other };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace nongsan::storage
