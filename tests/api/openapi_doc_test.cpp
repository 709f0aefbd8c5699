// docs/api.md is not kept by hand where the code knows better: its route tables are
// written from the OpenAPI document (nongsan openapi --format markdown --update
// docs/api.md), and this test fails while the file differs from what the generator
// writes, or while a tag's routes have no table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/openapi.hpp"
#include "api/openapi_markdown.hpp"

namespace nongsan::api {

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(OpenApiDoc, ApiMdRouteTablesAreWhatTheGeneratorWrites) {
  const std::string text = slurp(std::filesystem::path(NONGSAN_DOCS_DIR) / "api.md");
  ASSERT_FALSE(text.empty());
  auto regenerated = update_route_tables(openapi_document(all_routes()), text);
  ASSERT_TRUE(regenerated) << regenerated.error().message << ": "
                           << (regenerated.error().fields.empty() ? "" : regenerated.error().fields[0].message);
  if (*regenerated != text) {
    // The first line that differs, to say what changed.
    std::istringstream a(text), b(*regenerated);
    std::string la, lb;
    int n = 0;
    while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++n;
    ADD_FAILURE() << "docs/api.md's route tables are stale; regenerate them with\n"
                  << "  build/nongsan openapi --format markdown --update docs/api.md\n"
                  << "first difference at line " << n + 1 << ":\n  in the file: " << la << "\n  generated:   " << lb;
  }
}

TEST(OpenApiDoc, TheGeneratorRefusesMarkersItCannotFill) {
  const auto doc = openapi_document(all_routes());
  const std::string all = markdown_route_tables(doc);
  auto ok = update_route_tables(doc, "# API\n\n" + all);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_NE(ok->find("| GET | /api/v1/parcels | registry.read |"), std::string::npos);
  // A table's content is replaced, whatever was there.
  auto replaced = update_route_tables(doc, "x\n" + all + "<!-- routes: audit -->\nold text\n<!-- /routes -->\n");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->find("old text"), std::string::npos);
  // A tag with no routes, a marker never closed, a tag without its table, no schemas: errors.
  auto unknown = update_route_tables(doc, all + "<!-- routes: nosuch -->\n<!-- /routes -->\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().fields.at(0).message.find("nosuch"), std::string::npos);
  EXPECT_FALSE(update_route_tables(doc, all + "<!-- routes: audit -->\n| old |\n"));
  std::string without_support = all;
  auto at = without_support.find("<!-- routes: support -->");
  without_support.erase(at, without_support.find("<!-- /routes -->", at) + 16 - at);
  auto missing = update_route_tables(doc, without_support);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().fields.at(0).message.find("support"), std::string::npos);
  std::string without_schemas = all;
  without_schemas.erase(0, without_schemas.find("<!-- /schemas -->") + 17);
  auto no_schemas = update_route_tables(doc, without_schemas);
  ASSERT_FALSE(no_schemas);
  EXPECT_EQ(no_schemas.error().message, "the schemas have no table");
}

TEST(OpenApiDoc, TablesSayWhoMayCallAndWhatComesBack) {
  const auto doc = openapi_document(all_routes());
  const std::string registry = markdown_route_table(doc, "registry");
  EXPECT_NE(registry.find("| POST | /api/v1/parcels | registry.write | Register a parcel | `{"), std::string::npos) << registry;
  EXPECT_NE(registry.find("| 201 `ParcelSaved` |"), std::string::npos) << registry;  // the parcel and its live overlap check
  EXPECT_NE(registry.find("page of `Parcel`, empty?"), std::string::npos) << registry;
  const std::string system = markdown_route_table(doc, "system");
  EXPECT_NE(system.find("| GET | /api/health | **public** |"), std::string::npos) << system;
  const std::string targets = markdown_route_table(doc, "targets");
  EXPECT_NE(targets.find("application/pdf"), std::string::npos) << targets;
  // The schemas' table: members with their types, optional and nullable marked.
  const std::string schemas = markdown_schema_table(doc);
  EXPECT_NE(schemas.find("| Parcel | area_ha: number \\| null, area_m2: number \\| null, commune: UnitRef \\| null, crops: [string]"), std::string::npos) << schemas;
  EXPECT_NE(schemas.find("commune: UnitRef \\| null"), std::string::npos) << schemas;
  EXPECT_NE(schemas.find("state: in_use \\| idle \\| inefficient_rice"), std::string::npos) << schemas;
  EXPECT_NE(schemas.find("empty?: EmptyList"), std::string::npos) << schemas;
  // Route table order, not alphabetical: the list before the record.
  EXPECT_LT(registry.find("| GET | /api/v1/producers |"), registry.find("| GET | /api/v1/producers/{id} |"));
}

}  // namespace nongsan::api
