#pragma once

#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

#include "modules/figures/figure.hpp"
#include "storage/database.hpp"

namespace nongsan::figures {

class FigureRepository {
 public:
  static std::vector<Series> series(storage::Connection& c);
  static std::optional<Series> find_series(storage::Connection& c, const std::string& code);
  static void upsert_series(storage::Connection& c, const Series& s);

  static std::optional<Figure> find(storage::Connection& c, FigureId id);
  // `units`: when set, only figures of these units.
  static std::vector<Figure> list(storage::Connection& c, const FigureFilter& f,
                                  const std::optional<std::unordered_set<UnitId>>& units, std::int64_t* total);
  static FigureId insert(storage::Connection& c, const FigureInput& in);
  static void update(storage::Connection& c, const Figure& f);
  static void remove(storage::Connection& c, FigureId id);
  // Every stored value of a series for a year, by unit (input of the roll-up).
  static std::map<UnitId, double> values(storage::Connection& c, const std::string& series, int year);
};

}  // namespace nongsan::figures
