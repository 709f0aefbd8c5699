// Schema validation of EPCIS documents (validation.cpp): every GS1 example is valid; the
// property-name rules of the schema (a name is the standard's or an absolute URI) hold at
// every place the schema applies them; date-times keep their syntax and day limits.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "modules/epcis/validation.hpp"

namespace nongsan::epcis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
const fs::path kData = fs::path(NONGSAN_DATA_DIR) / ".." / "tests" / "data" / "epcis";

json load(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::string all(const std::vector<Problem>& ps) {
  std::string s;
  for (const auto& p : ps) s += describe(p) + "\n";
  return s;
}

// The one problem of `doc`, which must be at `path` of event `event`.
void expect_one(const json& doc, std::optional<std::size_t> event, const std::string& path, const std::string& says) {
  auto ps = validate_document(doc);
  ASSERT_EQ(ps.size(), 1u) << all(ps);
  EXPECT_EQ(ps[0].event, event) << all(ps);
  EXPECT_EQ(ps[0].path, path) << all(ps);
  EXPECT_NE(ps[0].message.find(says), std::string::npos) << all(ps);
}

json sensor_example() { return load(kData / "gs1-examples" / "WithSensorData_SensorDataExample1.jsonld"); }

TEST(EpcisValidation, EveryGs1ExampleIsValid) {
  int n = 0;
  for (const auto& f : fs::directory_iterator(kData / "gs1-examples")) {
    if (f.path().extension() != ".jsonld") continue;
    auto ps = validate_document(load(f.path()));
    EXPECT_TRUE(ps.empty()) << f.path().filename() << "\n" << all(ps);
    ++n;
  }
  EXPECT_GT(n, 30);
}

TEST(EpcisValidation, AnEventPropertyIsTheStandardsOrAnAbsoluteUri) {
  json doc = sensor_example();
  auto& ev = doc["epcisBody"]["eventList"][0];
  ev["example:myField"] = "an extension";      // a CURIE
  ev["https://ns.example.com/f"] = 1;          // a full IRI
  EXPECT_TRUE(validate_document(doc).empty()) << all(validate_document(doc));
  ev["myField"] = "x";
  expect_one(doc, 0, "/myField", "'myField' is not a property of ObjectEvent");
  ev.erase("myField");
  ev["1x:field"] = "x";  // a scheme starts with a letter
  expect_one(doc, 0, "/1x:field", "not a property");
}

TEST(EpcisValidation, NamesAreCheckedInsideErrorDeclarationIlmdAndSensorElements) {
  {
    json doc = sensor_example();
    doc["epcisBody"]["eventList"][0]["sensorElementList"][0]["sensorMetadata"]["colour"] = "red";
    expect_one(doc, 0, "/sensorElementList/0/sensorMetadata/colour", "sensorMetadata");
  }
  {
    json doc = sensor_example();
    doc["epcisBody"]["eventList"][0]["sensorElementList"][0]["sensorReport"][0]["colour"] = "red";
    expect_one(doc, 0, "/sensorElementList/0/sensorReport/0/colour", "sensorReport");
  }
  {
    json doc = sensor_example();
    doc["epcisBody"]["eventList"][0]["sensorElementList"][0]["extra"] = 1;
    expect_one(doc, 0, "/sensorElementList/0/extra", "sensorElement");
  }
  {
    json doc = sensor_example();
    doc["epcisBody"]["eventList"][0]["action"] = "ADD";  // ILMD goes with ADD only (the schema's rule)
    doc["epcisBody"]["eventList"][0]["ilmd"] = {{"example:bestBefore", "2026-01-01"}, {"lot", "L1"}};
    expect_one(doc, 0, "/ilmd/lot", "ilmd");
  }
  {
    json doc = load(kData / "gs1-examples" / "WithErrorDeclaration_Example_9.6.1-ObjectEvent-with-error-declaration.jsonld");
    ASSERT_TRUE(validate_document(doc).empty());
    doc["epcisBody"]["eventList"][0]["errorDeclaration"]["why"] = "typo";
    expect_one(doc, 0, "/errorDeclaration/why", "errorDeclaration");
  }
  {
    json doc = sensor_example();
    doc["sentBy"] = "someone";
    expect_one(doc, std::nullopt, "/sentBy", "epcisDocument");
  }
}

TEST(EpcisValidation, DateTimesKeepTheirSyntaxAndDayLimits) {
  auto with_time = [](const std::string& t) {
    json doc = sensor_example();
    doc["epcisBody"]["eventList"][0]["sensorElementList"][0]["sensorMetadata"]["time"] = t;
    return doc;
  };
  EXPECT_TRUE(validate_document(with_time("2020-02-29T10:00:00Z")).empty());
  EXPECT_TRUE(validate_document(with_time("2020-12-31T23:59:60.125-05:30")).empty());
  EXPECT_TRUE(validate_document(with_time("2020-04-30t10:00:00z")).empty());
  for (const char* bad : {"2020-02-30T10:00:00Z", "2020-04-31T10:00:00Z", "2020-11-31T10:00:00Z", "2020-13-01T10:00:00Z",
                          "2020-01-01T10:00:00", "2020-01-01 10:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T10:00:00+5:00"})
    expect_one(with_time(bad), 0, "/sensorElementList/0/sensorMetadata/time", "must be a date and time with a time zone");
  json doc = sensor_example();
  doc["creationDate"] = "2020-06-31T10:00:00Z";
  expect_one(doc, std::nullopt, "/creationDate", "must be a date and time with a time zone");
}

}  // namespace
}  // namespace nongsan::epcis
