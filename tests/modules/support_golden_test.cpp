// Golden files of support followed as a target (tests/golden/README.md, `support/`):
// the figures the targets module computes from support (hectares supported, money
// paid) and the review's support section, written as tables a domain expert can read
// — policies, applications, payments, budgets and a stored check run on the small
// province, the question asked, and the answer expected row by row.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/app.hpp"
#include "core/text.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/support/support_figures.hpp"
#include "modules/support/support_json.hpp"
#include "modules/support/support_repository.hpp"
#include "modules/targets/computed.hpp"
#include "test_support/golden_text.hpp"
#include "test_support/small_province.hpp"

namespace nongsan::support {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using test_support::Block;
using test_support::read_blocks;
using Row = std::map<std::string, std::string>;

std::vector<std::pair<int, Row>> table_rows(const Block& b) { return test_support::read_table(b).rows; }

std::optional<double> number_of(const std::string& s) {
  if (s.empty() || s == "–" || s == "-") return std::nullopt;
  return parse_number(s, false);
}
CivilDate date_of(const std::string& s) { return *CivilDate::parse(s); }

// `75` matches 74.96; `1.25` matches 1.2549: as many decimals as written.
void expect_number(const std::string& want, const json& got, const std::string& at) {
  auto w = number_of(want);
  if (!w) {
    EXPECT_TRUE(got.is_null()) << at << ": expected no value, got " << got.dump();
    return;
  }
  ASSERT_TRUE(got.is_number()) << at << ": expected " << want << ", got " << got.dump();
  auto dot = want.find('.');
  int decimals = dot == std::string::npos ? 0 : static_cast<int>(want.size() - dot - 1);
  double tol = 0.5 * std::pow(10.0, -decimals) + 1e-9;
  EXPECT_NEAR(got.get<double>(), *w, tol) << at;
}

std::string findings_text(const json& f) {
  std::string s;
  for (const auto& [k, n] : f.items()) s += (s.empty() ? "" : ", ") + k + " " + std::to_string(n.get<int>());
  return s.empty() ? "none" : s;
}

class World {
 public:
  World() : w_(test_support::open_small_province_app()) {}
  app::App& app() { return *w_.app; }
  UnitId unit(const std::string& name, const std::string& at) {
    auto it = w_.province.units.find(name);
    EXPECT_NE(it, w_.province.units.end()) << at << ": unknown unit " << name << " (P, D1, D2, C1, C2, C3, N1, N2)";
    return it == w_.province.units.end() ? UnitId(0) : it->second;
  }

  void policies(const Block& b, const std::string& file) {
    for (const auto& [line, r] : table_rows(b)) {
      PolicyVersion p;
      p.code = r.at("code");
      p.version = date_of(r.at("version"));
      p.name_vi = r.at("name");
      p.content = p.code;
      p.item = *parse_item_unit(r.at("item"));
      p.rate = *number_of(r.at("rate"));
      p.illustrative = r.count("illustrative") && r.at("illustrative") == "yes";
      app().db().write([&](storage::Connection& c) { SupportRepository::insert_policy(c, p, "golden"); });
      (void)line;
      (void)file;
    }
  }

  void applications(const Block& b, const std::string& file) {
    for (const auto& [line, r] : table_rows(b)) {
      const std::string at = file + ":" + std::to_string(line);
      app().db().write([&](storage::Connection& c) {
        registry::Producer h;
        h.external_id = "H-" + r.at("code");
        h.name = "Hộ " + r.at("code");
        if (!r.at("unit").empty()) h.unit = unit(r.at("unit"), at);
        ApplicationRecord a;
        a.code = r.at("code");
        a.policy = r.at("policy");
        a.applicant_id = registry::RegistryRepository::insert_producer(c, h, "");
        a.unit = h.unit;
        a.filed = date_of(r.at("filed"));
        if (!r.at("accepted").empty()) a.accepted = date_of(r.at("accepted"));
        a.status = *parse_application_status(r.at("status"));
        if (auto v = number_of(r.at("approved"))) a.approved_amount = static_cast<Dong>(*v);
        a.items.push_back({1, std::nullopt, "", *number_of(r.at("claimed"))});
        ids_[a.code] = SupportRepository::insert_application(c, a);
      });
    }
  }

  void payments(const Block& b) {
    for (const auto& [line, r] : table_rows(b)) {
      app().db().write([&](storage::Connection& c) {
        PaymentRecord p;
        p.application_id = ids_.at(r.at("application"));
        p.date = date_of(r.at("date"));
        p.amount = static_cast<Dong>(*number_of(r.at("amount")));
        p.kind = *parse_payment_kind(r.at("kind"));
        SupportRepository::insert_payment(c, p);
      });
      (void)line;
    }
  }

  void budget(const Block& b) {
    for (const auto& [line, r] : table_rows(b))
      app().db().write([&](storage::Connection& c) {
        BudgetLine l;
        l.policy = r.at("policy");
        l.year = static_cast<int>(*number_of(r.at("year")));
        l.planned = static_cast<Dong>(*number_of(r.at("planned")));
        SupportRepository::upsert_budget(c, l);
        (void)line;
      });
  }

  // A stored run: the payable quantity of each application (its amount trace) and its findings.
  void check_run(int year, const Block& b) {
    app().db().write([&](storage::Connection& c) {
      SupportRepository::CheckRun run;
      run.year = year;
      run.settings = "{}";
      run.run_by = "golden";
      auto id = SupportRepository::insert_check_run(c, run);
      std::vector<std::tuple<std::string, Dong, std::string>> amounts;
      std::vector<Finding> findings;
      for (const auto& [line, r] : table_rows(b)) {
        AmountTrace t;
        t.application = r.at("application");
        t.payable = *number_of(r.at("payable"));
        amounts.emplace_back(t.application, 0, to_json(t).dump());
        std::stringstream ss(r.at("findings"));
        std::string f;
        while (std::getline(ss, f, ','))
          if (!trim(f).empty()) findings.push_back({trim(f), t.application, "", "", ""});
        (void)line;
      }
      SupportRepository::insert_amounts(c, id, amounts);
      SupportRepository::insert_findings(c, id, findings);
    });
  }

  // "support of unit U as of D": the review's section, through the review of a programme.
  void support_of(const std::string& unit_name, const CivilDate& as_of, const Block& b, const std::string& file) {
    auto actor = identity::Actor::cli("golden");
    if (!programme_) {
      auto p = app().targets().create_programme(actor, json{{"code", "G"}, {"name_vi", "Thử"}, {"start", "2021-01-01"},
                                                           {"end", "2025-12-31"}, {"baseline_year", 2020},
                                                           {"milestones", {2025}}});
      ASSERT_TRUE(p) << p.error().message;
      programme_ = true;
    }
    std::string code = app().admin().graph()->find(unit(unit_name, file))->code;
    auto review = app().targets().review(actor, "G", 2025, as_of, code, "vi");
    ASSERT_TRUE(review) << review.error().message;
    const json& sp = (*review)["support"];
    ASSERT_TRUE(sp.is_object()) << file << ": no support section";
    auto rows = table_rows(b);
    std::map<std::string, const json*> by_policy;
    for (const auto& l : sp["policies"]) by_policy[l["policy"].get<std::string>()] = &l;
    std::size_t policy_rows = 0;
    for (const auto& [line, r] : rows) policy_rows += r.at("policy") != "total";
    EXPECT_EQ(policy_rows, by_policy.size()) << file << ":" << b.line << ": policies in the section";
    for (const auto& [line, r] : rows) {
      const std::string at = file + ":" + std::to_string(line);
      const json* l = r.at("policy") == "total" ? &sp["total"] : by_policy[r.at("policy")];
      ASSERT_NE(l, nullptr) << at << ": policy " << r.at("policy") << " is not in the section";
      for (const auto& [col, want] : r) {
        if (col == "policy") continue;
        if (col == "findings") EXPECT_EQ(findings_text((*l)["findings"]), want) << at;
        else expect_number(want, (*l).value(col, json()), at + " " + col);
      }
    }
  }

  // "figure MEASURE [policy P] KIND as of D": the computed indicator's values per unit and year.
  void figure(const std::vector<std::string>& words, const Block& b, const std::string& file) {
    const std::string at = file + ":" + std::to_string(b.line);
    ASSERT_GE(words.size(), 6u) << at;
    json def = {{"measure", words[1]}};
    std::size_t i = 2;
    if (words[i] == "policy") {
      def["policy"] = words[i + 1];
      i += 2;
    }
    targets::Indicator ind;
    ind.kind = words[i] == "flow" ? targets::Kind::flow : targets::Kind::stock;
    ind.source = targets::Source::computed;
    ind.computed = def.dump();
    ASSERT_EQ(words[i + 1], "as") << at;
    CivilDate as_of = date_of(words[i + 3]);
    targets::Programme p;
    p.start = date_of("2021-01-01");
    p.end = date_of("2025-12-31");
    p.baseline_year = 2021;
    auto g = app().admin().graph();
    auto values = app().db().read(
        [&](storage::Connection& c) { return targets::computed_values(c, *g, p, ind, as_of); });
    for (const auto& [line, r] : table_rows(b)) {
      const std::string where = file + ":" + std::to_string(line);
      UnitId u = unit(r.at("unit"), where);
      int year = static_cast<int>(*number_of(r.at("year")));
      auto it = values.find({u, year});
      expect_number(r.at("value"), it == values.end() ? json() : json(it->second), where);
    }
  }

 private:
  test_support::SmallProvinceApp w_;
  std::map<std::string, ApplicationId> ids_;
  bool programme_ = false;
};

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string w;
  while (ss >> w) out.push_back(w);
  return out;
}

void run_file(const fs::path& path) {
  World w;
  const std::string file = path.filename().string();
  int questions = 0;
  for (const auto& b : read_blocks(path)) {
    auto words = words_of(b.directive);
    const std::string at = file + ":" + std::to_string(b.line);
    if (b.directive == "policies") w.policies(b, file);
    else if (b.directive == "applications") w.applications(b, file);
    else if (b.directive == "payments") w.payments(b);
    else if (b.directive == "budget") w.budget(b);
    else if (words.size() == 3 && words[0] == "check" && words[1] == "run") w.check_run(std::stoi(words[2]), b);
    else if (words.size() == 7 && words[0] == "support" && words[1] == "of" && words[2] == "unit") {
      ++questions;
      w.support_of(words[3], date_of(words[6]), b, file);
    } else if (!words.empty() && words[0] == "figure") {
      ++questions;
      w.figure(words, b, file);
    } else {
      ADD_FAILURE() << at << ": unknown block '" << b.directive << "'";
    }
  }
  EXPECT_GT(questions, 0) << file << ": no question asked";
}

}  // namespace

TEST(SupportGolden, FiguresAndTheReviewSection) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(NONGSAN_GOLDEN_DIR) / "support"))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 2u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    run_file(f);
  }
}

}  // namespace nongsan::support
