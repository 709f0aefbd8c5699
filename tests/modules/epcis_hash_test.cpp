// The CBV 2.0 event hash against every vector of the reference implementation that has
// a document (tests/data/epcis/hash-vectors), and the GS1 key functions against
// published check digits and conversions.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "modules/epcis/event_hash.hpp"
#include "modules/epcis/gs1.hpp"

namespace nongsan::epcis {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(NONGSAN_DATA_DIR) / ".." / "tests" / "data" / "epcis";

std::vector<std::string> lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

TEST(EpcisHash, EveryVectorWithADocumentHashesAsTheReference) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kData / "hash-vectors")) {
    if (entry.path().extension() != ".jsonld") continue;
    auto hashes = fs::path(entry.path()).replace_extension(".hashes");
    if (!fs::exists(hashes)) continue;
    ++files;
    std::ifstream in(entry.path());
    auto doc = nlohmann::json::parse(in);
    auto ctx = hash_context(doc);
    const auto* events = document_events(doc);
    ASSERT_NE(events, nullptr) << entry.path();
    auto expected = lines(hashes);
    auto pre = lines(fs::path(entry.path()).replace_extension(".prehashes"));
    ASSERT_EQ(events->size(), expected.size()) << entry.path();
    for (std::size_t i = 0; i < events->size(); ++i) {
      std::string got = event_hash((*events)[i], ctx);
      EXPECT_EQ(got, expected[i]) << entry.path().filename() << " event " << i << "\n  our pre-hash:       "
                                  << pre_hash_string((*events)[i], ctx) << "\n  reference pre-hash: "
                                  << (i < pre.size() ? pre[i] : "(none)");
    }
  }
  EXPECT_EQ(files, 22);
}

TEST(EpcisHash, TimesAreUtcMillisecondsRoundedHalfUp) {
  EXPECT_EQ(canonical_time("2023-02-02T11:04:03.1415Z"), "2023-02-02T11:04:03.142Z");
  EXPECT_EQ(canonical_time("2023-02-02T11:04:03.1414Z"), "2023-02-02T11:04:03.141Z");
  EXPECT_EQ(canonical_time("2022-02-16T20:33:31.116000-06:00"), "2022-02-17T02:33:31.116Z");
  EXPECT_EQ(canonical_time("2020-12-31T23:59:59.9996Z"), "2021-01-01T00:00:00.000Z");
  EXPECT_FALSE(valid_time("2023-02-30T10:00:00Z"));
  EXPECT_FALSE(valid_time("2023-02-02T10:00:00"));  // no time zone
}

TEST(EpcisHash, NumbersAsPythonWritesThem) {
  EXPECT_EQ(canonical_number(452.0), "452");
  EXPECT_EQ(canonical_number(0.05), "0.05");
  EXPECT_EQ(canonical_number(0.0001), "0.0001");
  EXPECT_EQ(canonical_number(0.00001), "1e-05");
  EXPECT_EQ(canonical_number(-12.1), "-12.1");
}

// Check digits: the GS1 General Specifications' own examples (§7.9.1: GTIN 629104150021
// → 3) and well-known keys.
TEST(Gs1, CheckDigits) {
  EXPECT_EQ(gs1::check_digit("629104150021"), 3);
  EXPECT_TRUE(gs1::valid_gtin("6291041500213"));
  EXPECT_FALSE(gs1::valid_gtin("6291041500214"));
  EXPECT_TRUE(gs1::valid_gtin("96385074"));       // GTIN-8
  EXPECT_TRUE(gs1::valid_gtin("036000291452"));   // GTIN-12 (UPC-A)
  EXPECT_TRUE(gs1::valid_gtin("10614141073464"));  // GTIN-14
  EXPECT_EQ(gs1::gtin14("036000291452").value(), "00036000291452");
  EXPECT_TRUE(gs1::valid_gln("0614141073467"));
  EXPECT_TRUE(gs1::valid_sscc("106141412345678908"));
  EXPECT_FALSE(gs1::valid_sscc("106141412345678909"));
  EXPECT_EQ(gs1::check_digit("12a"), -1);
}

TEST(Gs1, EpcUrnsBecomeCanonicalDigitalLinks) {
  using gs1::canonical_digital_link;
  EXPECT_EQ(canonical_digital_link("urn:epc:id:sgtin:0614141.107346.2017").value(),
            "https://id.gs1.org/01/10614141073464/21/2017");
  EXPECT_EQ(canonical_digital_link("urn:epc:id:sscc:0614141.1234567890").value(), "https://id.gs1.org/00/106141412345678908");
  EXPECT_EQ(canonical_digital_link("urn:epc:id:sgln:0614141.07346.1234").value(),
            "https://id.gs1.org/414/0614141073467/254/1234");
  EXPECT_EQ(canonical_digital_link("urn:epc:id:sgln:0614141.07346.0").value(), "https://id.gs1.org/414/0614141073467");
  EXPECT_EQ(canonical_digital_link("urn:epc:class:lgtin:4012345.012345.Lot987").value(),
            "https://id.gs1.org/01/04012345123456/10/Lot987");
  EXPECT_EQ(canonical_digital_link("urn:epc:idpat:sgtin:4012345.044444.*").value(),
            "https://id.gs1.org/01/04012345444445");
  EXPECT_EQ(canonical_digital_link("urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()").value(),
            "https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29");
  EXPECT_EQ(canonical_digital_link("https://example.com/gtin/09780345418913/21/765tz?abc=1").value(),
            "https://id.gs1.org/01/09780345418913/21/765tz");
  EXPECT_EQ(canonical_digital_link("https://id.gs1.org/01/09780345418913/10/L1/21/S1").value(),
            "https://id.gs1.org/01/09780345418913/21/S1");  // the finest level only
  EXPECT_FALSE(canonical_digital_link("urn:epc:id:sgtin:0614141.10734.2017"));  // 12 digits, not 13
  EXPECT_FALSE(canonical_digital_link("http://transaction.acme.com/po/12345678"));
}

TEST(Gs1, DigitalLinkParseBuildAndBackToEpc) {
  auto dl = gs1::parse_digital_link("https://id.gs1.org/01/9506000134352/10/L%C3%B4%201");
  ASSERT_TRUE(dl);
  EXPECT_EQ(dl->key, "09506000134352");
  ASSERT_EQ(dl->qualifiers.size(), 1u);
  EXPECT_EQ(dl->qualifiers[0].second, "Lô 1");
  EXPECT_EQ(gs1::build_digital_link(*dl), "https://id.gs1.org/01/09506000134352/10/L%C3%B4%201");
  EXPECT_EQ(gs1::lot_digital_link("9506000134352", "A/B").value(), "https://id.gs1.org/01/09506000134352/10/A%2FB");
  EXPECT_FALSE(gs1::lot_digital_link("9506000134353", "A"));  // wrong check digit
  EXPECT_EQ(gs1::digital_link_to_epc("https://id.gs1.org/01/10614141073464/21/2017", 7).value(),
            "urn:epc:id:sgtin:0614141.107346.2017");
  EXPECT_EQ(gs1::digital_link_to_epc("https://id.gs1.org/01/04012345123456/10/Lot987", 7).value(),
            "urn:epc:class:lgtin:4012345.012345.Lot987");
  EXPECT_EQ(gs1::digital_link_to_epc("https://id.gs1.org/414/0614141073467/254/1234", 7).value(),
            "urn:epc:id:sgln:0614141.07346.1234");
  EXPECT_EQ(gs1::digital_link_to_epc("https://id.gs1.org/00/106141412345678908", 7).value(),
            "urn:epc:id:sscc:0614141.1234567890");
}

}  // namespace
}  // namespace nongsan::epcis
