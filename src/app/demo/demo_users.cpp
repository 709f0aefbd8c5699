// One account per role, with illustrative (not real) personal data.
#include "app/demo/demo.hpp"
#include "modules/identity/user_repository.hpp"

namespace nongsan::app {

using identity::Role;

namespace {
struct DemoUser {
  const char* username;
  const char* display_name;
  Role role;
  const char* unit_code;  // valid on the date below
  const char* unit_date;
  const char* organisation;
  const char* password;
  const char* phone;
  const char* citizen_id;
  const char* note;
};

// Personal data below is made up for the demo (phone numbers 0900 000 0xx are not
// assigned to subscribers; ID numbers are not real).
const DemoUser kUsers[] = {
    {"admin", "Quản trị hệ thống (demo)", Role::province_admin, "12", "2025-07-01", "Sở Nông nghiệp và Môi trường",
     "admin-demo-2025", "0900000001", "012345678901", "manages users, sees the audit trail"},
    {"province.officer", "Cán bộ Sở Nông nghiệp (demo)", Role::province_officer, "12", "2025-07-01",
     "Sở Nông nghiệp và Môi trường", "officer-demo-2025", "0900000002", "012345678902", "sees the whole province"},
    {"tamduong.officer", "Cán bộ huyện Tam Đường (demo)", Role::unit_officer, "106", "2024-12-31",
     "Phòng Nông nghiệp huyện Tam Đường", "officer-demo-2025", "0900000003", "012345678903",
     "district officer before the 2025 reform: Tam Đường, its communes and the new communes that replaced them"},
    {"binhlu.officer", "Cán bộ xã Bình Lư (demo)", Role::unit_officer, "03390", "2025-07-01", "UBND xã Bình Lư",
     "officer-demo-2025", "0900000004", "012345678904",
     "officer of a new commune: Xã Bình Lư and the old communes merged into it"},
    {"doanket.officer", "Cán bộ phường Đoàn Kết (demo)", Role::unit_officer, "03388", "2025-07-01",
     "UBND phường Đoàn Kết", "officer-demo-2025", "0900000005", "012345678905",
     "another commune: cannot see Bình Lư's records"},
    {"coop.user", "HTX chè Tam Đường (minh họa)", Role::producer, "03390", "2025-07-01",
     "HTX chè Tam Đường (minh họa)", "coop-demo-2025", "0900000006", "012345678906",
     "cooperative: its own records (later modules)"},
    {"inspector", "Thanh tra Sở (demo)", Role::inspector, "12", "2025-07-01", "Thanh tra Sở Nông nghiệp và Môi trường",
     "inspector-demo-2025", "0900000007", "012345678907", "reads across the province"},
};
}  // namespace

int demo_users(App& app, const identity::Actor& actor, DemoReport& report) {
  auto g = app.admin().graph();
  int created = 0;
  for (const auto& d : kUsers) {
    const admin::AdminUnit* unit = g->find_by_code(d.unit_code, *CivilDate::parse(d.unit_date));
    report.logins.push_back({d.username, d.password, std::string(identity::to_string(d.role)),
                             unit ? unit->name : "", d.note});
    bool exists = app.db().read([&](storage::Connection& c) {
      return identity::UserRepository::find_by_username(c, d.username).has_value();
    });
    if (exists) continue;
    identity::NewUser u;
    u.username = d.username;
    u.display_name = d.display_name;
    u.role = d.role;
    if (unit) u.unit = unit->id;
    u.organisation = d.organisation;
    u.phone = d.phone;
    u.citizen_id = d.citizen_id;
    u.password = d.password;
    auto r = app.identity().create_user(actor, u);
    if (!r) throw std::runtime_error("demo user " + std::string(d.username) + ": " + r.error().message);
    ++created;
  }
  return created;
}

}  // namespace nongsan::app
