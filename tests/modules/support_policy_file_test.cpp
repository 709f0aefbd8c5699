// The policies file: what is accepted, each mistake named by its path, amendments.
#include "modules/support/policy_file.hpp"

#include <gtest/gtest.h>

#include "core/json_input.hpp"

namespace nongsan::support {
namespace {

nlohmann::json parse(const std::string& text) { return *parse_json_input(text, "test"); }

const char* kTea = R"json({"code": "NQ07-TEA", "version": "2021-03-22", "name_vi": "Hỗ trợ trồng chè",
  "name_en": "Tea planting", "content": "tea_planting", "item": "area", "rate": 15000000, "one_time": true,
  "cap_per_beneficiary_year": 30000000, "exclusive_with": ["NQ07-FRUIT"],
  "requires": {"crop": "tea", "zone": true, "controller": true, "suitability": ["S1", "S2"]},
  "conditions": "claimed_ha >= 0.3 and applicant_kind in [\"household\", \"cooperative\"]",
  "source": "Resolution 07/2021/NQ-HĐND (illustrative)", "illustrative": true})json";

TEST(SupportPolicyFile, ReadsAndWritesBackAPolicy) {
  auto p = parse_policy(parse(kTea));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->code, "NQ07-TEA");
  EXPECT_EQ(p->version.iso(), "2021-03-22");
  EXPECT_EQ(p->item, ItemUnit::area);
  EXPECT_EQ(p->rate, 15000000);
  EXPECT_TRUE(p->one_time);
  EXPECT_EQ(p->cap_per_beneficiary_year, 30000000);
  EXPECT_EQ(p->requires_.suitability, (std::vector<std::string>{"S1", "S2"}));
  auto again = parse_policy(to_json(*p));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(to_json(*again), to_json(*p));
}

struct Bad {
  const char* name;
  const char* edit_key;
  const char* edit_value;  // JSON
  const char* field;
  const char* message_part;
};

TEST(SupportPolicyFile, NamesEveryMistakeByItsPath) {
  const Bad cases[] = {
      {"unknown item", "item", "\"acre\"", "[0].item", "must be one of"},
      {"negative rate", "rate", "-5", "[0].rate", "between"},
      {"rate as text", "rate", "\"15000000\"", "[0].rate", "must be a number"},
      {"impossible date", "version", "\"2021-02-30\"", "[0].version", "must be a date"},
      {"year 1", "version", "\"0001-01-01\"", "[0].version", "between 1945 and 2100"},
      {"unknown fact", "conditions", "\"claimed_area >= 1\"", "[0].conditions", "position 1: unknown fact"},
      {"type error", "conditions", "\"claimed_ha == \\\"1\\\"\"", "[0].conditions", "cannot compare"},
      {"bad class", "requires", R"({"crop": "tea", "suitability": ["S4"]})", "[0].requires.suitability[0]", "S1, S2, S3 or N"},
      {"zone without crop", "requires", R"({"zone": true})", "[0].requires.zone", "needs requires.crop"},
      {"unknown requirement", "requires", R"({"crop": "tea", "soil": 1})", "[0].requires.soil", "unknown field"},
      {"fractional cap", "cap_per_beneficiary_year", "1.5", "[0].cap_per_beneficiary_year", "whole đồng"},
      {"excludes itself", "exclusive_with", R"(["NQ07-TEA"])", "[0].exclusive_with[0]", "cannot exclude itself"},
      {"unknown field", "amount", "1", "[0].amount", "unknown field"},
      {"empty name", "name_vi", "\"  \"", "[0].name_vi", "must not be empty"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    nlohmann::json doc = parse(kTea);
    doc[c.edit_key] = parse(c.edit_value);
    auto r = parse_policies(nlohmann::json::array({doc}));
    ASSERT_FALSE(r.ok());
    bool found = false;
    for (const auto& f : r.error().fields)
      if (f.field == c.field && f.message.find(c.message_part) != std::string::npos) found = true;
    EXPECT_TRUE(found) << r.error().fields.front().field << ": " << r.error().fields.front().message;
  }
}

TEST(SupportPolicyFile, CountedItemsCannotRequireLand) {
  nlohmann::json doc = parse(kTea);
  doc["item"] = "hive";
  auto r = parse_policy(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.front().field, "requires");
}

TEST(SupportPolicyFile, AmendmentsAndTheVersionInForce) {
  nlohmann::json a = parse(kTea), b = parse(kTea);
  b["version"] = "2023-07-10";
  b["rate"] = 18000000;
  auto all = parse_policies(nlohmann::json::array({b, a}));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_FALSE(version_in_force(*all, "NQ07-TEA", *CivilDate::parse("2021-03-21")));
  EXPECT_EQ(version_in_force(*all, "NQ07-TEA", *CivilDate::parse("2021-03-22"))->rate, 15000000);
  EXPECT_EQ(version_in_force(*all, "NQ07-TEA", *CivilDate::parse("2023-07-09"))->rate, 15000000);
  EXPECT_EQ(version_in_force(*all, "NQ07-TEA", *CivilDate::parse("2023-07-10"))->rate, 18000000);
  EXPECT_FALSE(version_in_force(*all, "OTHER", *CivilDate::parse("2024-01-01")));
  auto twice = parse_policies(nlohmann::json::array({a, a}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().fields.front().field, "[1].version");
}

}  // namespace
}  // namespace nongsan::support
