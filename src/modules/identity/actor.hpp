// Who is acting: a logged-in user, or the command line acting with local
// administrator authority (audited as "cli:<OS user>"). Every service call takes
// an Actor; the audit trail records its name and the request id.
#pragma once

#include <optional>
#include <string>

#include "core/strong_id.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::identity {

struct Actor {
  std::string name;  // "user:<username>" or "cli:<os user>"
  std::optional<UserId> user;
  Role role = Role::anonymous;  // until authenticated: no permission at all
  std::optional<UnitId> unit;  // scope root for unit officers
  std::optional<ProducerId> producer;  // the cooperative or enterprise of a producer account
  std::string request_id;
  std::string client;  // IP address or "cli"

  static Actor cli(const std::string& os_user) {
    Actor a;
    a.name = "cli:" + os_user;
    a.role = Role::province_admin;
    a.client = "cli";
    return a;
  }
};

}  // namespace nongsan::identity
