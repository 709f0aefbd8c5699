// The policy condition language: what it accepts, what it refuses and where, and
// what an evaluation shows.
#include "modules/support/condition.hpp"

#include <gtest/gtest.h>

namespace nongsan::support {
namespace {

using Facts = std::map<std::string, Value, std::less<>>;

Facts household(double claimed_ha) {
  return {{"claimed_ha", Value{claimed_ha}},        {"quantity", Value{claimed_ha}},
          {"applicant_kind", Value{std::string("household")}}, {"applicant_commune", Value{std::string("03391")}},
          {"filed_year", Value{2024.0}},            {"items", Value{2.0}}};
}

struct Accepted {
  const char* text;
  double claimed_ha;
  bool holds;
};

TEST(SupportCondition, Evaluates) {
  const Accepted cases[] = {
      {"claimed_ha >= 0.3 and applicant_kind in [\"household\", \"cooperative\"]", 0.5, true},
      {"claimed_ha >= 0.3 and applicant_kind in [\"household\", \"cooperative\"]", 0.25, false},
      {"claimed_ha >= 0.3", 0.3, true},  // the boundary is included by >=
      {"claimed_ha > 0.3", 0.3, false},
      {"applicant_kind == \"cooperative\" or claimed_ha < 1", 0.5, true},
      {"not (applicant_kind == \"enterprise\")", 1, true},
      {"applicant_kind not in [\"enterprise\", \"farm\"]", 1, true},
      {"filed_year in [2023, 2024] and items <= 5", 1, true},
      {"applicant_commune != \"03391\"", 1, false},
      {"(claimed_ha >= 0.5 or items >= 3) and not applicant_kind in []", 0.6, true},
      {"claimed_ha >= -1e3", 0, true},
      {"true", 0, true},
      {"  ", 0, true},  // no condition: always holds
      {"", 0, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto cond = Condition::parse(c.text);
    ASSERT_TRUE(cond.ok()) << cond.error().message;
    auto e = cond->evaluate(household(c.claimed_ha));
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->holds, c.holds);
  }
}

struct Refused {
  const char* text;
  const char* message;  // part of the message, with its position
};

TEST(SupportCondition, RefusesWithThePosition) {
  const Refused cases[] = {
      {"claimed_area >= 0.3", "position 1: unknown fact 'claimed_area'"},
      {"claimed_ha >= \"0.3\"", "position 12: cannot compare a number with a text"},
      {"applicant_kind > \"a\"", "position 16: > compares numbers"},
      {"claimed_ha in [\"a\"]", "position 12: cannot look for a number in a list of texts"},
      {"claimed_ha in 3", "position 15: 'in' needs a [list]"},
      {"claimed_ha", "position 1: the condition must be true or false"},
      {"claimed_ha >= 0.3 and", "position 22: the condition ends where a value is expected"},
      {"claimed_ha = 1", "position 12: write == to compare"},
      {"(claimed_ha >= 1", "position 17: a '(' is not closed"},
      {"applicant_kind == \"hộ", "position 19: a text in quotes is not closed"},
      {"[1, \"a\"]", "position 5: a list holds numbers or texts, not both"},
      {"claimed_ha >= 1e400", "position 15: the number 1e400 is too large"},
      {"0 < claimed_ha < 1", "position 16: comparisons do not chain"},
      {"claimed_ha >= 1 and 2", "position 21: 'and' joins conditions that are true or false"},
      {"diện_tích >= 1", "position 1: only plain letters"},
      {"claimed_ha >= 1 or", "position 19: the condition ends"},
      {"claimed_ha >= 1;", "position 16: the character ';' has no meaning here"},
      {"claimed_ha >= - 1", "position 15: a minus sign must be followed by a number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto cond = Condition::parse(c.text);
    ASSERT_FALSE(cond.ok());
    EXPECT_NE(cond.error().message.find(c.message), std::string::npos) << cond.error().message;
    ASSERT_EQ(cond.error().fields.size(), 1u);
    EXPECT_EQ(cond.error().fields[0].field, "conditions");
  }
}

TEST(SupportCondition, LimitsDepthAndLength) {
  std::string deep(200, '(');
  deep += "true" + std::string(200, ')');
  auto d = Condition::parse(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("nests more than 32 deep"), std::string::npos) << d.error().message;

  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "not ";
  EXPECT_FALSE(Condition::parse(nots + "true").ok());

  std::string ok(20, '(');
  ok += "claimed_ha >= 1" + std::string(20, ')');
  EXPECT_TRUE(Condition::parse(ok).ok());

  std::string longer = "claimed_ha >= 1";
  while (longer.size() <= kMaxConditionLength) longer += " and claimed_ha >= 1";
  auto l = Condition::parse(longer);
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.error().message.find("longer than"), std::string::npos);
}

TEST(SupportCondition, TraceShowsEveryComparisonWithTheValuesItSaw) {
  auto cond = Condition::parse("claimed_ha >= 0.3 and applicant_kind in [\"cooperative\", \"enterprise\"]");
  ASSERT_TRUE(cond.ok());
  EXPECT_EQ(cond->facts_used(), (std::vector<std::string>{"claimed_ha", "applicant_kind"}));
  auto e = cond->evaluate(household(0.25));
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->holds);
  ASSERT_EQ(e->steps.size(), 2u);  // both parts shown, although the first already decides
  EXPECT_EQ(e->steps[0].text, "claimed_ha >= 0.3");
  EXPECT_EQ(e->steps[0].left, "0.25");
  EXPECT_EQ(e->steps[0].op, ">=");
  EXPECT_EQ(e->steps[0].right, "0.3");
  EXPECT_FALSE(e->steps[0].result);
  EXPECT_EQ(e->steps[1].text, "applicant_kind in [\"cooperative\", \"enterprise\"]");
  EXPECT_EQ(e->steps[1].left, "\"household\"");
  EXPECT_EQ(e->steps[1].op, "in");
  EXPECT_EQ(e->steps[1].right, "[\"cooperative\", \"enterprise\"]");
  EXPECT_FALSE(e->steps[1].result);
}

// The values a trace shows: printf's %.15g, else %.17g where 15 digits do not read back
// as the same double (0.1 + 0.2), with printf's exponents for the very large and small.
TEST(SupportCondition, NumbersInTheTraceReadBackAsTheSameDouble) {
  auto text = [](double d) { return Value{d}.to_text(); };
  EXPECT_EQ(text(0.3), "0.3");
  EXPECT_EQ(text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(text(1500000), "1500000");
  EXPECT_EQ(text(-2.5), "-2.5");
  EXPECT_EQ(text(0), "0");
  EXPECT_EQ(text(1e20), "1e+20");
  EXPECT_EQ(text(0.00001), "1e-05");
  EXPECT_EQ(text(123456789012345.6), "123456789012345.59");
  EXPECT_EQ(text(1.0 / 3), "0.33333333333333331");
  EXPECT_EQ((Value{std::vector<double>{0.5, 1e15}}.to_text()), "[0.5, 1e+15]");
}

TEST(SupportCondition, VietnameseTextsInQuotesAndPositionsInCharacters) {
  FactTable facts = standard_facts();
  facts["crop"] = ValueType::string;
  auto cond = Condition::parse("crop == \"chè Shan tuyết\" and claimed_ha >= x", facts);
  ASSERT_FALSE(cond.ok());
  // 'x' is character 44 although it is byte 47.
  EXPECT_NE(cond.error().message.find("position 44: unknown fact 'x'"), std::string::npos) << cond.error().message;
  auto ok = Condition::parse("crop == \"chè Shan tuyết\"", facts);
  ASSERT_TRUE(ok.ok());
  Facts v = household(1);
  v["crop"] = Value{std::string("chè Shan tuyết")};
  EXPECT_TRUE(ok->evaluate(v)->holds);
}

TEST(SupportCondition, AMissingFactIsAnErrorNotAnAnswer) {
  auto cond = Condition::parse("claimed_ha >= 1");
  ASSERT_TRUE(cond.ok());
  auto e = cond->evaluate({});
  EXPECT_FALSE(e.ok());
}

}  // namespace
}  // namespace nongsan::support
