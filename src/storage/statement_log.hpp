// A test-only record of the SQL text the PostgreSQL backend sends: the statements a
// use case runs, for tests that check them against the rules of a distributed
// database (tests/api/citus_routing_api_test.cpp, docs/scale-out.md).
//
// Off by default. While off, a statement costs one relaxed atomic load; nothing is
// copied or locked. While a StatementLog is alive every statement of every connection
// of the process is recorded (the text as sent, with $n placeholders), so only one may
// exist at a time and it belongs in tests, never in the server.
//
// Depends on nothing but the standard library.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::storage {

class StatementLog {
 public:
  // Starts recording; throws std::logic_error when another log is recording.
  StatementLog();
  ~StatementLog();
  StatementLog(const StatementLog&) = delete;
  StatementLog& operator=(const StatementLog&) = delete;

  // The statements recorded so far, in the order they ran.
  std::vector<std::string> statements() const;
  void clear();

  // Called by the backend for each statement it sends.
  static void note(std::string_view sql) {
    if (StatementLog* log = active_.load(std::memory_order_relaxed)) log->add(sql);
  }

 private:
  void add(std::string_view sql);

  static std::atomic<StatementLog*> active_;
  mutable std::mutex mutex_;
  std::vector<std::string> statements_;
};

}  // namespace nongsan::storage
