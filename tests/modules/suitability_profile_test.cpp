// Crop profile JSON: the issue's example, the shipped profiles, lossless round
// trip, and one case per validation error (field path and message).
#include <gtest/gtest.h>

#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "app/embedded_data.hpp"
#include "modules/suitability/crop_profile.hpp"

namespace nongsan::suitability {
namespace {

using nlohmann::json;

json example() {
  return json::parse(R"({ "crop": "macadamia", "name_vi": "Mắc ca", "method": "limiting",
    "factors": [
      { "layer": "elevation", "type": "continuous",
        "S1": [[600, 1000]], "S2": [[400, 600], [1000, 1300]], "S3": [[200, 400], [1300, 1600]] },
      { "layer": "soil_group", "type": "categorical", "S1": [3, 5], "S2": [2], "S3": [1, 7] } ],
    "class_thresholds": [75, 50, 25],
    "ratings": { "elevation": [[200, 30], [600, 100], [1000, 100], [1600, 30]] } })");
}

TEST(SuitabilityProfile, ParsesTheIssueExample) {
  auto p = parse_crop_profile(example());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->crop, "macadamia");
  EXPECT_EQ(p->name_vi, "Mắc ca");
  EXPECT_EQ(p->method, Method::limiting);
  ASSERT_EQ(p->factors.size(), 2u);
  const auto& e = p->factors[0];
  EXPECT_EQ(e.type, FactorType::continuous);
  ASSERT_EQ(e.intervals[1].size(), 2u);
  EXPECT_EQ(e.intervals[1][1], (std::pair<double, double>{1000, 1300}));
  ASSERT_EQ(e.ratings.size(), 4u);
  EXPECT_EQ(e.ratings[3], (std::pair<double, double>{1600, 30}));
  const auto& s = p->factors[1];
  EXPECT_EQ(s.type, FactorType::categorical);
  EXPECT_EQ(s.codes[0], (std::vector<long long>{3, 5}));
  EXPECT_EQ(s.codes[2], (std::vector<long long>{1, 7}));
  EXPECT_FALSE(p->sourced());
  EXPECT_EQ(p->unsourced_factors(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(p->class_thresholds, (std::array<double, 3>{75, 50, 25}));
}

TEST(SuitabilityProfile, RoundTripKeepsEverything) {
  json j = example();
  j["scientific"] = "Macadamia integrifolia";
  j["notes"] = "a note";
  j["factors"][0]["confidence"] = "low";
  j["factors"][0]["source"] = "ECOCROP";
  j["factors"][0]["unit"] = "m";
  j["factors"][1]["advisory"] = true;
  j["factors"][1]["N"] = {9};
  j["factors"][1]["legend"] = {{"1", "sand"}, {"3", "loam"}};
  auto p = parse_crop_profile(j);
  ASSERT_TRUE(p.ok()) << p.error().message;
  json back = to_json(*p);
  // nlohmann compares 600 and 600.0 as equal numbers
  EXPECT_EQ(back, j) << back.dump(1);
  auto again = parse_crop_profile(back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(to_json(*again), back);
  EXPECT_TRUE(again->factors[1].advisory);
  EXPECT_EQ(again->factors[1].legend.size(), 2u);
}

TEST(SuitabilityProfile, ShippedProfilesParseLosslessly) {
  auto text = app::embedded_file("crop-profiles.json");
  ASSERT_TRUE(text.has_value());
  json j = json::parse(*text);
  auto ps = parse_crop_profiles(j);
  ASSERT_TRUE(ps.ok()) << ps.error().message << " " << (ps.error().fields.empty() ? "" : ps.error().fields[0].field);
  ASSERT_EQ(ps->size(), 12u);
  for (std::size_t i = 0; i < ps->size(); ++i) {
    const auto& p = (*ps)[i];
    EXPECT_TRUE(p.sourced()) << p.crop;
    EXPECT_TRUE(check_method(p, Method::limiting).ok()) << p.crop;
    EXPECT_TRUE(check_method(p, Method::storie).ok()) << p.crop;  // every continuous factor has a curve
    EXPECT_EQ(to_json(p), j[i]) << p.crop;
  }
  // docs/rules.md §4: rainfall is advisory for paddy rice and plum
  auto find = [&](const std::string& crop) {
    for (const auto& p : *ps)
      if (p.crop == crop) return p;
    return CropProfile{};
  };
  auto plum = find("plum");
  ASSERT_TRUE(plum.factor_index("rainfall"));
  EXPECT_TRUE(plum.factors[*plum.factor_index("rainfall")].advisory);
  EXPECT_FALSE(plum.factors[*plum.factor_index("elevation")].advisory);
}

TEST(SuitabilityProfile, ShippedProfilesNameUnitsAndCategoriesInVietnamese) {
  // The UI is Vietnamese first: every unit and every category of the shipped profiles
  // has its Vietnamese name beside the researched English one.
  auto ps = parse_crop_profiles(json::parse(*app::embedded_file("crop-profiles.json")));
  ASSERT_TRUE(ps.ok());
  std::map<std::string, std::string> unit_vi, texture_vi;
  for (const auto& p : *ps)
    for (const auto& f : p.factors) {
      EXPECT_EQ(f.unit.empty(), f.unit_vi.empty()) << p.crop << " " << f.layer << " unit '" << f.unit << "'";
      if (!f.unit.empty()) unit_vi[f.unit] = f.unit_vi;
      ASSERT_EQ(f.legend.size(), f.legend_vi.size()) << p.crop << " " << f.layer;
      for (std::size_t i = 0; i < f.legend.size(); ++i) {
        EXPECT_EQ(f.legend[i].first, f.legend_vi[i].first) << p.crop << " " << f.layer;
        EXPECT_FALSE(f.legend_vi[i].second.empty()) << p.crop << " " << f.layer;
        if (f.layer == "texture") texture_vi[f.legend[i].second] = f.legend_vi[i].second;
      }
    }
  EXPECT_EQ(unit_vi["m a.s.l."], "m so với mực nước biển");
  EXPECT_EQ(unit_vi["mm/year"], "mm/năm");
  EXPECT_EQ(texture_vi["clay loam"], "đất thịt pha sét");
  EXPECT_EQ(texture_vi["sand"], "đất cát");
  // They survive a round trip through to_json (what the API returns and stores).
  json back = to_json(ps->front());
  EXPECT_EQ(back["factors"][0]["unit_vi"], ps->front().factors[0].unit_vi);
}

TEST(SuitabilityProfile, OneObjectOrAList) {
  auto one = parse_crop_profiles(example());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  json two = json::array({example(), example()});
  two[1]["crop"] = "tea";
  two[1]["factors"][0]["S1"][0] = {1000, 600};
  auto bad = parse_crop_profiles(two);
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "[1].factors[0].S1[0]");
  json dup = json::array({example(), example()});
  auto d = parse_crop_profiles(dup);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().fields[0].field, "[1].crop");
  EXPECT_FALSE(parse_crop_profiles(json("text")).ok());
}

TEST(SuitabilityProfile, MethodAndTypeNames) {
  for (Method m : {Method::limiting, Method::storie, Method::square_root})
    EXPECT_EQ(parse_method(method_name(m)), m);
  EXPECT_FALSE(parse_method("fuzzy"));
  EXPECT_EQ(parse_factor_type("categorical"), FactorType::categorical);
  EXPECT_FALSE(parse_factor_type("ordinal"));
  EXPECT_EQ(class_name(SuitClass::S3), "S3");
  EXPECT_EQ(class_name(SuitClass::nodata), "nodata");
}

struct ErrorCase {
  const char* name;
  std::function<void(json&)> edit;
  const char* field;
  const char* message;  // substring
};

class SuitabilityProfileErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SuitabilityProfileErrors, NamesTheField) {
  json j = example();
  GetParam().edit(j);
  auto p = parse_crop_profile(j);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::invalid_input);
  bool found = false;
  std::string all;
  for (const auto& f : p.error().fields) {
    all += f.field + ": " + f.message + "\n";
    if (f.field == GetParam().field && f.message.find(GetParam().message) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << all;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SuitabilityProfileErrors,
    ::testing::Values(
        ErrorCase{"missing_crop", [](json& j) { j.erase("crop"); }, "crop", "is required"},
        ErrorCase{"crop_not_text", [](json& j) { j["crop"] = 5; }, "crop", "must be a text"},
        ErrorCase{"unknown_method", [](json& j) { j["method"] = "fuzzy"; }, "method", "unknown method 'fuzzy'"},
        ErrorCase{"no_factors", [](json& j) { j["factors"] = json::array(); }, "factors", "non-empty"},
        ErrorCase{"factor_not_object", [](json& j) { j["factors"][1] = 3; }, "factors[1]", "must be an object"},
        ErrorCase{"missing_layer", [](json& j) { j["factors"][0].erase("layer"); j.erase("ratings"); },
                  "factors[0].layer", "is required"},
        ErrorCase{"bad_layer_name", [](json& j) { j["factors"][1]["layer"] = "soil group"; }, "factors[1].layer",
                  "letters, digits"},
        ErrorCase{"duplicate_layer", [](json& j) { j["factors"][1] = j["factors"][0]; }, "factors[1].layer",
                  "already used by factors[0]"},
        ErrorCase{"unknown_type", [](json& j) { j["factors"][1]["type"] = "ordinal"; }, "factors[1].type",
                  "unknown factor type 'ordinal'"},
        ErrorCase{"interval_reversed", [](json& j) { j["factors"][0]["S2"][0] = {600, 400}; }, "factors[0].S2[0]",
                  "interval low must be < high"},
        ErrorCase{"interval_empty", [](json& j) { j["factors"][0]["S2"][1] = {1000, 1000}; }, "factors[0].S2[1]",
                  "interval low must be < high"},
        ErrorCase{"interval_not_pair", [](json& j) { j["factors"][0]["S1"][0] = {600}; }, "factors[0].S1[0]",
                  "must be an interval [low, high]"},
        ErrorCase{"interval_not_number", [](json& j) { j["factors"][0]["S3"][0] = {"200", 400}; },
                  "factors[0].S3[0][0]", "must be a finite number, not a text"},
        ErrorCase{"interval_infinite",
                  [](json& j) { j["factors"][0]["S1"][0] = {600, std::numeric_limits<double>::infinity()}; },
                  "factors[0].S1[0][1]", "must be a finite number, not a number out of range"},
        ErrorCase{"interval_null", [](json& j) { j["factors"][0]["S2"][1] = {nullptr, 1300}; }, "factors[0].S2[1][0]",
                  "must be a finite number, not null"},
        ErrorCase{"rating_not_number", [](json& j) { j["ratings"]["elevation"][1] = {"600", 100}; },
                  "ratings.elevation[1][0]", "must be a finite number"},
        ErrorCase{"threshold_null", [](json& j) { j["class_thresholds"] = {75, nullptr, 25}; }, "class_thresholds[1]",
                  "must be a finite number, not null"},
        ErrorCase{"unit_vi_not_text", [](json& j) { j["factors"][0]["unit_vi"] = 5; }, "factors[0].unit_vi",
                  "must be a text"},
        ErrorCase{"legend_vi_key", [](json& j) { j["factors"][1]["legend_vi"] = {{"x", "đất cát"}}; },
                  "factors[1].legend_vi.x", "integer code"},
        ErrorCase{"legend_vi_label", [](json& j) { j["factors"][1]["legend_vi"] = {{"1", 7}}; },
                  "factors[1].legend_vi.1", "label must be a text"},
        ErrorCase{"intervals_not_list", [](json& j) { j["factors"][0]["S3"] = 5; }, "factors[0].S3",
                  "must be a list"},
        ErrorCase{"no_interval",
                  [](json& j) {
                    for (auto k : {"S1", "S2", "S3"}) j["factors"][0].erase(k);
                  },
                  "factors[0]", "no S1, S2 or S3 interval"},
        ErrorCase{"code_not_integer", [](json& j) { j["factors"][1]["S2"] = {"loam"}; }, "factors[1].S2[0]",
                  "must be an integer code"},
        ErrorCase{"code_fraction", [](json& j) { j["factors"][1]["S3"] = {1.5}; }, "factors[1].S3[0]",
                  "must be an integer code"},
        ErrorCase{"no_code",
                  [](json& j) {
                    for (auto k : {"S1", "S2", "S3"}) j["factors"][1].erase(k);
                  },
                  "factors[1]", "lists no code"},
        ErrorCase{"legend_key", [](json& j) { j["factors"][1]["legend"] = {{"x", "sand"}}; },
                  "factors[1].legend.x", "integer code"},
        ErrorCase{"advisory_not_bool", [](json& j) { j["factors"][1]["advisory"] = "yes"; },
                  "factors[1].advisory", "true or false"},
        ErrorCase{"ratings_in_factor", [](json& j) { j["factors"][0]["ratings"] = json::array(); },
                  "factors[0].ratings", "profile's `ratings`"},
        ErrorCase{"thresholds_order", [](json& j) { j["class_thresholds"] = {50, 75, 25}; }, "class_thresholds",
                  "descending"},
        ErrorCase{"thresholds_equal", [](json& j) { j["class_thresholds"] = {75, 75, 25}; }, "class_thresholds",
                  "descending"},
        ErrorCase{"thresholds_count", [](json& j) { j["class_thresholds"] = {75, 50}; }, "class_thresholds",
                  "three numbers"},
        ErrorCase{"thresholds_range", [](json& j) { j["class_thresholds"] = {175, 50, 25}; },
                  "class_thresholds[0]", "between 0 and 100"},
        ErrorCase{"ratings_unknown_layer", [](json& j) { j["ratings"]["slope"] = {{0, 100}}; }, "ratings.slope",
                  "no factor uses layer 'slope'"},
        ErrorCase{"ratings_categorical", [](json& j) { j["ratings"]["soil_group"] = {{0, 100}}; },
                  "ratings.soil_group", "rated by class"},
        ErrorCase{"ratings_not_increasing", [](json& j) { j["ratings"]["elevation"][2][0] = 600; },
                  "ratings.elevation[2]", "increase strictly"},
        ErrorCase{"ratings_out_of_range", [](json& j) { j["ratings"]["elevation"][1][1] = 120; },
                  "ratings.elevation[1]", "between 0 and 100"},
        ErrorCase{"ratings_empty", [](json& j) { j["ratings"]["elevation"] = json::array(); }, "ratings.elevation",
                  "non-empty"},
        ErrorCase{"ratings_not_object", [](json& j) { j["ratings"] = json::array(); }, "ratings",
                  "must be an object"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SuitabilityProfile, NotAnObject) {
  auto p = parse_crop_profile(json::array());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::invalid_input);
}

TEST(SuitabilityProfile, MissingRatingsIsAnErrorOnlyForParametricMethods) {
  json j = example();
  j.erase("ratings");
  auto p = parse_crop_profile(j);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(check_method(*p, Method::limiting).ok());
  auto st = check_method(*p, Method::storie);
  ASSERT_FALSE(st.ok());
  ASSERT_EQ(st.error().fields.size(), 1u);
  EXPECT_EQ(st.error().fields[0].field, "ratings.elevation");
  EXPECT_NE(st.error().fields[0].message.find("storie"), std::string::npos);
  // an advisory continuous factor needs no curve
  p->factors[0].advisory = true;
  EXPECT_TRUE(check_method(*p, Method::square_root).ok());
  p->factors[1].advisory = true;
  auto all = check_method(*p, Method::limiting);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().fields[0].field, "factors");
}

}  // namespace
}  // namespace nongsan::suitability
