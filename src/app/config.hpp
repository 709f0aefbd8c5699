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
  std::vector<std::string> trusted_proxies;  // addresses or CIDR blocks of reverse proxies
  int threads = 0;
  // Login throttling (docs/rules.md §9; identity/login_throttle.hpp).
  int login_free_failures = 5;
  int login_client_free_failures = 20;
  int login_delay_s = 30;
  int login_max_delay_s = 900;
  int login_window_s = 86400;

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
