// One account per role, with illustrative (not real) personal data; the accounts
// are listed in data/demo/users.json.
#include "app/demo/demo.hpp"
#include "modules/identity/user_repository.hpp"

namespace nongsan::app {

int demo_users(App& app, const identity::Actor& actor, DemoReport& report) {
  auto g = app.admin().graph();
  int created = 0;
  const nlohmann::json data = demo_data("demo/users.json");
  for (const auto& d : data["users"]) {
    const std::string username = d["username"], password = d["password"], note = d["note"];
    auto role = identity::parse_role(d["role"].get<std::string>());
    if (!role) throw std::runtime_error("demo user " + username + ": unknown role in data/demo/users.json");
    const admin::AdminUnit* unit =
        g->find_by_code(d["unit"].get<std::string>(), *CivilDate::parse(d["unit_date"].get<std::string>()));
    report.logins.push_back({username, password, std::string(identity::to_string(*role)), unit ? unit->name : "", note});
    bool exists = app.db().read(
        [&](storage::Connection& c) { return identity::UserRepository::find_by_username(c, username).has_value(); });
    if (exists) continue;
    identity::NewUser u;
    u.username = username;
    u.display_name = d["display_name"];
    u.role = *role;
    if (unit) u.unit = unit->id;
    u.organisation = d["organisation"];
    u.phone = d["phone"];
    u.citizen_id = d["citizen_id"];
    u.password = password;
    auto r = app.identity().create_user(actor, u);
    if (!r) throw std::runtime_error("demo user " + username + ": " + r.error().message);
    ++created;
  }
  return created;
}

}  // namespace nongsan::app
