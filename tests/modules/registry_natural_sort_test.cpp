// Codes in natural order (numbers inside compare as numbers), and the land-type
// catalogue of data/land-use-codes.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "modules/registry/land_use.hpp"
#include "modules/registry/natural_sort.hpp"

namespace nongsan::registry {

TEST(NaturalSort, NumbersInsideCodesCompareAsNumbers) {
  struct Case {
    const char* a;
    const char* b;  // a sorts strictly before b
  };
  for (const Case& c : std::vector<Case>{{"1-1", "1-2"},
                                         {"1-2", "1-10"},
                                         {"1-10", "2-1"},
                                         {"9", "10"},
                                         {"tờ 9", "tờ 10"},
                                         {"A2", "a10"},
                                         {"P-99", "P-100"},
                                         {"12", "12a"},
                                         {"", "0"},
                                         {"x9y", "x10"}})
    EXPECT_LT(natural_sort_key(c.a), natural_sort_key(c.b)) << c.a << " < " << c.b;
  // Leading zeros and ASCII case do not change the order.
  EXPECT_EQ(natural_sort_key("007"), natural_sort_key("7"));
  EXPECT_EQ(natural_sort_key("lk-3"), natural_sort_key("LK-3"));
  std::vector<std::string> codes = {"1-10", "1-2", "2-1", "1-1", "10-1", "1-100"};
  std::sort(codes.begin(), codes.end(),
            [](const std::string& x, const std::string& y) { return natural_sort_key(x) < natural_sort_key(y); });
  EXPECT_EQ(codes, (std::vector<std::string>{"1-1", "1-2", "1-10", "1-100", "2-1", "10-1"}));
}

TEST(LandUseCatalogue, TheShippedFileNamesEveryCodeWithItsSource) {
  std::ifstream in(std::string(NONGSAN_DATA_DIR) + "/land-use-codes.json");
  std::stringstream text;
  text << in.rdbuf();
  auto cat = LandUseCatalogue::from_json(text.str());
  ASSERT_TRUE(cat) << cat.error().message;
  const LandUseCode* cln = cat->find("cln");
  ASSERT_NE(cln, nullptr);
  EXPECT_EQ(cln->name_vi, "Đất trồng cây lâu năm");
  EXPECT_TRUE(cln->sourced);
  EXPECT_EQ(cat->find("LUK")->group, "agricultural");
  EXPECT_EQ(cat->find("XYZ"), nullptr);
  EXPECT_TRUE(cat->ref("").is_null());
  for (const auto& c : cat->codes()) EXPECT_TRUE(!c.sourced || !c.source.empty()) << c.code;
}

TEST(LandUseCatalogue, ABrokenCatalogueNamesTheEntry) {
  auto cat = LandUseCatalogue::from_json(
      R"({"_meta": {"sources": {"s": "x"}, "groups": {"agricultural": {}}},
          "codes": [{"code": "LUC", "group": "agricultural", "name_vi": "Lúa", "source": "s", "sourced": true},
                    {"code": "luc", "group": "agricultural", "name_vi": "Lúa", "source": "s", "sourced": true},
                    {"code": "BHK", "group": "forest", "name_vi": "", "source": "t", "sourced": true}]})");
  ASSERT_FALSE(cat);
  std::string all;
  for (const auto& f : cat.error().fields) all += f.field + ": " + f.message + "\n";
  EXPECT_NE(all.find("codes[1].code"), std::string::npos) << all;
  EXPECT_NE(all.find("codes[2].group"), std::string::npos) << all;
  EXPECT_NE(all.find("codes[2].name_vi"), std::string::npos) << all;
  EXPECT_NE(all.find("codes[2].source"), std::string::npos) << all;
}

}  // namespace nongsan::registry
