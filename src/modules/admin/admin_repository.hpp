// Reading and writing administrative units, their parent links and successor
// links. Takes the caller's connection so that writes share its transaction.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "modules/admin/unit_graph.hpp"
#include "storage/database.hpp"

namespace nongsan::admin {

class AdminRepository {
 public:
  static UnitGraph load_graph(storage::Connection& c);

  static UnitId insert_unit(storage::Connection& c, const AdminUnit& u, const std::optional<storage::Geometry>& geom);
  static void update_unit(storage::Connection& c, const AdminUnit& u);
  static void set_geometry(storage::Connection& c, UnitId id, const std::optional<storage::Geometry>& geom,
                           GeomSource source, std::optional<double> area_m2);
  static void insert_link(storage::Connection& c, const UnitLink& l);
  static void insert_succession(storage::Connection& c, const Succession& s);
  static void delete_successions_into(storage::Connection& c, UnitId successor);

  // Geometries of the given units (those that have one).
  static std::map<UnitId, storage::Geometry> geometries(storage::Connection& c, const std::vector<UnitId>& ids);
  static std::int64_t count_units(storage::Connection& c);
};

}  // namespace nongsan::admin
