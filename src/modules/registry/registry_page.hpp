// A page of a registry list, and why it is empty when it is. Types only.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::registry {

struct Page {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
  // When total is 0, why: {"reason": "scope" | "filter" | "no_records", "scope":
  // RecordScope::describe()} — "scope": the caller's scope holds no such records;
  // "filter": it holds some, and the filters (or the date) match none of them;
  // "no_records": there are none at all (province-wide callers). A filter naming an
  // id that does not exist or lies outside the scope matches nothing, alike.
  nlohmann::json empty = nullptr;
};

}  // namespace nongsan::registry
