// The pure rules of inspections (docs/inspection.md; docs/rules.md §17): device times,
// photo types by their first bytes, the fields an item may hold, checklist answers, and
// which role takes which decision.
#include <gtest/gtest.h>

#include <set>

#include "modules/inspection/checklists.hpp"
#include "modules/inspection/decision.hpp"
#include "modules/inspection/sync.hpp"

namespace nongsan::inspection {

using nlohmann::json;

TEST(InspectionSync, DeviceTimesAreIso8601WithAZone) {
  EXPECT_TRUE(is_iso_time("2026-03-01T08:15:00Z"));
  EXPECT_TRUE(is_iso_time("2026-03-01T08:15:00.123+07:00"));
  EXPECT_TRUE(is_iso_time("2026-03-01T08:15Z"));
  EXPECT_FALSE(is_iso_time("2026-03-01T08:15:00"));  // no zone: the server could not order it
  EXPECT_FALSE(is_iso_time("2026-03-01"));
  EXPECT_FALSE(is_iso_time("yesterday"));
}

TEST(InspectionSync, PhotoTypeIsReadFromItsBytes) {
  EXPECT_EQ(sniff_image_mime({0xFF, 0xD8, 0xFF, 0xE0}), "image/jpeg");
  EXPECT_EQ(sniff_image_mime({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0}), "image/png");
  EXPECT_EQ(sniff_image_mime({'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}), "image/webp");
  EXPECT_EQ(sniff_image_mime({'G', 'I', 'F', '8'}), "");
  auto bad = parse_photo_item({{"client_id", "p"}, {"taken_at", "2026-03-01T08:15:00Z"}, {"mime", "image/png"},
                               {"data_base64", "/9j/4AAQ"}});  // a JPEG's first bytes
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "data_base64");
  auto ok = parse_photo_item({{"client_id", "p"}, {"taken_at", "2026-03-01T08:15:00Z"}, {"mime", "image/jpeg"},
                              {"data_base64", "/9j/4AAQ"}, {"lon", 103.1}, {"lat", 22.3}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->sha256.size(), 64u);
  auto far = parse_photo_item({{"client_id", "p"}, {"taken_at", "2026-03-01T08:15:00Z"}, {"mime", "image/jpeg"},
                               {"data_base64", "/9j/4AAQ"}, {"lon", 203.1}});
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().fields.at(0).field, "lon");
}

TEST(InspectionSync, OnlyTheFieldsOfAnInspectionAreAccepted) {
  auto f = parse_inspection_fields({{"status", "closed"}, {"measured_area_m2", nullptr}}, "fields");
  ASSERT_TRUE(f);
  EXPECT_EQ(*f->status, "closed");
  ASSERT_TRUE(f->measured_area_m2.has_value());
  EXPECT_FALSE(f->measured_area_m2->has_value());  // null clears the figure
  EXPECT_FALSE(f->notes.has_value());              // absent: unchanged
  auto bad = parse_inspection_fields({{"status", "done"}, {"version", 3}}, "fields");
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& e : bad.error().fields) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"fields.status", "fields.version"}));
}

TEST(InspectionChecklists, AnswersHaveTheirItemsType) {
  auto lists = parse_checklists(json::parse(R"({"kinds": {"registry": {"label_vi": "Kiểm tra", "items": [
      {"item": "ok", "label_vi": "Đạt", "label_en": "OK", "answer": "yes_no"},
      {"item": "area", "label_vi": "Diện tích", "label_en": "Area", "answer": "number"}]}}})"));
  ASSERT_TRUE(lists) << lists.error().message;
  EXPECT_TRUE(check_answers(*lists, "registry", {{"ok", true}, {"area", 12.5}}, "answers"));
  EXPECT_TRUE(check_answers(*lists, "registry", {{"ok", nullptr}}, "answers"));
  auto bad = check_answers(*lists, "registry", {{"ok", "yes"}, {"other", 1}}, "answers");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.size(), 2u);
  EXPECT_FALSE(parse_checklists(json::parse(
      R"({"kinds": {"x": {"label_vi": "X", "items": [{"item": "a", "label_vi": "A", "label_en": "A", "answer": "maybe"}]}}})")));
}

TEST(InspectionDecisions, EachActionHasItsBodyAndPermission) {
  EXPECT_EQ(rule_of(Action::recover).permission, identity::Permission::support_pay);
  EXPECT_EQ(rule_of(Action::reduce_amount).permission, identity::Permission::support_approve);
  EXPECT_EQ(rule_of(Action::suspend_code).permission, identity::Permission::codes_manage);
  EXPECT_EQ(rule_of(Action::revoke_ocop).permission, identity::Permission::ocop_manage);
  EXPECT_EQ(rule_of(Action::correct_boundary).permission, identity::Permission::registry_write);
  // The unit officer holds none of the money, code or OCOP permissions.
  for (auto a : {Action::recover, Action::reduce_amount, Action::suspend_code, Action::downgrade_ocop})
    EXPECT_FALSE(identity::role_has(identity::Role::unit_officer, rule_of(a).permission)) << to_string(a);
  EXPECT_FALSE(identity::role_has(identity::Role::inspector, identity::Permission::inspection_decide));
  auto r = parse_decision({{"action", "downgrade_ocop"}, {"reason", "x"}});
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& e : r.error().fields) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"stars", "decision_no"}));
  auto d = parse_decision({{"action", "correct_boundary"}, {"reason", "x"}, {"decision_no", "1"}});
  ASSERT_TRUE(d);
  EXPECT_EQ(decision_target(*d, "applicant", "HTX1", "P-1"), "P-1");  // the inspection's parcel
  EXPECT_EQ(decision_target(*d, "parcel", "P-2", "P-1"), "P-2");      // the finding's subject first
  auto s = parse_decision({{"action", "suspend_code"}, {"reason", "x"}, {"decision_no", "1"}});
  ASSERT_TRUE(s);
  EXPECT_EQ(decision_target(*s, "parcel", "P-2", "P-1"), "");  // no code named: required
}

}  // namespace nongsan::inspection
