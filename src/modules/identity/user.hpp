// People who log in. Personal identifiers (phone, citizen ID, bank account) are
// personal data under Decree 13/2023/NĐ-CP: shown masked, revealed only to roles
// with pii.reveal, each reveal audited.
#pragma once

#include <optional>
#include <string>

#include "core/strong_id.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::identity {

struct User {
  UserId id;
  std::string username;
  std::string display_name;
  Role role = Role::unit_officer;
  std::optional<UnitId> unit;
  std::string organisation;
  std::optional<ProducerId> producer;
  std::string email;
  std::string phone;
  std::string citizen_id;
  std::string bank_account;
  std::string password_hash;
  bool must_change_password = false;
  bool active = true;
  std::string created_at, updated_at;
};

struct NewUser {
  std::string username, display_name;
  Role role = Role::unit_officer;
  std::optional<UnitId> unit;
  std::optional<ProducerId> producer;
  std::string organisation, email, phone, citizen_id, bank_account;
  std::string password;
  bool must_change_password = false;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::optional<UnitId>> unit;  // set to nullopt-inside to clear
  std::optional<std::optional<ProducerId>> producer;
  std::optional<std::string> organisation, email, phone, citizen_id, bank_account;
  std::optional<bool> active;
};

struct UserFilter {
  std::string q;
  std::optional<Role> role;
  std::optional<UnitId> unit;
  std::optional<bool> active;
  int page = 1, page_size = 50;
};

// A personal-data field that may be revealed.
enum class PiiField { phone, citizen_id, bank_account };
std::optional<PiiField> parse_pii_field(std::string_view text);

}  // namespace nongsan::identity
