// A small hierarchy drawn for tests, with the 2025 reform in miniature:
//
//   P (province, from 2020)
//   ├── D1 (district, 2020 – 30/6/2025)      ├── D2 (district, 2020 – 30/6/2025)
//   │   ├── C1 (commune, to 30/6/2025)       │   └── C3 (commune, to 30/6/2025)
//   │   └── C2 (commune, to 30/6/2025)
//   ├── N1 (commune from 1/7/2025) = C1 + C2 (whole)
//   └── N2 (commune from 1/7/2025) = C3 (whole); D2 → N2 share 1 by area
//
// Users (password "test-password-1" for all): admin (province_admin), prov
// (province_officer), n1o (unit_officer of N1), n2o (unit_officer of N2), d1o
// (unit_officer of D1), insp (inspector), coop (producer).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "app/app.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::test_support {

struct SmallProvince {
  std::map<std::string, UnitId> units;  // "P", "D1", "C1", ...
};

inline constexpr const char* kTestPassword = "test-password-1";

SmallProvince seed_small_province(app::App& app);

// The set-up of a module test that needs storage: a migrated SQLite GeoPackage in a
// temporary folder (removed with it), the App on it, and the small province seeded.
struct SmallProvinceApp {
  std::unique_ptr<TestDatabase> db;
  std::unique_ptr<app::App> app;
  SmallProvince province;
};
SmallProvinceApp open_small_province_app();

}  // namespace nongsan::test_support
