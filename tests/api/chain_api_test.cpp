// Chains through the API: contracts and the records they name stay in scope, deliveries
// only from the contract's participants, the fulfilment per party and the warnings of a
// contract, the linkage report filtered by scope, facilities with capacity against
// supply, and the linkage measures as computed indicators.
#include "api/api_fixture.hpp"
#include "core/base64.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
// The review's item of an indicator.
json find_item(const json& review, const std::string& code) {
  for (const auto& i : review["indicators"])
    if (i["indicator"] == code) return i;
  return nullptr;
}
}  // namespace

class ChainApi : public ApiTest {
 protected:
  int made_ = 0;
  std::int64_t producer(const std::string& kind, const std::string& name, const char* unit) {
    json b = {{"kind", kind}, {"name", name}, {"unit_id", id(unit)}};
    if (kind != "household") b["tax_code"] = "62" + std::to_string(10000000 + ++made_);  // a cooperative has one
    auto r = call_json("POST", "/api/v1/producers", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  Reply contract(const std::string& user, const std::string& code, std::int64_t lead, std::vector<std::int64_t> parts,
                 double kg = 3650) {
    return call_json("POST", "/api/v1/chains/contracts", user,
                     {{"code", code}, {"lead_id", lead}, {"participant_ids", parts}, {"commodity", "tea"},
                      {"start", "2025-01-01"}, {"end", "2025-12-31"}, {"committed_kg", kg}});
  }
};

TEST_P(ChainApi, ContractsAndTheProducersTheyNameStayInScope) {
  const auto c1 = producer("cooperative", "HTX N1", "N1"), h1 = producer("household", "Hộ N1", "N1");
  const auto c2 = producer("cooperative", "HTX N2", "N2"), h2 = producer("household", "Hộ N2", "N2");
  // The officer of N1 enters a contract in N1; naming a household of N2 is refused as unknown.
  auto ok = contract("n1o", "HD-N1", c1, {h1});
  ASSERT_EQ(ok.status, 201) << ok.body.dump();
  auto foreign = contract("n1o", "HD-X", c1, {h1, h2});
  EXPECT_EQ(foreign.status, 400);
  EXPECT_NE(foreign.body.dump().find("no such producer in your scope"), std::string::npos) << foreign.body.dump();
  EXPECT_EQ(contract("n1o", "HD-X", c2, {h1}).status, 400);
  // A household does not lead.
  auto household_lead = contract("prov", "HD-H", h1, {h1});
  EXPECT_EQ(household_lead.status, 400);
  EXPECT_NE(household_lead.body.dump().find("lead_id"), std::string::npos);
  // N2's contract answers the officer of N1 as a missing one, also through its deliveries and chain.
  auto n2 = contract("prov", "HD-N2", c2, {h2});
  ASSERT_EQ(n2.status, 201);
  const std::string n2path = "/api/v1/chains/contracts/" + s(n2.body.value("id", std::int64_t{0}));
  EXPECT_EQ(call("GET", n2path, "n1o").status, 404);
  EXPECT_EQ(call("GET", n2path + "/chain", "n1o").status, 404);
  EXPECT_EQ(call_json("POST", n2path + "/deliveries", "n1o", {{"participant_id", h2}, {"date", "2025-02-01"}, {"quantity_kg", 5}})
                .status,
            404);
  EXPECT_EQ(call("GET", n2path, "n2o").status, 200);
  auto list = call("GET", "/api/v1/chains/contracts?year=2025", "n1o");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["code"], "HD-N1");
  auto report = call("GET", "/api/v1/chains/linkage?year=2025", "n1o");
  ASSERT_EQ(report.body["rows"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/chains/linkage?year=2025", "prov").body["rows"].size(), 2u);
}

TEST_P(ChainApi, FulfilmentPerPartyAndWarnings) {
  const auto c1 = producer("cooperative", "HTX N1", "N1"), h1 = producer("household", "Hộ A", "N1"),
             h2 = producer("household", "Hộ B", "N1"), h3 = producer("household", "Hộ C", "N1");
  auto k = contract("prov", "HD-1", c1, {h1, h2}, 3650);
  ASSERT_EQ(k.status, 201);
  const std::string path = "/api/v1/chains/contracts/" + s(k.body.value("id", std::int64_t{0}));
  auto deliver = [&](std::int64_t who, const char* date, double kg, double refused = 0) {
    json b = {{"participant_id", who}, {"date", date}, {"quantity_kg", kg}};
    if (refused > 0) b["refused_kg"] = refused;
    return call_json("POST", path + "/deliveries", "n1o", b);
  };
  EXPECT_EQ(deliver(h1, "2025-01-01", 1000).status, 201);
  EXPECT_EQ(deliver(h1, "2025-12-31", 2650).status, 201);
  EXPECT_EQ(deliver(h1, "2026-01-01", 999).status, 201);  // after the end: stored, not counted
  EXPECT_EQ(deliver(h2, "2025-06-01", 365, 100).status, 201);
  auto outsider = deliver(h3, "2025-06-01", 1);
  EXPECT_EQ(outsider.status, 400);
  EXPECT_NE(outsider.body.dump().find("participant_id"), std::string::npos);
  auto d = call("GET", path + "?year=2025", "n1o");
  ASSERT_EQ(d.status, 200) << d.body.dump();
  ASSERT_EQ(d.body["parties"].size(), 2u);
  EXPECT_DOUBLE_EQ(d.body["parties"][0]["committed_kg"].get<double>(), 3650);
  EXPECT_DOUBLE_EQ(d.body["parties"][0]["delivered_kg"].get<double>(), 3650);
  EXPECT_DOUBLE_EQ(d.body["parties"][0]["fulfilment_pct"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(d.body["parties"][1]["fulfilment_pct"].get<double>(), 10);
  EXPECT_EQ(d.body["deliveries"].size(), 4u);
  std::set<std::string> kinds;
  for (const auto& w : d.body["warnings"]) kinds.insert(w["kind"].get<std::string>() + ":" + w["party"].get<std::string>());
  // A past year's period has ended: h2 side-sold; the lead refused 100 kg.
  if (CivilDate::today() > CivilDate(2025, 12, 31)) {
    EXPECT_TRUE(kinds.count("side_selling:" + d.body["parties"][1]["participant"].get<std::string>())) << d.body["warnings"].dump();
  }
  // Producers entered without an external id are named "#<id>" in the report.
  EXPECT_TRUE(kinds.count("non_purchase:#" + s(c1))) << d.body["warnings"].dump();
  // The thresholds are settings: at 5 % nobody side-sells.
  ASSERT_EQ(call_json("PATCH", "/api/v1/chains/settings", "prov", {{"side_selling_pct", 5}}).status, 200);
  auto lenient = call("GET", "/api/v1/chains/linkage?year=2025&as_of=2025-12-31", "prov");
  for (const auto& w : lenient.body["warnings"]) EXPECT_NE(w["kind"], "side_selling") << lenient.body.dump();
  EXPECT_EQ(call_json("PATCH", "/api/v1/chains/settings", "n1o", {{"side_selling_pct", 5}}).status, 403);
}

TEST_P(ChainApi, CapacityAgainstTheZonesExpectedOutput) {
  json square = {{"type", "Polygon"},
                 {"coordinates", {{{103.15, 22.05}, {103.151, 22.05}, {103.151, 22.051}, {103.15, 22.051}, {103.15, 22.05}}}}};
  auto z = call_json("POST", "/api/v1/zones", "prov",
                     {{"code", "Z-1"}, {"name", "Vùng chè"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                      {"planned_area_ha", 10}, {"geometry", square}});
  ASSERT_EQ(z.status, 201) << z.body.dump();
  auto f = call_json("POST", "/api/v1/chains/facilities", "n1o",
                     {{"code", "CS-1"}, {"name", "Xưởng chè"}, {"unit_id", id("N1")}, {"technology", "manual"},
                      {"capacities", {{{"commodity", "tea"}, {"product", "chè xanh"}, {"capacity_t_per_season", 120}}}},
                      {"zone_ids", {z.body.value("id", std::int64_t{0})}}});
  ASSERT_EQ(f.status, 201) << f.body.dump();
  auto sup = call("GET", "/api/v1/chains/supply", "n1o");
  ASSERT_EQ(sup.status, 200);
  ASSERT_EQ(sup.body["rows"].size(), 1u);
  const auto& row = sup.body["rows"][0];
  EXPECT_DOUBLE_EQ(row["drawn_supply_t"].get<double>(), 90);  // 10 ha × 9 t/ha (illustrative yield)
  EXPECT_DOUBLE_EQ(row["balance_t"].get<double>(), -30);
  EXPECT_EQ(row["status"], "shortfall");
  EXPECT_TRUE(row["yield_illustrative"].get<bool>());
  // The officer of N2 does not see N1's facility.
  EXPECT_EQ(call("GET", "/api/v1/chains/facilities/" + s(f.body.value("id", std::int64_t{0})), "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/chains/supply", "n2o").body["rows"].size(), 0u);
}

TEST_P(ChainApi, LinkageMeasuresAreComputedIndicators) {
  const auto c1 = producer("cooperative", "HTX N1", "N1"), h1 = producer("household", "Hộ A", "N1"),
             h2 = producer("household", "Hộ B", "N1");
  ASSERT_EQ(contract("prov", "HD-1", c1, {h1, h2}).status, 201);
  ASSERT_EQ(contract("prov", "HD-2", c1, {h1}).status, 201);
  ASSERT_EQ(call_json("POST", "/api/v1/programmes", "prov",
                      {{"code", "T"}, {"name_vi", "Chương trình"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                       {"baseline_year", 2020}, {"milestones", {2025}}})
                .status,
            201);
  for (auto [code, measure] : {std::pair{"CHAINS", "linkage_chains"}, std::pair{"HH", "linkage_households"}}) {
    auto r = call_json("POST", "/api/v1/programmes/T/indicators", "prov",
                       {{"code", code}, {"name_vi", code}, {"kind", "stock"}, {"direction", "up"}, {"source", "computed"},
                        {"computed", json{{"measure", measure}, {"commodity", "tea"}}}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  auto review = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(review.status, 200) << review.body.dump().substr(0, 400);
  // Two contracts in force on 31 December; two distinct households (h1 is in both).
  ASSERT_TRUE(find_item(review.body, "CHAINS")["actual"].is_number()) << find_item(review.body, "CHAINS").dump();
  EXPECT_DOUBLE_EQ(find_item(review.body, "CHAINS")["actual"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(find_item(review.body, "HH")["actual"].get<double>(), 2);
  auto rec = call("GET", "/api/v1/programmes/T/indicators/CHAINS/records?unit=90&year=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(rec.status, 200) << rec.body.dump();
  ASSERT_EQ(rec.body["records"].size(), 2u);
  EXPECT_EQ(rec.body["records"][0]["kind"], "contract");
  EXPECT_NE(rec.body["records"][0]["link"].get<std::string>().find("/api/v1/chains/contracts/"), std::string::npos);
}

// docs/chains.md "Deliveries from EPCIS": a receiving ObjectEvent and a TransactionEvent
// ADD naming a contract and one of its participants become deliveries in the capture's
// transaction, dated in the event's own offset; the others that name a contract are
// listed as unmatched with their reason; capturing again adds nothing; a refused
// document stores no delivery; the linkage report counts them.
TEST_P(ChainApi, ReceivingAndTransactionEventsBecomeDeliveries) {
  auto made = [&](const std::string& kind, const std::string& name, const std::string& ext) {
    json b = {{"kind", kind}, {"name", name}, {"unit_id", id("N1")}, {"external_id", ext}};
    if (kind != "household") b["tax_code"] = "62" + std::to_string(20000000 + ++made_);
    auto r = call_json("POST", "/api/v1/producers", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  };
  const auto lead = made("cooperative", "HTX EPCIS", "HTX-E1");
  const auto h1 = made("household", "Hộ E1", "HH-E1");
  made("household", "Hộ E2", "HH-E2");  // not a participant
  auto k = contract("prov", "K-EPCIS", lead, {h1});
  ASSERT_EQ(k.status, 201) << k.body.dump();
  const auto kid = k.body["id"].get<std::int64_t>();

  auto event = [](const std::string& type, const std::string& contract, const std::string& party, double qty,
                  const std::string& uom, const std::string& time) {
    json ev = {{"type", type},
               {"eventTime", time},
               {"eventTimeZoneOffset", "+07:00"},
               {"action", type == "TransactionEvent" ? "ADD" : "OBSERVE"},
               {"bizTransactionList", json::array({{{"type", "po"}, {"bizTransaction", "urn:nongsan:contract:" + contract}}})},
               {"sourceList", json::array({{{"type", "owning_party"}, {"source", "urn:nongsan:producer:" + party}}})},
               {"quantityList", json::array({{{"epcClass", "urn:epc:class:lgtin:4012345.012345.998877"},
                                              {"quantity", qty}, {"uom", uom}}})}};
    if (type == "ObjectEvent") ev["bizStep"] = "receiving";
    return ev;
  };
  json events = json::array();
  // 18:30 UTC on 10 May is 01:30 on 11 May in Vietnam: the delivery's date is the 11th.
  events.push_back(event("ObjectEvent", "K-EPCIS", "HH-E1", 250, "KGM", "2025-05-10T18:30:00.000Z"));
  events.push_back(event("TransactionEvent", "K-EPCIS", "HH-E1", 100, "KGM", "2025-06-01T09:00:00+07:00"));
  events.push_back(event("ObjectEvent", "K-EPCIS", "HH-E1", 40, "LBR", "2025-06-02T09:00:00+07:00"));
  events.push_back(event("ObjectEvent", "K-NONE", "HH-E1", 10, "KGM", "2025-06-03T09:00:00+07:00"));
  events.push_back(event("ObjectEvent", "K-EPCIS", "HH-E2", 10, "KGM", "2025-06-04T09:00:00+07:00"));
  json shipping = event("ObjectEvent", "K-EPCIS", "HH-E1", 999, "KGM", "2025-06-05T09:00:00+07:00");
  shipping["bizStep"] = "https://ref.gs1.org/cbv/BizStep-shipping";  // not a receiving: no delivery, not listed
  events.push_back(shipping);
  const json doc = {{"@context", json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"})},
                    {"type", "EPCISDocument"},
                    {"schemaVersion", "2.0"},
                    {"creationDate", "2025-06-06T00:00:00Z"},
                    {"epcisBody", {{"eventList", events}}}};
  auto cap = call("POST", "/epcis/capture", "prov", doc.dump(), "application/ld+json");
  ASSERT_EQ(cap.status, 202) << cap.body.dump();
  auto job = call("GET", "/epcis/capture/" + cap.body.value("captureID", ""), "prov");
  ASSERT_TRUE(job.body["success"].get<bool>()) << job.body.dump();
  EXPECT_EQ(job.body["captured"], 6);

  auto got = call("GET", "/api/v1/chains/contracts/" + s(kid) + "?year=2025", "prov");
  ASSERT_EQ(got.status, 200);
  ASSERT_EQ(got.body["deliveries"].size(), 2u) << got.body["deliveries"].dump();
  EXPECT_EQ(got.body["deliveries"][0]["date"], "2025-05-11");
  EXPECT_EQ(got.body["deliveries"][0]["quantity_kg"], 250);
  EXPECT_EQ(got.body["deliveries"][0]["origin"], "epcis");
  EXPECT_EQ(got.body["deliveries"][0]["epcis_event_id"].get<std::string>().rfind("ni:///sha-256;", 0), 0u);
  EXPECT_EQ(got.body["deliveries"][1]["date"], "2025-06-01");
  EXPECT_EQ(got.body["parties"][0]["delivered_kg"], 350);

  auto unmatched = call("GET", "/api/v1/chains/epcis-unmatched", "prov");
  ASSERT_EQ(unmatched.status, 200);
  std::vector<std::string> reasons;
  for (const auto& u : unmatched.body["items"]) reasons.push_back(u["contract"].get<std::string>() + ":" + u["reason"].get<std::string>());
  EXPECT_EQ(reasons, (std::vector<std::string>{"K-EPCIS:not_kilograms", "K-NONE:no_contract", "K-EPCIS:not_participant"}));
  // Another commune's officer sees none of them (the contract is N1's; an unknown one the province's).
  EXPECT_EQ(call("GET", "/api/v1/chains/epcis-unmatched", "n2o").body["items"].size(), 0u);

  // The linkage report counts them.
  auto report = call("GET", "/api/v1/chains/linkage?year=2025", "prov");
  bool counted = false;
  for (const auto& r : report.body["rows"])
    if (r["contract"] == "K-EPCIS" && r["participant"] == "HH-E1") counted = r["delivered_kg"] == 350;
  EXPECT_TRUE(counted) << report.body.dump();

  // The same events again: nothing added.
  auto again = call("POST", "/epcis/capture", "prov", doc.dump(), "application/ld+json");
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(call("GET", "/api/v1/chains/contracts/" + s(kid) + "?year=2025", "prov").body["deliveries"].size(), 2u);

  // A refused document (its second event has no action) stores no delivery of its first.
  json bad = doc;
  bad["epcisBody"]["eventList"] = json::array(
      {event("ObjectEvent", "K-EPCIS", "HH-E1", 7, "KGM", "2025-07-01T09:00:00+07:00"),
       event("ObjectEvent", "K-EPCIS", "HH-E1", 8, "KGM", "2025-07-02T09:00:00+07:00")});
  bad["epcisBody"]["eventList"][1].erase("action");
  auto refused = call("POST", "/epcis/capture", "prov", bad.dump(), "application/ld+json");
  auto refused_job = call("GET", "/epcis/capture/" + refused.body.value("captureID", ""), "prov");
  EXPECT_FALSE(refused_job.body.value("success", true)) << refused_job.body.dump();
  EXPECT_EQ(call("GET", "/api/v1/chains/contracts/" + s(kid) + "?year=2025", "prov").body["deliveries"].size(), 2u);
}

// Signed documents as files (docs/chains.md "Signed documents"): upload, list, download
// the same bytes with an escaped name, wrong type and too large refused naming the field,
// another commune's officer refused like a missing contract, delete audited.
TEST_P(ChainApi, SignedDocumentsAreFilesKeptInTheContractsScope) {
  const auto c1 = producer("cooperative", "HTX N1", "N1"), h1 = producer("household", "Hộ N1", "N1");
  auto k = contract("prov", "HD-DOC", c1, {h1});
  ASSERT_EQ(k.status, 201) << k.body.dump();
  const std::string path = "/api/v1/chains/contracts/" + s(k.body.value("id", std::int64_t{0})) + "/documents";
  std::string pdf = "%PDF-1.4\n% hợp đồng\n";
  pdf += std::string("\0\x01\xff\xfe binary", 12);
  pdf += "\n%%EOF\n";
  auto upload = [&](const std::string& user, const std::string& name, const std::string& type, const std::string& bytes) {
    return call_json("POST", path, user,
                     {{"file", {{"name", name}, {"media_type", type}, {"content_base64", base64_encode(bytes)}}}});
  };
  // Upload by the commune's officer; the name keeps its Vietnamese and its quote.
  auto up = upload("n1o", "C:\\scan\\Hợp đồng \"HD-DOC\".pdf", "application/pdf", pdf);
  ASSERT_EQ(up.status, 201) << up.body.dump();
  EXPECT_EQ(up.body["name"], "Hợp đồng \"HD-DOC\".pdf");
  EXPECT_EQ(up.body["size_bytes"], static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(up.body["media_type"], "application/pdf");
  const std::string doc = path + "/" + s(up.body["id"].get<std::int64_t>());
  // Listed, and downloaded byte for byte with its type and an escaped Content-Disposition.
  auto list = call("GET", path, "n1o");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.size(), 1u);
  EXPECT_EQ(list.body[0]["sha256"], up.body["sha256"]);
  EXPECT_FALSE(list.body[0].contains("content"));
  auto got = call("GET", doc, "n1o");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.raw.content_type, "application/pdf");
  EXPECT_EQ(got.raw.body, pdf);
  EXPECT_EQ(got.header("Content-Disposition"),
            "attachment; filename=\"H_p __ng _HD-DOC_.pdf\"; "
            "filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng%20%22HD-DOC%22.pdf")
      << "the fallback keeps printable ASCII, the exact name is percent-encoded";
  // A PNG declared as a PDF, a GIF, a type the settings do not accept: refused, naming the field.
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\0", 12);
  auto mismatch = upload("n1o", "a.pdf", "application/pdf", png);
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_TRUE(mismatch.names_field("file.content_base64")) << mismatch.body.dump();
  auto gif = upload("n1o", "a.gif", "image/gif", "GIF89a....");
  EXPECT_EQ(gif.status, 400);
  EXPECT_TRUE(gif.names_field("file.media_type")) << gif.body.dump();
  EXPECT_TRUE(upload("n1o", "a.png", "image/png", png).status == 201);
  // Too large: the limit is the setting document_max_mb.
  ASSERT_EQ(call_json("PATCH", "/api/v1/chains/settings", "admin", {{"document_max_mb", 0.1}}).status, 200);
  auto big = upload("n1o", "big.pdf", "application/pdf", "%PDF-" + std::string(110 * 1024, 'x'));
  EXPECT_EQ(big.status, 400);
  EXPECT_TRUE(big.names_field("file.content_base64")) << big.body.dump();
  EXPECT_NE(big.body.dump().find("larger than 104857 bytes"), std::string::npos) << big.body.dump();
  // The accepted types are a setting too: PDF only, then a PNG is refused.
  auto only_pdf = call_json("PATCH", "/api/v1/chains/settings", "admin", {{"document_media_types", {"application/pdf"}}});
  ASSERT_EQ(only_pdf.status, 200) << only_pdf.body.dump();
  EXPECT_EQ(only_pdf.body["document_media_types"], json::array({"application/pdf"}));
  EXPECT_EQ(upload("n1o", "b.png", "image/png", png).status, 400);
  EXPECT_EQ(call_json("PATCH", "/api/v1/chains/settings", "admin", {{"document_media_types", {"text/html"}}}).status, 400);
  // Another commune's officer: the contract answers as missing, for every route.
  EXPECT_EQ(call("GET", path, "n2o").status, 404);
  EXPECT_EQ(call("GET", doc, "n2o").status, 404);
  EXPECT_EQ(upload("n2o", "x.pdf", "application/pdf", pdf).status, 404);
  EXPECT_EQ(call("DELETE", doc, "n2o").status, 404);
  // A document id of another contract answers as missing under this one.
  auto k2 = contract("prov", "HD-DOC2", c1, {h1});
  ASSERT_EQ(k2.status, 201);
  EXPECT_EQ(call("GET", "/api/v1/chains/contracts/" + s(k2.body["id"].get<std::int64_t>()) + "/documents/" +
                            s(up.body["id"].get<std::int64_t>()),
                 "n1o")
                .status,
            404);
  // Delete by the officer in scope; audited with what was removed.
  EXPECT_EQ(call("DELETE", doc, "n1o").status, 204);
  EXPECT_EQ(call("GET", doc, "n1o").status, 404);
  EXPECT_EQ(call("GET", path, "n1o").body.size(), 1u);
  auto audit = call("GET", "/api/v1/audit?entity=chain_contract_document", "admin");
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  EXPECT_NE(audit.body.dump().find("\"delete\""), std::string::npos) << audit.body.dump();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ChainApi, ::testing::Values(storage::Backend::sqlite), [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, ChainApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
