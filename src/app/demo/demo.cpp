#include "app/demo/demo.hpp"

#include <stdexcept>

#include "app/embedded_data.hpp"
#include "modules/jobs/job_repository.hpp"

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
  if (report.parcels_created > 0) {
    // The topology check, once, as an officer would start it from the API, so that
    // "Kiểm tra hình học" has findings and a time of the last check.
    auto job = app.registry().topology().start_check(actor, 1.0);
    if (!job) throw std::runtime_error("demo topology check: " + job.error().message);
    app.jobs().wait_idle();
    auto done = app.db().read([&](storage::Connection& c) { return jobs::JobRepository::find(c, job->id); });
    if (!done || done->state != jobs::JobState::succeeded)
      throw std::runtime_error("demo topology check: " + (done ? done->error : std::string("job lost")));
    report.notes.push_back("topology check: " + done->result.dump());
  }
  report.observations_created = demo_targets(app, actor, report);
  report.profiles_created = demo_suitability(app, actor, report);
  report.applications_created = demo_support(app, actor, report);
  demo_trace_gtins(app, actor, report);
  report.diary_entries_created = demo_diary(app, actor, report);
  demo_areacodes(app, actor, report);
  demo_chains(app, actor, report);
  demo_ocop(app, actor, report);
  demo_trace(app, actor, report);
  demo_inspection(app, actor, report);
  demo_inspection_plan(app, actor, report);
  return report;
}

}  // namespace nongsan::app
