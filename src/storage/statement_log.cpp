#include "storage/statement_log.hpp"

#include <stdexcept>

namespace nongsan::storage {

std::atomic<StatementLog*> StatementLog::active_{nullptr};

StatementLog::StatementLog() {
  StatementLog* expected = nullptr;
  if (!active_.compare_exchange_strong(expected, this)) throw std::logic_error("a statement log is already recording");
}

StatementLog::~StatementLog() { active_.store(nullptr); }

std::vector<std::string> StatementLog::statements() const {
  std::lock_guard lock(mutex_);
  return statements_;
}

void StatementLog::clear() {
  std::lock_guard lock(mutex_);
  statements_.clear();
}

void StatementLog::add(std::string_view sql) {
  std::lock_guard lock(mutex_);
  statements_.emplace_back(sql);
}

}  // namespace nongsan::storage
