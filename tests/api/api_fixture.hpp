// API tests run the real route table and services in process (Api::handle) on
// a fresh database per test, on SQLite and on PostgreSQL.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.hpp"
#include "app/app.hpp"
#include "test_support/small_province.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::api {

// A square GeoJSON polygon of `size` degrees with its south-west corner at (x, y): the
// parcel or zone most API tests draw.
inline nlohmann::json square_polygon(double x, double y, double size) {
  return {{"type", "Polygon"},
          {"coordinates", {{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}}}};
}

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  Response raw;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : raw.headers)
      if (k == name) return v;
    return "";
  }
  // True when the error body names `field` among its problems.
  bool names_field(const std::string& field) const {
    if (!body.is_object() || !body.contains("errors")) return false;
    for (const auto& e : body["errors"])
      if (e.value("field", "") == field) return true;
    return false;
  }
};

class ApiTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(GetParam(), /*migrate=*/false);
    if (!tdb) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
    app::Config config;
    config.db = tdb->location;
    config.backup_dir = tdb->scratch_dir;
    config.raster_dir = tdb->scratch_dir + "/rasters";  // raster layers must lie here, on both backends
    app = app::App::open(config);
    province = test_support::seed_small_province(*app);
    api = std::make_unique<Api>(app->services());
  }

  // A request as a user (bearer token), or anonymous when `user` is empty.
  Reply call(const std::string& method, const std::string& target, const std::string& user = "",
             const std::string& body = "", const std::string& content_type = "application/json") {
    Request r;
    r.method = method;
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = parse_query(std::string_view(target).substr(q + 1));
    r.body = body;
    if (!body.empty()) r.headers["content-type"] = content_type;
    if (!user.empty()) r.headers["authorization"] = "Bearer " + token(user);
    r.headers["accept-language"] = "en";  // English messages (Vietnamese is the default)
    r.client = "127.0.0.1";
    r.request_id = "test";
    return reply(api->handle(r));
  }

  Reply call_json(const std::string& method, const std::string& target, const std::string& user, const json& body) {
    return call(method, target, user, body.dump());
  }

  Reply raw(Request r) {
    if (r.request_id.empty()) r.request_id = "test";
    if (!r.headers.count("accept-language")) r.headers["accept-language"] = "en";
    if (r.client.empty()) r.client = "127.0.0.1";
    auto q = r.target.find('?');
    r.path = url_decode_path(std::string_view(r.target).substr(0, q));  // as the HTTP layer hands it over
    if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
    return reply(api->handle(r));
  }

  std::string token(const std::string& user) {
    auto it = tokens.find(user);
    if (it != tokens.end()) return it->second;
    Request r;
    r.method = "POST";
    r.target = r.path = "/api/v1/auth/tokens";
    r.headers["content-type"] = "application/json";
    r.body = json{{"username", user}, {"password", test_support::kTestPassword}}.dump();
    r.client = "127.0.0.1";
    r.request_id = "login";
    auto rep = reply(api->handle(r));
    EXPECT_EQ(rep.status, 201) << rep.body.dump();
    return tokens[user] = rep.body.value("access_token", "");
  }

  std::int64_t id(const std::string& key) { return province.units.at(key).value; }
  std::int64_t count(const std::string& table) {
    return app->db().read([&](storage::Connection& c) { return c.scalar_i64("SELECT count(*) FROM " + table); });
  }

  static Reply reply(Response resp) {
    Reply rep;
    rep.status = resp.status;
    if (!resp.body.empty()) rep.body = json::parse(resp.body, nullptr, false);
    rep.raw = std::move(resp);
    return rep;
  }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<app::App> app;
  std::unique_ptr<Api> api;
  test_support::SmallProvince province;
  std::map<std::string, std::string> tokens;
};

}  // namespace nongsan::api
