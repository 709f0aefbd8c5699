// Requests that come through a reverse proxy (nginx, a provincial gateway): the
// proxy's own address is the peer, the client's is in X-Forwarded-For, and whether
// the client used HTTPS is in X-Forwarded-Proto. Anyone can send those headers, so
// they are believed only when the peer is one of the configured proxies
// (`trusted_proxies`: addresses or CIDR blocks, IPv4 or IPv6). Login throttling
// counts per client address and the session cookie is Secure over HTTPS, so both
// depend on reading them right.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "core/result.hpp"

namespace nongsan::api {

class TrustedProxies {
 public:
  // "127.0.0.1, 10.0.0.0/8, ::1": an error names the entry that is not an address.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);
  bool contains(std::string_view address) const;
  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    std::array<unsigned char, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
    int prefix = 128;
  };
  std::vector<Block> blocks_;
};

// When the peer (`request.client`) is a trusted proxy: the client address becomes the
// nearest address in X-Forwarded-For that is not itself a trusted proxy, and
// `request.https` is set when X-Forwarded-Proto's last value is "https".
void apply_forwarded_headers(Request& request, const TrustedProxies& proxies);

// "a, b" -> {"a", "b"} (spaces trimmed, empty entries dropped).
std::vector<std::string> split_list(std::string_view text);

}  // namespace nongsan::api
