// The EPCIS 2.0 REST binding over the real route table on both backends: a GS1 example
// captured over HTTP and queried back with every event's hash unchanged; a refused
// document gives the capture job's errors and stores nothing; problem details with the
// EPCIS exception types; bearer tokens and the session cookie; who is refused; paging
// by Link rel="next".
#include <filesystem>
#include <fstream>
#include <set>

#include "api/api_fixture.hpp"
#include "modules/epcis/event_hash.hpp"

namespace nongsan::api {
namespace {

namespace fs = std::filesystem;
const fs::path kExamples = fs::path(NONGSAN_DOCS_DIR) / ".." / "tests" / "data" / "epcis" / "gs1-examples";

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::multiset<std::string> hashes_of(const json& doc) {
  std::multiset<std::string> out;
  auto ctx = epcis::hash_context(doc);
  for (const auto& e : *epcis::document_events(doc)) out.insert(epcis::event_hash(e, ctx));
  return out;
}

// Path and query of a Link header's rel="next" target ("" when none).
std::string next_link(const Reply& r) {
  std::string link = r.header("Link");
  if (link.empty()) return "";
  EXPECT_NE(link.find("rel=\"next\""), std::string::npos) << link;
  return link.substr(1, link.find('>') - 1);
}

class EpcisApi : public ApiTest {
 protected:
  Reply capture(const std::string& body, const std::string& user = "admin",
                const std::string& type = "application/ld+json") {
    return call("POST", "/epcis/capture", user, body, type);
  }
};

TEST_P(EpcisApi, Gs1ExampleCapturedOverHttpQueriesBackWithItsHashes) {
  for (const char* name : {"Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
                           "WithSensorData_SensorDataExample1.jsonld"}) {
    const std::string text = read(kExamples / name);
    auto rep = capture(text);
    ASSERT_EQ(rep.status, 202) << name << ": " << rep.body.dump();
    const std::string location = rep.header("Location");
    ASSERT_EQ(location, "/epcis/capture/" + rep.body.value("captureID", "")) << name;
    auto job = call("GET", location, "prov");
    ASSERT_EQ(job.status, 200) << job.body.dump();
    EXPECT_TRUE(job.body["success"].get<bool>()) << job.body.dump();
    EXPECT_FALSE(job.body["running"].get<bool>());
    EXPECT_EQ(job.body["errors"].size(), 0u);
    EXPECT_GT(job.body["captured"].get<int>(), 0);
  }
  // Everything back (as the inspector, who reads), hashes unchanged.
  std::multiset<std::string> want;
  for (const char* name : {"Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
                           "WithSensorData_SensorDataExample1.jsonld"})
    for (const auto& h : hashes_of(json::parse(read(kExamples / name)))) want.insert(h);
  auto q = call("GET", "/epcis/events?perPage=100", "insp");
  ASSERT_EQ(q.status, 200) << q.body.dump();
  EXPECT_EQ(media_type_of(q.raw.content_type), "application/ld+json");
  EXPECT_EQ(q.body["type"], "EPCISQueryDocument");
  EXPECT_EQ(hashes_of(q.body), want);

  // The standard's filters: the example's shipping event only.
  auto shipping = call("GET", "/epcis/events?EQ_bizStep=shipping&eventType=ObjectEvent", "insp");
  ASSERT_EQ(shipping.status, 200) << shipping.body.dump();
  const auto& list = shipping.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
  ASSERT_GE(list.size(), 1u);
  for (const auto& e : list) EXPECT_NE(e.value("bizStep", "").find("shipping"), std::string::npos) << e.dump();
  // MATCH_epc and GE_/LT_eventTime reach the service through the open prefixes.
  auto by_epc = call("GET", "/epcis/events?MATCH_epc=urn:epc:id:sgtin:0614141.107346.2017"
                            "&GE_eventTime=2005-01-01T00:00:00Z&LT_eventTime=2030-01-01T00:00:00Z", "insp");
  ASSERT_EQ(by_epc.status, 200) << by_epc.body.dump();
  EXPECT_GE(by_epc.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size(), 1u);

  // Capturing the same document again changes nothing.
  auto again = capture(read(kExamples / "Example_9.6.1-ObjectEvent.jsonld"), "admin", "application/json");
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(again.body["captured"], 0);
  EXPECT_EQ(again.body["alreadyPresent"], 2);
  EXPECT_EQ(count("epcis_event"), static_cast<std::int64_t>(want.size()));
  // The list of jobs, newest first.
  auto jobs = call("GET", "/epcis/capture", "admin");
  ASSERT_EQ(jobs.status, 200);
  ASSERT_EQ(jobs.body.size(), 4u);
  EXPECT_EQ(jobs.body[0]["captureID"], again.body["captureID"]);
}

TEST_P(EpcisApi, ARefusedDocumentGivesTheJobsErrorsAndStoresNothing) {
  json doc = json::parse(read(kExamples / "Example_9.6.1-ObjectEvent.jsonld"));
  doc["epcisBody"]["eventList"][1]["action"] = "SOMETIMES";  // the second event is bad
  auto rep = capture(doc.dump());
  ASSERT_EQ(rep.status, 202) << rep.body.dump();
  EXPECT_FALSE(rep.body["success"].get<bool>());
  auto job = call("GET", rep.header("Location"), "admin");
  ASSERT_EQ(job.status, 200);
  EXPECT_FALSE(job.body["success"].get<bool>());
  ASSERT_GE(job.body["errors"].size(), 1u) << job.body.dump();
  EXPECT_EQ(job.body["errors"][0]["event"], 1) << job.body.dump();
  EXPECT_EQ(count("epcis_event"), 0);

  // Not JSON at all: no job, a ValidationException naming the position.
  auto broken = capture("{\"type\": \"EPCISDocument\", ");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(media_type_of(broken.raw.content_type), "application/problem+json");
  EXPECT_EQ(broken.body["type"], "epcisException:ValidationException");
  EXPECT_EQ(broken.body["status"], 400);
  EXPECT_FALSE(broken.body.value("detail", "").empty());
  // Neither JSON nor JSON-LD.
  auto xml = capture("<epcis/>", "admin", "application/xml");
  EXPECT_EQ(xml.status, 415);
  EXPECT_EQ(count("epcis_event"), 0);
  EXPECT_EQ(count("epcis_capture"), 1);  // the refused document's job only
}

TEST_P(EpcisApi, QueryParametersTheStandardDoesNotKnowAreQueryParameterExceptions) {
  auto rep = call("GET", "/epcis/events?EQ_colour=blue", "admin");
  EXPECT_EQ(rep.status, 400);
  EXPECT_EQ(rep.body["type"], "epcisException:QueryParameterException");
  EXPECT_TRUE(rep.names_field("EQ_colour")) << rep.body.dump();
  auto other = call("GET", "/epcis/events?colour=blue", "admin");
  EXPECT_EQ(other.status, 400);
  EXPECT_TRUE(other.names_field("colour")) << other.body.dump();
  auto per_page = call("GET", "/epcis/events?perPage=0", "admin");
  EXPECT_EQ(per_page.status, 400);
  EXPECT_TRUE(per_page.names_field("perPage"));
  // A page token whose id does not fit an integer is refused, not a server error
  // (it reached std::stoll in the repository before).
  auto token = call("GET", "/epcis/events?nextPageToken=2020-01-01T00:00:00.000Z~99999999999999999999999", "admin");
  EXPECT_EQ(token.status, 400) << token.body.dump();
  EXPECT_TRUE(token.names_field("nextPageToken"));
  auto missing = call("GET", "/epcis/capture/NOPE", "admin");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["type"], "epcisException:NoSuchResourceException");
}

TEST_P(EpcisApi, ProducersAndAnonymousAreRefusedBearerAndCookieWork) {
  const std::string text = read(kExamples / "Example_9.6.1-ObjectEvent.jsonld");
  auto anonymous = capture(text, "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body["type"], "epcisException:SecurityException");
  EXPECT_EQ(call("GET", "/epcis/events", "").status, 401);
  auto producer = capture(text, "coop");
  EXPECT_EQ(producer.status, 403);
  EXPECT_EQ(producer.body["type"], "epcisException:SecurityException");
  EXPECT_EQ(call("GET", "/epcis/events", "coop").status, 403);
  EXPECT_EQ(call("GET", "/epcis/events", "n1o").status, 403);
  EXPECT_EQ(capture(text, "insp").status, 403);  // inspectors read only
  EXPECT_EQ(count("epcis_event"), 0);
  // A wrong bearer token.
  Request bad;
  bad.method = "GET";
  bad.target = "/epcis/events";
  bad.headers["authorization"] = "Bearer not-a-token";
  EXPECT_EQ(raw(bad).status, 401);

  // The session cookie works too (with its CSRF token for a capture).
  Request login;
  login.method = "POST";
  login.target = "/api/v1/auth/login";
  login.headers["content-type"] = "application/json";
  login.body = json{{"username", "prov"}, {"password", test_support::kTestPassword}}.dump();
  auto session = raw(login);
  ASSERT_EQ(session.status, 200) << session.body.dump();
  std::string cookie;
  for (const auto& [k, v] : session.raw.headers)
    if (k == "Set-Cookie" && v.rfind("nongsan_session=", 0) == 0) cookie = v.substr(0, v.find(';'));
  ASSERT_FALSE(cookie.empty());
  Request post;
  post.method = "POST";
  post.target = "/epcis/capture";
  post.headers["content-type"] = "application/ld+json";
  post.headers["cookie"] = cookie;
  post.headers["x-csrf-token"] = session.body.value("csrf_token", "");
  post.body = text;
  auto captured = raw(post);
  EXPECT_EQ(captured.status, 202) << captured.body.dump();
  Request get;
  get.method = "GET";
  get.target = "/epcis/events";
  get.headers["cookie"] = cookie;
  auto back = raw(get);
  ASSERT_EQ(back.status, 200) << back.body.dump();
  EXPECT_EQ(back.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size(), 2u);
}

TEST_P(EpcisApi, PagesFollowTheNextLinkToTheEnd) {
  for (const char* name : {"Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.2-ObjectEvent.jsonld",
                           "Example_9.6.3-AggregationEvent.jsonld", "Example_9.6.4-TransformationEvent.jsonld"})
    ASSERT_EQ(capture(read(kExamples / name)).status, 202) << name;
  const std::int64_t total = count("epcis_event");
  ASSERT_GE(total, 4);
  std::multiset<std::string> seen;
  std::string target = "/epcis/events?perPage=1&orderDirection=DESC";
  int pages = 0;
  std::string previous_time = "9999";
  while (!target.empty()) {
    auto rep = call("GET", target, "admin");
    ASSERT_EQ(rep.status, 200) << target << ": " << rep.body.dump();
    const auto& list = rep.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
    ASSERT_EQ(list.size(), 1u);
    for (const auto& h : hashes_of(rep.body)) seen.insert(h);
    ++pages;
    target = next_link(rep);
    if (!target.empty()) {
      EXPECT_NE(target.find("perPage=1"), std::string::npos) << target;      // the query is kept
      EXPECT_NE(target.find("orderDirection=DESC"), std::string::npos) << target;
    }
    ASSERT_LE(pages, total) << "the next links do not end";
  }
  EXPECT_EQ(pages, total);
  EXPECT_EQ(static_cast<std::int64_t>(std::set<std::string>(seen.begin(), seen.end()).size()), total);
}

TEST_P(EpcisApi, TheWebUiIsStillServedBesideTheBinding) {
  Request home;
  home.method = "GET";
  home.target = "/";
  auto page = raw(home);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(media_type_of(page.raw.content_type), "text/html");
  Request look_alike;  // not under /epcis/: the UI's, not the router's
  look_alike.method = "GET";
  look_alike.target = "/epcisx";
  EXPECT_NE(raw(look_alike).raw.content_type.find("text/html"), std::string::npos);
  Request post;  // the UI's paths still take GET only
  post.method = "POST";
  post.target = "/epcisx";
  EXPECT_EQ(raw(post).status, 405);
}

INSTANTIATE_TEST_SUITE_P(Backends, EpcisApi, ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const auto& info) { return info.param == storage::Backend::sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace nongsan::api
