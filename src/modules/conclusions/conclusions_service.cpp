#include "modules/conclusions/conclusions_service.hpp"

#include <cstdlib>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/conclusions/conclusions_repository.hpp"
#include "modules/conclusions/conclusions_rules.hpp"
#include "modules/targets/review.hpp"
#include "modules/targets/targets_repository.hpp"

namespace nongsan::conclusions {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

namespace {

std::optional<double> opt_num(const json& j, const char* key) {
  if (j.contains(key) && j[key].is_number()) return j[key].get<double>();
  return std::nullopt;
}

double text_number(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

json draft_json(const DraftRecord& d) {
  json content = json::parse(d.content, nullptr, false);
  return {{"id", d.id},
          {"programme", d.programme},
          {"as_of", d.as_of},
          {"status", d.status},
          {"version", d.version},
          {"data_hash", d.data_hash},
          {"issue_id", d.issue_id ? json(*d.issue_id) : json(nullptr)},
          {"illustrative", d.illustrative},
          {"created_by", d.created_by},
          {"created_at", d.created_at},
          {"updated_by", d.updated_by},
          {"updated_at", d.updated_at},
          {"draft", content.is_discarded() ? json::object() : content}};
}

Error no_draft(std::int64_t id) { return Error::not_found("no conclusions draft with id " + std::to_string(id)); }

}  // namespace

json facts_json(const Facts& f) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json ind = json::array();
  for (const auto& i : f.indicators)
    ind.push_back({i.code, i.name_vi, i.measure_unit, i.status, opt(i.actual), opt(i.target), opt(i.achievement_pct),
                   opt(i.forecast_pct), i.forecast_reached ? json(*i.forecast_reached) : json(nullptr)});
  json j = {{"programme", f.programme}, {"milestone", f.milestone}, {"as_of", f.as_of.iso()}, {"review_hash", f.review_hash},
            {"indicators", ind}};
  if (f.zones) {
    j["zones"] = json::array();
    for (const auto& z : *f.zones) j["zones"].push_back({z.code, z.crop, z.s3n_share, z.s3n_ha});
  }
  if (f.policies) {
    j["policies"] = json::array();
    for (const auto& p : *f.policies) j["policies"].push_back({p.code, p.applications, p.approved, opt(p.planned), p.findings});
  }
  if (f.linkage) {
    j["linkage"] = json::array();
    for (const auto& l : *f.linkage) j["linkage"].push_back({l.kind, l.contract, l.party, l.expected_kg, l.delivered_kg});
  }
  if (f.ocop) {
    j["ocop"] = json::array();
    for (const auto& o : *f.ocop) j["ocop"].push_back({o.code, o.stars, o.status, o.expires ? o.expires->iso() : ""});
  }
  if (f.pesticides) {
    j["pesticides"] = json::array();
    for (const auto& p : *f.pesticides) j["pesticides"].push_back({p.kind, p.entry, p.parcel, p.product, p.date.iso()});
  }
  if (f.supply) {
    j["supply"] = json::array();
    for (const auto& s : *f.supply) j["supply"].push_back({s.commodity, s.capacity_t, s.drawn_supply_t});
  }
  return j;
}

Result<Facts> ConclusionsService::facts(const identity::Actor& a, const std::string& programme,
                                        std::optional<CivilDate> as_of_in) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  const CivilDate as_of = as_of_in.value_or(CivilDate::today());
  const Thresholds& th = rules_.thresholds;
  auto review = targets_.review(a, programme, std::nullopt, as_of, "", "vi");
  if (!review) return review.error();
  Facts f;
  f.programme = (*review)["programme"].value("code", programme);
  f.programme_name = (*review)["programme"].value("name_vi", programme);
  f.milestone = (*review)["milestone"].get<int>();
  f.as_of = as_of;
  f.review_hash = review->value("data_hash", "");
  f.indicators_total = (*review)["counts"].value("total", 0);
  for (const auto& i : (*review)["indicators"]) {
    IndicatorFact x{i.value("indicator", ""), i.value("name_vi", ""), i.value("measure_unit", ""), i.value("status", ""),
                    opt_num(i, "actual"), opt_num(i, "target"), opt_num(i, "achievement_pct"), opt_num(i, "forecast_pct"),
                    i["forecast_reached"].is_boolean() ? std::optional(i["forecast_reached"].get<bool>()) : std::nullopt};
    f.illustrative = f.illustrative || i.value("illustrative", false);
    f.indicators.push_back(std::move(x));
  }

  // Zones planned on S3/N land: the suitability module's zone report, on its own threshold.
  auto evaluated = suitability_.reports().zone_table(a, "");
  if (!evaluated) return evaluated.error();
  if (!evaluated->rows.empty()) {
    auto report = suitability_.reports().zone_report(a, "", th.s3n_zone_min_share);
    if (!report) return report.error();
    std::vector<ZoneFact> zones;
    auto col = [&](const char* name) {
      for (std::size_t k = 0; k < report->columns.size(); ++k)
        if (report->columns[k] == name) return k;
      return report->columns.size();
    };
    const std::size_t c_zone = col("zone"), c_name = col("name"), c_crop = col("crop"), c_commune = col("commune"),
                      c_s3 = col("S3_ha"), c_n = col("N_ha"), c_share = col("S3_N_share");
    for (const auto& r : report->rows) {
      if (c_share >= r.size()) continue;
      zones.push_back({r[c_zone], r[c_name], r[c_crop], r[c_commune], text_number(r[c_share]),
                       text_number(r[c_s3]) + text_number(r[c_n])});
    }
    f.zones = std::move(zones);
  }

  // Policies: the review's support section (uptake against the budget, findings of the latest check run).
  const json& support = (*review)["support"];
  if (support.is_object()) {
    std::vector<PolicyFact> policies;
    for (const auto& p : support.value("policies", json::array())) {
      int findings = 0;
      const json counts = p.value("findings", json::object());
      for (const auto& [k, n] : counts.items()) findings += n.get<int>();
      policies.push_back({p.value("policy", ""), p.value("name_vi", ""), p.value("applications", 0), p.value("approved", 0.0),
                          opt_num(p, "planned"), findings});
    }
    f.policies = std::move(policies);
    f.illustrative = f.illustrative || support.value("illustrative", false);
  }

  // Linkage: the chains' warnings of the year, known on as_of.
  auto linkage = chains_.linkage(a, as_of.year(), as_of);
  if (!linkage) return linkage.error();
  if (!linkage->rows.empty()) {
    auto contracts = chains_.list_contracts(a, as_of.year(), "");
    if (!contracts) return contracts.error();
    std::map<std::string, std::int64_t> ids;
    for (const auto& k : (*contracts)["items"]) ids[k.value("code", "")] = k.value("id", std::int64_t{0});
    std::vector<LinkageFact> facts;
    for (const auto& w : linkage->warnings) {
      if (w.kind != "side_selling" && w.kind != "non_purchase" && w.kind != "behind") continue;
      LinkageFact l{w.kind, w.contract, w.party, std::nullopt, w.expected_kg, w.delivered_kg};
      if (auto it = ids.find(w.contract); it != ids.end()) l.contract_id = it->second;
      facts.push_back(std::move(l));
    }
    f.linkage = std::move(facts);
  }

  // OCOP: products expired, revoked, or expiring within the notice period.
  auto standings = ocop_.status(a, as_of);
  if (!standings) return standings.error();
  if (!standings->empty()) {
    std::vector<OcopFact> lapsing;
    for (const auto& r : *standings) {
      const auto& s = r.standing;
      const bool soon = s.status == "expiring" || (s.status == "valid" && s.days_left && *s.days_left <= th.ocop_lapsing_days);
      if (s.status != "expired" && s.status != "revoked" && !soon) continue;
      // A certificate that lapsed before the programme's window is history, not a limitation of this period.
      if (s.status == "expired" && s.expires && s.expires->year() < as_of.year() - 1) continue;
      lapsing.push_back({r.product, r.name, s.stars, soon ? "expiring" : s.status, s.expires});
    }
    f.ocop = std::move(lapsing);
  }

  // Pesticides: the diary's findings from 1 January of the year to as_of.
  const CivilDate from(as_of.year(), 1, 1);
  auto entries = diary_.entries(a, std::nullopt, from, as_of);
  if (!entries) return entries.error();
  if (!entries->empty()) {
    auto found = diary_.findings(a, from, as_of);
    if (!found) return found.error();
    std::vector<PesticideFact> v;
    for (const auto& x : *found) v.push_back({std::string(diary::to_string(x.kind)), x.entry, x.parcel, x.product, x.date});
    f.pesticides = std::move(v);
  }

  // Processing capacity short of supply: commodities whose expected supply exceeds the capacity.
  auto facilities = chains_.list_facilities(a);
  if (!facilities) return facilities.error();
  if (!(*facilities)["items"].empty()) {
    auto supply = chains_.supply(a);
    if (!supply) return supply.error();
    std::vector<SupplyFact> v;
    for (const auto& r : (*supply)["rows"])
      if (r.value("status", "") == "surplus")
        v.push_back({r.value("commodity", ""), r.value("capacity_t", 0.0), r.value("drawn_supply_t", 0.0), r.value("zones_supply_t", 0.0)});
    f.supply = std::move(v);
  }
  return f;
}

Result<json> ConclusionsService::create_draft(const identity::Actor& a, const std::string& programme,
                                              std::optional<CivilDate> as_of) {
  auto f = facts(a, programme, as_of);
  if (!f) return f.error();
  json draft = write_draft(*f, rules_);
  if (auto st = check_references(draft); !st) return Error::internal("the draft's references: " + st.error().message);
  DraftRecord d;
  d.programme = f->programme;
  d.as_of = f->as_of.iso();
  d.content = draft.dump();
  d.data_hash = targets::sha256_hex(facts_json(*f).dump());
  d.illustrative = f->illustrative;
  d.created_by = d.updated_by = a.name;
  d.created_at = d.updated_at = utc_now_iso();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    d.id = ConclusionsRepository::insert(c, d);
    json out = draft_json(d);
    audit::record(c, a, "create", "conclusions_draft", std::to_string(d.id), std::nullopt, std::nullopt,
                  json{{"programme", d.programme}, {"as_of", d.as_of}, {"data_hash", d.data_hash}});
    return out;
  });
}

Result<json> ConclusionsService::list(const identity::Actor& a, const std::string& programme) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  return db_.read([&](storage::Connection& c) {
    json items = json::array();
    for (const auto& d : ConclusionsRepository::list(c, programme)) {
      json j = draft_json(d);
      j.erase("draft");
      items.push_back(std::move(j));
    }
    return json{{"items", items}};
  });
}

Result<json> ConclusionsService::get(const identity::Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  auto d = db_.read([&](storage::Connection& c) { return ConclusionsRepository::find(c, id); });
  if (!d) return no_draft(id);
  return draft_json(*d);
}

Result<json> ConclusionsService::edit(const identity::Actor& a, std::int64_t id, const std::string& paragraph,
                                      const std::string& text, std::int64_t base_version) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto d = ConclusionsRepository::find(c, id);
    if (!d) return no_draft(id);
    if (d->status != "draft") return Error::conflict("the conclusions draft is registered and can no longer be edited");
    if (d->version != base_version)
      return Error::conflict("the conclusions draft was changed by someone else (version " + std::to_string(d->version) + ")");
    auto content = json::parse(d->content, nullptr, false);
    auto edited = edit_paragraph(content, paragraph, text);
    if (!edited) return edited.error();
    std::string before;
    for (const auto& s : content["sections"])
      for (const auto& p : s["paragraphs"])
        if (p["id"] == paragraph) before = p.value("text", "");
    DraftRecord next = *d;
    next.content = edited->dump();
    next.version = d->version + 1;
    next.updated_by = a.name;
    next.updated_at = utc_now_iso();
    if (!ConclusionsRepository::update(c, next, base_version))
      return Error::conflict("the conclusions draft was changed by someone else");
    audit::record(c, a, "edit", "conclusions_draft", std::to_string(id), std::nullopt,
                  json{{"paragraph", paragraph}, {"text", before}}, json{{"paragraph", paragraph}, {"text", trim(text)}});
    return draft_json(next);
  });
}

Result<RenderedDraft> ConclusionsService::render_record(const identity::Actor& a, std::int64_t id, const std::string& format,
                                                        bool registered) {
  if (!renderer_) return Error::internal("no document renderer was given to the conclusions service");
  auto d = get(a, id);
  if (!d) return d.error();
  if (auto st = check_references((*d)["draft"]); !st) return st.error();
  const std::string footer = "Dữ liệu: " + (*d)["data_hash"].get<std::string>().substr(0, 16) + " — bản " +
                             std::to_string((*d)["version"].get<std::int64_t>());
  auto file = renderer_((*d)["draft"], format, registered, footer);
  if (!file) return file.error();
  RenderedDraft out{*d, std::move(*file), ""};
  std::string as_of = (*d)["as_of"].get<std::string>();
  std::erase(as_of, '-');
  out.file_name = "thong-bao-ket-luan-" + (*d)["programme"].get<std::string>() + "-" + as_of +
                  (registered ? "" : "-du-thao") + out.file.extension;
  std::erase_if(out.file_name, [](char ch) {
    return !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_');
  });
  return out;
}

Result<RenderedDraft> ConclusionsService::render(const identity::Actor& a, std::int64_t id, const std::string& format) {
  return render_record(a, id, format, false);
}

Result<RenderedDraft> ConclusionsService::register_draft(const identity::Actor& a, std::int64_t id, const std::string& format,
                                                         const std::function<Status(const RenderedDraft&)>& deliver) {
  auto current = get(a, id);
  if (!current) return current.error();
  if ((*current)["status"] != "draft") return Error::conflict("the conclusions draft is already registered");
  auto out = render_record(a, id, format, true);
  if (!out) return out.error();
  if (deliver)
    if (auto st = deliver(*out); !st) return st.error();
  return db_.write([&](storage::Connection& c) -> Result<RenderedDraft> {
    auto d = ConclusionsRepository::find(c, id);
    if (!d) return no_draft(id);
    const std::int64_t seen = out->draft["version"].get<std::int64_t>();
    if (d->status != "draft" || d->version != seen) return Error::conflict("the conclusions draft was changed while it was registered");
    targets::ReportIssue i;
    i.kind = "conclusions";
    i.programme = d->programme;
    i.parameters = json{{"programme", d->programme}, {"as_of", d->as_of}, {"draft", d->id}, {"version", d->version},
                        {"milestone", out->draft["draft"].value("milestone", 0)}}
                       .dump();
    i.format = format;
    i.data_hash = d->data_hash;
    i.file_name = out->file_name;
    i.size_bytes = static_cast<std::int64_t>(out->file.bytes.size());
    i.file_sha256 = targets::sha256_hex(out->file.bytes);
    i.issued_by = a.name;
    i.issued_at = utc_now_iso();
    i.id = targets::TargetsRepository::insert_issue(c, i);
    DraftRecord next = *d;
    next.status = "registered";
    next.issue_id = i.id.value;
    next.version = d->version + 1;
    next.updated_by = a.name;
    next.updated_at = i.issued_at;
    if (!ConclusionsRepository::update(c, next, d->version)) return Error::conflict("the conclusions draft was changed while it was registered");
    audit::record(c, a, "issue", "report_issue", std::to_string(i.id.value), std::nullopt, std::nullopt,
                  json{{"kind", i.kind}, {"programme", i.programme}, {"draft", d->id}, {"file_sha256", i.file_sha256},
                       {"data_hash", i.data_hash}});
    out->draft = draft_json(next);
    return *out;
  });
}

Result<json> ConclusionsService::verify_issue(const identity::Actor& a, std::int64_t issue_id) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  auto issue = db_.read([&](storage::Connection& c) { return targets::TargetsRepository::find_issue(c, targets::ReportIssueId(issue_id)); });
  if (!issue || issue->kind != "conclusions") return Error::not_found("no registered conclusions with report id " + std::to_string(issue_id));
  const json p = json::parse(issue->parameters, nullptr, false);
  if (!p.is_object()) return Error::internal("report " + std::to_string(issue_id) + " has unreadable parameters");
  auto f = facts(a, p.value("programme", ""), CivilDate::parse(p.value("as_of", "")));
  if (!f) return f.error();
  const std::string now = targets::sha256_hex(facts_json(*f).dump());
  return json{{"issue_id", issue_id}, {"draft", p.value("draft", json(nullptr))}, {"data_hash_then", issue->data_hash},
              {"data_hash_now", now}, {"data_changed", now != issue->data_hash}};
}

}  // namespace nongsan::conclusions
