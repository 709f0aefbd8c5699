#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
const std::vector<std::string>& role_codes() {
  static const std::vector<std::string> codes = {"province_admin", "province_officer", "unit_officer", "producer",
                                                 "inspector"};
  return codes;
}

Response list_users(RequestContext& ctx) {
  identity::UserFilter f;
  f.q = ctx.query_or("q", "");
  if (auto r = ctx.query("role"); r && !r->empty()) f.role = identity::parse_role(*r);
  if (auto u = ctx.query_int("unit_id")) f.unit = UnitId(*u);
  f.active = ctx.query_bool("active");
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  auto r = ctx.services.identity.list_users(ctx.actor, f);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return page_response(r->first, r->second, ctx);
}

Response get_user(RequestContext& ctx) {
  return respond(ctx.services.identity.get_user(ctx.actor, UserId(ctx.path_id("id"))), ctx);
}

std::string str(const json& body, const char* name) { return body.contains(name) ? body[name].get<std::string>() : ""; }

Response create_user(RequestContext& ctx) {
  identity::NewUser u;
  u.username = str(ctx.body, "username");
  u.display_name = str(ctx.body, "display_name");
  u.role = *identity::parse_role(str(ctx.body, "role"));
  if (ctx.body.contains("unit_id") && !ctx.body["unit_id"].is_null()) u.unit = UnitId(ctx.body["unit_id"].get<std::int64_t>());
  u.organisation = str(ctx.body, "organisation");
  u.email = str(ctx.body, "email");
  u.phone = str(ctx.body, "phone");
  u.citizen_id = str(ctx.body, "citizen_id");
  u.bank_account = str(ctx.body, "bank_account");
  u.password = str(ctx.body, "password");
  u.must_change_password = ctx.body.value("must_change_password", true);
  return respond(ctx.services.identity.create_user(ctx.actor, u), ctx, 201);
}

Response update_user(RequestContext& ctx) {
  identity::UserPatch p;
  const auto& b = ctx.body;
  if (b.contains("display_name")) p.display_name = b["display_name"].get<std::string>();
  if (b.contains("role")) p.role = identity::parse_role(b["role"].get<std::string>());
  if (b.contains("unit_id"))
    p.unit = b["unit_id"].is_null() ? std::optional<UnitId>{} : std::optional<UnitId>{UnitId(b["unit_id"].get<std::int64_t>())};
  if (b.contains("organisation")) p.organisation = b["organisation"].get<std::string>();
  if (b.contains("email")) p.email = b["email"].get<std::string>();
  if (b.contains("phone")) p.phone = b["phone"].get<std::string>();
  if (b.contains("citizen_id")) p.citizen_id = b["citizen_id"].get<std::string>();
  if (b.contains("bank_account")) p.bank_account = b["bank_account"].get<std::string>();
  if (b.contains("active")) p.active = b["active"].get<bool>();
  return respond(ctx.services.identity.update_user(ctx.actor, UserId(ctx.path_id("id")), p), ctx);
}

Response reset_password(RequestContext& ctx) {
  auto r = ctx.services.identity.reset_password(ctx.actor, UserId(ctx.path_id("id")), ctx.body.value("new_password", ""));
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(200, {{"temporary_password", *r}, {"must_change_password", true}});
}

Response reveal(RequestContext& ctx) {
  std::string field = ctx.body["field"].get<std::string>();
  auto r = ctx.services.identity.reveal(ctx.actor, UserId(ctx.path_id("id")), *identity::parse_pii_field(field));
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(200, {{"field", field}, {"value", *r}, {"audited", true}});
}
}  // namespace

std::vector<Route> user_routes() {
  using F = FieldType;
  const std::vector<FieldSpec> editable = {
      {"display_name", F::string, false, "", false, {}},
      {"role", F::string, false, "", false, role_codes()},
      {"unit_id", F::integer, false, "scope of a unit officer; home unit of others", true, {}, NumberRange::id()},
      {"organisation", F::string, false, "cooperative or enterprise name", false, {}},
      {"email", F::string, false, "", false, {}},
      {"phone", F::string, false, "personal data: returned masked", false, {}},
      {"citizen_id", F::string, false, "personal data: returned masked", false, {}},
      {"bank_account", F::string, false, "personal data: returned masked", false, {}},
  };
  auto create_body = editable;
  create_body.insert(create_body.begin(), {"username", F::string, true, "", false, {}});
  create_body[1].required = true;  // display_name
  create_body[2].required = true;  // role
  create_body.push_back({"password", F::string, true, "at least 10 characters", false, {}});
  create_body.push_back({"must_change_password", F::boolean, false, "default true", false, {}});
  auto patch_body = editable;
  patch_body.push_back({"active", F::boolean, false, "", false, {}});
  return {
      {.method = "GET", .path = "/api/v1/users", .permission = Permission::users_read, .tag = "users",
       .summary = "User accounts (personal data masked)",
       .query = {{"q", F::string, "username or name", {}}, {"role", F::string, "", role_codes()},
                 {"unit_id", F::integer, "", {}, NumberRange::id()}, {"active", F::boolean, "", {}}},
       .handler = list_users, .list = true, .response = Schema::page(Schema::ref("User"))},
      {.method = "POST", .path = "/api/v1/users", .permission = Permission::users_manage, .tag = "users",
       .summary = "Create a user account", .body = create_body, .success_status = 201, .handler = create_user,
       .response = Schema::ref("User")},
      {.method = "GET", .path = "/api/v1/users/{id}", .permission = Permission::users_read, .tag = "users",
       .summary = "One user account", .handler = get_user, .response = Schema::ref("UserDetail")},
      {.method = "PATCH", .path = "/api/v1/users/{id}", .permission = Permission::users_manage, .tag = "users",
       .summary = "Change a user account", .body = patch_body, .handler = update_user,
       .response = Schema::ref("User")},
      {.method = "POST", .path = "/api/v1/users/{id}/reset-password", .permission = Permission::users_manage,
       .tag = "users", .summary = "Set a temporary password that must be changed at the next login",
       .body = {{"new_password", F::string, false, "generated when absent", false, {}}},
       .handler = reset_password,
       .response = Schema::object({{"temporary_password", Schema::string()}, {"must_change_password", Schema::boolean()}})},
      {.method = "POST", .path = "/api/v1/users/{id}/reveal", .permission = Permission::pii_reveal, .tag = "users",
       .summary = "Show one personal-data field in full; the view is recorded in the audit trail",
       .body = {{"field", F::string, true, "", false, {"phone", "citizen_id", "bank_account"}}},
       .handler = reveal,
       .response = Schema::object({{"field", Schema::string().enumerate({"phone", "citizen_id", "bank_account"})},
                                   {"value", Schema::string()},
                                   {"audited", Schema::boolean()}})},
  };
}

}  // namespace nongsan::api
