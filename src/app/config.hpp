// The one typed configuration. Every setting is declared once (config.cpp's
// table: name, environment variable, default, description); values come from
// defaults < config file < environment < command-line flags. `nongsan config`
// prints them, and docs/nongsan.example.conf documents each key.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::app {

struct Config {
  std::string db = "var/nongsan.gpkg";  // .gpkg path or postgresql:// URL
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_root;     // serve the UI from disk (development)
  std::string backup_dir;   // default: <db folder>/backups, or var/backups for PostgreSQL
  std::string raster_dir;   // default: <db folder>/rasters, or var/rasters for PostgreSQL
  std::string log_level = "info";
  bool secure_cookies = false;
  int threads = 0;
  // Targets (docs/rules.md §3): four eyes on approvals, and the plausible years.
  bool targets_four_eyes = true;
  int targets_year_min = 1900;
  int targets_year_max = 2100;

  std::string effective_backup_dir() const;
  std::string effective_raster_dir() const;
};

struct SettingInfo {
  std::string key;
  std::string env;
  std::string default_value;
  std::string description;
};
const std::vector<SettingInfo>& settings();

// Applies a `key = value` file (# comments), then NONGSAN_* environment variables.
// `file` may be empty (then NONGSAN_CONFIG names it, if set).
Result<Config> load_config(const std::string& file);
Status set_value(Config& c, const std::string& key, const std::string& value);

}  // namespace nongsan::app
