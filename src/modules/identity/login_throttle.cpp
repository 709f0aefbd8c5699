#include "modules/identity/login_throttle.hpp"

#include <algorithm>

namespace nongsan::identity {

int throttle_delay_s(std::int64_t failures, int free_failures, const ThrottleSettings& s) {
  if (failures < free_failures || s.first_delay_s <= 0) return 0;
  std::int64_t delay = s.first_delay_s;
  for (std::int64_t extra = failures - free_failures; extra > 0 && delay < s.max_delay_s; --extra) delay *= 2;
  return static_cast<int>(std::min<std::int64_t>(delay, s.max_delay_s));
}

int login_wait_s(const FailureCount& user_from_client, const FailureCount& from_client, std::int64_t now,
                 const ThrottleSettings& s) {
  auto wait = [&](const FailureCount& f, int free_failures) -> std::int64_t {
    int delay = throttle_delay_s(f.failures, free_failures, s);
    return delay == 0 ? 0 : std::max<std::int64_t>(0, f.last_at + delay - now);
  };
  return static_cast<int>(std::max(wait(user_from_client, s.free_failures), wait(from_client, s.client_free_failures)));
}

}  // namespace nongsan::identity
