#include "modules/ocop/lab_results.hpp"
#include "modules/ocop/lab_json.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace nongsan::ocop {

using storage::Connection;
using storage::Row;

bool is_lab_category(std::string_view s) {
  return s == "pesticide_residue" || s == "heavy_metal" || s == "microbiological" || s == "other";
}

bool lab_passes(double value, double limit) { return value <= limit; }

nlohmann::json lab_json(const LabResult& r) {
  return nlohmann::json{{"id", r.id},
                        {"sample", r.sample},
                        {"product", r.product},
                        {"lot", r.lot},
                        {"laboratory", r.laboratory},
                        {"date", r.tested_on.iso()},
                        {"parameter", r.parameter},
                        {"category", r.category},
                        {"value", r.value},
                        {"unit", r.unit},
                        {"limit", r.limit},
                        {"standard", r.standard},
                        {"passed", lab_passes(r)},
                        {"illustrative", r.illustrative}};
}

bool same_lab_result(const LabResult& a, const LabResult& b) {
  return a.product_id == b.product_id && a.lot == b.lot && a.laboratory == b.laboratory && a.tested_on == b.tested_on &&
         a.category == b.category && a.value == b.value && a.unit == b.unit && a.limit == b.limit &&
         a.standard == b.standard && a.illustrative == b.illustrative;
}

namespace {

constexpr const char* kSelect =
    "SELECT l.id, l.sample, l.product_id, o.code AS product, l.lot, l.laboratory, l.tested_on, l.parameter, "
    "l.category, l.result_value, l.unit, l.limit_value, l.standard, l.illustrative, l.source, l.created_by "
    "FROM ocop_lab_result l JOIN ocop_product o ON o.id = l.product_id";

LabResult from(const Row& r) {
  LabResult l;
  l.id = r.i64("id");
  l.sample = r.str("sample");
  l.product_id = r.i64("product_id");
  l.product = r.str("product");
  l.lot = r.str("lot");
  l.laboratory = r.str("laboratory");
  l.tested_on = r.date("tested_on");
  l.parameter = r.str("parameter");
  l.category = r.str("category");
  l.value = r.f64("result_value");
  l.unit = r.str("unit");
  l.limit = r.f64("limit_value");
  l.standard = r.str("standard");
  l.illustrative = r.i64("illustrative") != 0;
  l.source = r.str("source");
  l.created_by = r.str("created_by");
  return l;
}

}  // namespace

std::vector<LabResult> LabRepository::results(Connection& c, std::optional<std::int64_t> product_id) {
  std::vector<LabResult> out;
  // Sample and parameter are ordered in C++ below: the same order on both backends.
  auto rs = product_id ? c.query(std::string(kSelect) + " WHERE l.product_id = ?", {*product_id})
                       : c.query(std::string(kSelect), {});
  for (const auto& r : rs.rows) out.push_back(from(r));
  std::sort(out.begin(), out.end(), [](const LabResult& x, const LabResult& y) {
    if (x.tested_on != y.tested_on) return x.tested_on < y.tested_on;
    if (x.sample != y.sample) return x.sample < y.sample;
    return x.parameter < y.parameter;
  });
  return out;
}

std::optional<LabResult> LabRepository::find(Connection& c, const std::string& sample, const std::string& parameter) {
  auto rs = c.query(std::string(kSelect) + " WHERE l.sample = ? AND l.parameter = ?", {sample, parameter});
  if (rs.empty()) return std::nullopt;
  return from(rs.rows.front());
}

std::int64_t LabRepository::insert(Connection& c, const LabResult& r) {
  auto rs = c.query(
      "INSERT INTO ocop_lab_result (sample, product_id, lot, laboratory, tested_on, parameter, category, result_value, "
      "unit, limit_value, standard, illustrative, source, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {r.sample, r.product_id, r.lot, r.laboratory, r.tested_on.iso(), r.parameter, r.category, r.value, r.unit,
       r.limit, r.standard, std::int64_t{r.illustrative ? 1 : 0}, r.source, r.created_by, utc_now_iso()});
  return rs.rows.front().i64(std::size_t{0});
}

void LabRepository::update(Connection& c, std::int64_t id, const LabResult& r) {
  c.execute(
      "UPDATE ocop_lab_result SET product_id = ?, lot = ?, laboratory = ?, tested_on = ?, category = ?, "
      "result_value = ?, unit = ?, limit_value = ?, standard = ?, illustrative = ?, source = ? WHERE id = ?",
      {r.product_id, r.lot, r.laboratory, r.tested_on.iso(), r.category, r.value, r.unit, r.limit, r.standard,
       std::int64_t{r.illustrative ? 1 : 0}, r.source, id});
}

}  // namespace nongsan::ocop
