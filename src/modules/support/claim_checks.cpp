#include "modules/support/claim_checks.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

namespace nongsan::support {

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Rounded down to the whole đồng. Hectares are binary fractions, so 15,000,000 ×
// (1.0 − 1.5 × (1.1 − 1.0)) comes out as 12,749,999.999999998: noise below one part in
// 10^12 of the amount (or 10^-9 đồng) is forgiven before rounding down, so that the
// amount is what exact arithmetic on the same figures gives.
Dong floor_dong(double amount) {
  double slack = std::max(1e-9, std::abs(amount) * 1e-12);
  return static_cast<Dong>(std::floor(amount + slack));
}

// A sum of figures entered as decimals (hectares, counts), taken to 9 decimal places: the
// binary sum of 0.7 and 0.1 is 0.7999999999999999, and a condition `claimed_ha >= 0.8`
// must see the 0.8 hectares the applicant claimed.
double decimal_sum(double binary_sum) { return std::round(binary_sum * 1e9) / 1e9; }

bool filed_before(const Application& a, const Application& b) {
  return std::tie(a.filed, a.code) < std::tie(b.filed, b.code);
}

struct Claim {
  std::size_t c = 0;  // case index
  std::size_t i = 0;  // item index
};

enum class PairKind { none, overlap, exclusive };

PairKind relation(const PolicyVersion& a, const PolicyVersion& b) {
  if (a.content == b.content) return PairKind::overlap;
  auto lists = [](const PolicyVersion& p, const std::string& code) {
    return std::find(p.exclusive_with.begin(), p.exclusive_with.end(), code) != p.exclusive_with.end();
  };
  if (lists(a, b.code) || lists(b, a.code)) return PairKind::exclusive;
  return PairKind::none;
}

}  // namespace

Result<ClaimResult> run_claim_checks(const ClaimInput& in) {
  const auto& s = in.settings;
  const auto& cases = in.cases;
  const std::size_t n = cases.size();
  auto in_year = [&](const ClaimCase& k) { return k.application.filed.year() == in.year; };
  auto active = [&](const ClaimCase& k) {
    return k.application.status != ApplicationStatus::rejected && k.policy != nullptr;
  };
  auto area_policy = [&](const ClaimCase& k) { return k.policy && is_area(k.policy->item); };

  std::vector<Finding> findings;
  // Reasons an item counts 0, one list per item of every case, in one flat array
  // (318,000 items in a province's year, most without a reason: no allocation for them).
  std::vector<std::size_t> first_item(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) first_item[c + 1] = first_item[c] + cases[c].application.items.size();
  std::vector<std::vector<std::string>> item_reasons(first_item[n]);
  auto reasons = [&](std::size_t c, std::size_t i) -> std::vector<std::string>& {
    return item_reasons[first_item[c] + i];
  };

  // ---- overlap and exclusive_policies ---------------------------------------------
  // Claims by geometry version; candidate pairs are claims on one version (the same
  // parcel claimed twice) and claims on two versions the loader found overlapping.
  std::unordered_map<std::int64_t, std::vector<Claim>> by_geometry;
  std::unordered_map<std::int64_t, double> area_m2_of;
  for (std::size_t c = 0; c < n; ++c) {
    const auto& k = cases[c];
    if (!active(k) || !area_policy(k)) continue;
    for (std::size_t i = 0; i < k.items.size() && i < k.application.items.size(); ++i) {
      if (k.items[i].geometry_key == 0) continue;
      by_geometry[k.items[i].geometry_key].push_back({c, i});
      area_m2_of[k.items[i].geometry_key] = k.items[i].area_ha * 10000.0;
    }
  }
  std::set<std::tuple<std::string, std::string, std::string, std::string>> pair_rows;  // finding, a, b, parcel
  std::map<std::tuple<std::string, std::string, std::string, std::string>, double> pair_area;
  auto consider = [&](const Claim& x, const Claim& y, double area_m2) {
    if (x.c == y.c) return;
    const ClaimCase& kx = cases[x.c];
    const ClaimCase& ky = cases[y.c];
    bool x_in = in_year(kx), y_in = in_year(ky);
    if (!x_in && !y_in) return;
    if (!(x_in && y_in) && !(kx.policy->one_time && ky.policy->one_time)) return;
    // An earlier year's application meets this year's only as the earlier side.
    if (!x_in && !filed_before(kx.application, ky.application)) return;
    if (!y_in && !filed_before(ky.application, kx.application)) return;
    PairKind kind = relation(*kx.policy, *ky.policy);
    if (kind == PairKind::none) return;
    const std::string name = kind == PairKind::overlap ? "overlap" : "exclusive_policies";
    const Claim& first = kx.application.code < ky.application.code ? x : y;
    const Claim& second = &first == &x ? y : x;
    const auto key = std::make_tuple(name, cases[first.c].application.code, cases[second.c].application.code,
                                     cases[first.c].application.items[first.i].parcel);
    pair_rows.insert(key);
    double& a = pair_area[key];
    a = std::max(a, area_m2);
    // The later-filed side's item counts 0.
    const Claim& later = filed_before(kx.application, ky.application) ? y : x;
    const Claim& earlier = &later == &x ? y : x;
    auto& r = reasons(later.c, later.i);
    std::string why = name + " with " + cases[earlier.c].application.code;
    if (std::find(r.begin(), r.end(), why) == r.end()) r.push_back(why);
  };
  for (const auto& [key, claims] : by_geometry) {
    if (claims.size() < 2 || area_m2_of[key] <= s.min_overlap_m2) continue;
    for (std::size_t p = 0; p < claims.size(); ++p)
      for (std::size_t q = p + 1; q < claims.size(); ++q) consider(claims[p], claims[q], area_m2_of[key]);
  }
  for (const auto& o : in.overlaps) {
    if (o.a == o.b || o.area_m2 <= s.min_overlap_m2) continue;
    auto ia = by_geometry.find(o.a);
    auto ib = by_geometry.find(o.b);
    if (ia == by_geometry.end() || ib == by_geometry.end()) continue;
    for (const auto& x : ia->second)
      for (const auto& y : ib->second) consider(x, y, o.area_m2);
  }
  for (const auto& key : pair_rows) {
    const auto& [name, a, b, parcel] = key;
    findings.push_back({name, a, b, parcel, "intersection " + fixed(pair_area[key], 1) + " m2"});
  }

  // ---- item findings, amounts ------------------------------------------------------
  ClaimResult out;
  std::vector<std::size_t> order;  // this year's cases
  for (std::size_t c = 0; c < n; ++c)
    if (in_year(cases[c])) order.push_back(c);
  // The loader reads the cases in this order already: sorting is then only a check.
  auto by_code = [&](std::size_t x, std::size_t y) { return cases[x].application.code < cases[y].application.code; };
  if (!std::is_sorted(order.begin(), order.end(), by_code)) std::sort(order.begin(), order.end(), by_code);

  std::vector<std::size_t> trace_of(n);  // case -> index in out.amounts (cases of this year)
  out.amounts.resize(order.size());
  // The cases of the year are independent here (each writes its own trace and its own
  // items' reasons), so they are taken in two halves side by side: a province's year has
  // 200,000 of them. Each half keeps its own findings, parsed conditions and facts; the
  // halves' findings are appended in order, so the list is the one a single pass makes.
  struct Part {
    std::vector<Finding> findings;
    std::unordered_map<const PolicyVersion*, Condition> conditions;  // the cases' shared versions -> parsed
    std::map<std::string, Value, std::less<>> facts;
    std::optional<Error> error;  // the first broken invariant of the half
  };
  auto amount_of = [&](std::size_t j, Part& part) -> Status {
    const std::size_t c = order[j];
    auto& findings = part.findings;
    auto& facts = part.facts;
    auto& conditions = part.conditions;
    trace_of[c] = j;
    AmountTrace& t = out.amounts[j];
    const ClaimCase& k = cases[c];
    const Application& app = k.application;
    t.application = app.code;
    t.policy = app.policy;
    t.status = std::string(to_string(app.status));
    if (app.status == ApplicationStatus::rejected) {
      t.note = "rejected";
      return {};
    }
    if (!k.policy) {
      t.note = "no version of policy " + app.policy + " was in force on " + app.filed.iso();
      return {};
    }
    const PolicyVersion& p = *k.policy;
    t.policy_version = p.version.iso();
    t.rate = p.rate;

    // Item findings (area items on parcels).
    if (is_area(p.item)) {
      const auto& req = p.requires_;
      for (std::size_t i = 0; i < app.items.size(); ++i) {
        const auto& item = app.items[i];
        static const ParcelFacts kNone;
        const ParcelFacts& f = i < k.items.size() ? k.items[i] : kNone;
        auto add = [&](const std::string& name, const std::string& detail) {
          findings.push_back({name, app.code, "", item.parcel, detail});
          reasons(c, i).push_back(name);
        };
        if (req.controller && f.controller.value_or("") != app.applicant)
          add("not_controlled", f.controller ? "controlled by " + *f.controller + " on " + app.filed.iso()
                                             : "nobody holds a right to it on " + app.filed.iso());
        if (req.zone && f.zone_share < 0.5)
          add("outside_zone", fixed(f.zone_share * 100, 1) + " % in zones" + (req.crop ? " of " + *req.crop : std::string()));
        if (req.crop && app.accepted && !f.crop_in_force)
          add("wrong_crop", "no planting of " + *req.crop + " in force on " + app.accepted->iso());
        if (!req.suitability.empty() &&
            (!f.dominant_class ||
             std::find(req.suitability.begin(), req.suitability.end(), *f.dominant_class) == req.suitability.end()))
          add("unsuitable", f.dominant_class ? "dominant class " + *f.dominant_class : "not evaluated for " +
                                                   req.profile.value_or(req.crop.value_or("the crop")));
      }
    }

    // Conditions.
    // The same six facts for every application: the map's nodes are kept from one
    // application to the next and only their values change.
    double claimed_ha = 0, quantity = 0;
    for (const auto& item : app.items) {
      quantity += item.quantity;
      if (is_area(p.item)) claimed_ha += item.quantity;
    }
    const auto applicant = in.applicants.find(app.applicant);
    facts["claimed_ha"] = Value{decimal_sum(claimed_ha)};
    facts["quantity"] = Value{decimal_sum(quantity)};
    facts["applicant_kind"] = Value{applicant == in.applicants.end() ? std::string() : applicant->second.kind};
    facts["applicant_commune"] = Value{applicant == in.applicants.end() ? std::string() : applicant->second.commune};
    facts["filed_year"] = Value{static_cast<double>(app.filed.year())};
    facts["items"] = Value{static_cast<double>(app.items.size())};
    // Parsed once per policy version: a province's year has 200,000 applications under
    // a dozen versions.
    auto parsed = conditions.find(&p);
    if (parsed == conditions.end()) {
      auto cond = Condition::parse(p.conditions);
      if (!cond) return Error::internal("policy " + p.code + " " + p.version.iso() + ": " + cond.error().message);
      parsed = conditions.emplace(&p, std::move(*cond)).first;
    }
    auto ev = parsed->second.evaluate(facts);
    if (!ev) return ev.error();
    t.conditions_hold = ev->holds;
    t.condition_steps = std::move(ev->steps);

    // Payable quantity.
    double payable = 0;
    if (is_area(p.item)) {
      double counted = 0, penalty = 0;
      for (std::size_t i = 0; i < app.items.size(); ++i) {
        const auto& item = app.items[i];
        const double area = i < k.items.size() ? k.items[i].area_ha : 0;
        ItemTrace it;
        it.parcel = item.parcel;
        it.claimed = item.quantity;
        it.area_ha = area;
        it.reasons = std::move(reasons(c, i));  // read nowhere after
        if (item.quantity > area + std::min(area * s.tolerance_pct / 100.0, s.tolerance_ha)) {
          it.excess_ha = item.quantity - area;
          penalty += s.penalty_factor * it.excess_ha;
          findings.push_back({"over_declared", app.code, "", item.parcel,
                              "claimed " + fixed(item.quantity, 4) + " ha, parcel " + fixed(area, 4) + " ha"});
        }
        it.counted = it.reasons.empty() ? std::min(item.quantity, area) : 0.0;
        counted += it.counted;
        t.items.push_back(std::move(it));
      }
      t.penalty_ha = penalty;
      payable = std::max(0.0, counted - t.penalty_ha);
    } else {
      for (const auto& item : app.items) {
        ItemTrace it;
        it.parcel = item.parcel;
        it.claimed = item.quantity;
        it.counted = item.quantity;
        t.items.push_back(std::move(it));
        payable += item.quantity;
      }
    }
    t.payable = payable;
    if (!t.conditions_hold) {
      t.note = "conditions not met";
    } else {
      t.before_cap = floor_dong(p.rate * payable);
    }
    t.amount = t.before_cap;
    return {};
  };
  auto run_part = [&](std::size_t from, std::size_t to, Part& part) {
    for (std::size_t j = from; j < to; ++j)
      if (auto st = amount_of(j, part); !st) {
        part.error = st.error();
        return;
      }
  };
  Part first, second;
  const std::size_t half = order.size() / 2;
  auto first_half = std::async(std::launch::async, run_part, std::size_t{0}, half, std::ref(first));
  run_part(half, order.size(), second);
  first_half.get();
  // The error a single pass would meet first.
  if (first.error) return *first.error;
  if (second.error) return *second.error;
  for (auto* part : {&first, &second})
    findings.insert(findings.end(), std::make_move_iterator(part->findings.begin()),
                    std::make_move_iterator(part->findings.end()));

  // ---- duplicate_person and the payments, on threads of their own ------------------
  // Both read the cases and write only their own findings; the cap, meanwhile, cuts the
  // amounts. Each kind gives at most one finding per application and the findings are
  // sorted at the end, so the list is the one a single pass makes.
  auto duplicate_people = std::async(std::launch::async, [&]() {
    std::vector<Finding> found;
    // Producers who applied in Y (active applications), with their smallest code.
    std::unordered_map<std::string_view, std::string_view> smallest_code;
    smallest_code.reserve(order.size());
    for (std::size_t c : order)
      if (active(cases[c])) {
        const auto& app = cases[c].application;
        auto [it, fresh] = smallest_code.try_emplace(app.applicant, app.code);
        if (!fresh && std::string_view(app.code) < it->second) it->second = app.code;
      }
    // (identifier, value, applicant), sorted: the holders of one value come together.
    // Viewing the applicants' own strings; sorted, not a map of lists (250,000
    // applicants, most sharing nothing).
    struct Held {
      int identifier;  // 0 citizen ID, 1 bank account, 2 phone
      std::string_view value, applicant;
    };
    std::vector<Held> held;
    held.reserve(smallest_code.size() * 3);
    for (const auto& [applicant, code] : smallest_code) {
      auto it = in.applicants.find(applicant);
      if (it == in.applicants.end()) continue;
      const std::string* values[] = {&it->second.citizen_id, &it->second.bank_account, &it->second.phone};
      for (int v = 0; v < 3; ++v)
        if (!values[v]->empty()) held.push_back({v, *values[v], applicant});
    }
    std::sort(held.begin(), held.end(), [](const Held& a, const Held& b) {
      return std::tie(a.identifier, a.value, a.applicant) < std::tie(b.identifier, b.value, b.applicant);
    });
    // applicant -> the smallest code among the others sharing an identifier with it, and
    // which identifiers they share (bits as in Held::identifier).
    struct Shared {
      std::string_view smallest;
      unsigned identifiers = 0;
    };
    std::unordered_map<std::string_view, Shared> shared;
    for (std::size_t from = 0, to = 0; from < held.size(); from = to) {
      for (to = from + 1;
           to < held.size() && held[to].identifier == held[from].identifier && held[to].value == held[from].value;
           ++to) {
      }
      if (to - from < 2) continue;
      for (std::size_t a = from; a < to; ++a) {
        Shared& entry = shared[held[a].applicant];
        entry.identifiers |= 1u << held[a].identifier;
        for (std::size_t b = from; b < to; ++b) {
          if (b == a) continue;
          const std::string_view code = smallest_code[held[b].applicant];
          if (entry.smallest.empty() || code < entry.smallest) entry.smallest = code;
        }
      }
    }
    for (std::size_t c : order) {
      const auto& app = cases[c].application;
      if (!active(cases[c])) continue;
      auto it = shared.find(app.applicant);
      if (it == shared.end()) continue;
      // Named in the order of their names.
      std::string kinds;
      for (auto [bit, name] : {std::pair{1, "bank_account"}, std::pair{0, "citizen_id"}, std::pair{2, "phone"}})
        if (it->second.identifiers & (1u << bit)) kinds += (kinds.empty() ? "" : ", ") + std::string(name);
      found.push_back({"duplicate_person", app.code, std::string(it->second.smallest), "",
                       "same " + kinds + " as another applicant"});
    }
    return found;
  });

  auto payment_findings = std::async(std::launch::async, [&]() {
    std::vector<Finding> found;
    std::unordered_map<std::string_view, std::size_t> case_of_code;
    case_of_code.reserve(order.size());
    for (std::size_t c : order) case_of_code[cases[c].application.code] = c;
    std::map<std::string_view, std::vector<const Payment*>> payments_of;
    for (const auto& pay : in.payments)
      if (case_of_code.count(pay.application)) payments_of[pay.application].push_back(&pay);
    for (const auto& [code, pays] : payments_of) {
      const ClaimCase& k = cases[case_of_code[code]];
      if (!active(k)) continue;
      const auto& app = k.application;
      std::vector<std::string> early;
      Dong net = 0;
      for (const Payment* pay : pays) {
        if (pay->kind == PaymentKind::payment) {
          net += pay->amount;
          if (!app.accepted || pay->date < *app.accepted) early.push_back(pay->date.iso());
        } else {
          net -= pay->amount;
        }
      }
      if (!early.empty()) {
        std::sort(early.begin(), early.end());
        std::string dates;
        for (const auto& d : early) dates += (dates.empty() ? "" : ", ") + d;
        found.push_back(
            {"paid_without_acceptance", std::string(code), "", "",
             (app.accepted ? "accepted " + app.accepted->iso() : std::string("not accepted")) + "; paid " + dates});
      }
      if (app.approved_amount && net > *app.approved_amount)
        found.push_back({"paid_over_approved", std::string(code), "", "",
                         "approved " + std::to_string(*app.approved_amount) + ", paid net " + std::to_string(net)});
    }
    return found;
  });

  // ---- the cap: per applicant and policy code, in filing order ------------------------
  // The active cases sorted by (applicant, policy code, filing date, code): one
  // applicant's applications under one code come together in filing order. Sorted, not
  // a map of lists: 200,000 applications, most alone under their code.
  std::vector<std::size_t> by_holder;
  by_holder.reserve(order.size());
  for (std::size_t c : order)
    if (active(cases[c])) by_holder.push_back(c);
  std::sort(by_holder.begin(), by_holder.end(), [&](std::size_t x, std::size_t y) {
    const Application& a = cases[x].application;
    const Application& b = cases[y].application;
    return std::tie(a.applicant, a.policy, a.filed, a.code) < std::tie(b.applicant, b.policy, b.filed, b.code);
  });
  Dong granted = 0;
  for (std::size_t k = 0; k < by_holder.size(); ++k) {
    const std::size_t c = by_holder[k];
    const Application& app = cases[c].application;
    if (k > 0) {
      const Application& before = cases[by_holder[k - 1]].application;
      if (before.applicant != app.applicant || before.policy != app.policy) granted = 0;
    }
    AmountTrace& t = out.amounts[trace_of[c]];
    const auto& cap = cases[c].policy->cap_per_beneficiary_year;
    if (cap) {
      Dong room = std::max<Dong>(0, *cap - granted);
      if (t.amount > room) {
        findings.push_back({"cap_exceeded", t.application, "", "",
                            "cap " + std::to_string(*cap) + ", earlier applications got " + std::to_string(granted) +
                                ", cut from " + std::to_string(t.amount) + " to " + std::to_string(room)});
        t.amount = room;
      }
    }
    granted += t.amount;
  }
  for (auto* part : {&duplicate_people, &payment_findings}) {
    auto found = part->get();
    findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }

  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.application, a.finding, a.other_application, a.parcel) <
           std::tie(b.application, b.finding, b.other_application, b.parcel);
  });
  out.findings = std::move(findings);
  return out;
}

}  // namespace nongsan::support
