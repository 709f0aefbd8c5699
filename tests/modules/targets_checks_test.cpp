// Checks of observations (modules/targets/checks.hpp): robust outliers, bounds,
// reported vs computed.
#include "modules/targets/checks.hpp"

#include <gtest/gtest.h>

namespace nongsan::targets {

TEST(TargetsChecks, RobustZScore) {
  // history 10, 11, 12, 13, 14: median 12, MAD 1 → z(20) = 0.6745·8 = 5.396
  std::vector<double> h{10, 11, 12, 13, 14};
  EXPECT_NEAR(*robust_z(20, h), 0.6745 * 8, 1e-12);
  EXPECT_TRUE(outlier_flag(20, h));
  EXPECT_FALSE(outlier_flag(17, h));  // z = 3.37
  EXPECT_TRUE(outlier_flag(6, h));    // z = −4.05: low outliers too
  EXPECT_NEAR(*robust_z(17.2, h), 0.6745 * 5.2, 1e-12);
  EXPECT_TRUE(outlier_flag(17.2, h));  // 3.507 > 3.5
}

TEST(TargetsChecks, OutlierNeedsThreeValuesAndSpread) {
  EXPECT_FALSE(robust_z(100, {1, 2}));
  EXPECT_FALSE(outlier_flag(100, {1, 2}));
  EXPECT_FALSE(robust_z(100, {5, 5, 5, 5}));  // MAD = 0: no flag
  EXPECT_TRUE(robust_z(100, {1, 2, 3}));
  EXPECT_DOUBLE_EQ(median({3, 1, 2, 10}), 2.5);
}

TEST(TargetsChecks, ExceedsAndDiffers) {
  EXPECT_TRUE(exceeds_flag(11, "PLANTED", 10));
  EXPECT_FALSE(exceeds_flag(10, "PLANTED", 10));
  EXPECT_FALSE(exceeds_flag(11, "PLANTED", std::nullopt));
  EXPECT_FALSE(exceeds_flag(11, "", 10));
  EXPECT_FALSE(differs_flag(100.9, 100.0));  // within 1 %
  EXPECT_TRUE(differs_flag(101.1, 100.0));
  EXPECT_FALSE(differs_flag(0.005, 0.0));  // absolute tolerance 0.01
  EXPECT_TRUE(differs_flag(5, 0.0));
  EXPECT_FALSE(differs_flag(5, std::nullopt));
  EXPECT_EQ(differs_flag(200, 100)->code, "reported_differs_from_computed");
}

}  // namespace nongsan::targets
