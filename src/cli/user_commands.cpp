// user add | list | reset-password | set-role | disable | enable.
#include <iostream>

#include "cli/commands.hpp"
#include "modules/identity/credentials.hpp"

namespace nongsan::cli {

namespace {
std::optional<UnitId> unit_by_code(app::App& app, const std::string& code) {
  if (code.empty()) return std::nullopt;
  const auto* u = app.admin().graph()->find_by_code_any_time(code, CivilDate::today());
  if (!u) return std::nullopt;
  return u->id;
}

Result<UserId> user_id(app::App& app, const std::string& username) {
  auto r = app.identity().get_user_by_name(cli_actor(), username);
  if (!r) return r.error();
  return UserId((*r)["id"].get<std::int64_t>());
}
}  // namespace

void register_user_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* user = cli.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Create a user (prints the password when it is generated)");
  static std::string a_user, a_name, a_role, a_unit, a_org, a_email, a_phone, a_cid, a_password;
  add->add_option("username", a_user, "Login name")->required();
  add->add_option("--name", a_name, "Display name")->required();
  add->add_option("--role", a_role, "province_admin, province_officer, unit_officer, producer, inspector")
      ->required()
      ->check(CLI::IsMember({"province_admin", "province_officer", "unit_officer", "producer", "inspector"}));
  add->add_option("--unit", a_unit, "Unit code (required for unit_officer)");
  add->add_option("--organisation", a_org, "Cooperative / enterprise / office");
  add->add_option("--email", a_email, "E-mail");
  add->add_option("--phone", a_phone, "Phone number");
  add->add_option("--citizen-id", a_cid, "Citizen ID number (12 digits)");
  add->add_option("--password", a_password, "Password (generated, and must be changed at first login, if absent)");
  actions.push_back([&g, add]() -> int {
    if (!*add) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    identity::NewUser u;
    u.username = a_user;
    u.display_name = a_name;
    u.role = *identity::parse_role(a_role);
    u.unit = unit_by_code(*app, a_unit);
    if (!a_unit.empty() && !u.unit) return report_error(Error::invalid("bad option", {{"--unit", "no unit with code " + a_unit}}));
    u.organisation = a_org;
    u.email = a_email;
    u.phone = a_phone;
    u.citizen_id = a_cid;
    bool generated = a_password.empty();
    u.password = generated ? identity::temporary_password() : a_password;
    u.must_change_password = generated;
    auto r = app->identity().create_user(cli_actor(), u);
    if (!r) return report_error(r.error());
    std::cout << "created user " << a_user << " (id " << (*r)["id"] << ")\n";
    if (generated) std::cout << "temporary password: " << u.password << " (must be changed at first login)\n";
    return 0;
  });

  auto* list = user->add_subcommand("list", "List users (personal data masked)");
  static std::string l_format = "table";
  list->add_option("--format", l_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  actions.push_back([&g, list]() -> int {
    if (!*list) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    identity::UserFilter f;
    f.page_size = 1000000;
    auto r = app->identity().list_users(cli_actor(), f);
    if (!r) return report_error(r.error());
    if (l_format == "json") {
      std::cout << nlohmann::json(r->first).dump(2) << "\n";
      return 0;
    }
    if (l_format == "csv") std::cout << "username,role,unit,active\n";
    for (const auto& u : r->first) {
      std::string unit = u["unit"].is_null() ? "" : u["unit"]["code"].get<std::string>() + " " + u["unit"]["name"].get<std::string>();
      if (l_format == "csv")
        std::cout << u["username"].get<std::string>() << "," << u["role"].get<std::string>() << ",\"" << unit << "\","
                  << (u["active"].get<bool>() ? "true" : "false") << "\n";
      else
        std::cout << u["username"].get<std::string>() << "\t" << u["role"].get<std::string>() << "\t" << unit
                  << (u["active"].get<bool>() ? "" : "\t(disabled)") << "\n";
    }
    return 0;
  });

  auto* reset = user->add_subcommand("reset-password", "Set a temporary password (must be changed at next login)");
  static std::string r_user, r_password;
  reset->add_option("username", r_user)->required();
  reset->add_option("--password", r_password, "The new password (generated if absent)");
  actions.push_back([&g, reset]() -> int {
    if (!*reset) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto id = user_id(*app, r_user);
    if (!id) return report_error(id.error());
    auto r = app->identity().reset_password(cli_actor(), *id, r_password);
    if (!r) return report_error(r.error());
    std::cout << "temporary password for " << r_user << ": " << *r << "\n";
    return 0;
  });

  auto* set_role = user->add_subcommand("set-role", "Change a user's role (and unit)");
  static std::string s_user, s_role, s_unit;
  set_role->add_option("username", s_user)->required();
  set_role->add_option("role", s_role)->required()->check(
      CLI::IsMember({"province_admin", "province_officer", "unit_officer", "producer", "inspector"}));
  set_role->add_option("--unit", s_unit, "Unit code");
  actions.push_back([&g, set_role]() -> int {
    if (!*set_role) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto id = user_id(*app, s_user);
    if (!id) return report_error(id.error());
    identity::UserPatch p;
    p.role = identity::parse_role(s_role);
    if (!s_unit.empty()) {
      auto unit = unit_by_code(*app, s_unit);
      if (!unit) return report_error(Error::invalid("bad option", {{"--unit", "no unit with code " + s_unit}}));
      p.unit = unit;
    }
    auto r = app->identity().update_user(cli_actor(), *id, p);
    if (!r) return report_error(r.error());
    std::cout << "updated " << s_user << "\n";
    return 0;
  });

  for (bool enable : {false, true}) {
    auto* cmd = user->add_subcommand(enable ? "enable" : "disable", enable ? "Re-enable a user" : "Disable a user (ends their sessions)");
    auto* name = new std::string();  // lives as long as the process: CLI11 keeps a pointer
    cmd->add_option("username", *name)->required();
    actions.push_back([&g, cmd, name, enable]() -> int {
      if (!*cmd) return -1;
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto app = g.open(*c);
      auto id = user_id(*app, *name);
      if (!id) return report_error(id.error());
      identity::UserPatch p;
      p.active = enable;
      auto r = app->identity().update_user(cli_actor(), *id, p);
      if (!r) return report_error(r.error());
      std::cout << (enable ? "enabled " : "disabled ") << *name << "\n";
      return 0;
    });
  }
}

}  // namespace nongsan::cli
