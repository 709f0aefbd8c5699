// Login throttling that slows the attacker, not the owner (docs/rules.md §9: OWASP
// Authentication Cheat Sheet, "Protect against automated attacks"; NIST SP 800-63B
// §5.2.2). Failures are counted per client address, and per user name from one
// client; after a number of free failures each further attempt from that client
// waits a delay that doubles with every failure, up to a maximum. Nothing is ever
// counted per user name alone, so failures from one client never refuse the owner
// logging in from another. Pure rules: no I/O, no clock.
#pragma once

#include <cstdint>

namespace nongsan::identity {

struct ThrottleSettings {
  int free_failures = 5;          // for one user name from one client, before a delay
  int client_free_failures = 20;  // from one client, any user names, before a delay
  int first_delay_s = 30;         // after the free failures; doubles with each further one
  int max_delay_s = 900;
  int window_s = 24 * 3600;       // failures older than this are forgotten
};

// Failures counted in the window, and when the last one happened (Unix seconds).
struct FailureCount {
  std::int64_t failures = 0;
  std::int64_t last_at = 0;
};

// The delay that `failures` failures impose before the next attempt (0 when still free).
int throttle_delay_s(std::int64_t failures, int free_failures, const ThrottleSettings& s);

// Seconds the next attempt must still wait (0: it may go ahead), given the failures
// for the user name from this client and from this client overall.
int login_wait_s(const FailureCount& user_from_client, const FailureCount& from_client, std::int64_t now,
                 const ThrottleSettings& s);

}  // namespace nongsan::identity
