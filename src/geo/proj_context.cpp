#include "geo/proj_context.hpp"

namespace nongsan::geo {

ProjContext::ProjContext() : ctx_(proj_context_create()) { proj_log_func(ctx_, this, &ProjContext::on_log); }

ProjContext::~ProjContext() {
  for (auto& [key, op] : ops_)
    if (op) proj_destroy(*op);
  proj_context_destroy(ctx_);
}

void ProjContext::on_log(void* self, int level, const char* message) {
  if (level == PJ_LOG_ERROR && message) static_cast<ProjContext*>(self)->last_log_ = message;
}

std::string ProjContext::last_message() {
  const int err = proj_context_errno(ctx_);
  if (!last_log_.empty()) return last_log_;
  if (err) return proj_context_errno_string(ctx_, err);
  return "PROJ gave no reason";
}

Result<PJ*> ProjContext::operation(int from, int to) {
  if (auto it = ops_.find({from, to}); it != ops_.end()) return it->second;
  last_log_.clear();
  const std::string a = "EPSG:" + std::to_string(from), b = "EPSG:" + std::to_string(to);
  Result<PJ*> out = Error::invalid("no transformation from " + a + " to " + b);
  if (PJ* raw = proj_create_crs_to_crs(ctx_, a.c_str(), b.c_str(), nullptr)) {
    PJ* normalized = proj_normalize_for_visualization(ctx_, raw);
    proj_destroy(raw);
    if (normalized) out = normalized;
  }
  if (!out) out = Error::invalid("no transformation from " + a + " to " + b + ": " + last_message());
  ops_.emplace(std::pair{from, to}, out);
  return out;
}

Result<double> ProjContext::metres_per_unit(int srid) {
  if (auto it = units_.find(srid); it != units_.end()) return it->second;
  last_log_.clear();
  const std::string code = "EPSG:" + std::to_string(srid);
  auto measure = [&]() -> Result<double> {
    PJ* crs = proj_create(ctx_, code.c_str());
    if (!crs) return Error::invalid("unknown CRS " + code + ": " + last_message());
    if (proj_get_type(crs) != PJ_TYPE_PROJECTED_CRS) {
      proj_destroy(crs);
      return Error::invalid(code + " is not a projected CRS; areas need one in metres, such as EPSG:9205");
    }
    PJ* cs = proj_crs_get_coordinate_system(ctx_, crs);
    double factor = 0;
    const int ok =
        cs ? proj_cs_get_axis_info(ctx_, cs, 0, nullptr, nullptr, nullptr, &factor, nullptr, nullptr, nullptr) : 0;
    if (cs) proj_destroy(cs);
    proj_destroy(crs);
    if (!ok || !(factor > 0)) return Error::invalid("cannot read the axis unit of " + code);
    return factor;
  };
  return units_.emplace(srid, measure()).first->second;
}

ProjContext& proj() {
  thread_local ProjContext t;
  return t;
}

}  // namespace nongsan::geo
