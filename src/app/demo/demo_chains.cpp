// The demo's value chains (illustrative, docs/chains.md "Demo"): for tea, macadamia,
// passion fruit and sweet corn (Notice 752-TB/TU names the Than Uyên–Tân Uyên–Tam
// Đường–Phong Thổ link for passion fruit and sweet corn), a contract between a lead of
// the demo registry and households of a zone of the crop, running across the year end,
// a year of deliveries with one planted side-seller and one offer the lead refused,
// a processing facility drawing on the zone, buyers, a trade-promotion event, and two
// investment projects. Everything goes through ChainService, labelled illustrative.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "app/demo/demo.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::app {

using nlohmann::json;

namespace {
struct Plan {
  const char* commodity;
  const char* code;
  const char* product;
  const char* technology;
  double kg_per_household;
  double capacity_t;
  const char* buyer;
  const char* market;
  const char* country;
};
const Plan kPlans[] = {
    {"tea", "DEMO-LK-CHE", "chè xanh, chè đen", "semi_mechanised", 4000, 400, "Công ty XNK Chè Việt (minh họa)", "export", "PK"},
    {"macadamia", "DEMO-LK-MACCA", "hạt mắc ca sấy", "manual", 600, 30, "Chuỗi siêu thị nông sản sạch (minh họa)", "domestic", ""},
    {"passion_fruit", "DEMO-LK-CHANHLEO", "chanh leo tươi, nước cốt", "automated", 9000, 2500,
     "Công ty Nước giải khát miền Bắc (minh họa)", "domestic", ""},
    {"sweet_corn", "DEMO-LK-NGONGOT", "ngô ngọt bắp tươi", "manual", 5000, 150, "Nhà nhập khẩu rau quả Hàn Quốc (minh họa)",
     "export", "KR"},
};
void must(const Result<json>& r, const std::string& what) {
  if (!r) throw std::runtime_error("demo chains: " + what + ": " + r.error().message);
}
}  // namespace

int demo_chains(App& app, const identity::Actor& actor, DemoReport& report) {
  auto& svc = app.chains();
  auto existing = svc.list_contracts(actor, 2025, "");
  if (!existing) throw std::runtime_error("demo chains: " + existing.error().message);
  if (!(*existing)["items"].empty()) {
    report.notes.push_back("chains: contracts already present: left as they are");
    return 0;
  }
  int contracts = 0;
  for (const auto& plan : kPlans) {
    // A zone of the crop, its households and a lead of the demo registry.
    auto [zone, households, lead] = app.db().read([&](storage::Connection& c) {
      auto zones = registry::RegistryRepository::list_zones(c, std::nullopt, plan.commodity, false);
      // No zone of the crop in the demo registry (sweet corn): the households of the
      // passion-fruit zone's commune, the same Than Uyên–Tân Uyên link, without coverage.
      if (zones.empty()) zones = registry::RegistryRepository::list_zones(c, std::nullopt, "passion_fruit", false);
      std::optional<registry::Zone> z;
      for (auto& x : zones)
        if (x.unit) {
          z = x;
          break;
        }
      std::vector<registry::Producer> hh;
      std::optional<registry::Producer> l;
      if (z) {
        registry::ProducerQuery q;
        q.units = std::unordered_set<UnitId>{*z->unit};
        q.kind = registry::ProducerKind::household;
        q.page_size = 6;
        hh = registry::RegistryRepository::list_producers(c, q, nullptr);
        for (auto kind : {registry::ProducerKind::cooperative, registry::ProducerKind::enterprise}) {
          registry::ProducerQuery lq;
          lq.kind = kind;
          lq.units = std::unordered_set<UnitId>{*z->unit};
          lq.page_size = 1;
          auto found = registry::RegistryRepository::list_producers(c, lq, nullptr);
          if (found.empty()) {
            lq.units.reset();  // a lead elsewhere in the province
            found = registry::RegistryRepository::list_producers(c, lq, nullptr);
          }
          if (!found.empty()) {
            l = found.front();
            break;
          }
        }
      }
      return std::make_tuple(z, hh, l);
    });
    if (!zone || households.size() < 2 || !lead) {
      report.notes.push_back(std::string("chains: no zone, households or lead for ") + plan.commodity + ": skipped");
      continue;
    }
    json parts = json::array();
    for (const auto& h : households) parts.push_back(h.id.value);
    const double committed = plan.kg_per_household * static_cast<double>(households.size()) * 2;  // two seasons
    auto k = svc.create_contract(
        actor, {{"code", plan.code},
                {"lead_id", lead->id.value},
                {"participant_ids", parts},
                {"commodity", plan.commodity},
                {"start", "2024-10-01"},
                {"end", "2026-09-30"},
                {"committed_kg", committed},
                {"quality", "VietGAP, đúng độ chín theo phụ lục hợp đồng (minh họa)"},
                {"price_mechanism", plan.commodity == std::string("tea") ? "floor" : "market_linked"},
                {"price_note", "giá sàn hoặc giá thị trường tại thời điểm thu mua, lấy giá cao hơn (minh họa)"},
                {"inputs_services", "giống, phân bón trả chậm, tập huấn kỹ thuật (minh họa)"},
                {"documents", {std::string("HĐLK số 01/2024/") + plan.code + " (minh họa)"}},
                {"zone_ids", zone->commodity == plan.commodity ? json::array({zone->id.value}) : json::array()},
                {"illustrative", true}});
    must(k, plan.code);
    const std::int64_t id = (*k)["id"].get<std::int64_t>();
    ++contracts;
    // Deliveries of 2025, month by month: every household on schedule but the last,
    // who delivers a fifth (the planted side-seller); in August the lead refuses an offer.
    const double per_month = plan.kg_per_household / 12.0;
    for (std::size_t i = 0; i < households.size(); ++i) {
      const bool side_seller = i + 1 == households.size();
      for (int month = 1; month <= 12; ++month) {
        if (side_seller && month % 5 != 0) continue;
        char date[11];
        std::snprintf(date, sizeof date, "2025-%02d-15", month);
        json d = {{"participant_id", households[i].id.value}, {"date", date},
                  {"quantity_kg", side_seller ? per_month : per_month * (1.0 + 0.01 * static_cast<double>(i))}};
        if (i == 0 && month == 8) d["refused_kg"] = per_month * 0.5;
        must(svc.add_delivery(actor, id, d), std::string(plan.code) + " delivery");
      }
    }
    must(svc.add_buyer(actor, id, {{"name", plan.buyer}, {"market", plan.market}, {"country", plan.country}}), "buyer");
    must(svc.add_trade_event(actor, id,
                             {{"name", "Hội chợ nông sản, OCOP vùng Tây Bắc (minh họa)"},
                              {"held_on", "2025-09-20"},
                              {"place", "Thành phố Lai Châu"},
                              {"result", "ký 2 biên bản ghi nhớ tiêu thụ (minh họa)"}}),
         "trade event");
    must(svc.save_facility(actor, std::nullopt,
                           {{"code", std::string("DEMO-CS-") + (plan.code + 8)},
                            {"name", std::string("Cơ sở chế biến ") + plan.product + " (minh họa)"},
                            {"operator_id", lead->id.value},
                            {"unit_id", zone->unit->value},
                            {"technology", plan.technology},
                            {"certifications", {"VietGAP"}},
                            {"capacities", {{{"commodity", plan.commodity},
                                             {"product", plan.product},
                                             {"capacity_t_per_season", plan.capacity_t}}}},
                            {"zone_ids", zone->commodity == plan.commodity ? json::array({zone->id.value}) : json::array()},
                            {"illustrative", true}}),
         "facility");
  }
  must(svc.save_investment(actor, std::nullopt,
                           {{"code", "DEMO-DA-CHE"}, {"name", "Nhà máy chế biến chè (minh họa)"}, {"kind", "plant"},
                            {"status", "approved"}, {"commodity", "tea"}, {"land_ha", 3.5}, {"raw_material_t", 6000},
                            {"illustrative", true}}),
       "investment");
  must(svc.save_investment(actor, std::nullopt,
                           {{"code", "DEMO-DA-CCN"}, {"name", "Cụm công nghiệp chế biến nông sản (minh họa)"},
                            {"kind", "industrial_cluster"}, {"status", "proposed"}, {"land_ha", 45},
                            {"raw_material_t", 20000}, {"illustrative", true}}),
       "investment");
  report.notes.push_back("chains: " + std::to_string(contracts) + " illustrative linkage contracts");
  return contracts;
}

}  // namespace nongsan::app
