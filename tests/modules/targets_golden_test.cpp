// Golden files of the targets module (tests/golden/README.md): the review rules and
// the targets imports written as text a domain expert can read and review — a small
// world of units, indicators, targets and observations drawn as tables, the question
// asked, and the answer expected, row by row. This runner reads every file of
// tests/golden/review/ and tests/golden/import/ and reports each difference with the
// file and line it comes from.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/app.hpp"
#include "core/text.hpp"
#include "modules/targets/review.hpp"
#include "modules/targets/targets_service.hpp"
#include "test_support/golden_text.hpp"
#include "test_support/small_province.hpp"

namespace nongsan::targets {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- reading the text (tests/test_support/golden_text.hpp) ---------------------------

using test_support::Block;
using test_support::read_blocks;
using test_support::read_table;
using test_support::TextTable;

std::optional<double> number_of(const std::string& s) {
  if (s.empty() || s == "–" || s == "-") return std::nullopt;
  return parse_number(s, /*vietnamese_first=*/false);
}

std::optional<CivilDate> date_of(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return CivilDate::parse(s);
}

// ---- the review cases ---------------------------------------------------------------

// Names an expert writes in the expected table, and the review JSON key they mean.
const std::map<std::string, std::string>& review_columns() {
  static const std::map<std::string, std::string> m = {
      {"baseline", "baseline"},
      {"target", "target"},
      {"target original", "target_original"},
      {"actual", "actual"},
      {"actual year", "actual_year"},
      {"achievement %", "achievement_pct"},
      {"forecast", "forecast"},
      {"forecast %", "forecast_pct"},
      {"band", "band"},
      {"status", "status"},
      {"forecast reached", "forecast_reached"},
      {"change", "change_since_baseline"},
      {"change %", "change_since_baseline_pct"},
      {"counted", "counted"},
  };
  return m;
}

// The expected cell against the review's value: numbers to the decimals written
// ("75" matches 74.96, "100.2" matches 100.24), "–" for null, yes/no for booleans,
// words as they are.
std::string compare_cell(const std::string& want, const json& got) {
  auto show = [&] { return got.is_null() ? std::string("–") : got.dump(); };
  if (want == "–" || want == "-") return got.is_null() ? "" : "want –, got " + show();
  if (got.is_boolean()) {
    bool w = want == "yes" || want == "true";
    if (want != "yes" && want != "no" && want != "true" && want != "false") return "want " + want + ", got " + show();
    return w == got.get<bool>() ? "" : "want " + want + ", got " + show();
  }
  if (got.is_number()) {
    auto w = number_of(want);
    if (!w) return "want " + want + ", got " + show();
    auto dot = want.find('.');
    int decimals = dot == std::string::npos ? 0 : static_cast<int>(want.size() - dot - 1);
    double tolerance = 0.5 * std::pow(10.0, -decimals) + 1e-9;
    return std::fabs(got.get<double>() - *w) <= tolerance ? "" : "want " + want + ", got " + show();
  }
  if (got.is_string()) return got.get<std::string>() == want ? "" : "want " + want + ", got " + show();
  return "want " + want + ", got " + show();
}

struct World {
  admin::UnitGraph graph;
  std::map<std::string, UnitId> unit;
  ReviewData data;  // its targets are those of the milestone asked
  std::map<int, std::map<IndicatorId, TargetTable>> targets_by_year;
};

void build_world(const std::vector<Block>& blocks, World& w, const std::string& where) {
  std::vector<admin::AdminUnit> units;
  std::vector<admin::UnitLink> links;
  std::vector<admin::Succession> successions;
  std::map<std::string, std::string> parent_of;
  Programme& p = w.data.programme;
  p.code = "G";
  p.name_vi = "Chương trình thử";
  for (const auto& b : blocks) {
    if (b.directive == "programme") {
      auto t = read_table(b);
      ASSERT_EQ(t.rows.size(), 1u) << where << ":" << b.line << ": one programme row";
      auto& r = t.rows[0].second;
      p.start = *date_of(r["start"]);
      p.end = *date_of(r["end"]);
      p.baseline_year = static_cast<int>(*number_of(r["baseline"]));
      p.milestones = parse_milestones(r["milestones"]);
      if (!r["name"].empty()) p.name_vi = r["name"];
      p.name_en = r["name en"];
      p.illustrative = r["illustrative"] == "yes";
    } else if (b.directive == "units") {
      for (auto& [line, r] : read_table(b).rows) {
        admin::AdminUnit u;
        u.id = UnitId(static_cast<std::int64_t>(units.size()) + 1);
        u.code = r["code"];
        u.name = r["name"].empty() ? r["code"] : r["name"];
        auto level = admin::parse_level(r["level"]);
        ASSERT_TRUE(level) << where << ":" << line << ": level must be province, district or commune";
        u.level = *level;
        auto from = date_of(r["from"]);
        ASSERT_TRUE(from) << where << ":" << line << ": from must be a date";
        u.valid_from = *from;
        u.valid_to = date_of(r["to"]);
        w.unit[u.code] = u.id;
        parent_of[u.code] = r["parent"];
        units.push_back(u);
      }
    } else if (b.directive == "successions") {
      for (auto& [line, r] : read_table(b).rows) {
        ASSERT_TRUE(w.unit.count(r["from"]) && w.unit.count(r["to"])) << where << ":" << line << ": unknown unit";
        successions.push_back({w.unit[r["from"]], w.unit[r["to"]], *date_of(r["date"]), *number_of(r["share"]),
                               admin::ShareBasis::whole, ""});
      }
    } else if (b.directive == "indicators") {
      for (auto& [line, r] : read_table(b).rows) {
        Indicator i;
        i.id = IndicatorId(static_cast<std::int64_t>(w.data.indicators.size()) + 1);
        i.programme = ProgrammeId(1);
        i.code = r["code"];
        i.name_vi = r["name"].empty() ? r["code"] : r["name"];
        i.name_en = r["name en"];
        i.measure_unit = r["unit"];
        auto k = parse_kind(r["kind"]);
        auto d = parse_direction(r["direction"]);
        ASSERT_TRUE(k && d) << where << ":" << line << ": kind stock|flow, direction up|down";
        i.kind = *k;
        i.direction = *d;
        i.illustrative = r["illustrative"] == "yes";
        i.position = static_cast<int>(i.id.value);
        w.data.indicators.push_back(i);
      }
    }
  }
  for (const auto& u : units) {
    const std::string& parent = parent_of[u.code];
    if (parent.empty()) continue;
    ASSERT_TRUE(w.unit.count(parent)) << where << ": unknown parent " << parent;
    links.push_back({u.id, w.unit[parent], u.valid_from, u.valid_to});
  }
  w.graph = admin::UnitGraph(units, links, successions);
  auto indicator = [&](const std::string& code) -> std::optional<IndicatorId> {
    for (const auto& i : w.data.indicators)
      if (i.code == code) return i.id;
    return std::nullopt;
  };
  for (const auto& b : blocks) {
    if (b.directive == "targets") {
      for (auto& [line, r] : read_table(b).rows) {
        auto i = indicator(r["indicator"]);
        ASSERT_TRUE(i && w.unit.count(r["unit"])) << where << ":" << line << ": unknown indicator or unit";
        const int year = static_cast<int>(*number_of(r["year"]));
        Target& t = w.targets_by_year[year][*i][w.unit[r["unit"]]];
        t.unit = w.unit[r["unit"]];
        t.indicator = *i;
        t.year = year;
        TargetRevision rev;
        rev.seq = static_cast<int>(t.revisions.size());
        rev.value = *number_of(r["value"]);
        rev.effective = date_of(r["effective"]);
        rev.decision = r["decision"];
        t.revisions.push_back(rev);
      }
    } else if (b.directive == "observations") {
      for (auto& [line, r] : read_table(b).rows) {
        auto i = indicator(r["indicator"]);
        ASSERT_TRUE(i && w.unit.count(r["unit"])) << where << ":" << line << ": unknown indicator or unit";
        w.data.values[*i][{w.unit[r["unit"]], static_cast<int>(*number_of(r["year"]))}] = *number_of(r["value"]);
      }
    }
  }
}

// "review unit P as of 2023-06-30 milestone 2025"
struct Question {
  std::string unit;
  CivilDate as_of;
  int milestone = 0;
  std::string lang = "vi";
};
std::optional<Question> read_question(const std::string& directive) {
  std::stringstream ss(directive);
  std::string word, a, b;
  Question q;
  ss >> word;
  if (word != "review") return std::nullopt;
  while (ss >> word) {
    if (word == "unit") ss >> q.unit;
    else if (word == "as" && (ss >> a) && a == "of" && (ss >> b)) {
      auto d = CivilDate::parse(b);
      if (!d) return std::nullopt;
      q.as_of = *d;
    } else if (word == "milestone") ss >> q.milestone;
    else if (word == "in" && (ss >> a) && (a == "English" || a == "Vietnamese")) q.lang = a == "English" ? "en" : "vi";
    else return std::nullopt;
  }
  return q;
}

// Filtering a block's lines for the review's expectations.
std::string quoted(const std::string& s) {
  auto a = s.find('"'), b = s.rfind('"');
  return a == std::string::npos || b <= a ? "" : s.substr(a + 1, b - a - 1);
}

void run_review_file(const fs::path& file) {
  const std::string where = file.filename().string();
  auto blocks = read_blocks(file);
  World w;
  build_world(blocks, w, where);
  if (::testing::Test::HasFatalFailure()) return;
  json review;
  int questions = 0;
  for (const auto& b : blocks) {
    const std::string at = where + ":" + std::to_string(b.line);
    if (b.directive.rfind("review", 0) == 0) {
      auto q = read_question(b.directive);
      ASSERT_TRUE(q) << at << ": write `review unit CODE as of YYYY-MM-DD milestone YEAR [in English]`";
      ASSERT_TRUE(w.unit.count(q->unit)) << at << ": unknown unit " << q->unit;
      ReviewRequest req{q->milestone, q->as_of, w.unit[q->unit], q->lang};
      w.data.targets = w.targets_by_year[q->milestone];
      review = build_review(w.graph, w.data, req);
      ++questions;
      auto t = read_table(b);
      for (const auto& c : t.columns)
        ASSERT_TRUE(c == "indicator" || review_columns().count(c)) << at << ": unknown column '" << c << "'";
      for (auto& [line, r] : t.rows) {
        const json* item = nullptr;
        for (const auto& i : review["indicators"])
          if (i["indicator"] == r["indicator"]) item = &i;
        ASSERT_NE(item, nullptr) << where << ":" << line << ": no indicator " << r["indicator"] << " in the review";
        for (const auto& c : t.columns) {
          if (c == "indicator") continue;
          const std::string& key = review_columns().at(c);
          std::string diff = compare_cell(r[c], item->contains(key) ? (*item)[key] : json());
          EXPECT_EQ(diff, "") << where << ":" << line << ": " << r["indicator"] << " " << c;
        }
      }
    } else if (b.directive == "counts") {
      ASSERT_FALSE(review.is_null()) << at << ": counts come after a review";
      auto t = read_table(b);
      ASSERT_EQ(t.rows.size(), 1u) << at;
      for (const auto& c : t.columns) {
        std::string diff = compare_cell(t.rows[0].second[c], review["counts"].contains(c) ? review["counts"][c] : json());
        EXPECT_EQ(diff, "") << at << ": counts." << c;
      }
    } else if (b.directive == "narrative") {
      ASSERT_FALSE(review.is_null()) << at << ": the narrative comes after a review";
      std::string text = review["narrative"]["title"].get<std::string>();
      for (const auto& p : review["narrative"]["paragraphs"]) text += "\n" + p.get<std::string>();
      for (const auto& [line, l] : b.lines) {
        std::string phrase = quoted(l);
        ASSERT_FALSE(phrase.empty()) << where << ":" << line << ": write says \"…\" or does not say \"…\"";
        bool found = text.find(phrase) != std::string::npos;
        if (l.rfind("does not say", 0) == 0)
          EXPECT_FALSE(found) << where << ":" << line << ": the narrative says \"" << phrase << "\":\n" << text;
        else
          EXPECT_TRUE(found) << where << ":" << line << ": the narrative does not say \"" << phrase << "\":\n" << text;
      }
    } else if (b.directive == "assessment") {
      ASSERT_FALSE(review.is_null()) << at << ": the assessment comes after a review";
      for (auto& [line, r] : read_table(b).rows) {
        const json* item = nullptr;
        for (const auto& i : review["indicators"])
          if (i["indicator"] == r["indicator"]) item = &i;
        ASSERT_NE(item, nullptr) << where << ":" << line;
        EXPECT_EQ(item->value("assessment", std::string()), r["assessment"]) << where << ":" << line;
      }
    } else if (!(b.directive == "programme" || b.directive == "units" || b.directive == "successions" ||
                 b.directive == "indicators" || b.directive == "targets" || b.directive == "observations")) {
      ADD_FAILURE() << at << ": unknown block '" << b.directive << "'";
    }
  }
  EXPECT_GT(questions, 0) << where << ": no `review …` block";
}

// ---- the import cases -----------------------------------------------------------------

Table csv_table(const Block& b) {
  auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char ch = line[i];
      if (quoted) {
        if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
        else if (ch == '"') quoted = false;
        else cur += ch;
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    out.push_back(cur);
    return out;
  };
  Table t;
  if (b.lines.empty()) return t;
  t.headers = split(b.lines[0].second);
  int line = 1;  // lines of the file being imported, the header is line 1
  for (std::size_t i = 1; i < b.lines.size(); ++i) {
    TableRow r;
    r.line = ++line;
    auto cells = split(b.lines[i].second);
    for (std::size_t k = 0; k < t.headers.size() && k < cells.size(); ++k) r.cells[t.headers[k]] = cells[k];
    t.rows.push_back(r);
  }
  return t;
}

void run_import_file(const fs::path& file) {
  const std::string where = file.filename().string();
  auto blocks = read_blocks(file);
  auto world = test_support::open_small_province_app();
  app::App* app = world.app.get();
  std::optional<Result<ImportReport>> last;
  int imports = 0;
  for (const auto& b : blocks) {
    const std::string at = where + ":" + std::to_string(b.line);
    std::stringstream ss(b.directive);
    std::string word, arg;
    ss >> word >> arg;
    if (word == "import") {
      auto kind = parse_import_kind(arg);
      ASSERT_TRUE(kind) << at << ": import programmes|indicators|targets|observations";
      last = import_table(app->db(), app->admin(), identity::Actor::cli("golden"), *kind, csv_table(b),
                          ImportSource{where, ""}, app->targets().settings());
      ++imports;
    } else if (word == "result") {
      ASSERT_TRUE(last) << at << ": a result comes after an import";
      ASSERT_TRUE(*last) << at << ": the import was refused: " << last->error().message
                         << (last->error().fields.empty() ? "" : "; " + last->error().fields[0].field + ": " +
                                                                    last->error().fields[0].message);
      std::string got = "created " + std::to_string((*last)->created) + ", updated " + std::to_string((*last)->updated) +
                        ", unchanged " + std::to_string((*last)->unchanged) + ", revisions " +
                        std::to_string((*last)->revisions);
      EXPECT_EQ(got, b.directive.substr(7)) << at;
    } else if (word == "refused") {
      ASSERT_TRUE(last) << at << ": `refused` comes after an import";
      ASSERT_FALSE(*last) << at << ": the import was accepted";
      std::vector<std::string> got;
      for (const auto& f : last->error().fields) got.push_back(f.field + ": " + f.message);
      std::string all;
      for (const auto& g : got) all += "\n  " + g;
      for (const auto& [line, want] : b.lines)
        EXPECT_NE(std::find(got.begin(), got.end(), want), got.end())
            << where << ":" << line << ": no problem \"" << want << "\" among:" << all;
      EXPECT_EQ(got.size(), b.lines.size()) << at << ": the problems are:" << all;
    } else if (word == "stored") {
      // "stored programme 1": rows in a table after the imports
      std::string table = arg;
      int want = 0;
      ss >> want;
      ASSERT_TRUE(table == "programme" || table == "indicator" || table == "target" || table == "target_revision" ||
                  table == "observation")
          << at << ": stored programme|indicator|target|target_revision|observation N";
      auto n = app->db().read([&](storage::Connection& c) { return c.scalar_i64("SELECT count(*) FROM " + table); });
      EXPECT_EQ(n, want) << at << ": rows in " << table;
    } else {
      ADD_FAILURE() << at << ": unknown block '" << b.directive << "'";
    }
  }
  EXPECT_GT(imports, 0) << where << ": no `import …` block";
}

std::vector<fs::path> golden_files(const std::string& folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(NONGSAN_GOLDEN_DIR) / folder))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(TargetsGolden, ReviewRules) {
  auto files = golden_files("review");
  EXPECT_GE(files.size(), 10u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    run_review_file(f);
  }
}

TEST(TargetsGolden, Imports) {
  auto files = golden_files("import");
  EXPECT_GE(files.size(), 4u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    run_import_file(f);
  }
}

}  // namespace nongsan::targets
