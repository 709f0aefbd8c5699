#include "modules/suitability/suitability_format.hpp"

#include <cstdio>
#include <filesystem>

namespace nongsan::suitability {

std::string fmt_ha(double m2) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", m2 / 10000.0);
  return b;
}

std::string fmt_share(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

nlohmann::json ha_json(const ClassM2& m2) {
  return {{"S1", m2[1] / 1e4}, {"S2", m2[2] / 1e4}, {"S3", m2[3] / 1e4}, {"N", m2[4] / 1e4}, {"nodata", m2[0] / 1e4}};
}

ClassM2 to_m2(const ClassAreas& a) {
  ClassM2 m{};
  for (int i = 0; i < kClassCount; ++i) m[static_cast<std::size_t>(i)] = a.m2[static_cast<std::size_t>(i)];
  return m;
}

std::string data_hash(const std::string& profile, const LayerSet& layers) {
  std::uint64_t h = 1469598103934665603ull;
  auto add = [&](const std::string& s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  };
  add(profile);
  for (const auto& l : layers.layers) {
    add(l.name);
    add(l.path);
    std::error_code ec;
    auto p = layers.path_of(l);
    const std::filesystem::path file = p ? *p : std::filesystem::path();
    add(std::to_string(std::filesystem::file_size(file, ec)));
    auto t = std::filesystem::last_write_time(file, ec);
    add(std::to_string(t.time_since_epoch().count()));
  }
  char b[20];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

}  // namespace nongsan::suitability
