// The background job facility (modules/jobs): one job of a kind at a time, progress
// and results recorded as the work goes, failures kept with their message, jobs a
// stopped server left unfinished found "interrupted", and each kind readable only by
// the roles its module declares.
#include "modules/jobs/job_service.hpp"

#include <gtest/gtest.h>

#include <future>

#include "modules/jobs/job_repository.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::jobs {

namespace {

class Jobs : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(storage::Backend::sqlite);
    service = std::make_unique<JobService>(*tdb->db);
    service->register_kind("check", identity::Permission::registry_read);
  }
  Job stored(JobId id) {
    return *tdb->db->read([&](storage::Connection& c) { return JobRepository::find(c, id); });
  }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<JobService> service;
  identity::Actor admin = identity::Actor::cli("test");
};

}  // namespace

TEST_F(Jobs, OneJobOfAKindAtATimeWithItsProgressAndResult) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> reported;
  auto first = service->submit(admin, "check", {{"min", 1}}, [&](JobContext& ctx) -> Result<nlohmann::json> {
    ctx.progress("overlaps", 50, 100);
    reported.set_value();
    gate.wait();
    return nlohmann::json{{"found", 3}};
  });
  ASSERT_TRUE(first) << first.error().message;
  reported.get_future().wait();
  // While it runs: its progress is in its row, and a second one is refused.
  Job running = stored(first->id);
  EXPECT_EQ(running.state, JobState::running);
  EXPECT_EQ(running.stage, "overlaps");
  EXPECT_EQ(running.done, 50);
  EXPECT_EQ(running.total, 100);
  auto second = service->submit(admin, "check", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::conflict);
  EXPECT_NE(second.error().message.find("job " + std::to_string(first->id.value)), std::string::npos)
      << second.error().message;
  release.set_value();
  service->wait_idle();
  Job done = stored(first->id);
  EXPECT_EQ(done.state, JobState::succeeded);
  EXPECT_EQ(done.result["found"], 3);
  EXPECT_EQ(done.params["min"], 1);
  EXPECT_TRUE(done.started_at && done.ended_at);
  EXPECT_EQ(done.started_by, "cli:test");
  // Once it ended, the next one may start.
  auto third = service->submit(admin, "check", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  EXPECT_TRUE(third);
  service->wait_idle();
}

TEST_F(Jobs, AFailureIsKeptWithItsMessage) {
  auto job = service->submit(admin, "check", {}, [](JobContext&) -> Result<nlohmann::json> {
    return Error::invalid("the commune boundaries are missing", {{"communes", "none stored"}});
  });
  ASSERT_TRUE(job);
  service->wait_idle();
  Job failed = stored(job->id);
  EXPECT_EQ(failed.state, JobState::failed);
  EXPECT_NE(failed.error.find("the commune boundaries are missing"), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find("communes: none stored"), std::string::npos) << failed.error;
  EXPECT_TRUE(failed.result.is_null());
}

TEST_F(Jobs, AJobAStoppedServerLeftUnfinishedIsInterruptedAtTheNextStart) {
  // A server died while this job ran.
  JobId left = tdb->db->write([](storage::Connection& c) {
    JobId id = JobRepository::insert(c, "check", nlohmann::json::object(), "user:x");
    JobRepository::mark_running(c, id);
    return id;
  });
  // Until the next start says so, it still holds its kind.
  auto blocked = service->submit(admin, "check", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  EXPECT_FALSE(blocked);
  JobService restarted(*tdb->db);
  restarted.register_kind("check", identity::Permission::registry_read);
  EXPECT_EQ(restarted.recover_interrupted(), 1);
  Job j = stored(left);
  EXPECT_EQ(j.state, JobState::interrupted);
  EXPECT_FALSE(j.error.empty());
  EXPECT_TRUE(j.ended_at);
  auto again = restarted.submit(admin, "check", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  EXPECT_TRUE(again);
  restarted.wait_idle();
}

TEST_F(Jobs, AJobIsReadOnlyByTheRolesItsKindNames) {
  service->register_kind("secret", identity::Permission::users_manage);
  auto job = service->submit(admin, "secret", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  ASSERT_TRUE(job);
  service->wait_idle();
  identity::Actor inspector;
  inspector.name = "user:insp";
  inspector.role = identity::Role::inspector;
  auto hidden = service->get(inspector, job->id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::not_found);
  auto missing = service->get(inspector, JobId(987654));
  EXPECT_EQ(hidden.error().code, missing.error().code);
  EXPECT_EQ(hidden.error().message, "no job with id " + std::to_string(job->id.value));
  EXPECT_EQ(missing.error().message, "no job with id 987654");
  EXPECT_TRUE(service->get(admin, job->id));
  EXPECT_EQ(service->list(inspector, "", 1, 50)->total, 0);
  EXPECT_EQ(service->list(admin, "", 1, 50)->total, 1);
}

// Province-wide roles are recorded with the province as their unit; that unit is no
// restriction (AccessPolicy::unit_filter), so they read and list a job another started.
// A unit officer and a producer account read only their own.
TEST_F(Jobs, AProvinceWideRoleWithTheProvinceAsItsUnitReadsAJobAnotherStarted) {
  identity::Actor officer;
  officer.name = "user:province.officer";
  officer.role = identity::Role::province_officer;
  officer.unit = UnitId(1);
  auto job = service->submit(officer, "check", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  ASSERT_TRUE(job);
  service->wait_idle();
  identity::Actor administrator;
  administrator.name = "user:admin";
  administrator.role = identity::Role::province_admin;
  administrator.unit = UnitId(1);
  auto read = service->get(administrator, job->id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->started_by, "user:province.officer");
  EXPECT_EQ(service->list(administrator, "", 1, 50)->total, 1);
  identity::Actor commune;
  commune.name = "user:binhlu.officer";
  commune.role = identity::Role::unit_officer;
  commune.unit = UnitId(7);
  auto hidden = service->get(commune, job->id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::not_found);
  EXPECT_EQ(service->list(commune, "", 1, 50)->total, 0);
}

TEST_F(Jobs, StoppingTheServiceInterruptsWhatHasNotStarted) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  service->register_kind("other", identity::Permission::registry_read);
  auto running = service->submit(admin, "check", {}, [&](JobContext&) -> Result<nlohmann::json> {
    started.set_value();
    gate.wait();
    return nlohmann::json{};
  });
  started.get_future().wait();
  auto queued = service->submit(admin, "other", {}, [](JobContext&) -> Result<nlohmann::json> { return nlohmann::json{}; });
  ASSERT_TRUE(running && queued);
  std::thread stopper([&] { service->shutdown(); });
  release.set_value();
  stopper.join();
  EXPECT_EQ(stored(running->id).state, JobState::succeeded);
  // "other" either ran before the stop was seen or was interrupted; never left queued.
  EXPECT_NE(stored(queued->id).state, JobState::queued);
  EXPECT_NE(stored(queued->id).state, JobState::running);
}

}  // namespace nongsan::jobs
