#include "app/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "api/forwarded.hpp"
#include "core/number_input.hpp"
#include "core/text.hpp"
#include "storage/database.hpp"

namespace nongsan::app {

const std::vector<SettingInfo>& settings() {
  static const std::vector<SettingInfo> table = {
      {"db", "NONGSAN_DB", "var/nongsan.gpkg",
       "the database: a .gpkg file (created and migrated if absent) or a postgresql:// URL"},
      {"db_replica", "NONGSAN_DB_REPLICA", "",
       "a postgresql:// URL of a streaming replica of db that serves read transactions (docs/operations.md)"},
      {"db_replica_max_lag_bytes", "NONGSAN_DB_REPLICA_MAX_LAG_BYTES", "16777216",
       "a replica further behind the primary than this many bytes of WAL is not read from"},
      {"db_replica_retry_s", "NONGSAN_DB_REPLICA_RETRY_S", "10",
       "seconds before a replica that could not be reached is tried again"},
      {"host", "NONGSAN_HOST", "127.0.0.1", "address `serve` listens on"},
      {"port", "NONGSAN_PORT", "8080", "port `serve` listens on"},
      {"web_root", "NONGSAN_WEB_ROOT", "", "serve the web UI from this folder instead of the embedded copy"},
      {"backup_dir", "NONGSAN_BACKUP_DIR", "", "where backups go (default: backups/ beside the .gpkg, var/backups for PostgreSQL)"},
      {"raster_dir", "NONGSAN_RASTER_DIR", "",
       "folder the raster layers must lie in (default: rasters/ beside the .gpkg, var/rasters for PostgreSQL)"},
      {"log_level", "NONGSAN_LOG_LEVEL", "info", "trace, debug, info, warn, error"},
      {"secure_cookies", "NONGSAN_SECURE_COOKIES", "false", "mark session cookies Secure (set when served over HTTPS)"},
      {"trusted_proxies", "NONGSAN_TRUSTED_PROXIES", "",
       "reverse proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are "
       "believed"},
      {"threads", "NONGSAN_THREADS", "0", "HTTP I/O threads, which answer what never waits (0: one per core)"},
      {"pool_threads", "NONGSAN_POOL_THREADS", "0",
       "threads for the requests that may wait on the database (0: twice the cores, at least 4)"},
      {"read_cache_mb", "NONGSAN_READ_CACHE_MB", "64",
       "MiB of GET answers the server keeps until the data changes (the page of parcels, a review); 0: off"},
      {"import.max_file_mb", "NONGSAN_IMPORT_MAX_FILE_MB", "256",
       "largest file an import reads, in MiB (a CSV or .dbf as stored, an XLSX unpacked)"},
      {"import.max_column_name_bytes", "NONGSAN_IMPORT_MAX_COLUMN_NAME_BYTES", "256",
       "longest column name an imported table may have, in bytes"},
      {"import.max_cell_kb", "NONGSAN_IMPORT_MAX_CELL_KB", "1024",
       "longest value (a WKT cell included) an imported table may hold, in KiB"},
      {"date_min", "NONGSAN_DATE_MIN", "1900-01-01",
       "the earliest date of record the registry and the imports accept (docs/rules.md §2)"},
      {"date_max", "NONGSAN_DATE_MAX", "2100-12-31", "the latest date of record they accept"},
      {"parcel_boundary_tolerance_m", "NONGSAN_PARCEL_BOUNDARY_TOLERANCE_M", "2",
       "metres a parcel may reach across the boundary of its commune (digitising noise; docs/rules.md §5)"},
      {"parcel_min_overlap_m2", "NONGSAN_PARCEL_MIN_OVERLAP_M2", "1",
       "saving a parcel that overlaps another by more than this (m²) answers with a warning (docs/rules.md §5)"},
      {"unit_max_area_km2", "NONGSAN_UNIT_MAX_AREA_KM2", "25000",
       "an imported administrative unit larger than this (km²) is refused as implausible"},
      {"unit_extent_margin_m", "NONGSAN_UNIT_EXTENT_MARGIN_M", "1000",
       "imported units must lie within the province's boundary box grown by this many metres"},
      {"targets_four_eyes", "NONGSAN_TARGETS_FOUR_EYES", "true",
       "the officer who approves an observation must not be the one who entered or submitted it"},
      {"targets_year_min", "NONGSAN_TARGETS_YEAR_MIN", "1900", "earliest year a programme, target or observation may name"},
      {"targets_year_max", "NONGSAN_TARGETS_YEAR_MAX", "2100", "latest year a programme, target or observation may name"},
      {"login_free_failures", "NONGSAN_LOGIN_FREE_FAILURES", "5",
       "failed logins for one user name from one client address before each further attempt waits"},
      {"login_client_free_failures", "NONGSAN_LOGIN_CLIENT_FREE_FAILURES", "20",
       "failed logins from one client address (any user names) before each further attempt waits"},
      {"login_delay_s", "NONGSAN_LOGIN_DELAY_S", "30", "the first wait in seconds; it doubles with each further failure"},
      {"login_max_delay_s", "NONGSAN_LOGIN_MAX_DELAY_S", "900", "the longest wait in seconds"},
      {"login_window_s", "NONGSAN_LOGIN_WINDOW_S", "86400", "failed logins older than this (seconds) are forgotten"},
  };
  return table;
}

std::string Config::effective_backup_dir() const {
  if (!backup_dir.empty()) return backup_dir;
  if (storage::is_postgres_url(db)) return "var/backups";
  auto parent = std::filesystem::path(db).parent_path();
  return (parent.empty() ? std::filesystem::path("backups") : parent / "backups").string();
}

std::string Config::effective_raster_dir() const {
  if (!raster_dir.empty()) return raster_dir;
  if (storage::is_postgres_url(db)) return "var/rasters";
  auto parent = std::filesystem::path(db).parent_path();
  return (parent.empty() ? std::filesystem::path("rasters") : parent / "rasters").string();
}

Status set_value(Config& c, const std::string& key, const std::string& value) {
  auto as_int = [&](int& out, NumberRange range = NumberRange::int32()) -> Status {
    auto v = parse_integer(value, range, key);
    if (!v) return Error::invalid("bad setting", v.error().fields);
    out = static_cast<int>(*v);
    return {};
  };
  if (key == "db") c.db = value;
  else if (key == "db_replica") {
    if (!value.empty() && !storage::is_postgres_url(value))
      return Error::invalid("bad setting", {{key, "must be a postgresql:// URL"}});
    c.db_replica = value;
  } else if (key == "db_replica_max_lag_bytes") {
    auto v = parse_integer(value, NumberRange::int64(0, std::int64_t{1} << 40), key);
    if (!v) return Error::invalid("bad setting", v.error().fields);
    c.db_replica_max_lag_bytes = *v;
  } else if (key == "db_replica_retry_s") return as_int(c.db_replica_retry_s, NumberRange::int32(1, 3600));
  else if (key == "host") c.host = value;
  else if (key == "port") return as_int(c.port, NumberRange::int32(0, 65535));
  else if (key == "web_root") c.web_root = value;
  else if (key == "backup_dir") c.backup_dir = value;
  else if (key == "raster_dir") c.raster_dir = value;
  else if (key == "log_level") {
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(std::begin(kLevels), std::end(kLevels), value) == std::end(kLevels))
      return Error::invalid("bad setting", {{key, "must be trace, debug, info, warn, error, critical or off"}});
    c.log_level = value;
  }
  else if (key == "secure_cookies") c.secure_cookies = value == "true" || value == "1" || value == "yes";
  else if (key == "import.max_file_mb" || key == "import.max_column_name_bytes" || key == "import.max_cell_kb") {
    int& target = key == "import.max_file_mb" ? c.import_max_file_mb
                  : key == "import.max_column_name_bytes" ? c.import_max_column_name_bytes
                                                          : c.import_max_cell_kb;
    int v = 0;
    if (auto s = as_int(v); !s) return s;
    if (v < 1) return Error::invalid("bad setting", {{key, "must be a positive integer"}});
    target = v;
  } else if (key == "date_min" || key == "date_max") {
    auto d = CivilDate::parse(value);
    if (!d) return Error::invalid("bad setting", {{key, "must be a date (YYYY-MM-DD)"}});
    (key == "date_min" ? c.date_min : c.date_max) = *d;
    if (c.date_max < c.date_min) return Error::invalid("bad setting", {{key, "date_max must not be before date_min"}});
  } else if (key == "parcel_boundary_tolerance_m" || key == "unit_max_area_km2" || key == "unit_extent_margin_m" ||
             key == "parcel_min_overlap_m2") {
    auto v = parse_number(value, /*vietnamese_first=*/false);
    if (!v || !(*v >= 0) || *v > 1e7) return Error::invalid("bad setting", {{key, "must be a number, 0 or more"}});
    (key == "parcel_boundary_tolerance_m" ? c.parcel_boundary_tolerance_m
     : key == "parcel_min_overlap_m2"     ? c.parcel_min_overlap_m2
     : key == "unit_max_area_km2"         ? c.unit_max_area_km2
                                          : c.unit_extent_margin_m) = *v;
  } else if (key == "targets_four_eyes") {
    if (value != "true" && value != "false" && value != "1" && value != "0" && value != "yes" && value != "no")
      return Error::invalid("bad setting", {{key, "must be true or false"}});
    c.targets_four_eyes = value == "true" || value == "1" || value == "yes";
  } else if (key == "targets_year_min" || key == "targets_year_max") {
    int& target = key == "targets_year_min" ? c.targets_year_min : c.targets_year_max;
    if (auto s = as_int(target); !s) return s;
    if (target < 1 || target > 9999) return Error::invalid("bad setting", {{key, "must be a year from 1 to 9999"}});
  } else if (key == "trusted_proxies") {
    auto list = api::split_list(value);
    if (auto p = api::TrustedProxies::parse(list); !p) return p.error();
    c.trusted_proxies = std::move(list);
  } else if (key == "threads") return as_int(c.threads, NumberRange::int32(0, 1024));
  else if (key == "pool_threads") return as_int(c.pool_threads, NumberRange::int32(0, 1024));
  else if (key == "read_cache_mb") return as_int(c.read_cache_mb, NumberRange::int32(0, 65536));
  else if (key == "login_free_failures") return as_int(c.login_free_failures, NumberRange::int32(1, 1000));
  else if (key == "login_client_free_failures") return as_int(c.login_client_free_failures, NumberRange::int32(1, 100000));
  else if (key == "login_delay_s") return as_int(c.login_delay_s, NumberRange::int32(0, 86400));
  else if (key == "login_max_delay_s") return as_int(c.login_max_delay_s, NumberRange::int32(0, 7 * 86400));
  else if (key == "login_window_s") return as_int(c.login_window_s, NumberRange::int32(60, 365 * 86400));
  else return Error::invalid("unknown setting", {{key, "is not a setting; see `nongsan config`"}});
  return {};
}

Result<Config> load_config(const std::string& file_arg) {
  Config c;
  std::string file = file_arg;
  if (file.empty())
    if (const char* f = std::getenv("NONGSAN_CONFIG")) file = f;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Error::invalid("cannot read the config file", {{"config", file + " cannot be opened"}});
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::string t = trim(line);
      if (t.empty() || t[0] == '#') continue;
      auto eq = t.find('=');
      if (eq == std::string::npos)
        return Error::invalid("bad config file", {{file + " line " + std::to_string(n), "expected key = value"}});
      if (auto s = set_value(c, trim(t.substr(0, eq)), trim(t.substr(eq + 1))); !s) {
        auto e = s.error();
        for (auto& f : e.fields) f.field = file + " line " + std::to_string(n) + ": " + f.field;
        return e;
      }
    }
  }
  for (const auto& s : settings())
    if (const char* v = std::getenv(s.env.c_str()); v && *v)
      if (auto st = set_value(c, s.key, v); !st) return st.error();
  if (c.targets_year_min > c.targets_year_max)
    return Error::invalid("bad setting", {{"targets_year_min", "is after targets_year_max"}});
  return c;
}

}  // namespace nongsan::app
