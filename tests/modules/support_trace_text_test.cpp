// trace_text writes a check run's amount traces straight into a string; what it writes
// must be exactly what the JSON tree (to_json) dumps, for every kind of value: the
// stored traces of a run do not change with the way they are written.
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "modules/support/support_json.hpp"

namespace nongsan::support {
namespace {

AmountTrace sample() {
  AmountTrace t;
  t.application = "HT-2025-000017";
  t.policy = "TEA";
  t.amount = 12'749'999;
  t.before_cap = 12'749'999;
  t.payable = 0.8499999999999999;
  t.penalty_ha = 0.15000000000000013;
  t.rate = 15'000'000;
  t.policy_version = "2021-03-22";
  t.status = "approved";
  t.conditions_hold = true;
  t.condition_steps.push_back({"claimed_ha >= 0.3", "0.85", ">=", "0.3", true});
  t.condition_steps.push_back(
      {"applicant_kind in [\"household\", \"cooperative\"]", "\"household\"", "in", "[\"household\", \"cooperative\"]", true});
  ItemTrace a;
  a.parcel = "LC-0001";
  a.claimed = 1.1;
  a.area_ha = 1.0;
  a.counted = 1.0;
  a.excess_ha = 0.10000000000000009;
  ItemTrace b;
  b.parcel = "LC-0002";
  b.claimed = 0.2;
  b.reasons = {"overlap with HT-2025-000001", "outside_zone"};
  t.items = {a, b};
  return t;
}

TEST(SupportTraceText, IsTheTreeDumped) {
  AmountTrace t = sample();
  EXPECT_EQ(trace_text(t), to_json(t).dump());
  AmountTrace empty;  // no steps, no items, zeros everywhere
  EXPECT_EQ(trace_text(empty), to_json(empty).dump());
  empty.note = "rejected";
  empty.conditions_hold = false;
  EXPECT_EQ(trace_text(empty), to_json(empty).dump());
}

TEST(SupportTraceText, NumbersAsTheTreeWritesThem) {
  const double values[] = {0.0,     -0.0,   1.0,     -1.0,  0.1,   1e-4,    1e-5,   0.0001234, 123456789012345.0,
                           1e15,    1e16,   1e17,    1e21,  1e22,  -2.5e-7, 3.0e300, 5e-324,    0.30000000000000004,
                           15000000, 2.0 / 3.0, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (double v : values) {
    AmountTrace t = sample();
    t.payable = v;
    t.rate = -v;
    t.items[0].area_ha = v;
    t.items[1].excess_ha = v * 3;
    EXPECT_EQ(trace_text(t), to_json(t).dump()) << v;
  }
  std::mt19937_64 rng(752);
  std::uniform_real_distribution<double> mantissa(-10.0, 10.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int k = 0; k < 2000; ++k) {
    AmountTrace t = sample();
    t.payable = mantissa(rng) * std::pow(10.0, exponent(rng));
    t.items[1].claimed = std::round(mantissa(rng) * 1e4) / 1e4;
    t.amount = static_cast<Dong>(rng());
    t.before_cap = -static_cast<Dong>(rng() >> 1);
    ASSERT_EQ(trace_text(t), to_json(t).dump()) << t.payable;
  }
}

TEST(SupportTraceText, TextEscapedAsTheTreeEscapesIt) {
  const std::string texts[] = {"",
                               "Hỗ trợ trồng chè Shan tuyết",
                               "quote \" and backslash \\ and slash /",
                               "tab\tnewline\nreturn\rback\bfeed\f",
                               std::string("nul \0 and \x01 \x1f \x7f", 15),
                               "đồng ₫ 𝄞"};
  for (const auto& s : texts) {
    AmountTrace t = sample();
    t.application = s;
    t.note = s;
    t.condition_steps[0].text = s;
    t.items[0].parcel = s;
    t.items[1].reasons.push_back(s);
    EXPECT_EQ(trace_text(t), to_json(t).dump()) << s;
  }
  // Text that is not UTF-8 is refused by the tree's dump; so it is here.
  AmountTrace bad = sample();
  bad.note = "\xff\xfe";
  EXPECT_THROW(to_json(bad).dump(), nlohmann::json::exception);
  EXPECT_THROW(trace_text(bad), nlohmann::json::exception);
}

}  // namespace
}  // namespace nongsan::support
