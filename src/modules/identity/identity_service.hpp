// Logging in and out, sessions and bearer tokens, login throttling, and the
// management of users by an administrator. Only digests of session secrets are
// stored; a stolen database does not give working sessions.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/identity/login_throttle.hpp"
#include "modules/identity/user.hpp"
#include "storage/database.hpp"

namespace nongsan::identity {

struct SessionSettings {
  int cookie_hours = 8;  // a working day
  int bearer_days = 30;
  ThrottleSettings throttle;  // login throttling (login_throttle.hpp)
};

struct LoginResult {
  std::string token;       // the secret for the cookie or the Authorization header
  std::string csrf_token;  // cookie sessions only
  std::string expires_at;
  nlohmann::json user;
};

// An authenticated request: who, and for cookie sessions the CSRF token to check.
struct Authenticated {
  Actor actor;
  std::string csrf_token;
  bool via_cookie = false;
  bool must_change_password = false;
};

// A login refused because of too many failures: retry after this many seconds.
struct Throttled {
  int retry_after_s = 0;
};

class IdentityService {
 public:
  IdentityService(storage::Database& db, admin::AdminService& admin, SessionSettings settings = {})
      : db_(db), admin_(admin), settings_(settings) {}

  // The clock of logins and sessions (Unix seconds); tests set a fixed one.
  void set_clock(std::function<std::int64_t()> clock) { clock_ = std::move(clock); }

  // `kind`: "cookie" or "bearer". `client` is the caller's address. On throttling
  // returns too_many_requests and sets *throttled; a throttled attempt checks no
  // password and counts as no failure.
  Result<LoginResult> login(const std::string& username, const std::string& password, const std::string& client,
                            const std::string& kind, const std::string& label, const std::string& request_id,
                            Throttled* throttled = nullptr);
  // nullopt when the token is unknown, expired, revoked or its user inactive.
  std::optional<Authenticated> authenticate(const std::string& token, const std::string& kind,
                                            const std::string& client, const std::string& request_id);
  Status logout(const Actor& actor, const std::string& token);
  // Ends every other session of the user: whoever knew the old password is logged out.
  Status change_password(const Actor& actor, const std::string& current, const std::string& next,
                         const std::string& keep_token = "");
  Result<nlohmann::json> me(const Actor& actor);

  // Administration (users.read / users.manage / pii.reveal).
  Result<std::pair<std::vector<nlohmann::json>, std::int64_t>> list_users(const Actor& actor, const UserFilter& f);
  Result<nlohmann::json> get_user(const Actor& actor, UserId id);
  Result<nlohmann::json> create_user(const Actor& actor, const NewUser& input);
  Result<nlohmann::json> update_user(const Actor& actor, UserId id, const UserPatch& patch);
  // Returns the new password (generated when `new_password` is empty).
  Result<std::string> reset_password(const Actor& actor, UserId id, const std::string& new_password);
  Result<std::string> reveal(const Actor& actor, UserId id, PiiField field);
  // The CLI's user command and the demo use these with a CLI actor.
  Result<nlohmann::json> get_user_by_name(const Actor& actor, const std::string& username);

  nlohmann::json user_json(const User& u) const;

 private:
  Status validate_new(storage::Connection& c, const NewUser& u) const;
  std::string citizen_hash(storage::Connection& c, const std::string& citizen_id) const;

  storage::Database& db_;
  admin::AdminService& admin_;
  SessionSettings settings_;
  std::function<std::int64_t()> clock_ = [] { return unix_now(); };
};

}  // namespace nongsan::identity
