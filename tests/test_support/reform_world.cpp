#include "test_support/reform_world.hpp"

#include <vector>

namespace nongsan::test_support {

using admin::AdminLevel;
using admin::AdminUnit;
using admin::ShareBasis;
using admin::Succession;
using admin::UnitLink;

ReformWorld reform_world(CivilDate start, bool district_shares) {
  const CivilDate last(2025, 6, 30), reform(2025, 7, 1);
  ReformWorld w;
  std::vector<AdminUnit> units;
  std::int64_t next = 1;
  auto unit = [&](const std::string& name, AdminLevel level, CivilDate from, std::optional<CivilDate> to) {
    AdminUnit u;
    u.id = UnitId(next++);
    u.code = name;
    u.name = name;
    u.level = level;
    u.valid_from = from;
    u.valid_to = to;
    w.id[name] = u.id;
    units.push_back(u);
  };
  unit("P", AdminLevel::province, start, std::nullopt);
  unit("D1", AdminLevel::district, start, last);
  unit("D2", AdminLevel::district, start, last);
  for (const char* c : {"a", "b", "c", "d"}) unit(c, AdminLevel::commune, start, last);
  unit("X", AdminLevel::commune, reform, std::nullopt);
  unit("Y", AdminLevel::commune, reform, std::nullopt);
  auto L = [&](const char* child, const char* parent, CivilDate from, std::optional<CivilDate> to) {
    return UnitLink{w.id[child], w.id[parent], from, to};
  };
  std::vector<UnitLink> links = {L("D1", "P", start, last), L("D2", "P", start, last), L("a", "D1", start, last),
                                 L("b", "D1", start, last), L("c", "D2", start, last), L("d", "D2", start, last),
                                 L("X", "P", reform, std::nullopt), L("Y", "P", reform, std::nullopt)};
  auto S = [&](const char* from, const char* to, double share, ShareBasis basis) {
    return Succession{w.id[from], w.id[to], reform, share, basis, ""};
  };
  std::vector<Succession> succ = {S("a", "X", 1, ShareBasis::whole), S("b", "X", 1, ShareBasis::whole),
                                  S("c", "Y", 1, ShareBasis::whole), S("d", "Y", 1, ShareBasis::whole)};
  if (district_shares) {
    succ.push_back(S("D1", "X", 1, ShareBasis::area));
    succ.push_back(S("D2", "Y", 0.6, ShareBasis::area));
    succ.push_back(S("D2", "X", 0.4, ShareBasis::area));
  }
  w.graph = admin::UnitGraph(units, links, succ);
  return w;
}

}  // namespace nongsan::test_support
