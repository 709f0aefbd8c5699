#include "app/demo/demo.hpp"

#include <stdexcept>

#include "app/embedded_data.hpp"

namespace nongsan::app {

nlohmann::json demo_data(const std::string& path) {
  auto text = embedded_file(path);
  if (!text) throw std::runtime_error("reference data missing from the binary: data/" + path);
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("reference data is not JSON: data/" + path);
  return j;
}

DemoReport run_demo(App& app, const identity::Actor& actor) {
  DemoReport report;
  report.units_created = demo_units(app, actor, report);
  app.admin().invalidate();
  report.users_created = demo_users(app, actor, report);
  report.figures_created = demo_figures(app, actor, report);
  report.parcels_created = demo_registry(app, actor, report);
  report.observations_created = demo_targets(app, actor, report);
  report.profiles_created = demo_suitability(app, actor, report);
  return report;
}

}  // namespace nongsan::app
