// The drafts of the committee's conclusions (table conclusions_draft, migration 0023):
// static functions over a connection; SQL only here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace nongsan::conclusions {

struct DraftRecord {
  std::int64_t id = 0;
  std::string programme, as_of, status = "draft", content, data_hash;
  std::int64_t version = 1;
  std::optional<std::int64_t> issue_id;
  bool illustrative = false;
  std::string created_by, created_at, updated_by, updated_at;
};

class ConclusionsRepository {
 public:
  static std::int64_t insert(storage::Connection& c, const DraftRecord& d);
  static std::optional<DraftRecord> find(storage::Connection& c, std::int64_t id);
  static std::vector<DraftRecord> list(storage::Connection& c, const std::string& programme);
  // Writes content (and status, issue) when the stored version is `base_version`;
  // false when another edit came first.
  static bool update(storage::Connection& c, const DraftRecord& d, std::int64_t base_version);
};

}  // namespace nongsan::conclusions
