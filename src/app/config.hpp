// The one typed configuration. Every setting is declared once (config.cpp's
// table: name, environment variable, default, description); values come from
// defaults < config file < environment < command-line flags. `nongsan config`
// prints them, and docs/nongsan.example.conf documents each key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/civil_date.hpp"
#include "core/result.hpp"

namespace nongsan::app {

struct Config {
  std::string db = "var/nongsan.gpkg";  // .gpkg path or postgresql:// URL
  // A PostgreSQL streaming replica for read transactions (docs/adr/0016-replica-reads.md).
  std::string db_replica;
  std::int64_t db_replica_max_lag_bytes = 16 * 1024 * 1024;
  int db_replica_retry_s = 10;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_root;     // serve the UI from disk (development)
  std::string backup_dir;   // default: <db folder>/backups, or var/backups for PostgreSQL
  std::string raster_dir;   // default: <db folder>/rasters, or var/rasters for PostgreSQL
  std::string log_level = "info";
  bool secure_cookies = false;
  std::vector<std::string> trusted_proxies;  // addresses or CIDR blocks of reverse proxies
  int threads = 0;       // HTTP I/O threads
  int pool_threads = 0;  // HTTP handler pool
  int read_cache_mb = 64;  // the API's read cache of GET answers (docs/adr/0017-read-cache.md); 0: off
  // Limits on an imported file (geo::TableLimits): the file (an XLSX unpacked), one
  // column name, one value.
  int import_max_file_mb = 256;
  int import_max_column_name_bytes = 256;
  int import_max_cell_kb = 1024;
  // Rules officials may change (docs/rules.md §2, §5).
  CivilDate date_min{1900, 1, 1};            // dates of record outside [date_min, date_max] are refused
  CivilDate date_max{2100, 12, 31};
  double parcel_boundary_tolerance_m = 2.0;  // a parcel may cross its commune's boundary by this much
  double parcel_min_overlap_m2 = 1.0;        // a saved parcel overlapping another by more: a warning
  double unit_max_area_km2 = 25000;          // a larger imported unit is refused as implausible
  double unit_extent_margin_m = 1000;        // imported units lie within the province's extent grown by this
  // Targets (docs/rules.md §3): four eyes on approvals, and the plausible years.
  bool targets_four_eyes = true;
  int targets_year_min = 1900;
  int targets_year_max = 2100;
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
