// How an EPCIS event is read as a delivery (docs/chains.md "Deliveries from EPCIS"): which
// events are candidates, the contract and party URIs, kilograms only, and the date in the
// event's own offset.
#include "modules/chains/epcis_delivery.hpp"

#include <gtest/gtest.h>

namespace nongsan::chains {
namespace {

using nlohmann::json;

json receiving() {
  return {{"type", "ObjectEvent"},
          {"eventTime", "2025-05-10T09:00:00+07:00"},
          {"eventTimeZoneOffset", "+07:00"},
          {"action", "OBSERVE"},
          {"bizStep", "receiving"},
          {"bizTransactionList", json::array({{{"type", "po"}, {"bizTransaction", "urn:nongsan:contract:HD-1"}}})},
          {"sourceList", json::array({{{"type", "owning_party"}, {"source", "urn:nongsan:producer:HO-1"}}})},
          {"quantityList", json::array({{{"epcClass", "urn:x"}, {"quantity", 100}, {"uom", "KGM"}},
                                        {{"epcClass", "urn:y"}, {"quantity", 25.5}, {"uom", "KGM"}}})}};
}

TEST(ChainEpcisDelivery, AReceivingEventNamingAContractIsADelivery) {
  auto d = delivery_of_event(receiving());
  ASSERT_TRUE(d);
  EXPECT_EQ(d->contract, "HD-1");
  EXPECT_EQ(d->participant, "HO-1");
  EXPECT_DOUBLE_EQ(d->quantity_kg, 125.5);
  ASSERT_TRUE(d->date);
  EXPECT_EQ(d->date->iso(), "2025-05-10");
  EXPECT_EQ(d->problem, "");
}

TEST(ChainEpcisDelivery, TheThreeSpellingsOfTheStepAndTheSourceType) {
  for (const char* step : {"receiving", "https://ref.gs1.org/cbv/BizStep-receiving", "urn:epcglobal:cbv:bizstep:receiving"})
    for (const char* type : {"owning_party", "https://ref.gs1.org/cbv/SDT-owning_party", "urn:epcglobal:cbv:sdt:owning_party"}) {
      json ev = receiving();
      ev["bizStep"] = step;
      ev["sourceList"][0]["type"] = type;
      auto d = delivery_of_event(ev);
      ASSERT_TRUE(d) << step;
      EXPECT_EQ(d->problem, "") << step << " " << type;
    }
}

TEST(ChainEpcisDelivery, OnlyReceivingObjectEventsAndTransactionAddsNamingAContract) {
  json ev = receiving();
  ev["bizStep"] = "shipping";
  EXPECT_FALSE(delivery_of_event(ev));
  ev = receiving();
  ev["bizTransactionList"][0]["bizTransaction"] = "urn:epcglobal:cbv:bt:0614141073467:1152";
  EXPECT_FALSE(delivery_of_event(ev));  // names no contract
  ev = receiving();
  ev["type"] = "TransactionEvent";
  ev.erase("bizStep");
  ev["action"] = "ADD";
  EXPECT_TRUE(delivery_of_event(ev));
  ev["action"] = "DELETE";
  EXPECT_FALSE(delivery_of_event(ev));
  ev = receiving();
  ev["type"] = "AggregationEvent";
  EXPECT_FALSE(delivery_of_event(ev));
}

TEST(ChainEpcisDelivery, ProblemsOfACandidate) {
  json ev = receiving();
  ev["quantityList"][1]["uom"] = "LBR";
  EXPECT_EQ(delivery_of_event(ev)->problem, "not_kilograms");
  ev["quantityList"][1].erase("uom");  // a count of instances
  EXPECT_EQ(delivery_of_event(ev)->problem, "not_kilograms");
  ev = receiving();
  ev.erase("quantityList");
  EXPECT_EQ(delivery_of_event(ev)->problem, "no_quantity");
  ev = receiving();
  ev["sourceList"][0]["type"] = "possessing_party";
  EXPECT_EQ(delivery_of_event(ev)->problem, "no_participant");
  ev = receiving();
  ev["sourceList"].push_back({{"type", "owning_party"}, {"source", "urn:nongsan:producer:HO-2"}});
  EXPECT_EQ(delivery_of_event(ev)->problem, "several_participants");
}

TEST(ChainEpcisDelivery, TheDateIsTheEventTimeInItsOwnOffset) {
  EXPECT_EQ(local_event_date("2025-05-10T18:30:00.000Z", "+07:00")->iso(), "2025-05-11");
  EXPECT_EQ(local_event_date("2025-05-10T16:59:59Z", "+07:00")->iso(), "2025-05-10");
  EXPECT_EQ(local_event_date("2025-01-01T01:00:00+07:00", "+00:00")->iso(), "2024-12-31");
  EXPECT_EQ(local_event_date("2024-03-01T02:00:00.123456+02:00", "-05:00")->iso(), "2024-02-29");
  EXPECT_EQ(local_event_date("2025-05-10T09:00:00+07:00", "")->iso(), "2025-05-10");
  EXPECT_FALSE(local_event_date("2025-05-10", "+07:00"));
  EXPECT_FALSE(local_event_date("2025-05-10T09:00:00+07:00", "7h"));
}

}  // namespace
}  // namespace nongsan::chains
