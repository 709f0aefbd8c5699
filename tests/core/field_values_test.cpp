#include "core/field_values.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <stdexcept>

namespace nongsan {
namespace {

TEST(FieldValues, RowsShareNamesAndAddingANameTouchesOneRow) {
  auto names = std::make_shared<const FieldValues::Names>(FieldValues::Names{"ma_xa", "ten"});
  FieldValues a(names, {"03388", "Đoàn Kết"}), b(names, {"03391", "Bình Lư"});
  EXPECT_EQ(a.at("ten"), "Đoàn Kết");
  EXPECT_EQ(&(*a.find("ten")).first, &(*b.find("ten")).first);  // one copy of the name
  b["ghi_chu"] = "mới";  // copies the names for b only
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_FALSE(a.contains("ghi_chu"));
  EXPECT_THROW((void)a.at("ghi_chu"), std::out_of_range);
  EXPECT_THROW(FieldValues(names, {"one value"}), std::invalid_argument);
}

TEST(FieldValues, ComparesAsAMapWould) {
  FieldValues row = {{"ten", "Mường Tè"}, {"ma", "03199"}};
  EXPECT_EQ(row, (std::map<std::string, std::string>{{"ma", "03199"}, {"ten", "Mường Tè"}}));
  EXPECT_EQ(row, FieldValues(std::map<std::string, std::string>{{"ma", "03199"}, {"ten", "Mường Tè"}}));
  EXPECT_FALSE(row == (std::map<std::string, std::string>{{"ma", "03199"}}));
  std::map<std::string, std::string> seen;
  for (const auto& [name, value] : row) seen[name] = value;
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(row.find("ma")->second, "03199");
}

}  // namespace
}  // namespace nongsan
