// Inspection commands: inspection list [--status S] --format csv|json, inspection decide
// FINDING --action A …, inspection create. The rules live in modules/inspection;
// docs/inspection.md describes them. The `inspection` group is shared with the plan
// commands: whichever registers first creates it.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/csv.hpp"
#include "modules/inspection/inspection_service.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

std::string text_of(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

void register_inspection_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* group = &inspection_group(cli);  // shared with the plan commands (commands.hpp)

  auto* list = group->add_subcommand("list", "The inspections (code, subject, checklist, status, inspector, findings)");
  static std::string l_status, l_format = "csv";
  list->add_option("--status", l_status, "assigned, open or closed")->check(CLI::IsMember({"assigned", "open", "closed"}));
  list->add_option("--format", l_format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  actions.push_back([&g, list]() -> int {
    if (!*list) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->inspections().list(cli_actor(), l_status.empty() ? std::nullopt : std::optional(l_status));
    if (!r) return report_error(r.error());
    if (l_format == "json") {
      std::cout << (*r)["items"].dump(1) << "\n";
      return 0;
    }
    const std::vector<std::string> cols = {"code",      "subject_kind", "subject_ref",      "checklist_kind",
                                           "status",    "inspector",    "parcel",           "measured_area_m2",
                                           "opened_at", "closed_at",    "findings",         "open_findings",
                                           "version",   "illustrative"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& it : (*r)["items"]) {
      std::vector<std::string> row;
      for (const auto& k : cols) row.push_back(text_of(it.value(k, json(nullptr))));
      rows.push_back(std::move(row));
    }
    std::cout << csv::table(cols, rows);
    return 0;
  });

  auto* create = group->add_subcommand("create", "Create an inspection by hand");
  static std::string c_kind, c_ref, c_checklist, c_inspector, c_parcel, c_notes;
  create->add_option("--subject-kind", c_kind, "applicant, parcel, area_code, ocop_product or facility")->required();
  create->add_option("--subject", c_ref, "the subject's external id or code")->required();
  create->add_option("--checklist", c_checklist, "support_claim, area_code, ocop_product, pesticide or registry")->required();
  create->add_option("--inspector", c_inspector, "the inspector's login");
  create->add_option("--parcel", c_parcel, "the parcel to measure (external id)");
  create->add_option("--notes", c_notes, "notes");
  actions.push_back([&g, create]() -> int {
    if (!*create) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    json body = {{"subject_kind", c_kind}, {"subject_ref", c_ref}, {"checklist_kind", c_checklist}};
    if (!c_inspector.empty()) body["inspector"] = c_inspector;
    if (!c_parcel.empty()) body["parcel"] = c_parcel;
    if (!c_notes.empty()) body["notes"] = c_notes;
    auto r = app->inspections().create(cli_actor(), body);
    if (!r) return report_error(r.error());
    std::cout << (*r)["code"].get<std::string>() << "\n";
    return 0;
  });

  auto* decide = group->add_subcommand("decide", "Decide on a finding through the module it acts on");
  static std::int64_t d_finding = 0;
  static std::string d_action, d_reason, d_no, d_date, d_target;
  static std::int64_t d_amount = -1;
  static int d_stars = 0;
  decide->add_option("FINDING", d_finding, "the finding's id")->required()->check(CLI::Range(std::int64_t{1}, INT64_MAX));
  decide->add_option("--action", d_action, "reduce_amount, recover, suspend_code, downgrade_ocop, revoke_ocop, "
                                           "correct_boundary or dismiss")
      ->required();
  decide->add_option("--reason", d_reason, "the decision's reason")->required();
  decide->add_option("--decision-no", d_no, "the decision's number (all but dismiss)");
  decide->add_option("--date", d_date, "the decision's date YYYY-MM-DD (default today)");
  decide->add_option("--target", d_target, "the record acted on (default: the finding's subject)");
  decide->add_option("--amount", d_amount, "đồng: the reduced approved amount, or the amount recovered")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000'000}));
  decide->add_option("--stars", d_stars, "the stars after a downgrade")->check(CLI::Range(1, 5));
  actions.push_back([&g, decide]() -> int {
    if (!*decide) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    json body = {{"action", d_action}, {"reason", d_reason}};
    if (!d_no.empty()) body["decision_no"] = d_no;
    if (!d_date.empty()) body["date"] = d_date;
    if (!d_target.empty()) body["target"] = d_target;
    if (d_amount >= 0) body["amount"] = d_amount;
    if (d_stars > 0) body["stars"] = d_stars;
    auto r = app->inspections().decide(cli_actor(), d_finding, body);
    if (!r) return report_error(r.error());
    std::cout << (*r)["action"].get<std::string>() << "\t" << text_of((*r)["target_ref"]) << "\t"
              << (*r)["inspection"].get<std::string>() << "\tdecision " << (*r)["id"].get<std::int64_t>() << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
