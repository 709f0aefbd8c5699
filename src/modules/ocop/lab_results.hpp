// Lab results (kiểm nghiệm) of OCOP products: one row per sample and parameter, with the
// limit the laboratory's report or the file gives and the standard it comes from. Pass or
// fail is computed here from value and limit, never typed (docs/rules.md §8.8). Types,
// the pure rule, and the SQL of ocop_lab_result; no scope, no permissions here.
// Must not depend on api, app, cli or another module's tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "storage/database.hpp"

namespace nongsan::ocop {

struct LabResult {
  std::int64_t id = 0;
  std::string sample;
  std::int64_t product_id = 0;
  std::string product;  // the OCOP product's code (read only)
  std::string lot;      // "" when the sample names no lot
  std::string laboratory;
  CivilDate tested_on;
  std::string parameter, category;  // category: pesticide_residue, heavy_metal, microbiological, other
  double value = 0;
  std::string unit;
  double limit = 0;     // the maximum allowed, in `unit`
  std::string standard; // where the limit comes from ("" when the file does not say)
  bool illustrative = false;
  std::string source, created_by;
};

// The categories of parameter a file may name.
bool is_lab_category(std::string_view s);
// A result passes when its value does not exceed the limit (maximum levels and MRLs are
// upper bounds: docs/rules.md §8.8).
bool lab_passes(double value, double limit);
inline bool lab_passes(const LabResult& r) { return lab_passes(r.value, r.limit); }
// True when two results of the same sample and parameter say the same thing (re-import).
bool same_lab_result(const LabResult& a, const LabResult& b);

class LabRepository {
 public:
  // Every result of `product_id` (all products when nullopt), by date then sample and parameter.
  static std::vector<LabResult> results(storage::Connection& c, std::optional<std::int64_t> product_id);
  static std::optional<LabResult> find(storage::Connection& c, const std::string& sample, const std::string& parameter);
  static std::int64_t insert(storage::Connection& c, const LabResult& r);
  static void update(storage::Connection& c, std::int64_t id, const LabResult& r);
};

}  // namespace nongsan::ocop
