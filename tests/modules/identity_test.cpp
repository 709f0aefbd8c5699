#include <gtest/gtest.h>

#include "modules/identity/credentials.hpp"
#include "modules/identity/login_throttle.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::identity {

TEST(Mask, ShowsOnlyTheLastCharacters) {
  EXPECT_EQ(mask("0912345678"), "*******678");
  EXPECT_EQ(mask("001234567890"), "*********890");
  EXPECT_EQ(mask("12345"), "***45");
  EXPECT_EQ(mask("123"), "***");
  EXPECT_EQ(mask(""), "");
  EXPECT_EQ(mask("Đặng Văn A"), "*******n A");  // counts characters, not bytes
}

TEST(Passwords, Argon2idHashesVerify) {
  auto h = hash_password("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password("correct horse battery", h));
  EXPECT_FALSE(verify_password("correct horse batterY", h));
  EXPECT_NE(hash_password("correct horse battery"), h);  // salted
}

TEST(Passwords, WeakOnesAreRefused) {
  EXPECT_FALSE(password_problems("short", "u").empty());
  EXPECT_FALSE(password_problems("aaaaaaaaaaaa", "u").empty());
  EXPECT_FALSE(password_problems("username12", "username12").empty());
  EXPECT_TRUE(password_problems("a-fine-passphrase", "u").empty());
}

TEST(Tokens, RandomAndDigested) {
  auto a = random_token(), b = random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(digest_hex(a).size(), 64u);
  EXPECT_NE(digest_hex("001234567890", "key-one"), digest_hex("001234567890", "key-two"));
  EXPECT_EQ(temporary_password().size(), 15u);
}

TEST(Roles, PermissionTableDeniesByDefault) {
  EXPECT_TRUE(role_has(Role::province_admin, Permission::audit_read));
  EXPECT_FALSE(role_has(Role::province_officer, Permission::users_manage));
  EXPECT_FALSE(role_has(Role::inspector, Permission::figures_write));
  EXPECT_FALSE(role_has(Role::producer, Permission::figures_read));
  EXPECT_TRUE(role_is_unit_scoped(Role::unit_officer));
  EXPECT_FALSE(role_is_unit_scoped(Role::province_officer));
  for (auto r : {Role::province_admin, Role::province_officer, Role::unit_officer, Role::producer, Role::inspector})
    EXPECT_EQ(parse_role(to_string(r)), r);
}

TEST(LoginThrottle, DelayDoublesAfterTheFreeFailuresUpToTheMaximum) {
  ThrottleSettings s;  // 5 free, 30 s doubling, at most 900 s
  EXPECT_EQ(throttle_delay_s(0, s.free_failures, s), 0);
  EXPECT_EQ(throttle_delay_s(4, s.free_failures, s), 0);
  EXPECT_EQ(throttle_delay_s(5, s.free_failures, s), 30);
  EXPECT_EQ(throttle_delay_s(6, s.free_failures, s), 60);
  EXPECT_EQ(throttle_delay_s(8, s.free_failures, s), 240);
  EXPECT_EQ(throttle_delay_s(10, s.free_failures, s), 900);
  EXPECT_EQ(throttle_delay_s(100000, s.free_failures, s), 900);
}

TEST(LoginThrottle, WaitCountsFromTheLastFailureOfTheUserFromThisClientOrOfTheClient) {
  ThrottleSettings s;
  const std::int64_t t = 1'000'000;
  // Four failures for the user name from this client: still free.
  EXPECT_EQ(login_wait_s({4, t}, {4, t}, t, s), 0);
  // The fifth: 30 s from the last failure, counted down as time passes.
  EXPECT_EQ(login_wait_s({5, t}, {5, t}, t, s), 30);
  EXPECT_EQ(login_wait_s({5, t}, {5, t}, t + 10, s), 20);
  EXPECT_EQ(login_wait_s({5, t}, {5, t}, t + 30, s), 0);
  // One client trying many user names: the client's own count decides.
  EXPECT_EQ(login_wait_s({0, 0}, {19, t}, t, s), 0);
  EXPECT_EQ(login_wait_s({0, 0}, {20, t}, t, s), 30);
  EXPECT_EQ(login_wait_s({0, 0}, {23, t}, t, s), 240);
  // The owner's own client with no failures is never made to wait by anyone else's.
  EXPECT_EQ(login_wait_s({0, 0}, {0, 0}, t, s), 0);
  ThrottleSettings off = s;
  off.first_delay_s = 0;
  EXPECT_EQ(login_wait_s({50, t}, {50, t}, t, off), 0);
}

}  // namespace nongsan::identity
