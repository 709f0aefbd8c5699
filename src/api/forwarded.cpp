#include "api/forwarded.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "core/number_input.hpp"
#include "core/text.hpp"

namespace nongsan::api {

namespace {

// The address as 16 bytes (IPv4 mapped into IPv6), or false.
bool to_bytes(std::string_view text, std::array<unsigned char, 16>& out, bool& v4) {
  std::string s = trim(text);
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);  // [::1]
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    v4 = true;
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    v4 = false;
    return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    std::string item = trim(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies p;
  std::vector<FieldError> errors;
  for (const auto& e : entries) {
    auto slash = e.find('/');
    Block b;
    bool v4 = false;
    if (!to_bytes(e.substr(0, slash), b.bytes, v4)) {
      errors.push_back({"trusted_proxies", "'" + e + "' is not an IP address or CIDR block"});
      continue;
    }
    b.prefix = 128;
    if (slash != std::string::npos) {
      auto n = parse_integer(e.substr(slash + 1), NumberRange::int32(0, v4 ? 32 : 128), "trusted_proxies");
      if (!n) {
        errors.push_back({"trusted_proxies", "'" + e + "' has a bad prefix length"});
        continue;
      }
      b.prefix = static_cast<int>(*n) + (v4 ? 96 : 0);
    }
    p.blocks_.push_back(b);
  }
  if (!errors.empty()) return Error::invalid("bad setting", std::move(errors));
  return p;
}

bool TrustedProxies::contains(std::string_view address) const {
  std::array<unsigned char, 16> a{};
  bool v4 = false;
  if (!to_bytes(address, a, v4)) return false;
  return std::any_of(blocks_.begin(), blocks_.end(), [&](const Block& b) {
    int full = b.prefix / 8, rest = b.prefix % 8;
    if (!std::equal(a.begin(), a.begin() + full, b.bytes.begin())) return false;
    if (rest == 0) return true;
    unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (a[static_cast<std::size_t>(full)] & mask) == (b.bytes[static_cast<std::size_t>(full)] & mask);
  });
}

void apply_forwarded_headers(Request& r, const TrustedProxies& proxies) {
  if (proxies.empty() || !proxies.contains(r.client)) return;
  // X-Forwarded-For: client, proxy1, proxy2 — each proxy appends the address it saw.
  // Walk from the right past our own proxies; the first other address is the client.
  auto chain = split_list(r.header("x-forwarded-for"));
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    std::array<unsigned char, 16> ignored{};
    bool v4 = false;
    if (!to_bytes(*it, ignored, v4)) break;  // garbage: keep the last good address
    r.client = *it;
    if (!proxies.contains(*it)) break;
  }
  auto proto = split_list(r.header("x-forwarded-proto"));
  if (!proto.empty()) {
    std::string last = proto.back();
    std::transform(last.begin(), last.end(), last.begin(), [](unsigned char c) { return std::tolower(c); });
    r.https = last == "https";
  }
}

}  // namespace nongsan::api
