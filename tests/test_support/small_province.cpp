#include "test_support/small_province.hpp"

#include "geo/geometry_ops.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/figures/figure_repository.hpp"

namespace nongsan::test_support {

using admin::AdminLevel;
using admin::AdminUnit;

SmallProvince seed_small_province(app::App& app) {
  SmallProvince sp;
  const CivilDate start(2020, 1, 1), last(2025, 6, 30), reform(2025, 7, 1);
  auto square = [](double x, double y, double s) {
    return *geo::from_wkt("MULTIPOLYGON(((" + std::to_string(x) + " " + std::to_string(y) + "," + std::to_string(x + s) +
                              " " + std::to_string(y) + "," + std::to_string(x + s) + " " + std::to_string(y + s) + "," +
                              std::to_string(x) + " " + std::to_string(y + s) + "," + std::to_string(x) + " " +
                              std::to_string(y) + ")))",
                          4326);
  };
  app.db().write([&](storage::Connection& c) {
    auto add = [&](const std::string& key, const std::string& code, const std::string& name, AdminLevel level,
                   CivilDate from, std::optional<CivilDate> to, std::optional<storage::Geometry> g) {
      AdminUnit u;
      u.code = code;
      u.name = name;
      u.level = level;
      u.valid_from = from;
      u.valid_to = to;
      u.geom_source = g ? admin::GeomSource::illustrative : admin::GeomSource::none;
      if (g) u.area_m2 = *geo::area_m2(*g);
      sp.units[key] = admin::AdminRepository::insert_unit(c, u, g);
    };
    add("P", "90", "Tỉnh Thử Nghiệm", AdminLevel::province, start, std::nullopt, square(103.0, 22.0, 0.2));
    add("D1", "901", "Huyện Mường Một", AdminLevel::district, start, last, square(103.0, 22.0, 0.1));
    add("D2", "902", "Huyện Hai", AdminLevel::district, start, last, square(103.1, 22.0, 0.1));
    add("C1", "09001", "Xã Một", AdminLevel::commune, start, last, square(103.0, 22.0, 0.05));
    add("C2", "09002", "Xã Hai", AdminLevel::commune, start, last, square(103.05, 22.0, 0.05));
    add("C3", "09003", "Xã Ba", AdminLevel::commune, start, last, square(103.1, 22.0, 0.1));
    // The new N1 reuses C1's code, as Lai Châu's reform did.
    add("N1", "09001", "Xã Mới Một", AdminLevel::commune, reform, std::nullopt, square(103.0, 22.0, 0.1));
    add("N2", "09003", "Xã Mới Hai", AdminLevel::commune, reform, std::nullopt, square(103.1, 22.0, 0.1));
    auto link = [&](const char* child, const char* parent, CivilDate from, std::optional<CivilDate> to) {
      admin::AdminRepository::insert_link(c, {sp.units[child], sp.units[parent], from, to});
    };
    link("D1", "P", start, last);
    link("D2", "P", start, last);
    link("C1", "D1", start, last);
    link("C2", "D1", start, last);
    link("C3", "D2", start, last);
    link("N1", "P", reform, std::nullopt);
    link("N2", "P", reform, std::nullopt);
    auto succ = [&](const char* from, const char* to, double share, admin::ShareBasis basis) {
      admin::AdminRepository::insert_succession(c, {sp.units[from], sp.units[to], reform, share, basis, "test"});
    };
    succ("C1", "N1", 1, admin::ShareBasis::whole);
    succ("C2", "N1", 1, admin::ShareBasis::whole);
    succ("C3", "N2", 1, admin::ShareBasis::whole);
    succ("D1", "N1", 1, admin::ShareBasis::area);
    succ("D2", "N2", 1, admin::ShareBasis::area);
    figures::FigureRepository::upsert_series(c, {"households", "Số hộ", "Households", "hộ", true, "test"});
    figures::FigureRepository::insert(c, {"households", sp.units["C1"], 2023, 100, ""});
    figures::FigureRepository::insert(c, {"households", sp.units["C2"], 2023, 50, ""});
    figures::FigureRepository::insert(c, {"households", sp.units["C3"], 2023, 7, ""});
  });
  app.admin().invalidate();
  identity::Actor cli = identity::Actor::cli("test");
  struct U {
    const char* name;
    identity::Role role;
    const char* unit;
  };
  for (const U& u : {U{"admin", identity::Role::province_admin, "P"}, U{"prov", identity::Role::province_officer, "P"},
                     U{"n1o", identity::Role::unit_officer, "N1"}, U{"n2o", identity::Role::unit_officer, "N2"},
                     U{"d1o", identity::Role::unit_officer, "D1"}, U{"insp", identity::Role::inspector, "P"},
                     U{"coop", identity::Role::producer, "N1"}}) {
    identity::NewUser nu;
    nu.username = u.name;
    nu.display_name = std::string("Người dùng ") + u.name;
    nu.role = u.role;
    nu.unit = sp.units[u.unit];
    nu.organisation = u.role == identity::Role::producer ? "HTX Thử" : "";
    nu.phone = "0912345678";
    nu.citizen_id = "001234567890";
    nu.password = kTestPassword;
    auto r = app.identity().create_user(cli, nu);
    if (!r) throw std::runtime_error("seed user " + std::string(u.name) + ": " + r.error().message);
  }
  return sp;
}

SmallProvinceApp open_small_province_app() {
  SmallProvinceApp s;
  s.db = make_test_database(storage::Backend::sqlite, false);
  app::Config c;
  c.db = s.db->location;
  c.backup_dir = s.db->scratch_dir;
  s.app = app::App::open(c);
  s.province = seed_small_province(*s.app);
  return s;
}

}  // namespace nongsan::test_support
