#pragma once

#include <optional>
#include <vector>

#include "modules/identity/user.hpp"
#include "storage/database.hpp"

namespace nongsan::identity {

class UserRepository {
 public:
  static std::optional<User> find(storage::Connection& c, UserId id);
  static std::optional<User> find_by_username(storage::Connection& c, const std::string& username);
  static std::vector<User> list(storage::Connection& c, const UserFilter& f, std::int64_t* total);
  static UserId insert(storage::Connection& c, const NewUser& u, const std::string& password_hash,
                       const std::string& citizen_id_hash);
  static void update(storage::Connection& c, const User& u, const std::string& citizen_id_hash);
  static void set_password(storage::Connection& c, UserId id, const std::string& hash, bool must_change);
  static std::int64_t count(storage::Connection& c);
  // Whether a producer record exists: the account's producer_id is checked here, not by a
  // foreign key (Citus refuses one from app_user, a reference table, to producer, a
  // distributed one: docs/adr/0018-citus-ready-schema.md).
  static bool producer_exists(storage::Connection& c, ProducerId id);
  // Users sharing a citizen ID (by keyed hash), other than `except`.
  static std::vector<UserId> with_citizen_hash(storage::Connection& c, const std::string& hash, UserId except);
};

// The installation's secret key for keyed digests, created on first use.
std::string pii_hash_key(storage::Connection& c);

}  // namespace nongsan::identity
