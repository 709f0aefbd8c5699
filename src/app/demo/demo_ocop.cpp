// OCOP and certificates in the demo (data/demo/ocop/ocop.json, all illustrative):
// products of the demo's cooperatives and enterprises with council evaluations whose
// certificates expire around the day the demo runs (two within the 30-day notice, one
// expired, a provincial 90+ proposed to the centre, a central 5★), a downgrade, a
// revocation on a failed lab test, a self-assessment only; lab results (one failing,
// which raises its finding); two standards, a collective
// mark, and VietGAP, organic and food-safety certificates over demo parcels and
// products, one near expiry. Loaded through the same imports and service calls as the
// CLI and the API. Nothing is added twice: with OCOP products present, the part is
// skipped.
#include <algorithm>

#include "app/demo/demo.hpp"
#include "core/number_input.hpp"
#include "modules/ocop/ocop_repository.hpp"
#include "modules/ocop/ocop_rules.hpp"

namespace nongsan::app {

namespace {

using nlohmann::json;

constexpr const char* kSource = "minh họa (demo)";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

CivilDate plus_days(const CivilDate& d, std::int64_t n) { return CivilDate::from_days(d.days_since_epoch() + n); }

template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) {
    std::string detail;
    for (const auto& f : r.error().fields) detail += "; " + f.field + ": " + f.message;
    throw std::runtime_error("demo OCOP " + what + ": " + r.error().message + detail);
  }
  return std::move(*r);
}

support::ImportTable table(std::vector<std::string> headers) {
  support::ImportTable t;
  t.headers = std::move(headers);
  return t;
}

void add_row(support::ImportTable& t, const std::vector<std::string>& cells) {
  support::ImportRow row;
  row.line = static_cast<int>(t.rows.size()) + 2;
  for (std::size_t i = 0; i < cells.size(); ++i) row.cells[t.headers[i]] = cells[i];
  t.rows.push_back(std::move(row));
}

}  // namespace

int demo_ocop(App& app, const identity::Actor& actor, DemoReport& report) {
  const json d = demo_data("demo/ocop/ocop.json");
  auto& db = app.db();
  if (db.read([](storage::Connection& c) { return !ocop::OcopRepository::products(c).empty(); })) return 0;
  const auto subjects = db.read([](storage::Connection& c) { return ocop::organisation_ids(c); });
  if (subjects.empty()) {
    report.notes.push_back("OCOP: no cooperative or enterprise in the registry; no OCOP product added");
    return 0;
  }
  const CivilDate today = CivilDate::today();
  const int months = app.ocop().scoring().validity_months;

  auto products = table({"product", "name", "subject", "group"});
  auto evaluations = table({"product", "level", "date", "part_a", "part_b", "part_c", "decision"});
  auto events = table({"product", "date", "kind", "stars"});
  std::map<std::string, std::string> subject_of;
  std::map<std::string, CivilDate> decided;  // the product's last council decision
  struct SelfAssessment {
    std::string product;
    json body;
  };
  std::vector<SelfAssessment> selves;
  std::vector<std::pair<std::string, json>> findings;
  std::size_t i = 0;
  int decision_no = 101;
  for (const auto& p : d["products"]) {
    const std::string code = p["code"];
    // A named subject when the demo registry has it (the dossier then has parcels to show);
    // the turn is taken either way, so that the other products keep their subjects.
    const std::string named = p.value("subject", ""), next = subjects[i++ % subjects.size()];
    subject_of[code] = std::find(subjects.begin(), subjects.end(), named) != subjects.end() ? named : next;
    add_row(products, {code, p["name"], subject_of[code], std::to_string(p["group"].get<int>())});
    for (const auto& e : p["evaluations"]) {
      // The decision date whose expiry falls `expires_in_days` after today.
      const CivilDate date = ocop::add_months(plus_days(today, e["expires_in_days"].get<int>()), -months);
      const std::string level = e["level"];
      if (level == "self") {
        selves.push_back({code, {{"level", "self"}, {"date", date.iso()}, {"part_a", e["a"]}, {"part_b", e["b"]},
                                 {"part_c", e["c"]}, {"decision", ""}}});
        continue;
      }
      add_row(evaluations, {code, level, date.iso(), num(e["a"]), num(e["b"]), num(e["c"]),
                            std::to_string(decision_no++) + "/QĐ-UBND (minh họa)"});
      decided[code] = date;
    }
    for (const auto& f : p.value("findings", json::array()))
      findings.emplace_back(code, json{{"kind", f["kind"]},
                                       {"date", plus_days(decided[code], f["days_after_decision"].get<int>()).iso()},
                                       {"detail", f["detail"]}});
    for (const auto& e : p.value("events", json::array()))
      add_row(events, {code, plus_days(decided[code], e["days_after_decision"].get<int>()).iso(), e["kind"],
                       e.contains("stars") ? std::to_string(e["stars"].get<int>()) : ""});
  }
  auto& ocop = app.ocop();
  const auto created = must(ocop.import_products(actor, products, kSource), "products").created;
  must(ocop.import_evaluations(actor, evaluations, kSource), "evaluations");
  for (const auto& s : selves) must(ocop.add_evaluation(actor, s.product, s.body), "self-assessment");
  // The revocation follows a finding, decided on it: the quality watch's path.
  for (const auto& [code, f] : findings) {
    auto detail = must(ocop.add_finding(actor, code, f), "finding");
    std::int64_t finding_id = detail["findings"].back()["id"];
    for (const auto& row : events.rows)
      if (row.cells.at("product") == code && row.cells.at("kind") == "revoked")
        must(ocop.decide(actor, code,
                         {{"kind", "revoked"}, {"date", row.cells.at("date")}, {"reason", f["detail"]}, {"finding", finding_id}}),
             "revocation");
  }
  auto rest = table({"product", "date", "kind", "stars"});
  for (const auto& row : events.rows)
    if (!(row.cells.at("kind") == "revoked"))
      add_row(rest, {row.cells.at("product"), row.cells.at("date"), row.cells.at("kind"), row.cells.at("stars")});
  must(ocop.import_events(actor, rest, kSource), "events");

  // Illustrative lab results, one failing: its finding is raised by the import (the quality watch).
  auto labs = table({"sample", "product", "laboratory", "date", "parameter", "category", "value", "unit", "limit",
                     "standard", "illustrative"});
  for (const auto& l : d.value("lab_results", json::array())) {
    const std::string code = l["product"];
    add_row(labs, {l["sample"], code, l["laboratory"],
                   plus_days(decided[code], l["days_after_decision"].get<int>()).iso(), l["parameter"], l["category"],
                   format_number(l["value"].get<double>()), l["unit"], format_number(l["limit"].get<double>()),
                   l["standard"], "yes"});
  }
  const auto lab = must(ocop.import_lab_results(actor, labs, kSource), "lab results");

  auto& certs = app.certificates();
  for (const auto& s : d["standards"])
    must(certs.save_standard(actor, {{"code", s["code"]}, {"kind", s["kind"]}, {"name", s["name"]},
                                     {"source", s["source"]}, {"illustrative", false}}),
         "standard");
  for (const auto& m : d["marks"])
    must(certs.save_mark(actor, {{"code", m["code"]}, {"kind", m["kind"]}, {"name", m["name"]}, {"holder", m["holder"]},
                                 {"area", m["area"]}, {"illustrative", true}}),
         "mark");
  for (const auto& c : d["certificates"]) {
    const CivilDate to = plus_days(today, c["expires_in_days"].get<int>());
    const CivilDate from = plus_days(ocop::add_months(to, -12 * c["years"].get<int>()), 1);
    json scope = json::array({{{"kind", "product"}, {"target", c["product"]}}});
    if (const std::string crop = c["crop"]; !crop.empty()) {
      // The parcels of the demo's growing-area code in `code_zone` (so that the lots the
      // demo diary harvests there show the certificate on their public page), else the
      // first parcels planted with the crop.
      std::vector<std::string> parcels;
      if (c.contains("code_zone"))
        if (auto p = demo_code_pick(db, crop, c["code_zone"].get<std::string>(), c["code_target_ha"].get<double>()))
          parcels = p->parcels;
      if (parcels.empty())
        parcels = db.read([&](storage::Connection& cn) { return ocop::parcels_planted(cn, crop, today, c["parcels"].get<int>()); });
      for (const auto& parcel : parcels) scope.push_back({{"kind", "parcel"}, {"target", parcel}});
    }
    must(certs.save(actor, {{"code", c["code"]},
                            {"kind", c["kind"]},
                            {"holder", subject_of.at(c["holder_of"].get<std::string>())},
                            {"issuer", c["issuer"]},
                            {"valid_from", from.iso()},
                            {"valid_to", to.iso()},
                            {"standard", c["standard"]},
                            {"mark", ""},
                            {"scope", scope},
                            {"illustrative", true}}),
         "certificate");
  }
  report.notes.push_back("OCOP: " + std::to_string(created) + " illustrative products, " +
                         std::to_string(d["certificates"].size()) + " illustrative certificates, " +
                         std::to_string(lab.created) + " illustrative lab results (" + std::to_string(lab.findings) +
                         " failed test raised a finding)");
  return created;
}

}  // namespace nongsan::app
