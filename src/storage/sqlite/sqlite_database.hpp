// SQLite backend. The file is a valid OGC GeoPackage: geometry columns hold
// GeoPackage blobs and are registered in gpkg_contents / gpkg_geometry_columns by
// the migrations. WAL journal, foreign keys on, synchronous=FULL so that a
// committed write survives a crash of the process or the machine.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace nongsan::storage {

std::unique_ptr<Database> open_sqlite(const std::string& path);

}  // namespace nongsan::storage
