// Figures by unit: entry within the officer's scope, audited; roll-up to any
// unit valid on a date, with its contributions so a number can be traced.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/figures/figure.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::figures {

struct FigurePage {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
};

class FigureService {
 public:
  FigureService(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}

  Result<std::vector<Series>> series(const identity::Actor& actor);
  Result<FigurePage> list(const identity::Actor& actor, const FigureFilter& filter);
  Result<nlohmann::json> get(const identity::Actor& actor, FigureId id);
  Result<nlohmann::json> create(const identity::Actor& actor, const FigureInput& input);
  Result<nlohmann::json> update(const identity::Actor& actor, FigureId id, const FigurePatch& patch);
  Status remove(const identity::Actor& actor, FigureId id);

  Result<nlohmann::json> rollup(const identity::Actor& actor, const std::string& series, UnitId unit, int year,
                                std::optional<CivilDate> as_of);
  // Values of every unit valid on `as_of` (optionally one level), for a choropleth.
  Result<nlohmann::json> map_values(const identity::Actor& actor, const std::string& series, int year,
                                    std::optional<CivilDate> as_of, std::optional<admin::AdminLevel> level);

 private:
  nlohmann::json figure_json(const admin::UnitGraph& g, const Figure& f) const;
  Status validate(storage::Connection& c, const admin::UnitGraph& g, const FigureInput& in) const;

  storage::Database& db_;
  admin::AdminService& admin_;
};

}  // namespace nongsan::figures
