#include "api/http.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace nongsan::api {

std::string error_body(const Error& e, const std::string& request_id) {
  using nlohmann::json;
  json errors = json::array();
  for (const auto& f : e.fields) errors.push_back({{"field", f.field}, {"message", f.message}});
  // Replace invalid UTF-8 rather than throwing: a message may quote what a client sent.
  return json{{"code", to_string(e.code)}, {"message", e.message}, {"errors", errors}, {"request_id", request_id}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string Request::cookie(std::string_view name) const {
  std::string all = header("cookie");
  std::string_view s(all);
  while (!s.empty()) {
    auto semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return {};
}

namespace {
std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      auto hex = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}
}  // namespace

std::string body_of(const Response& r) {
  if (!r.file.empty()) {
    std::ifstream in(r.file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (!r.static_body.empty()) return std::string(r.static_body);
  return r.body;
}

bool has_header(const Response& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
  });
}

std::string media_type_of(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string url_decode(std::string_view s) { return percent_decode(s, true); }
std::string url_decode_path(std::string_view s) { return percent_decode(s, false); }

void set_request_target(Request& r, std::string target) {
  r.target = std::move(target);
  auto q = r.target.find('?');
  r.raw_path = r.target.substr(0, q);
  r.path = url_decode_path(r.raw_path);
  r.query.clear();
  if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string_view::npos) out.emplace_back(url_decode(part), "");
      else out.emplace_back(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace nongsan::api
