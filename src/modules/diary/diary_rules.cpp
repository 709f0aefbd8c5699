#include "modules/diary/diary_rules.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

namespace nongsan::diary {

std::string match_key(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool registered_on(const Pesticide& p, const CivilDate& d) {
  return p.registered_from <= d && (!p.registered_to || d <= *p.registered_to);
}

Reference::Reference(std::vector<Pesticide> products, std::vector<StatusRow> statuses,
                     std::vector<PesticideLabel> labels)
    : products_(std::move(products)) {
  for (std::size_t i = 0; i < products_.size(); ++i) by_code_[match_key(products_[i].code)] = i;
  for (auto& s : statuses) statuses_[match_key(s.active_ingredient)].push_back(std::move(s));
  for (auto& [k, rows] : statuses_)
    std::stable_sort(rows.begin(), rows.end(), [](const StatusRow& a, const StatusRow& b) { return a.from < b.from; });
  for (auto& l : labels) labels_[{match_key(l.product), match_key(l.crop)}] = std::move(l);
}

const Pesticide* Reference::product(std::string_view code) const {
  auto it = by_code_.find(match_key(code));
  return it == by_code_.end() ? nullptr : &products_[it->second];
}

const StatusRow* Reference::status_row_on(std::string_view ingredient, const CivilDate& d) const {
  auto it = statuses_.find(match_key(ingredient));
  if (it == statuses_.end()) return nullptr;
  const StatusRow* in_force = nullptr;
  for (const auto& r : it->second)
    if (r.from <= d) in_force = &r;  // date order: the last one on or before d wins
  return in_force;
}

IngredientStatus Reference::status_on(std::string_view ingredient, const CivilDate& d) const {
  const StatusRow* r = status_row_on(ingredient, d);
  return r ? r->status : IngredientStatus::permitted;
}

const PesticideLabel* Reference::label(std::string_view product, std::string_view crop) const {
  auto it = labels_.find({match_key(product), match_key(crop)});
  return it == labels_.end() ? nullptr : &it->second;
}

std::vector<std::string> crops_in_force(const std::vector<PlantingSpan>& plantings, std::int64_t parcel,
                                        const CivilDate& d) {
  std::vector<std::string> out;
  for (const auto& p : plantings)
    if (p.parcel_id == parcel && p.start <= d && (!p.end || d <= *p.end)) out.push_back(p.crop);
  return out;
}

std::vector<DiaryEntry> effective_entries(const std::vector<DiaryEntry>& entries) {
  std::set<std::string> amended;
  for (const auto& e : entries)
    if (!e.amends.empty()) amended.insert(e.amends);
  std::vector<DiaryEntry> out;
  for (const auto& e : entries)
    if (!amended.count(e.code)) out.push_back(e);
  return out;
}

namespace {

// The label of `product` for one of `crops` (the first crop with one), or nullptr.
const PesticideLabel* label_for(const Reference& ref, const std::string& product, const std::vector<std::string>& crops) {
  for (const auto& c : crops)
    if (const auto* l = ref.label(product, c)) return l;
  return nullptr;
}

bool within(const CivilDate& d, const std::optional<CivilDate>& from, const std::optional<CivilDate>& to) {
  return (!from || *from <= d) && (!to || d <= *to);
}

Finding base(FindingKind k, const DiaryEntry& e, std::string product) {
  Finding f;
  f.kind = k;
  f.entry = e.code;
  f.parcel_id = e.parcel_id;
  f.parcel = e.parcel;
  f.product = std::move(product);
  f.lot = e.lot;
  f.date = e.date;
  return f;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::vector<Finding> check_entries(const Reference& ref, const std::vector<DiaryEntry>& entries,
                                   const std::vector<PlantingSpan>& plantings, std::optional<CivilDate> from,
                                   std::optional<CivilDate> to) {
  std::vector<Finding> out;
  std::unordered_map<std::int64_t, std::vector<const DiaryEntry*>> sprays_of;  // by parcel
  for (const auto& e : entries)
    if (e.kind == EntryKind::spray) sprays_of[e.parcel_id].push_back(&e);

  for (const auto& e : entries) {
    if (!within(e.date, from, to)) continue;
    if (e.kind == EntryKind::spray) {
      const Pesticide* p = ref.product(e.product);
      if (!p || !registered_on(*p, e.date)) {
        auto f = base(FindingKind::unregistered, e, e.product);
        f.detail = p ? "not registered on " + e.date.iso() : "no such registered product";
        out.push_back(std::move(f));
      }
      if (p) {
        std::vector<std::string> banned;
        for (const auto& ai : p->active_ingredients)
          if (ref.status_on(ai, e.date) == IngredientStatus::banned) banned.push_back(ai);
        if (!banned.empty()) {
          auto f = base(FindingKind::banned, e, e.product);
          for (const auto& b : banned) {
            const StatusRow* r = ref.status_row_on(b, e.date);
            f.detail += (f.detail.empty() ? "" : "; ") + b + " banned from " + r->from.iso() +
                        (r->source.empty() ? "" : " (" + r->source + ")");
          }
          out.push_back(std::move(f));
        }
      }
      const auto crops = crops_in_force(plantings, e.parcel_id, e.date);
      const PesticideLabel* l = label_for(ref, e.product, crops);
      if (!l) {
        auto f = base(FindingKind::not_for_crop, e, e.product);
        f.detail = crops.empty() ? "no planting in force on the parcel" : "no label for the crop " + crops.front();
        out.push_back(std::move(f));
      } else if (e.dose_per_ha && *e.dose_per_ha > l->max_dose_per_ha) {
        auto f = base(FindingKind::over_dose, e, e.product);
        f.detail = "dose " + fmt(*e.dose_per_ha) + " per ha above the label's " + fmt(l->max_dose_per_ha);
        out.push_back(std::move(f));
      }
    } else if (e.kind == EntryKind::harvest) {
      const auto crops = crops_in_force(plantings, e.parcel_id, e.date);
      if (crops.empty()) continue;
      // One row per sprayed product: the latest spray of it decides (it is the nearest).
      std::map<std::string, Finding> by_product;
      for (const DiaryEntry* s : sprays_of[e.parcel_id]) {
        if (s->date > e.date) continue;  // sprays after the harvest do not reach it
        const PesticideLabel* l = label_for(ref, s->product, crops);
        if (!l) continue;
        const auto gap = days_between(s->date, e.date);
        if (gap >= l->phi_days) continue;
        const std::string key = match_key(s->product);
        auto it = by_product.find(key);
        if (it != by_product.end() && it->second.spray_date && *it->second.spray_date >= s->date) continue;
        auto f = base(FindingKind::phi_not_passed, e, s->product);
        if (it != by_product.end()) f.product = it->second.product;  // as first written
        f.spray_entry = s->code;
        f.spray_date = s->date;
        f.phi_days = l->phi_days;
        f.detail = "harvested " + std::to_string(gap) + " days after the spray " + s->code + "; the label's interval is " +
                   std::to_string(l->phi_days) + " days";
        by_product[key] = std::move(f);
      }
      for (auto& [k, f] : by_product) out.push_back(std::move(f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.entry != b.entry) return a.entry < b.entry;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.product < b.product;
  });
  return out;
}

}  // namespace nongsan::diary
