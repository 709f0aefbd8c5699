// The demo's tables (data/demo/*.json, embedded in the binary): every reference
// between them resolves, every placement names its source, and weights are
// weights, so that an official who edits a file gets a demo that still builds.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "app/demo/demo.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::app {
namespace {

using nlohmann::json;

TEST(DemoData, RegistryTablesReferToEachOther) {
  const json d = demo_data("demo/registry.json");
  ASSERT_TRUE(d["_meta"]["sources"].is_array());
  std::set<std::string> crops, zones, ethnicities;
  for (const auto& c : d["crops"]) {
    crops.insert(c["code"].get<std::string>());
    EXPECT_FALSE(c["varieties"].empty()) << c["code"];
    EXPECT_LT(c["lot_width_m"][0].get<double>(), c["lot_width_m"][1].get<double>()) << c["code"];
    EXPECT_FALSE(c.value("source", "").empty()) << c["code"];
  }
  for (const auto& z : d["zones"]) {
    zones.insert(z["code"].get<std::string>());
    EXPECT_TRUE(crops.count(z["crop"].get<std::string>())) << z["code"];
    EXPECT_FALSE(z.value("source", "").empty()) << z["code"] << " names no source";
    EXPECT_EQ(z["commune"].get<std::string>().size(), 5u) << z["code"];
  }
  EXPECT_EQ(zones.size(), d["zones"].size()) << "zone codes repeat";
  for (const char* table : {"garden_crops_by_district", "conversion_crops_by_district"})
    for (const auto& [district, list] : d[table].items()) {
      if (!list.is_array()) continue;  // a _note
      for (const auto& c : list) EXPECT_TRUE(crops.count(c.get<std::string>())) << table << " " << district << " " << c;
    }
  for (const auto& k : d["field_clusters"]["kinds"]) EXPECT_TRUE(crops.count(k["lots_like"].get<std::string>()));
  for (const auto& e : d["enterprises"])
    for (const auto& z : e["zones"]) EXPECT_TRUE(zones.count(z.get<std::string>())) << e["name"] << " " << z;
  for (const auto& c : d["cooperatives"]) EXPECT_TRUE(zones.count(c["zone"].get<std::string>())) << c["name"];
  for (const auto& g : d["ethnic_groups"]) ethnicities.insert(g["ethnicity"].get<std::string>());
  ASSERT_TRUE(d["ethnic_mix_by_district"].contains("other"));
  for (const auto& [district, mix] : d["ethnic_mix_by_district"].items()) {
    double sum = 0;
    for (const auto& [who, share] : mix.items()) {
      EXPECT_TRUE(ethnicities.count(who)) << district << " " << who;
      sum += share.get<double>();
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << district;
  }
}

TEST(DemoData, FiguresUsersAndRasters) {
  const json f = demo_data("demo/figures.json");
  double share = 0;
  for (const auto& s : f["tea_share_by_district"]) share += s["share"].get<double>();
  EXPECT_NEAR(share, 1.0, 1e-9);
  const json u = demo_data("demo/users.json");
  std::set<std::string> roles;
  for (const auto& user : u["users"]) {
    auto role = identity::parse_role(user["role"].get<std::string>());
    ASSERT_TRUE(role) << user["username"];
    roles.insert(user["role"].get<std::string>());
  }
  EXPECT_GE(roles.size(), 5u);  // one account per role
  const json r = demo_data("demo/rasters.json");
  std::set<std::string> layers;
  for (const auto& l : r["layers"]) layers.insert(l["name"].get<std::string>());
  EXPECT_TRUE(layers.count("elevation"));
  for (const auto& river : r["rivers"]) EXPECT_GE(river["line"].size(), 2u) << river["name"];
  EXPECT_THROW(demo_data("demo/no-such-file.json"), std::runtime_error);
}

}  // namespace
}  // namespace nongsan::app
