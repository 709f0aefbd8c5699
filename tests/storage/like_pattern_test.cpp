// "Contains" searches match what the user typed literally on both backends: % and _
// are not wildcards, and the escape character is an ordinary character.
#include "storage/like_pattern.hpp"

#include "storage/contract_fixture.hpp"

namespace nongsan::storage {

TEST_P(StorageContract, LikeContainsMatchesTheTextLiterally) {
  EXPECT_EQ(like_contains("tea"), "%tea%");
  EXPECT_EQ(like_contains("50%_!"), "%50!%!_!!%");
  db->write([](Connection& c) {
    c.execute_script("CREATE TABLE like_probe (name TEXT NOT NULL)");
    for (const char* n : {"chè 100% sạch", "chè sạch", "ma_xa", "maxxa", "a!b", "ab", "a\\b"})
      c.execute("INSERT INTO like_probe (name) VALUES (?)", {std::string(n)});
  });
  auto matches = [&](const std::string& needle) {
    return db->read([&](Connection& c) {
      return c.scalar_i64("SELECT count(*) FROM like_probe WHERE name LIKE ?" + std::string(kLikeEscape),
                          {like_contains(needle)});
    });
  };
  EXPECT_EQ(matches("%"), 1);      // not every row
  EXPECT_EQ(matches("100%"), 1);
  EXPECT_EQ(matches("_"), 1);      // only the name with an underscore
  EXPECT_EQ(matches("a_x"), 1);    // not "maxxa"
  EXPECT_EQ(matches("!"), 1);
  EXPECT_EQ(matches("a!b"), 1);
  EXPECT_EQ(matches("\\"), 1);
  EXPECT_EQ(matches("sạch"), 2);
}

}  // namespace nongsan::storage
