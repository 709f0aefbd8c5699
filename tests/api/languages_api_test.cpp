// Error messages reach officers in Vietnamese; English when the request asks for it
// (Accept-Language). Field names stay the API's; field messages are translated too.
#include "api/api_fixture.hpp"

namespace nongsan::api {

class LanguagesApi : public ApiTest {
 protected:
  Reply get(const std::string& target, const std::string& accept_language, const std::string& user = "admin",
            const std::string& method = "GET", const std::string& body = "") {
    Request r;
    r.method = method;
    r.target = target;
    if (!user.empty()) r.headers["authorization"] = "Bearer " + token(user);
    if (!body.empty()) {
      r.headers["content-type"] = "application/json";
      r.body = body;
    }
    r.headers["accept-language"] = accept_language;  // "" is a request that says nothing
    return raw(r);
  }
};

TEST_P(LanguagesApi, VietnameseByDefaultEnglishByAcceptLanguage) {
  auto vi = get("/api/v1/units/424242", "");
  EXPECT_EQ(vi.status, 404);
  EXPECT_EQ(vi.body["code"], "not_found");  // codes are for programs: never translated
  EXPECT_EQ(vi.body["message"], "không tìm thấy đơn vị hành chính có id 424242");
  EXPECT_EQ(vi.header("Content-Language"), "vi");
  auto vi_browser = get("/api/v1/units/424242", "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7");
  EXPECT_EQ(vi_browser.body["message"], vi.body["message"]);
  auto en = get("/api/v1/units/424242", "en-US,en;q=0.9");
  EXPECT_EQ(en.body["message"], "no administrative unit with id 424242");
  EXPECT_EQ(en.header("Content-Language"), "en");

  EXPECT_EQ(get("/api/v1/units", "", "").body["message"], "hãy đăng nhập trước");
  auto denied = get("/api/v1/users", "", "insp");
  EXPECT_EQ(denied.body["message"], "vai trò của bạn (inspector) không có quyền users.read");
}

TEST_P(LanguagesApi, FieldMessagesAreTranslatedAndFieldNamesKept) {
  const std::string body = json{{"username", "A B"}, {"display_name", ""}, {"role", "unit_officer"},
                                {"password", "short"}, {"colour", "red"}}
                               .dump();
  auto vi = get("/api/v1/users", "", "admin", "POST", body);
  ASSERT_EQ(vi.status, 400);
  EXPECT_EQ(vi.body["message"], "nội dung yêu cầu không hợp lệ");
  ASSERT_EQ(vi.body["errors"].size(), 1u);
  EXPECT_EQ(vi.body["errors"][0]["field"], "colour");
  EXPECT_EQ(vi.body["errors"][0]["message"], "trường không xác định");

  auto service = get("/api/v1/users", "",
                     "admin", "POST",
                     json{{"username", "A B"}, {"display_name", "X"}, {"role", "unit_officer"}, {"password", "short"}}.dump());
  ASSERT_EQ(service.status, 400);
  std::map<std::string, std::string> by_field;
  for (const auto& e : service.body["errors"]) by_field[e["field"]] = e["message"];
  EXPECT_EQ(by_field["username"], "từ 3 đến 64 ký tự: chữ thường không dấu, chữ số, '.', '_' hoặc '-'");
  EXPECT_EQ(by_field["unit_id"], "là bắt buộc với cán bộ cấp huyện/xã");
  EXPECT_EQ(by_field["password"], "phải có ít nhất 10 ký tự");

  auto numbers = get("/api/v1/figures?page_size=1000", "");
  EXPECT_EQ(numbers.body["errors"][0]["message"], "phải từ 1 đến 500");
  auto json_error = get("/api/v1/figures", "", "admin", "POST", "{\"series\": ");
  EXPECT_EQ(json_error.body["message"], "nội dung yêu cầu không phải JSON hợp lệ tại dòng 1, cột 12");

  auto login = get("/api/v1/auth/login", "", "", "POST", json{{"username", "admin"}, {"password", "wrong-password-x"}}.dump());
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.body["message"], "sai tên đăng nhập hoặc mật khẩu");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, LanguagesApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, LanguagesApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
