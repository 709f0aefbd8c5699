#include "modules/admin/rollup.hpp"

#include <algorithm>
#include <unordered_set>

namespace nongsan::admin {

std::string_view to_string(RollupMethod m) {
  switch (m) {
    case RollupMethod::own: return "own";
    case RollupMethod::children: return "children";
    case RollupMethod::predecessors: return "predecessors";
    case RollupMethod::none: return "none";
  }
  return "none";
}

CivilDate reference_date(int year, const CivilDate& as_of) {
  return year == as_of.year() ? as_of : CivilDate(year, 12, 31);
}

namespace {

class Roller {
 public:
  Roller(const UnitGraph& g, const OwnValueFn& own, int year, const CivilDate& as_of)
      : g_(g), own_(own), year_(year), c_(reference_date(year, as_of)) {}

  RollupResult value(UnitId u, int depth = 0) {
    RollupResult r;
    if (depth > 64) return r;  // a cycle in bad data; no value rather than a crash
    if (auto v = own_(u, year_)) {
      r.value = *v;
      r.method = RollupMethod::own;
      return r;
    }
    const AdminUnit* unit = g_.find(u);
    if (!unit) return r;
    if (unit->valid_on(c_)) {
      for (UnitId child : g_.children_on(u, c_)) {
        auto cr = value(child, depth + 1);
        if (cr.value) r.contributions.push_back({child, *cr.value, 1.0, cr.method});
      }
      if (!r.contributions.empty()) {
        r.method = RollupMethod::children;
        r.value = sum(r.contributions);
      }
      return r;
    }
    // Not yet (or no longer) in existence on c: reach back through the reform.
    auto preds = g_.predecessors(u);
    std::vector<Succession> relevant;
    for (const auto& s : preds)
      if (const AdminUnit* p = g_.find(s.predecessor); p && s.effective > c_) relevant.push_back(s);
    if (relevant.empty()) return r;
    // Top-level predecessors: those not below another predecessor on c.
    for (const auto& s : relevant) {
      bool below_other = std::any_of(relevant.begin(), relevant.end(), [&](const Succession& o) {
        return o.predecessor != s.predecessor && g_.is_within_on(s.predecessor, o.predecessor, c_);
      });
      if (below_other) continue;
      auto more = predecessor_contributions(s, relevant, depth);
      r.contributions.insert(r.contributions.end(), more.begin(), more.end());
    }
    if (!r.contributions.empty()) {
      r.method = RollupMethod::predecessors;
      r.value = sum(r.contributions);
    }
    return r;
  }

 private:
  // The contributions of predecessor `s`: its finer predecessors (e.g. the whole
  // communes of a district that was shared out by area) when any has a value,
  // else the predecessor's own value times its share.
  std::vector<Contribution> predecessor_contributions(const Succession& s, const std::vector<Succession>& all,
                                                      int depth) {
    std::vector<Succession> finer;
    for (const auto& o : all)
      if (o.predecessor != s.predecessor && g_.is_within_on(o.predecessor, s.predecessor, c_)) finer.push_back(o);
    std::vector<Contribution> out;
    for (const auto& f : finer) {
      bool nested = std::any_of(finer.begin(), finer.end(), [&](const Succession& o) {
        return o.predecessor != f.predecessor && g_.is_within_on(f.predecessor, o.predecessor, c_);
      });
      if (nested) continue;
      auto more = predecessor_contributions(f, finer, depth + 1);
      out.insert(out.end(), more.begin(), more.end());
    }
    if (!out.empty()) return out;
    auto pv = value(s.predecessor, depth + 1);
    // A coarser predecessor (a district shared out among new communes) contributes
    // only a figure stored against it: a sum of its communes would count them again,
    // since each of them has its own successor.
    const AdminUnit* pred = g_.find(s.predecessor);
    const AdminUnit* succ = g_.find(s.successor);
    bool coarser = pred && succ && rank(pred->level) < rank(succ->level);
    if (pv.value && (!coarser || pv.method == RollupMethod::own))
      out.push_back({s.predecessor, *pv.value * s.share, s.share, pv.method});
    return out;
  }

  static double sum(const std::vector<Contribution>& cs) {
    double t = 0;
    for (const auto& c : cs) t += c.value;
    return t;
  }

  const UnitGraph& g_;
  const OwnValueFn& own_;
  int year_;
  CivilDate c_;
};

}  // namespace

RollupResult roll_up(const UnitGraph& graph, const OwnValueFn& own, UnitId unit, int year, const CivilDate& as_of) {
  return Roller(graph, own, year, as_of).value(unit);
}

}  // namespace nongsan::admin
