#include "app/demo/demo.hpp"

namespace nongsan::app {

DemoReport run_demo(App& app, const identity::Actor& actor) {
  DemoReport report;
  report.units_created = demo_units(app, actor, report);
  app.admin().invalidate();
  report.users_created = demo_users(app, actor, report);
  report.figures_created = demo_figures(app, actor, report);
  report.parcels_created = demo_registry(app, actor, report);
  report.observations_created = demo_targets(app, actor, report);
  report.profiles_created = demo_suitability(app, actor, report);
  report.applications_created = demo_support(app, actor, report);
  return report;
}

}  // namespace nongsan::app
