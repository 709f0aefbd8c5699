#include "modules/identity/identity_service.hpp"

#include <algorithm>

#include "core/civil_date.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"

namespace nongsan::identity {

using access::AccessPolicy;
using nlohmann::json;
using storage::Value;

namespace {
// Verifying against this hash when the username is unknown keeps the response time
// the same, so timing does not reveal which usernames exist.
const std::string& dummy_hash() {
  static const std::string h = hash_password("not-a-real-password-0000");
  return h;
}

std::string normalise_identifier(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-' && c != '.') out += c;
  return out;
}

bool valid_username(const std::string& u) {
  if (u.size() < 3 || u.size() > 64) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

json user_audit_json(const User& u) {
  // The audit trail must not become a second copy of personal data: masked here too.
  return {{"username", u.username},         {"display_name", u.display_name},
          {"role", to_string(u.role)},      {"unit_id", u.unit ? json(u.unit->value) : json(nullptr)},
          {"organisation", u.organisation}, {"email", u.email},
          {"phone", mask(u.phone)},         {"citizen_id", mask(u.citizen_id)},
          {"bank_account", mask(u.bank_account)}, {"active", u.active}};
}
}  // namespace

json IdentityService::user_json(const User& u) const {
  json unit = nullptr;
  if (u.unit) {
    auto g = admin_.graph();
    if (const admin::AdminUnit* au = g->find(*u.unit)) unit = admin::AdminService::ref_json(*au);
  }
  return {{"id", u.id.value},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", to_string(u.role)},
          {"role_name_vi", role_name_vi(u.role)},
          {"unit", unit},
          {"organisation", u.organisation},
          {"producer_id", u.producer ? json(u.producer->value) : json(nullptr)},
          {"email", u.email},
          {"phone", mask(u.phone)},
          {"citizen_id", mask(u.citizen_id)},
          {"bank_account", mask(u.bank_account)},
          {"active", u.active},
          {"must_change_password", u.must_change_password},
          {"created_at", u.created_at}};
}

Result<LoginResult> IdentityService::login(const std::string& username, const std::string& password,
                                           const std::string& client, const std::string& kind,
                                           const std::string& label, const std::string& request_id,
                                           Throttled* throttled) {
  if (kind != "cookie" && kind != "bearer") return Error::internal("unknown session kind");
  const std::int64_t now = clock_();
  const ThrottleSettings& t = settings_.throttle;
  // Throttling (docs/rules.md §9): failures for this user name from this client, and
  // from this client overall; never for the user name alone.
  auto [pair, from_client] = db_.read([&](storage::Connection& c) {
    auto count = [&](const char* sql, std::vector<Value> params) {
      auto rs = c.query(sql, params);
      FailureCount f;
      if (!rs.empty()) {
        f.failures = rs.rows[0].i64("n");
        f.last_at = rs.rows[0].is_null("last_at") ? 0 : rs.rows[0].i64("last_at");
      }
      return f;
    };
    std::int64_t since = now - t.window_s;
    return std::pair{count("SELECT count(*) AS n, max(at_epoch) AS last_at FROM login_attempt "
                           "WHERE client = ? AND username = ? AND success = 0 AND at_epoch > ?",
                           {client, username, since}),
                     count("SELECT count(*) AS n, max(at_epoch) AS last_at FROM login_attempt "
                           "WHERE client = ? AND success = 0 AND at_epoch > ?",
                           {client, since})};
  });
  if (int wait = login_wait_s(pair, from_client, now, t); wait > 0) {
    if (throttled) throttled->retry_after_s = wait;
    return Error{ErrorCode::too_many_requests,
                 "too many failed logins from this address; try again in " + std::to_string(wait) + " seconds", {}};
  }

  auto user = db_.read([&](storage::Connection& c) { return UserRepository::find_by_username(c, username); });
  bool ok = user ? verify_password(password, user->password_hash) : (verify_password(password, dummy_hash()), false);
  if (ok && !user->active) ok = false;

  Actor actor;
  actor.name = "user:" + username;
  actor.request_id = request_id;
  actor.client = client;
  if (!ok) {
    db_.write([&](storage::Connection& c) {
      c.execute("INSERT INTO login_attempt (username, client, at_epoch, success) VALUES (?, ?, ?, 0)",
                {username, client, now});
      audit::record(c, actor, "login_failed", "session", "", std::nullopt, std::nullopt,
                    json{{"username", username}, {"client", client}});
    });
    return Error::unauthenticated("wrong username or password");
  }
  actor.user = user->id;
  actor.role = user->role;
  actor.unit = user->unit;
  actor.producer = user->producer;
  LoginResult result;
  result.token = random_token();
  result.csrf_token = kind == "cookie" ? random_token(24) : "";
  std::int64_t lifetime = kind == "cookie" ? settings_.cookie_hours * 3600LL : settings_.bearer_days * 86400LL;
  result.expires_at = utc_iso_from_seconds(now + lifetime);
  result.user = user_json(*user);
  db_.write([&](storage::Connection& c) {
    c.execute("INSERT INTO login_attempt (username, client, at_epoch, success) VALUES (?, ?, ?, 1)",
              {username, client, now});
    // A success clears this user name's failures from this client; failures from
    // other clients stay theirs. Attempts older than the window are no longer needed.
    c.execute("DELETE FROM login_attempt WHERE username = ? AND client = ? AND success = 0", {username, client});
    c.execute("DELETE FROM login_attempt WHERE at_epoch <= ?", {now - settings_.throttle.window_s});
    c.execute("INSERT INTO auth_session (token_hash, user_id, kind, csrf_token, label, created_at, expires_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {digest_hex(result.token), user->id.value, kind, result.csrf_token, label, utc_now_iso(),
               result.expires_at});
    audit::record(c, actor, kind == "cookie" ? "login" : "token_issued", "session", "", user->unit, std::nullopt,
                  json{{"kind", kind}, {"client", client}, {"label", label}});
  });
  return result;
}

std::optional<Authenticated> IdentityService::authenticate(const std::string& token, const std::string& kind,
                                                           const std::string& client, const std::string& request_id) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto rs = db_.read([&](storage::Connection& c) {
    return c.query("SELECT s.csrf_token, s.expires_at, s.revoked_at, u.id AS user_id FROM auth_session s "
                   "JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ? AND s.kind = ? AND u.active = 1",
                   {digest_hex(token), kind});
  });
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  if (!r.is_null("revoked_at")) return std::nullopt;
  auto expires = parse_utc_seconds(r.str("expires_at"));
  if (!expires || *expires <= clock_()) return std::nullopt;
  auto user = db_.read([&](storage::Connection& c) { return UserRepository::find(c, UserId(r.i64("user_id"))); });
  if (!user) return std::nullopt;
  Authenticated a;
  a.actor.name = "user:" + user->username;
  a.actor.user = user->id;
  a.actor.role = user->role;
  a.actor.unit = user->unit;
  a.actor.producer = user->producer;
  a.actor.request_id = request_id;
  a.actor.client = client;
  a.csrf_token = r.str("csrf_token");
  a.via_cookie = kind == "cookie";
  a.must_change_password = user->must_change_password;
  return a;
}

Status IdentityService::logout(const Actor& actor, const std::string& token) {
  db_.write([&](storage::Connection& c) {
    c.execute("UPDATE auth_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
              {utc_now_iso(), digest_hex(token)});
    audit::record(c, actor, "logout", "session", "", actor.unit, std::nullopt, std::nullopt);
  });
  return {};
}

Status IdentityService::change_password(const Actor& actor, const std::string& current, const std::string& next,
                                        const std::string& keep_token) {
  if (!actor.user) return Error::forbidden("only a logged-in user can change their password");
  auto user = db_.read([&](storage::Connection& c) { return UserRepository::find(c, *actor.user); });
  if (!user) return Error::not_found("user not found");
  if (!verify_password(current, user->password_hash))
    return Error::invalid("the current password is wrong", {{"current_password", "is wrong"}});
  auto problems = password_problems(next, user->username, "new_password");
  if (next == current) problems.push_back({"new_password", "must differ from the current password"});
  if (!problems.empty()) return Error::invalid("the new password is not acceptable", problems);
  std::string hash = hash_password(next);
  db_.write([&](storage::Connection& c) {
    UserRepository::set_password(c, user->id, hash, false);
    c.execute("UPDATE auth_session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND token_hash <> ?",
              {utc_now_iso(), user->id.value, keep_token.empty() ? std::string("-") : digest_hex(keep_token)});
    audit::record(c, actor, "change_password", "app_user", std::to_string(user->id.value), user->unit, std::nullopt,
                  std::nullopt);
  });
  return {};
}

Result<json> IdentityService::me(const Actor& actor) {
  if (!actor.user) return Error::unauthenticated("not logged in");
  auto user = db_.read([&](storage::Connection& c) { return UserRepository::find(c, *actor.user); });
  if (!user) return Error::unauthenticated("not logged in");
  json perms = json::array();
  for (auto p : all_permissions())
    if (role_has(user->role, p)) perms.push_back(to_string(p));
  return json{{"user", user_json(*user)}, {"permissions", perms}};
}

Result<std::pair<std::vector<json>, std::int64_t>> IdentityService::list_users(const Actor& actor,
                                                                                const UserFilter& f) {
  if (auto s = AccessPolicy::require(actor, Permission::users_read); !s) return s.error();
  std::int64_t total = 0;
  auto users = db_.read([&](storage::Connection& c) { return UserRepository::list(c, f, &total); });
  std::vector<json> items;
  for (const auto& u : users) items.push_back(user_json(u));
  return std::pair{items, total};
}

Result<json> IdentityService::get_user(const Actor& actor, UserId id) {
  if (auto s = AccessPolicy::require(actor, Permission::users_read); !s) return s.error();
  auto u = db_.read([&](storage::Connection& c) { return UserRepository::find(c, id); });
  if (!u) return Error::not_found("no user with id " + std::to_string(id.value));
  json out = user_json(*u);
  // Other accounts with the same citizen ID (found by keyed hash, never by reading it).
  out["possible_duplicates"] = db_.read([&](storage::Connection& c) {
    json ids = json::array();
    auto hash = c.query("SELECT citizen_id_hash FROM app_user WHERE id = ?", {id.value}).rows.at(0).str("citizen_id_hash");
    for (auto other : UserRepository::with_citizen_hash(c, hash, id)) ids.push_back(other.value);
    return ids;
  });
  return out;
}

Result<json> IdentityService::get_user_by_name(const Actor& actor, const std::string& username) {
  if (auto s = AccessPolicy::require(actor, Permission::users_read); !s) return s.error();
  auto u = db_.read([&](storage::Connection& c) { return UserRepository::find_by_username(c, username); });
  if (!u) return Error::not_found("no user named '" + username + "'");
  return user_json(*u);
}

std::string IdentityService::citizen_hash(storage::Connection& c, const std::string& citizen_id) const {
  std::string n = normalise_identifier(citizen_id);
  if (n.empty()) return "";
  return digest_hex(n, pii_hash_key(c));
}

Status IdentityService::validate_new(storage::Connection& c, const NewUser& u) const {
  std::vector<FieldError> errors;
  if (!valid_username(u.username))
    errors.push_back({"username", "3–64 characters: lower-case letters, digits, '.', '_' or '-'"});
  else if (UserRepository::find_by_username(c, u.username))
    errors.push_back({"username", "is already taken"});
  if (u.producer && !UserRepository::producer_exists(c, *u.producer)) errors.push_back({"producer_id", "no such producer"});
  if (trim(u.display_name).empty()) errors.push_back({"display_name", "is required"});
  if (u.display_name.size() > 200) errors.push_back({"display_name", "must be at most 200 bytes"});
  auto g = admin_.graph();
  if (role_is_unit_scoped(u.role) && !u.unit) errors.push_back({"unit_id", "is required for a unit officer"});
  if (u.unit && !g->find(*u.unit)) errors.push_back({"unit_id", "no administrative unit with this id"});
  if (u.role == Role::producer && trim(u.organisation).empty())
    errors.push_back({"organisation", "is required for a cooperative or enterprise account"});
  if (!u.email.empty() && (u.email.find('@') == std::string::npos || u.email.size() > 200))
    errors.push_back({"email", "is not an e-mail address"});
  auto digits_only = [](const std::string& s) {
    std::string n = normalise_identifier(s);
    return std::all_of(n.begin(), n.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '+'; });
  };
  if (!u.phone.empty() && (!digits_only(u.phone) || normalise_identifier(u.phone).size() < 8))
    errors.push_back({"phone", "must be a phone number (digits)"});
  // Citizen identity card numbers have 12 digits (Law on Identification 2023); the old
  // 9-digit people's ID cards are still found in records.
  std::string cid = normalise_identifier(u.citizen_id);
  if (!cid.empty() && (!digits_only(cid) || (cid.size() != 12 && cid.size() != 9)))
    errors.push_back({"citizen_id", "must have 12 digits (or 9 for an old ID card)"});
  if (!u.bank_account.empty() && u.bank_account.size() > 40) errors.push_back({"bank_account", "is too long"});
  auto pw = password_problems(u.password, u.username);
  errors.insert(errors.end(), pw.begin(), pw.end());
  if (!errors.empty()) return Error::invalid("the user is not valid", std::move(errors));
  return {};
}

Result<json> IdentityService::create_user(const Actor& actor, const NewUser& input) {
  if (auto s = AccessPolicy::require(actor, Permission::users_manage); !s) return s.error();
  std::string hash = hash_password(input.password);  // slow: outside the transaction
  try {
    return db_.write([&](storage::Connection& c) -> Result<json> {
      if (auto s = validate_new(c, input); !s) return s.error();
      UserId id = UserRepository::insert(c, input, hash, citizen_hash(c, input.citizen_id));
      auto created = UserRepository::find(c, id);
      audit::record(c, actor, "create", "app_user", std::to_string(id.value), created->unit, std::nullopt,
                    user_audit_json(*created));
      return user_json(*created);
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation)
      return Error::invalid("the user is not valid", {{"username", "is already taken"}});
    throw;
  }
}

Result<json> IdentityService::update_user(const Actor& actor, UserId id, const UserPatch& p) {
  if (auto s = AccessPolicy::require(actor, Permission::users_manage); !s) return s.error();
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto u = UserRepository::find(c, id);
    if (!u) return Error::not_found("no user with id " + std::to_string(id.value));
    User before = *u;
    std::vector<FieldError> errors;
    if (p.display_name) {
      if (trim(*p.display_name).empty()) errors.push_back({"display_name", "is required"});
      u->display_name = *p.display_name;
    }
    if (p.role) u->role = *p.role;
    if (p.unit) {
      if (*p.unit && !g->find(**p.unit)) errors.push_back({"unit_id", "no administrative unit with this id"});
      u->unit = *p.unit;
    }
    if (p.organisation) u->organisation = *p.organisation;
    if (p.producer) {
      if (*p.producer && !UserRepository::producer_exists(c, **p.producer))
        errors.push_back({"producer_id", "no such producer"});
      u->producer = *p.producer;
    }
    if (p.email) {
      if (!p.email->empty() && p.email->find('@') == std::string::npos)
        errors.push_back({"email", "is not an e-mail address"});
      u->email = *p.email;
    }
    if (p.phone) u->phone = *p.phone;
    if (p.citizen_id) {
      std::string cid = normalise_identifier(*p.citizen_id);
      if (!cid.empty() && cid.size() != 12 && cid.size() != 9)
        errors.push_back({"citizen_id", "must have 12 digits (or 9 for an old ID card)"});
      u->citizen_id = *p.citizen_id;
    }
    if (p.bank_account) u->bank_account = *p.bank_account;
    if (p.active) {
      if (!*p.active && actor.user == u->id) errors.push_back({"active", "you cannot deactivate your own account"});
      u->active = *p.active;
    }
    if (role_is_unit_scoped(u->role) && !u->unit) errors.push_back({"unit_id", "is required for a unit officer"});
    if (actor.user == u->id && u->role != Role::province_admin)
      errors.push_back({"role", "you cannot remove your own administrator role"});
    if (!errors.empty()) return Error::invalid("the user is not valid", std::move(errors));
    UserRepository::update(c, *u, citizen_hash(c, u->citizen_id));
    if (!u->active) c.execute("UPDATE auth_session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                              {utc_now_iso(), u->id.value});
    audit::record(c, actor, "update", "app_user", std::to_string(id.value), u->unit, user_audit_json(before),
                  user_audit_json(*u));
    return user_json(*u);
  });
}

Result<std::string> IdentityService::reset_password(const Actor& actor, UserId id, const std::string& new_password) {
  if (auto s = AccessPolicy::require(actor, Permission::users_manage); !s) return s.error();
  auto u = db_.read([&](storage::Connection& c) { return UserRepository::find(c, id); });
  if (!u) return Error::not_found("no user with id " + std::to_string(id.value));
  std::string pw = new_password.empty() ? temporary_password() : new_password;
  if (auto problems = password_problems(pw, u->username, "new_password"); !problems.empty())
    return Error::invalid("the new password is not acceptable", problems);
  std::string hash = hash_password(pw);
  db_.write([&](storage::Connection& c) {
    UserRepository::set_password(c, id, hash, /*must_change=*/true);
    // Existing sessions end: whoever knew the old password is logged out.
    c.execute("UPDATE auth_session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
              {utc_now_iso(), id.value});
    c.execute("DELETE FROM login_attempt WHERE username = ?", {u->username});
    audit::record(c, actor, "reset_password", "app_user", std::to_string(id.value), u->unit, std::nullopt,
                  json{{"must_change_password", true}});
  });
  return pw;
}

Result<std::string> IdentityService::reveal(const Actor& actor, UserId id, PiiField field) {
  if (auto s = AccessPolicy::require(actor, Permission::pii_reveal); !s) return s.error();
  auto u = db_.read([&](storage::Connection& c) { return UserRepository::find(c, id); });
  if (!u) return Error::not_found("no user with id " + std::to_string(id.value));
  std::string name = field == PiiField::phone ? "phone" : field == PiiField::citizen_id ? "citizen_id" : "bank_account";
  std::string value = field == PiiField::phone ? u->phone : field == PiiField::citizen_id ? u->citizen_id : u->bank_account;
  // Decree 13/2023/NĐ-CP: every processing of personal data is recorded.
  db_.write([&](storage::Connection& c) {
    audit::record(c, actor, "reveal", "app_user", std::to_string(id.value), u->unit, std::nullopt,
                  json{{"field", name}});
  });
  return value;
}

}  // namespace nongsan::identity
