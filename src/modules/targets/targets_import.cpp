#include "modules/targets/targets_import.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/targets/computed.hpp"
#include "modules/targets/observation_flags.hpp"
#include "modules/targets/targets_repository.hpp"
#include "modules/targets/targets_settings.hpp"

namespace nongsan::targets {

using nlohmann::json;

std::string_view to_string(ImportKind k) {
  switch (k) {
    case ImportKind::programmes: return "programmes";
    case ImportKind::indicators: return "indicators";
    case ImportKind::targets: return "targets";
    case ImportKind::observations: return "observations";
  }
  return "";
}

std::optional<ImportKind> parse_import_kind(std::string_view t) {
  if (t == "programmes") return ImportKind::programmes;
  if (t == "indicators") return ImportKind::indicators;
  if (t == "targets") return ImportKind::targets;
  if (t == "observations") return ImportKind::observations;
  return std::nullopt;
}

namespace {

struct Columns {
  std::vector<std::string> required, optional;
};

Columns columns_of(ImportKind k) {
  switch (k) {
    case ImportKind::programmes:
      return {{"code", "name_vi", "start", "end", "baseline_year"}, {"milestones", "name_en", "illustrative", "source"}};
    case ImportKind::indicators:
      return {{"programme", "code", "name_vi", "name_en", "unit", "kind", "direction"},
              {"source", "computed", "not_above", "illustrative", "note"}};
    case ImportKind::targets:
      return {{"programme", "indicator", "unit_code", "year", "value"}, {"decision", "effective_date"}};
    case ImportKind::observations:
      return {{"programme", "indicator", "unit_code", "year", "value"}, {"status", "period", "note"}};
  }
  return {};
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// One row's cells by canonical (lower-case) column name, and the problems found.
class RowReader {
 public:
  RowReader(const TableRow& r, std::vector<FieldError>& errors, const TargetsSettings& settings)
      : row_(r), errors_(errors), settings_(settings), errors_before_(errors.size()) {
    for (const auto& [k, v] : r.cells) cells_[lower(trim(k))] = trim(v);
  }
  // Whether this row has a problem: a row with one writes nothing.
  bool failed() const { return errors_.size() > errors_before_; }
  std::string text(const std::string& col, bool required = true) {
    auto it = cells_.find(col);
    std::string v = it == cells_.end() ? "" : it->second;
    if (required && v.empty()) fail(col, "is required");
    return v;
  }
  // A text that a document will print: at most `max` characters.
  std::string text(const std::string& col, std::size_t max, bool required) {
    std::string v = text(col, required);
    if (auto p = length_problem(v, max); !p.empty()) fail(col, p);
    return v;
  }
  std::optional<double> number(const std::string& col, bool required = true) {
    auto t = text(col, required);
    if (t.empty()) return std::nullopt;
    auto v = parse_number(t, /*vietnamese_first=*/false);
    if (!v || !std::isfinite(*v)) {
      fail(col, "'" + t + "' is not a number");
      return std::nullopt;
    }
    return v;
  }
  std::optional<int> integer(const std::string& col, bool required = true) {
    auto v = number(col, required);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || std::fabs(*v) > 1e6) {
      fail(col, "'" + text(col) + "' is not a whole number");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }
  std::optional<CivilDate> date(const std::string& col, bool required = true) {
    auto t = text(col, required);
    if (t.empty()) return std::nullopt;
    auto d = CivilDate::parse(t);
    if (!d) {
      fail(col, "'" + t + "' is not a date (YYYY-MM-DD or dd/mm/yyyy)");
    } else if (!settings_.plausible_date(*d)) {
      fail(col, "'" + t + "' is outside the years " + plausible_years());
      d.reset();
    }
    return d;
  }
  // A year: a whole number within the plausible years.
  std::optional<int> year(const std::string& col, bool required = true) {
    auto y = integer(col, required);
    if (y && !settings_.plausible_year(*y)) {
      fail(col, std::to_string(*y) + " is outside the years " + plausible_years());
      y.reset();
    }
    return y;
  }
  // Milestone years, ';'-separated (a comma is read as ';'): each one a year, nothing else.
  std::optional<std::vector<int>> years(const std::string& col) {
    auto t = text(col, false);
    std::vector<int> out;
    std::string cur;
    bool ok = true;
    for (char ch : t + ";") {
      if (ch != ';' && ch != ',') {
        cur += ch;
        continue;
      }
      std::string y = trim(cur);
      cur.clear();
      if (y.empty()) continue;
      bool digits = y.size() <= 4 && std::all_of(y.begin(), y.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) {
        fail(col, "'" + y + "' is not a year (milestones are years, e.g. 2025;2030)");
        ok = false;
        continue;
      }
      int v = std::stoi(y);
      if (!settings_.plausible_year(v)) {
        fail(col, y + " is outside the years " + plausible_years());
        ok = false;
        continue;
      }
      out.push_back(v);
    }
    if (!ok) return std::nullopt;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::string plausible_years() const {
    return std::to_string(settings_.year_min) + "–" + std::to_string(settings_.year_max);
  }
  std::optional<bool> flag(const std::string& col) {
    auto t = lower(text(col, false));
    if (t.empty()) return std::nullopt;
    if (t == "1" || t == "true" || t == "yes" || t == "x" || t == "có") return true;
    if (t == "0" || t == "false" || t == "no" || t == "không") return false;
    fail(col, "'" + t + "' is not true/false");
    return std::nullopt;
  }
  void fail(const std::string& col, const std::string& why) {
    errors_.push_back({"line " + std::to_string(row_.line) + ", column " + col, why});
  }
  int line() const { return row_.line; }

 private:
  const TableRow& row_;
  std::vector<FieldError>& errors_;
  const TargetsSettings& settings_;
  std::size_t errors_before_;
  std::map<std::string, std::string> cells_;
};

Status check_headers(ImportKind k, const Table& t) {
  auto cols = columns_of(k);
  std::set<std::string> have;
  std::vector<FieldError> errors;
  for (const auto& h : t.headers) {
    auto n = lower(trim(h));
    have.insert(n);
    bool known = std::find(cols.required.begin(), cols.required.end(), n) != cols.required.end() ||
                 std::find(cols.optional.begin(), cols.optional.end(), n) != cols.optional.end();
    if (!known) errors.push_back({"line 1, column " + h, "unknown column"});
  }
  for (const auto& r : cols.required)
    if (!have.contains(r)) errors.push_back({"line 1, column " + r, "missing column"});
  if (!errors.empty()) {
    std::string expected;
    for (const auto& r : cols.required) expected += (expected.empty() ? "" : ",") + r;
    for (const auto& r : cols.optional) expected += "[," + r + "]";
    return Error::invalid("the header row does not match " + expected, errors);
  }
  return {};
}

json programme_json(const Programme& p) {
  return {{"code", p.code},        {"name_vi", p.name_vi},   {"name_en", p.name_en},
          {"start", p.start.iso()}, {"end", p.end.iso()},     {"baseline_year", p.baseline_year},
          {"milestones", p.milestones}, {"illustrative", p.illustrative}, {"source", p.source}};
}

class Importer {
 public:
  Importer(storage::Connection& c, const admin::UnitGraph& g, const identity::Actor& a, std::vector<FieldError>& e,
           ImportReport& rep, const TargetsSettings& settings)
      : c_(c), g_(g), actor_(a), errors_(e), rep_(rep), settings_(settings) {}

  // Indicator codes the file defines, by programme: a not_above may name one of them
  // wherever it stands in the file.
  void indicator_codes(const Table& t) {
    for (const auto& row : t.rows) {
      std::map<std::string, std::string> cells;
      for (const auto& [k, v] : row.cells) cells[lower(trim(k))] = trim(v);
      file_codes_[cells["programme"]].insert(cells["code"]);
    }
  }

  void programme(const TableRow& row) {
    RowReader r(row, errors_, settings_);
    Programme p;
    p.code = r.text("code", kCodeChars, true);
    p.name_vi = r.text("name_vi", kNameChars, true);
    p.name_en = r.text("name_en", kNameChars, false);
    auto s = r.date("start"), e = r.date("end");
    auto by = r.year("baseline_year");
    p.source = r.text("source", false);
    p.illustrative = r.flag("illustrative").value_or(false);
    auto ms = r.years("milestones");
    if (s && e && *e < *s) r.fail("end", e->iso() + " is before the start " + s->iso());
    if (s && by && *by > s->year()) r.fail("baseline_year", "is after the start year");
    if (s && ms)
      for (int y : *ms)
        if (y < s->year()) r.fail("milestones", "year " + std::to_string(y) + " is before the start");
    if (!errors_.empty() || !s || !e || !by || !ms || p.code.empty() || p.name_vi.empty()) return;
    p.start = *s;
    p.end = *e;
    p.baseline_year = *by;
    p.milestones = ms->empty() ? std::vector<int>{p.end.year()} : *ms;
    auto old = TargetsRepository::find_programme(c_, p.code);
    if (!old) {
      p.id = TargetsRepository::insert_programme(c_, p);
      audit::record(c_, actor_, "import", "programme", p.code, std::nullopt, std::nullopt, programme_json(p));
      ++rep_.created;
      return;
    }
    p.id = old->id;
    if (programme_json(*old) == programme_json(p)) {
      ++rep_.unchanged;
      return;
    }
    TargetsRepository::update_programme(c_, p);
    audit::record(c_, actor_, "import", "programme", p.code, std::nullopt, programme_json(*old), programme_json(p));
    ++rep_.updated;
  }

  void indicator(const TableRow& row) {
    RowReader r(row, errors_, settings_);
    auto prog = find_programme(r);
    Indicator i;
    i.code = r.text("code", kCodeChars, true);
    i.name_vi = r.text("name_vi", kNameChars, true);
    i.name_en = r.text("name_en", kNameChars, false);
    i.measure_unit = r.text("unit", kMeasureUnitChars, false);
    auto k = parse_kind(lower(r.text("kind")));
    auto d = parse_direction(lower(r.text("direction")));
    if (!k && !r.text("kind", false).empty()) r.fail("kind", "must be stock or flow");
    if (!d && !r.text("direction", false).empty()) r.fail("direction", "must be up or down");
    i.computed = r.text("computed", false);
    auto src_text = lower(r.text("source", false));
    auto src = src_text.empty() ? std::optional<Source>(i.computed.empty() ? Source::reported : Source::computed)
                                : parse_source(src_text);
    if (!src) r.fail("source", "must be reported or computed");
    if (!i.computed.empty()) {
      if (auto cd = parse_computed(i.computed); !cd) r.fail("computed", cd.error().fields.at(0).message);
    } else if (src == Source::computed) {
      r.fail("computed", "a computed indicator needs a definition, e.g. {\"measure\":\"planted_area\",\"crop\":\"tea\"}");
    }
    i.not_above = r.text("not_above", false);
    i.illustrative = r.flag("illustrative").value_or(false);
    i.note = r.text("note", false);
    if (prog && !i.not_above.empty()) {
      if (i.not_above == i.code) r.fail("not_above", "cannot name the indicator itself");
      else if (!file_codes_[prog->code].contains(i.not_above) && !TargetsRepository::find_indicator(c_, prog->id, i.not_above))
        r.fail("not_above", "no indicator '" + i.not_above + "' in programme " + prog->code);
    }
    if (!errors_.empty() || !prog || !k || !d || !src || i.code.empty() || i.name_vi.empty()) return;
    i.programme = prog->id;
    i.kind = *k;
    i.direction = *d;
    i.source = *src;
    auto old = TargetsRepository::find_indicator(c_, prog->id, i.code);
    auto as_json = [&](const Indicator& x) {
      return json{{"programme", prog->code}, {"code", x.code}, {"name_vi", x.name_vi}, {"name_en", x.name_en},
                  {"measure_unit", x.measure_unit}, {"kind", to_string(x.kind)}, {"direction", to_string(x.direction)},
                  {"source", to_string(x.source)}, {"computed", x.computed}, {"not_above", x.not_above},
                  {"illustrative", x.illustrative}, {"note", x.note}};
    };
    if (!old) {
      i.position = static_cast<int>(TargetsRepository::indicators(c_, prog->id).size()) + 1;
      i.id = TargetsRepository::insert_indicator(c_, i);
      audit::record(c_, actor_, "import", "indicator", prog->code + "/" + i.code, std::nullopt, std::nullopt, as_json(i));
      ++rep_.created;
      return;
    }
    i.id = old->id;
    i.position = old->position;
    if (as_json(*old) == as_json(i)) {
      ++rep_.unchanged;
      return;
    }
    TargetsRepository::update_indicator(c_, i);
    audit::record(c_, actor_, "import", "indicator", prog->code + "/" + i.code, std::nullopt, as_json(*old), as_json(i));
    ++rep_.updated;
  }

  void target(const TableRow& row) {
    RowReader r(row, errors_, settings_);
    auto key = keys(r);
    auto value = r.number("value");
    auto decision = r.text("decision", false);
    auto eff = r.date("effective_date", false);
    if (value && *value < 0) r.fail("value", "must not be negative");
    if (!key || !value) return;
    if (!std::binary_search(key->programme.milestones.begin(), key->programme.milestones.end(), key->year))
      r.fail("year", std::to_string(key->year) + " is not a milestone year of " + key->programme.code + " (" +
                         format_milestones(key->programme.milestones) + ")");
    if (!errors_.empty()) return;  // a file with a problem writes nothing more
    auto t = TargetsRepository::find_target(c_, key->indicator.id, key->unit, key->year);
    std::string id_text = key->programme.code + "/" + key->indicator.code + "/" + key->unit_code + "/" +
                          std::to_string(key->year);
    TargetRevision rev;
    rev.value = *value;
    rev.decision = decision;
    rev.effective = eff;
    rev.created_by = actor_.name;
    auto rev_json = [](const TargetRevision& x) {
      return json{{"seq", x.seq}, {"value", x.value}, {"decision", x.decision},
                  {"effective_date", x.effective ? json(x.effective->iso()) : json(nullptr)}};
    };
    if (!t) {
      TargetId id = TargetsRepository::insert_target(c_, key->indicator.id, key->unit, key->year);
      rev.seq = 0;
      TargetsRepository::insert_revision(c_, id, rev);
      audit::record(c_, actor_, "import", "target", id_text, key->unit, std::nullopt, rev_json(rev));
      ++rep_.created;
      return;
    }
    // The same effective date (or none, for the original) is the same revision.
    const TargetRevision* same = nullptr;
    for (const auto& x : t->revisions)
      if (eff ? (x.effective && *x.effective == *eff) : x.seq == 0) same = &x;
    if (same) {
      if (same->value == rev.value && same->decision == rev.decision) {
        ++rep_.unchanged;
        return;
      }
      TargetRevision upd = *same;
      upd.value = rev.value;
      upd.decision = rev.decision;
      TargetsRepository::update_revision(c_, upd);
      audit::record(c_, actor_, "import", "target", id_text, key->unit, rev_json(*same), rev_json(upd));
      ++rep_.updated;
      return;
    }
    rev.seq = t->revisions.empty() ? 0 : t->revisions.back().seq + 1;
    TargetsRepository::insert_revision(c_, t->id, rev);
    audit::record(c_, actor_, "revise", "target", id_text, key->unit, rev_json(t->revisions.back()), rev_json(rev));
    ++rep_.revisions;
  }

  void observation(const TableRow& row) {
    RowReader r(row, errors_, settings_);
    auto key = keys(r);
    auto value = r.number("value");
    auto status_text = lower(r.text("status", false));
    // "locked" is what files written before approval was named honestly call approved.
    auto status = status_text.empty() || status_text == "locked" ? std::optional(ObservationStatus::approved)
                                                                 : parse_status(status_text);
    if (!status || *status == ObservationStatus::returned)
      r.fail("status", "must be draft, submitted or approved");
    auto period = r.integer("period", false).value_or(0);
    if (!(period == 0 || (period >= 1 && period <= 4) || (period >= 101 && period <= 112)))
      r.fail("period", "must be 0 (the year), 1–4 (a quarter) or 101–112 (a month)");
    auto note = r.text("note", false);
    if (value && *value < 0) r.fail("value", "must not be negative");
    if (!key || !value || !status) return;
    if (key->year < key->programme.baseline_year)
      r.fail("year", std::to_string(key->year) + " is before the baseline year " +
                         std::to_string(key->programme.baseline_year));
    const admin::AdminUnit* u = g_.find(key->unit);
    if (u && (key->year < u->valid_from.year() || (u->valid_to && key->year > u->valid_to->year())))
      r.fail("unit_code", "unit " + key->unit_code + " did not exist in " + std::to_string(key->year));
    if (!errors_.empty()) return;  // a file with a problem writes nothing more
    auto old = TargetsRepository::find_observation(c_, key->indicator.id, key->unit, key->year, period);
    std::string now = utc_now_iso();
    std::string id_text = key->programme.code + "/" + key->indicator.code + "/" + key->unit_code + "/" +
                          std::to_string(key->year) + (period ? "/" + std::to_string(period) : "");
    auto as_json = [](const Observation& o) {
      return json{{"value", o.value}, {"status", to_string(o.status)}, {"note", o.note}};
    };
    Observation o = old.value_or(Observation{});
    o.indicator = key->indicator.id;
    o.unit = key->unit;
    o.year = key->year;
    o.period = period;
    if (old && old->value == *value && old->status == *status && old->note == note) {
      ++rep_.unchanged;
      return;
    }
    o.value = *value;
    o.note = note;
    o.status = *status;
    if (!old) o.entered_by = actor_.name;
    if (*status != ObservationStatus::draft && o.submitted_by.empty()) o.submitted_by = actor_.name, o.submitted_at = now;
    if (counts(*status) && o.approved_by.empty()) o.approved_by = actor_.name, o.approved_at = now;
    if (!old) {
      o.id = TargetsRepository::insert_observation(c_, o);
      audit::record(c_, actor_, "import", "observation", id_text, key->unit, std::nullopt, as_json(o));
      ++rep_.created;
    } else {
      TargetsRepository::update_observation(c_, o);
      audit::record(c_, actor_, "import", "observation", id_text, key->unit, as_json(*old), as_json(o));
      ++rep_.updated;
    }
    written_.push_back({r.line(), o.id, key->programme, key->indicator});
  }

  // The checks at entry, run once every row is stored (a row's history may come
  // later in the file): flags are kept on the observation and reported as warnings.
  void flag_written() {
    for (const auto& w : written_) {
      auto o = TargetsRepository::find_observation(c_, w.id);
      if (!o) continue;
      json flags = observation_flags(c_, g_, w.programme, w.indicator, *o);
      if (flags.dump() != o->flags) {
        o->flags = flags.dump();
        TargetsRepository::update_observation(c_, *o);
      }
      for (const auto& f : flags)
        rep_.warnings.push_back("line " + std::to_string(w.line) + ": " + f["code"].get<std::string>() + " — " +
                                f["message"].get<std::string>());
    }
  }

 private:
  struct Keys {
    Programme programme;
    Indicator indicator;
    UnitId unit;
    std::string unit_code;
    int year = 0;
  };

  std::optional<Programme> find_programme(RowReader& r) {
    auto code = r.text("programme");
    if (code.empty()) return std::nullopt;
    if (auto it = programmes_.find(code); it != programmes_.end()) return it->second;
    auto p = TargetsRepository::find_programme(c_, code);
    if (!p) {
      r.fail("programme", "unknown programme '" + code + "'");
      return std::nullopt;
    }
    programmes_[code] = *p;
    return p;
  }

  std::optional<Keys> keys(RowReader& r) {
    auto prog = find_programme(r);
    auto ind_code = r.text("indicator");
    auto unit_code = r.text("unit_code");
    auto year = r.year("year");
    std::optional<Indicator> ind;
    if (prog && !ind_code.empty()) {
      ind = TargetsRepository::find_indicator(c_, prog->id, ind_code);
      if (!ind) r.fail("indicator", "unknown indicator '" + ind_code + "' in programme " + prog->code);
    }
    const admin::AdminUnit* u = nullptr;
    if (!unit_code.empty() && year) {
      u = g_.find_by_code_any_time(unit_code, CivilDate(*year, 12, 31));
      if (!u) r.fail("unit_code", "unknown administrative unit '" + unit_code + "'");
    }
    if (!prog || !ind || !u || !year) return std::nullopt;
    return Keys{*prog, *ind, u->id, unit_code, *year};
  }

  struct Written {
    int line;
    ObservationId id;
    Programme programme;
    Indicator indicator;
  };
  std::vector<Written> written_;
  storage::Connection& c_;
  const admin::UnitGraph& g_;
  const identity::Actor& actor_;
  std::vector<FieldError>& errors_;
  ImportReport& rep_;
  std::map<std::string, Programme> programmes_;
  const TargetsSettings& settings_;
  std::map<std::string, std::set<std::string>> file_codes_;
};

}  // namespace

Result<ImportReport> import_table(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                  ImportKind kind, const Table& table, const ImportSource& source,
                                  const TargetsSettings& settings) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::targets_manage); !s) return s.error();
  if (auto s = check_headers(kind, table); !s) return s.error();
  auto g = admin.graph();
  return db.write([&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport rep;
    std::vector<FieldError> errors;
    Importer im(c, *g, actor, errors, rep, settings);
    if (kind == ImportKind::indicators) im.indicator_codes(table);
    for (const auto& row : table.rows) {
      try {
        switch (kind) {
          case ImportKind::programmes: im.programme(row); break;
          case ImportKind::indicators: im.indicator(row); break;
          case ImportKind::targets: im.target(row); break;
          case ImportKind::observations: im.observation(row); break;
        }
      } catch (const storage::DbError& e) {
        // A row the checks let through but the database refused: named by its line,
        // and the transaction (which the database may have aborted) ends here.
        errors.push_back({"line " + std::to_string(row.line), std::string("could not be stored: ") + e.what()});
        break;
      }
    }
    if (!errors.empty()) {
      std::string message = source.name + ": " + std::to_string(errors.size()) + " problem(s); nothing was stored";
      return Error::invalid(message, std::move(errors));
    }
    if (kind == ImportKind::observations) im.flag_written();
    // The import itself is the importer's act (an administrator's file is not approved
    // again by four eyes): audited with what the file was, so it can be found again.
    audit::record(c, actor, "import", "targets_file", source.name, std::nullopt, std::nullopt,
                  json{{"kind", to_string(kind)}, {"file", source.name}, {"sha256", source.sha256},
                       {"rows", table.rows.size()}, {"created", rep.created}, {"updated", rep.updated},
                       {"unchanged", rep.unchanged}, {"revisions", rep.revisions}});
    return rep;
  });
}

}  // namespace nongsan::targets
