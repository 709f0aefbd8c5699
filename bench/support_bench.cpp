// Support cross-checks at a province's scale: `nongsan check claims` against the same
// checks written as PostGIS queries (bench/support_postgis.sql), on the same data in the
// same PostgreSQL database, in the same run. Prints the times, the ratio, where
// nongsan's time goes (loader and engine, in this process), and whether the two found
// exactly the same findings and amounts.
//
//   support_bench --pg URL --nongsan BIN --policies FILE.json --sql FILE.sql
//                 [--parcels N] [--applications M] [--seed S] [--repeat R] [--pg-pid PID] [--keep]
//                 [--in-process]
//
// --keep uses the data loaded by an earlier run; --in-process (implies --keep) times only
// nongsan's loader and engine in this process, e.g. under `perf record`.
//
// bench/support_bench.sh starts the throw-away cluster and passes these. The data
// (generated here, loaded with COPY; the policies are the shipped
// data/laichau/policies.json, imported with `nongsan import policies`):
//  - a cadastre of N parcels (default 1,000,000): a tessellation of lots about 52 × 47 m
//    on a jittered grid in VN-2000 / TM-3 103-00 around Lai Châu, each edge drawn with two
//    intermediate vertices shared exactly by both neighbours (a topologically clean
//    cadastre, 12 vertices a lot), stored in EPSG:4326 as the registry keeps it; 0.3 %
//    of lots drawn a second time over their neighbours (double claims in the cadastre);
//    1 % redrawn on 2025-06-01 (the old boundary in the history);
//  - zones of 40 × 40 lots with their crop and period (some over each other), owners by
//    blocks of 2 × 2 lots (about N/4 households, some registered twice or sharing a phone
//    or a bank account), leases and contributions to cooperatives and enterprises, sales,
//    plantings following the zones, suitability classes for tea and Shan tuyết tea;
//  - M applications filed in 2025 (default 200,000) and M/10 in 2024 under one-time
//    policies, 1–4 parcels each or counted items, in every status, with payments; abuse
//    planted: over-declared areas, land of a neighbour, the same land claimed twice,
//    tea and macadamia or rice and conversion support on one parcel, claims across the
//    two years, payments before acceptance or above the approved amount.
//
// Times are wall clock, best of --repeat; CPU seconds of nongsan (the child process)
// and of the PostgreSQL cluster (--pg-pid) are printed beside them. A plain main: this
// is a comparison run, not a kernel micro-benchmark.
#include <dirent.h>
#include <libpq-fe.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/registry/natural_sort.hpp"

#include "modules/support/claim_checks.hpp"
#include "modules/support/claim_facts.hpp"
#include "storage/database.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds of a PostgreSQL cluster: its postmaster, its live children and (through
// cutime/cstime) the children it reaped. 0 without a pid.
double cluster_cpu(long postmaster) {
  if (postmaster <= 0) return 0;
  auto fields = [](long pid, long& ppid, double& own, double& reaped) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(f, line)) return false;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream in(line.substr(close + 2));
    std::vector<std::string> t;
    for (std::string w; in >> w;) t.push_back(w);
    if (t.size() < 15) return false;
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    ppid = std::stol(t[1]);
    own = (std::stod(t[11]) + std::stod(t[12])) / tick;
    reaped = (std::stod(t[13]) + std::stod(t[14])) / tick;
    return true;
  };
  long ppid = 0;
  double own = 0, reaped = 0;
  if (!fields(postmaster, ppid, own, reaped)) return 0;
  double total = own + reaped;
  if (DIR* d = opendir("/proc")) {
    while (const dirent* e = readdir(d)) {
      if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
      const long pid = std::strtol(e->d_name, nullptr, 10);
      if (pid != postmaster && fields(pid, ppid, own, reaped) && ppid == postmaster) total += own + reaped;
    }
    closedir(d);
  }
  return total;
}

// splitmix64 of a key: the same world from the same seed on every machine.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
struct Rng {
  std::uint64_t s;
  std::uint64_t next() { return mix(s++); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return uniform() < p; }
};
double unit_hash(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t salt) {
  return static_cast<double>(mix(seed ^ mix(a * 0x100000001b3ULL ^ mix(b ^ (salt << 56)))) >> 11) * 0x1.0p-53;
}

// ---- PostgreSQL ---------------------------------------------------------------------

struct Pg {
  PGconn* c = nullptr;
  explicit Pg(const std::string& url) : c(PQconnectdb(url.c_str())) {
    if (PQstatus(c) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(c));
  }
  ~Pg() { PQfinish(c); }
  void exec(const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    std::string err = PQresultErrorMessage(r);
    PQclear(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error("SQL: " + err);
  }
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      std::string err = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("SQL: " + err);
    }
    std::vector<std::vector<std::string>> out(static_cast<std::size_t>(PQntuples(r)));
    for (int i = 0; i < PQntuples(r); ++i)
      for (int j = 0; j < PQnfields(r); ++j) out[static_cast<std::size_t>(i)].push_back(PQgetvalue(r, i, j));
    PQclear(r);
    return out;
  }
};

// COPY … FROM STDIN in text format. One COPY at a time on a connection: a table
// written while another one streams collects its rows first (`deferred`) and is sent
// by end() when its turn comes.
class Copy {
 public:
  Copy(Pg& pg, const std::string& table_and_columns, bool deferred = false)
      : pg_(pg), table_(table_and_columns), deferred_(deferred) {
    if (!deferred_) start();
  }
  template <typename... T>
  void row(const T&... cells) {
    bool first = true;
    ((buf_ += (first ? "" : "\t"), buf_ += cell(cells), first = false), ...);
    buf_ += '\n';
    if (!deferred_ && buf_.size() > (1 << 20)) flush();
  }
  void end() {
    if (deferred_) start();
    flush();
    if (PQputCopyEnd(pg_.c, nullptr) != 1) throw std::runtime_error("COPY end failed");
    PGresult* r = PQgetResult(pg_.c);
    const auto st = PQresultStatus(r);
    std::string err = PQresultErrorMessage(r);
    PQclear(r);
    if (st != PGRES_COMMAND_OK) throw std::runtime_error("COPY: " + err);
  }
  static std::string null() { return "\\N"; }

 private:
  void start() {
    PGresult* r = PQexec(pg_.c, ("COPY " + table_ + " FROM STDIN").c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) {
      std::string err = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("COPY " + table_ + ": " + err);
    }
    PQclear(r);
  }
  static std::string cell(const std::string& s) { return s; }
  static std::string cell(const char* s) { return s; }
  static std::string cell(std::int64_t v) { return std::to_string(v); }
  static std::string cell(int v) { return std::to_string(v); }
  static std::string cell(double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
  }
  void flush() {
    if (!buf_.empty() && PQputCopyData(pg_.c, buf_.data(), static_cast<int>(buf_.size())) != 1)
      throw std::runtime_error(std::string("COPY data: ") + PQerrorMessage(pg_.c));
    buf_.clear();
  }
  Pg& pg_;
  std::string table_;
  bool deferred_;
  std::string buf_;
};

// ---- the cadastre -------------------------------------------------------------------

constexpr double kOriginX = 470000, kOriginY = 2440000;  // Lai Châu, EPSG:9205 metres
constexpr double kStepX = 52, kStepY = 47;
constexpr int kZoneLots = 40;

struct P {
  double x, y;
};

struct World {
  std::uint64_t seed = 1;
  int nx = 1000, ny = 1000;
  std::size_t lots = 0;

  P node(int i, int j) const {
    return {kOriginX + i * kStepX + (unit_hash(seed, i, j, 1) - 0.5) * 14,
            kOriginY + j * kStepY + (unit_hash(seed, i, j, 2) - 0.5) * 12};
  }
  // The two intermediate vertices of the edge from node a to node b (horizontal edges
  // keyed by their west node, vertical ones by their south node), off the straight line.
  void edge(int i, int j, bool horizontal, bool reversed, std::vector<P>& out) const {
    P a = node(i, j), b = horizontal ? node(i + 1, j) : node(i, j + 1);
    const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
    P m[2];
    for (int k = 0; k < 2; ++k) {
      const double t = (k + 1) / 3.0, off = (unit_hash(seed, i * 2 + horizontal, j, 3 + k) - 0.5) * 4;
      m[k] = {a.x + t * dx - off * dy / len, a.y + t * dy + off * dx / len};
    }
    if (reversed) std::swap(m[0], m[1]);
    out.push_back(m[0]);
    out.push_back(m[1]);
  }
  std::vector<P> ring(std::size_t lot) const {
    const int i = static_cast<int>(lot % static_cast<std::size_t>(nx)), j = static_cast<int>(lot / static_cast<std::size_t>(nx));
    std::vector<P> r;
    r.reserve(13);
    r.push_back(node(i, j));
    edge(i, j, true, false, r);
    r.push_back(node(i + 1, j));
    edge(i + 1, j, false, false, r);
    r.push_back(node(i + 1, j + 1));
    edge(i, j + 1, true, true, r);
    r.push_back(node(i, j + 1));
    edge(i, j, false, true, r);
    r.push_back(r.front());
    return r;
  }
};

double area_of(const std::vector<P>& r) {
  double s = 0;
  for (std::size_t k = 0; k + 1 < r.size(); ++k) s += r[k].x * r[k + 1].y - r[k + 1].x * r[k].y;
  return std::abs(s) / 2;
}

std::vector<P> shifted(std::vector<P> r, double dx, double dy) {
  for (auto& p : r) p = {p.x + dx, p.y + dy};
  return r;
}
std::vector<P> scaled(std::vector<P> r, double s) {
  double cx = 0, cy = 0;
  for (std::size_t k = 0; k + 1 < r.size(); ++k) cx += r[k].x, cy += r[k].y;
  cx /= static_cast<double>(r.size() - 1);
  cy /= static_cast<double>(r.size() - 1);
  for (auto& p : r) p = {cx + (p.x - cx) * s, cy + (p.y - cy) * s};
  return r;
}

// EWKB (hex) of a polygon in EPSG:9205, for COPY into a staging table.
std::string ewkb(const std::vector<P>& r) {
  static const char* hex = "0123456789ABCDEF";
  std::vector<std::uint8_t> w(1 + 4 + 4 + 4 + 4 + r.size() * 16);
  const std::uint32_t type = 3 | 0x20000000, srid = 9205, rings = 1, points = static_cast<std::uint32_t>(r.size());
  w[0] = 1;
  std::memcpy(&w[1], &type, 4);
  std::memcpy(&w[5], &srid, 4);
  std::memcpy(&w[9], &rings, 4);
  std::memcpy(&w[13], &points, 4);
  for (std::size_t k = 0; k < r.size(); ++k) {
    std::memcpy(&w[17 + 16 * k], &r[k].x, 8);
    std::memcpy(&w[25 + 16 * k], &r[k].y, 8);
  }
  std::string s(w.size() * 2, '0');
  for (std::size_t k = 0; k < w.size(); ++k) {
    s[2 * k] = hex[w[k] >> 4];
    s[2 * k + 1] = hex[w[k] & 15];
  }
  return s;
}

std::string date(int y, int m, int d) {
  char b[48];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}
// A day of `year` (0–364), as ISO text.
std::string day_of(int year, int n) {
  static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  n = std::clamp(n, 0, 364);
  while (n >= len[m]) n -= len[m++];
  return date(year, m + 1, n + 1);
}
std::string plus_days(const std::string& iso, int n) {
  int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
  static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int doy = d - 1;
  for (int k = 0; k < m - 1; ++k) doy += len[k];
  doy += n;
  while (doy >= 365) doy -= 365, ++y;
  while (doy < 0) doy += 365, --y;
  return day_of(y, doy);
}

// ---- the data -----------------------------------------------------------------------

struct Options {
  std::string pg, nongsan, policies, sql;
  std::size_t parcels = 1'000'000, applications = 200'000;
  std::uint64_t seed = 752;
  int repeat = 1;
  long pg_pid = 0;
  bool keep = false;        // the data is loaded already
  bool in_process = false;  // only the loader and the engine in this process (for a profiler)
};

const char* kCrops[] = {"tea", "macadamia", "rice", "tea_shan_tuyet", "citrus", "maize"};

struct Load {
  std::size_t parcels = 0, extra = 0, redrawn = 0, zones = 0, producers = 0, rights = 0, plantings = 0, apps = 0,
              items = 0, payments = 0;
};

Load load(Pg& pg, const Options& o) {
  World w;
  w.seed = o.seed;
  w.nx = 1000;
  w.ny = static_cast<int>((o.parcels + 999) / 1000);
  w.lots = o.parcels;
  Rng rnd{o.seed * 31 + 7};
  Load n;
  const std::string now = "2026-01-01T00:00:00Z";
  auto lot_ij = [&](std::size_t lot) { return std::make_pair(static_cast<int>(lot % 1000), static_cast<int>(lot / 1000)); };

  // Zones on a grid of 40 × 40 lots.
  struct Zone {
    int i0, j0, i1, j1;
    std::string crop;
  };
  std::vector<Zone> zones;
  std::map<std::pair<int, int>, std::string> zone_crop;  // zone cell → crop
  {
    Copy z(pg, "zone_stage (id, code, commodity, period_from, period_to, g)");
    for (int zj = 0; zj * kZoneLots < w.ny; ++zj)
      for (int zi = 0; zi * kZoneLots < w.nx; ++zi) {
        if (!rnd.chance(0.45)) continue;
        const double u = rnd.uniform();
        std::string crop = u < 0.35 ? "tea" : u < 0.6 ? "macadamia" : u < 0.85 ? "rice" : u < 0.93 ? "tea_shan_tuyet" : "citrus";
        zone_crop[{zi, zj}] = crop;
        Zone zz{zi * kZoneLots + static_cast<int>(rnd.below(4)), zj * kZoneLots + static_cast<int>(rnd.below(4)),
                std::min(w.nx, (zi + 1) * kZoneLots - static_cast<int>(rnd.below(4))),
                std::min(w.ny, (zj + 1) * kZoneLots - static_cast<int>(rnd.below(4))), crop};
        auto add = [&](const Zone& x, const std::string& from, const std::string& to) {
          P a = w.node(x.i0, x.j0), b = w.node(x.i1, x.j1);
          // Offsets of a few metres, so that zone boundaries cut through lots.
          std::vector<P> r = {{a.x + 7, a.y + 5}, {b.x - 3, a.y + 5}, {b.x - 3, b.y - 9}, {a.x + 7, b.y - 9}, {a.x + 7, a.y + 5}};
          const std::int64_t id = static_cast<std::int64_t>(zones.size()) + 1;
          z.row(id, "VSX-" + std::to_string(id), x.crop, from, to.empty() ? Copy::null() : to, ewkb(r));
          zones.push_back(x);
        };
        const bool fresh = rnd.chance(0.1);
        add(zz, fresh ? "2025-07-01" : "2021-01-01", fresh ? "" : "2030-12-31");
        if (rnd.chance(0.04)) {  // an extension drawn over half of it, same crop
          Zone ext = zz;
          ext.i0 += kZoneLots / 2;
          ext.i1 = std::min(w.nx, ext.i1 + kZoneLots / 2);
          add(ext, "2024-01-01", "");
        }
      }
    z.end();
    pg.exec("INSERT INTO zone (id, code, name, commodity, period_from, period_to, status, created_at, updated_at, geom) "
            "SELECT id, code, 'Vùng ' || code, commodity, period_from, period_to, 'active', '', '', "
            "ST_Multi(ST_Transform(g, 4326)) FROM zone_stage");
    n.zones = zones.size();
  }
  auto crop_of_lot = [&](std::size_t lot) -> std::string {
    auto [i, j] = lot_ij(lot);
    auto it = zone_crop.find({i / kZoneLots, j / kZoneLots});
    if (it != zone_crop.end() && unit_hash(o.seed, lot, 0, 9) < 0.85) return it->second;
    return kCrops[static_cast<std::size_t>(unit_hash(o.seed, lot, 0, 10) * 6)];
  };

  // Producers: a household per block of 2 × 2 lots; cooperatives and enterprises.
  const std::int64_t households = static_cast<std::int64_t>((w.nx / 2) * ((w.ny + 1) / 2));
  const std::int64_t coops = 300, enterprises = 80;
  // Whether a lot lies well inside a zone of its own crop, and is S1 or S2 for tea.
  auto in_zone_of_crop = [&](std::size_t lot) {
    auto [i, j] = lot_ij(lot);
    auto it = zone_crop.find({i / kZoneLots, j / kZoneLots});
    const int li = i % kZoneLots, lj = j % kZoneLots;
    return it != zone_crop.end() && it->second == crop_of_lot(lot) && li >= 4 && lj >= 4 && li < kZoneLots - 4 &&
           lj < kZoneLots - 4;
  };
  auto suitable = [&](std::size_t lot) {
    auto [i, j] = lot_ij(lot);
    double u = unit_hash(o.seed, i / 10, j / 10, 30);
    if (unit_hash(o.seed, lot, 0, 32) < 0.1) u = unit_hash(o.seed, lot, 0, 34);
    return u <= 0.98 && u / 0.98 * 12 < 9;
  };
  auto household_of = [&](std::size_t lot) {
    auto [i, j] = lot_ij(lot);
    return static_cast<std::int64_t>((j / 2) * (w.nx / 2) + i / 2) + 1;
  };
  {
    Copy p(pg, "producer (id, external_id, kind, name, name_folded, citizen_id_hash, phone, bank_account, created_at, updated_at)");
    char buf[64];
    for (std::int64_t id = 1; id <= households + coops + enterprises; ++id) {
      const bool hh = id <= households;
      const std::string kind = hh ? (unit_hash(o.seed, id, 0, 11) < 0.02 ? "farm" : "household")
                                  : id <= households + coops ? "cooperative" : "enterprise";
      // Some people registered twice: the same citizen ID as the next household.
      std::int64_t person = hh && unit_hash(o.seed, id, 0, 12) < 0.003 ? id + 1 : id;
      std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(mix(o.seed ^ (person * 977))));
      std::string cid = hh ? buf : "";
      std::string phone, bank;
      if (unit_hash(o.seed, id, 0, 13) < 0.6) {
        std::int64_t owner = unit_hash(o.seed, id, 0, 14) < 0.002 ? id + 7 : id;
        std::snprintf(buf, sizeof buf, "09%08llu", static_cast<unsigned long long>(mix(owner * 13) % 100000000ULL));
        phone = buf;
      }
      if (unit_hash(o.seed, id, 0, 15) < 0.3) {
        std::int64_t owner = unit_hash(o.seed, id, 0, 16) < 0.001 ? id + 3 : id;
        std::snprintf(buf, sizeof buf, "%012llu", static_cast<unsigned long long>(mix(owner * 17) % 1000000000000ULL));
        bank = buf;
      }
      std::string ext = (hh ? "HH" : id <= households + coops ? "HTX" : "DN") + std::to_string(id);
      p.row(id, ext, kind, "Hộ " + std::to_string(id), "ho " + std::to_string(id), cid, phone, bank, now, now);
    }
    p.end();
    n.producers = static_cast<std::size_t>(households + coops + enterprises);
  }

  // Parcels (staged in EPSG:9205, stored in EPSG:4326), the history of redrawn ones,
  // double claims, rights and plantings.
  std::vector<std::size_t> extra_of;  // extra parcel k is drawn over lot extra_of[k]
  {
    Copy p(pg, "parcel_stage (id, external_id, area_m2, g)");
    Copy h(pg, "history_stage (parcel_id, area_m2, g)", true);
    for (std::size_t lot = 0; lot < w.lots; ++lot) {
      auto r = w.ring(lot);
      const std::int64_t id = static_cast<std::int64_t>(lot) + 1;
      if (unit_hash(o.seed, lot, 0, 20) < 0.01) {  // redrawn on 2025-06-01: 2 % smaller now
        h.row(id, area_of(r), ewkb(r));
        r = scaled(r, 0.99);
        ++n.redrawn;
      }
      p.row(id, "T" + std::to_string(id), area_of(r), ewkb(r));
    }
    const std::size_t extra = w.lots * 3 / 1000;
    for (std::size_t k = 0; k < extra; ++k) {
      const std::size_t lot = rnd.below(w.lots);
      const double dx = rnd.uniform(5, 20) * (rnd.chance(0.5) ? 1 : -1), dy = rnd.uniform(5, 20) * (rnd.chance(0.5) ? 1 : -1);
      auto r = shifted(w.ring(lot), dx, dy);
      p.row(static_cast<std::int64_t>(w.lots + k) + 1, "X" + std::to_string(k + 1), area_of(r), ewkb(r));
      extra_of.push_back(lot);
    }
    p.end();
    h.end();
    pg.exec("INSERT INTO parcel (id, external_id, area_m2, valid_from, created_at, updated_at, geom) "
            "SELECT id, external_id, area_m2, '2015-01-01', '', '', ST_Multi(ST_Transform(g, 4326)) FROM parcel_stage");
    // The natural sort keys the registry's import writes (registry/natural_sort.hpp):
    // without them the first open of the database fills them one parcel at a time, a
    // one-off of a minute at this size that would be timed as part of the check.
    {
      Copy k(pg, "sort_key_stage (id, external_id_key, empty_key)");
      for (std::size_t lot = 0; lot < w.lots; ++lot)
        k.row(static_cast<std::int64_t>(lot) + 1, nongsan::registry::natural_sort_key("T" + std::to_string(lot + 1)),
              nongsan::registry::natural_sort_key(""));
      for (std::size_t e = 0; e < extra; ++e)
        k.row(static_cast<std::int64_t>(w.lots + e) + 1, nongsan::registry::natural_sort_key("X" + std::to_string(e + 1)),
              nongsan::registry::natural_sort_key(""));
      k.end();
    }
    pg.exec("UPDATE parcel p SET external_id_key = k.external_id_key, sheet_no_key = k.empty_key, "
            "parcel_no_key = k.empty_key FROM sort_key_stage k WHERE k.id = p.id");
    pg.exec("INSERT INTO parcel_geometry_history (parcel_id, valid_from, valid_to, area_m2, geom) "
            "SELECT parcel_id, '2015-01-01', '2025-05-31', area_m2, ST_Multi(ST_Transform(g, 4326)) FROM history_stage");
    n.parcels = w.lots;
    n.extra = extra;
  }
  {
    Copy r(pg, "land_right (parcel_id, producer_id, kind, valid_from, valid_to, document)");
    for (std::size_t lot = 0; lot < w.lots + extra_of.size(); ++lot) {
      const std::int64_t id = static_cast<std::int64_t>(lot) + 1;
      const std::int64_t owner = lot < w.lots ? household_of(lot) : 1 + static_cast<std::int64_t>(rnd.below(static_cast<std::size_t>(households)));
      const double u = unit_hash(o.seed, lot, 0, 21);
      if (u < 0.01) {  // sold on 2025-05-01
        r.row(id, owner, "owner", "2010-01-01", "2025-04-30", "");
        r.row(id, 1 + (owner % households), "owner", "2025-05-01", Copy::null(), "");
      } else {
        r.row(id, owner, "owner", "2010-01-01", Copy::null(), "");
      }
      if (u > 0.97) {  // leased to an enterprise or a cooperative
        r.row(id, households + 1 + static_cast<std::int64_t>(lot % static_cast<std::size_t>(coops + enterprises)), "lessee",
              "2022-01-01", "2027-12-31", "");
      } else if (u > 0.96) {
        r.row(id, households + 1 + static_cast<std::int64_t>(lot % static_cast<std::size_t>(coops)), "contributed",
              "2023-06-01", Copy::null(), "");
      }
      n.rights += 1;
    }
    r.end();
    Copy pl(pg, "planting (parcel_id, crop, start_date, end_date, planted_area_m2, perennial, created_at)");
    for (std::size_t lot = 0; lot < w.lots + extra_of.size(); ++lot) {
      const std::int64_t id = static_cast<std::int64_t>(lot) + 1;
      const std::size_t base = lot < w.lots ? lot : extra_of[lot - w.lots];
      const std::string crop = crop_of_lot(base);
      const std::string start = day_of(2016 + static_cast<int>(unit_hash(o.seed, lot, 0, 22) * 8),
                                       static_cast<int>(unit_hash(o.seed, lot, 0, 23) * 365));
      if (unit_hash(o.seed, lot, 0, 24) < 0.03) {  // another crop from 2025-03-01
        pl.row(id, crop, start, "2025-02-28", 1000.0, 1, now);
        pl.row(id, kCrops[(lot + 1) % 6], "2025-03-01", Copy::null(), 1000.0, 1, now);
      } else {
        pl.row(id, crop, start, Copy::null(), 1000.0, 1, now);
      }
      ++n.plantings;
    }
    pl.end();
    Copy s(pg, "parcel_suitability (run_id, crop, parcel_id, dominant_class)");
    static const char* classes[] = {"S1", "S1", "S1", "S1", "S1", "S2", "S2", "S2", "S2", "S3", "S3", "N"};
    for (std::size_t lot = 0; lot < w.lots + extra_of.size(); ++lot) {
      const std::size_t base = lot < w.lots ? lot : extra_of[lot - w.lots];
      auto [i, j] = lot_ij(base);
      for (int crop = 0; crop < 2; ++crop) {
        double u = unit_hash(o.seed, i / 10, j / 10, 30 + crop);
        if (unit_hash(o.seed, lot, 0, 32 + crop) < 0.1) u = unit_hash(o.seed, lot, 0, 34 + crop);
        if (u > 0.98) continue;  // not evaluated
        s.row(crop + 1, crop == 0 ? "tea" : "tea_shan_tuyet", static_cast<std::int64_t>(lot) + 1,
              classes[static_cast<int>(u / 0.98 * 12)]);
      }
    }
    s.end();
  }

  // Applications: 2025, and 2024 under one-time policies.
  auto policy_for = [&](const std::string& crop, Rng& r) -> std::string {
    if (crop == "tea") return "NQ07-CHE";
    if (crop == "tea_shan_tuyet") return "NQ07-CHE-SHAN";
    if (crop == "macadamia") return "NQ07-MACCA";
    if (crop == "rice") return r.chance(0.9) ? "NQ07-LUA" : "NQ07-CHUYENDOI";
    if (crop == "citrus") return "NQ07-CAYANQUA";
    return "NQ07-CO";
  };
  static const std::map<std::string, double> rates = {
      {"NQ07-CHE", 18e6},   {"NQ07-CHE-SHAN", 20e6}, {"NQ07-MACCA", 12e6}, {"NQ07-LUA", 1.5e6},
      {"NQ07-CHUYENDOI", 10e6}, {"NQ07-CAYANQUA", 10e6}, {"NQ07-CO", 8e6},  {"NQ07-ONG", 700000},
      {"NQ07-GIONG-GS", 5e6}, {"NQ07-CHUONG", 40e6},  {"NQ07-CALONG", 300000}, {"NQ07-DIALAN", 20e6}};
  const std::size_t m25 = o.applications, m24 = o.applications / 10, total = m25 + m24;
  std::vector<std::size_t> codes(total);
  for (std::size_t k = 0; k < total; ++k) codes[k] = k + 1;
  for (std::size_t k = total; k > 1; --k) std::swap(codes[k - 1], codes[rnd.below(k)]);
  Copy a(pg, "support_application (id, code, policy_code, applicant_id, filed, accepted, status, approved_amount, source, "
             "created_at, updated_at)");
  Copy it(pg, "support_application_item (application_id, seq, parcel_id, quantity)", true);
  Copy pay(pg, "support_payment (application_id, payment_date, amount, kind, funding_source, created_at)", true);
  std::vector<std::pair<std::int64_t, std::string>> claimed24;  // (parcel, policy) claimed in 2024
  std::int64_t app_id = 0;
  auto lot_area_ha = [&](std::int64_t parcel) {
    const std::size_t lot = static_cast<std::size_t>(parcel - 1);
    auto r = lot < w.lots ? w.ring(lot) : shifted(w.ring(extra_of[lot - w.lots]), 0, 0);
    double a0 = area_of(r);
    if (lot < w.lots && unit_hash(o.seed, lot, 0, 20) < 0.01) a0 = area_of(scaled(r, 0.99));
    return a0 / 10000.0;
  };
  auto status_of = [&]() -> std::string {
    const double u = rnd.uniform();
    return u < 0.12 ? "submitted" : u < 0.22 ? "verified" : u < 0.32 ? "appraised" : u < 0.45 ? "accepted"
         : u < 0.65 ? "approved" : u < 0.9 ? "paid" : u < 0.97 ? "rejected" : "recovered";
  };
  char code[32], qty[32];
  auto add_app = [&](int year, std::int64_t applicant, const std::string& policy,
                     const std::vector<std::pair<std::int64_t, double>>& items) {
    const std::int64_t id = ++app_id;
    std::snprintf(code, sizeof code, "HS%07zu", codes[static_cast<std::size_t>(id - 1)]);
    const std::string filed = day_of(year, static_cast<int>(rnd.below(365)));
    const std::string status = status_of();
    const bool after = status == "accepted" || status == "approved" || status == "paid" || status == "recovered";
    std::string accepted = after || rnd.chance(0.02) ? plus_days(filed, 30 + static_cast<int>(rnd.below(120))) : "";
    double sum = 0;
    for (const auto& [p, q] : items) sum += q;
    const bool approved = status == "approved" || status == "paid" || status == "recovered";
    const std::int64_t amount = static_cast<std::int64_t>(rates.at(policy) * sum / 1000) * 1000;
    a.row(id, std::string(code), policy, applicant, filed, accepted.empty() ? Copy::null() : accepted, status,
          approved ? std::to_string(amount) : Copy::null(), "bench", "", "");
    int seq = 0;
    for (const auto& [p, q] : items) {
      std::snprintf(qty, sizeof qty, "%.4f", q);
      it.row(id, ++seq, p > 0 ? std::to_string(p) : Copy::null(), std::string(qty));
      ++n.items;
    }
    const bool paid = status == "paid" || status == "recovered";
    if ((paid && !accepted.empty()) || rnd.chance(0.01)) {
      std::string when = !accepted.empty() && !rnd.chance(0.03) ? plus_days(accepted, 10 + static_cast<int>(rnd.below(50)))
                                                                 : plus_days(filed, 20);
      pay.row(id, when, amount > 0 ? amount : 1000000, "payment", "provincial_budget", "");
      ++n.payments;
      if (rnd.chance(0.02)) {
        pay.row(id, plus_days(when, 30), 2'000'000, "payment", "provincial_budget", "");
        ++n.payments;
      }
      if (status == "recovered") {
        pay.row(id, plus_days(when, 90), amount / 3, "recovery", "provincial_budget", "");
        ++n.payments;
      }
    }
    ++n.apps;
  };
  auto area_app = [&](int year, std::int64_t household, bool one_time_only) {
    // The household's lots (its 2 × 2 block), those of the first lot's crop.
    const std::int64_t b = household - 1;
    const int bi = static_cast<int>(b % (w.nx / 2)), bj = static_cast<int>(b / (w.nx / 2));
    std::vector<std::size_t> mine;
    for (int dj = 0; dj < 2; ++dj)
      for (int di = 0; di < 2; ++di) {
        const std::size_t lot = static_cast<std::size_t>((bj * 2 + dj) * w.nx + bi * 2 + di);
        if (lot < w.lots) mine.push_back(lot);
      }
    if (mine.empty()) return;
    // Most households claim land that qualifies: not leased out, in a zone of its crop
    // for the zone policies, suitable for tea; a few do not (the abuse the checks find).
    const bool honest = rnd.chance(0.9);
    auto tea = [&](std::size_t lot) { return crop_of_lot(lot) == "tea" || crop_of_lot(lot) == "tea_shan_tuyet"; };
    if (honest)
      mine.erase(std::remove_if(mine.begin(), mine.end(), [&](std::size_t lot) {
                   return unit_hash(o.seed, lot, 0, 21) > 0.96 || (tea(lot) && !suitable(lot));
                 }), mine.end());
    if (mine.empty()) return;
    const std::string crop = crop_of_lot(mine.front());
    std::string policy = policy_for(crop, rnd);
    const bool zoned = in_zone_of_crop(mine.front());
    if (honest && !zoned) policy = crop == "rice" ? "NQ07-CHUYENDOI" : crop == "citrus" ? "NQ07-CAYANQUA" : "NQ07-CO";
    if (honest && zoned)
      mine.erase(std::remove_if(mine.begin() + 1, mine.end(), [&](std::size_t lot) { return !in_zone_of_crop(lot); }),
                 mine.end());
    if (one_time_only && (policy == "NQ07-LUA" || policy == "NQ07-CO")) policy = "NQ07-CHUYENDOI";
    std::vector<std::pair<std::int64_t, double>> items;
    const std::size_t k = 1 + rnd.below(mine.size());
    for (std::size_t x = 0; x < k; ++x) {
      if (crop_of_lot(mine[x]) != crop && x > 0) continue;
      const std::int64_t parcel = static_cast<std::int64_t>(mine[x]) + 1;
      const double area = lot_area_ha(parcel);
      double q = area * rnd.uniform(0.6, 1.0);
      if (rnd.chance(0.02)) q = area * rnd.uniform(1.06, 1.5);  // over-declared
      items.push_back({parcel, std::max(0.0001, q)});
    }
    if (rnd.chance(0.015)) {  // a neighbour's lot as well
      const std::int64_t parcel = static_cast<std::int64_t>((mine.front() + 2) % w.lots) + 1;
      items.push_back({parcel, lot_area_ha(parcel) * 0.8});
    }
    add_app(year, household, policy, items);
    if (year == 2024) claimed24.push_back({items.front().first, policy});
    if (year == 2025 && rnd.chance(0.01)) {  // the same land claimed by another household
      const std::int64_t other = 1 + static_cast<std::int64_t>(rnd.below(static_cast<std::size_t>(households)));
      add_app(2025, other, policy, {{items.front().first, items.front().second * 0.9}});
    }
    if (year == 2025 && rnd.chance(0.005)) {  // exclusive support on the same parcel
      const std::string other = policy == "NQ07-LUA" ? "NQ07-CHUYENDOI" : policy == "NQ07-MACCA" ? "NQ07-CHE" : "";
      if (!other.empty()) add_app(2025, household, other, {{items.front().first, items.front().second}});
    }
  };
  auto counted_app = [&](int year) {
    const double u = rnd.uniform();
    const std::string policy = u < 0.4 ? "NQ07-ONG" : u < 0.65 ? "NQ07-GIONG-GS" : u < 0.8 ? "NQ07-CHUONG"
                             : u < 0.9 ? "NQ07-CALONG" : "NQ07-DIALAN";
    const double q = policy == "NQ07-ONG" ? 5 + rnd.below(60) : policy == "NQ07-GIONG-GS" ? 1 + rnd.below(14)
                   : policy == "NQ07-CALONG" ? 20 + rnd.below(200) : 1 + rnd.below(2);
    add_app(year, 1 + static_cast<std::int64_t>(rnd.below(static_cast<std::size_t>(households))), policy, {{0, q}});
  };
  // One area application per household and year: households in a random order, the
  // first ones for 2024, the next ones for 2025.
  std::vector<std::int64_t> order(static_cast<std::size_t>(households));
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int64_t>(k) + 1;
  for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rnd.below(k)]);
  std::size_t next_household = 0;
  auto household = [&]() { return order[next_household++ % order.size()]; };
  while (app_id < static_cast<std::int64_t>(m24)) area_app(2024, household(), true);
  // Double claims in the cadastre, claimed by the owner of the lot drawn twice.
  for (std::size_t k = 0; k < extra_of.size() && app_id < static_cast<std::int64_t>(total); k += 2) {
    const std::int64_t parcel = static_cast<std::int64_t>(w.lots + k) + 1;
    add_app(2025, household_of(extra_of[k]), policy_for(crop_of_lot(extra_of[k]), rnd),
            {{parcel, lot_area_ha(parcel) * 0.9}});
  }
  // 2024's one-time claims claimed again.
  for (std::size_t k = 0; k < claimed24.size() && app_id < static_cast<std::int64_t>(total); k += 20)
    add_app(2025, 1 + static_cast<std::int64_t>(rnd.below(static_cast<std::size_t>(households))), claimed24[k].second,
            {{claimed24[k].first, lot_area_ha(claimed24[k].first) * 0.7}});
  while (app_id < static_cast<std::int64_t>(total)) {
    if (rnd.chance(0.75)) area_app(2025, household(), false);
    else counted_app(2025);
  }
  a.end();
  it.end();
  pay.end();
  return n;
}

// ---- nongsan, and PostGIS -------------------------------------------------------------

// Runs a command; returns (wall seconds, CPU seconds of the child) or throws.
std::pair<double, double> run(const std::string& cmd) {
  rusage before{}, after{};
  getrusage(RUSAGE_CHILDREN, &before);
  auto t0 = Clock::now();
  int rc = std::system(cmd.c_str());
  double wall = seconds_since(t0);
  getrusage(RUSAGE_CHILDREN, &after);
  if (rc != 0) throw std::runtime_error("failed (" + std::to_string(rc) + "): " + cmd);
  auto sec = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  return {wall, sec(after) - sec(before)};
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The condition language (docs/support.md) as an SQL expression over the facts'
// columns: the only translation the PostGIS version needs.
std::string condition_sql(const std::string& text) {
  std::string out;
  std::size_t k = 0;
  std::string prev;
  while (k < text.size()) {
    const char ch = text[k];
    if (std::isspace(static_cast<unsigned char>(ch))) { ++k; continue; }
    if (ch == '"') {
      std::string s;
      for (++k; k < text.size() && text[k] != '"'; ++k) {
        if (text[k] == '\\' && k + 1 < text.size()) ++k;
        s += text[k] == '\'' ? std::string("''") : std::string(1, text[k]);
      }
      ++k;
      out += " '" + s + "'";
      prev = "value";
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      std::size_t e = k;
      while (e < text.size() && (std::isdigit(static_cast<unsigned char>(text[e])) || text[e] == '.')) ++e;
      out += " " + text.substr(k, e - k) + "::float8";
      k = e;
      prev = "value";
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_') {
      std::size_t e = k;
      while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_')) ++e;
      std::string word = text.substr(k, e - k);
      k = e;
      if (word == "and" || word == "or" || word == "not" || word == "in") out += " " + std::string(word == "and" ? "AND" : word == "or" ? "OR" : word == "not" ? "NOT" : "IN");
      else if (word == "true" || word == "false") out += " " + std::string(word == "true" ? "TRUE" : "FALSE");
      else out += " f." + word;
      prev = word;
      continue;
    }
    if (ch == '[') { out += " ("; ++k; continue; }
    if (ch == ']') { out += ")"; ++k; continue; }
    if (text.compare(k, 2, "==") == 0) { out += " ="; k += 2; continue; }
    if (text.compare(k, 2, "!=") == 0) { out += " <>"; k += 2; continue; }
    if (text.compare(k, 2, "<=") == 0 || text.compare(k, 2, ">=") == 0) { out += " " + text.substr(k, 2); k += 2; continue; }
    out += std::string(" ") + ch;
    ++k;
  }
  return out;
}

using Row = std::vector<std::string>;  // finding, application, other_application, parcel

std::vector<Row> nongsan_findings(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);  // header
  std::vector<Row> out;
  while (std::getline(f, line)) {
    Row r;
    std::size_t start = 0;
    for (int c = 0; c < 4; ++c) {
      std::size_t comma = line.find(',', start);
      r.push_back(line.substr(start, comma - start));
      start = comma + 1;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, std::string> nongsan_amounts(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::map<std::string, std::string> out;
  while (std::getline(f, line)) {
    auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    out[line.substr(0, c1)] = line.substr(c1 + 1, c2 - c1 - 1);
  }
  return out;
}

double own_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Where nongsan's time goes, in this process: the loader (its reads, then the geometry)
// and the engine; wall and CPU seconds.
int in_process(const Options& o) {
  auto database = nongsan::storage::open_database(o.pg);
  auto t0 = Clock::now();
  const double c0 = own_cpu();
  double geometry_from = 0, geometry_cpu = 0;
  auto input = database->read([&](nongsan::storage::Connection& c) {
    nongsan::support::ClaimLoadOptions lo;
    lo.year = 2025;
    lo.database = database.get();  // the reads side by side, as `nongsan check claims` does
    lo.progress = [&](std::string_view, std::size_t, std::size_t) {
      if (geometry_from == 0) geometry_from = seconds_since(t0), geometry_cpu = own_cpu();
    };
    return nongsan::support::load_claim_input(c, lo);
  });
  if (!input) throw std::runtime_error(input.error().message);
  const double loaded = seconds_since(t0), loaded_cpu = own_cpu();
  auto t1 = Clock::now();
  auto result = nongsan::support::run_claim_checks(*input);
  if (!result) throw std::runtime_error(result.error().message);
  std::printf("  in this process, wall (CPU): reads %.2f s (%.2f s), geometry %.2f s (%.2f s), rules %.2f s (%.2f s); "
              "%zu cases, %zu overlaps of claimed parcels, %zu findings\n",
              geometry_from, geometry_cpu - c0, loaded - geometry_from, loaded_cpu - geometry_cpu, seconds_since(t1),
              own_cpu() - loaded_cpu, input->cases.size(), input->overlaps.size(), result->findings.size());
  return 0;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    auto next = [&]() -> std::string {
      if (k + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++k];
    };
    if (a == "--pg") o.pg = next();
    else if (a == "--nongsan") o.nongsan = next();
    else if (a == "--policies") o.policies = next();
    else if (a == "--sql") o.sql = next();
    else if (a == "--parcels") o.parcels = std::stoul(next());
    else if (a == "--applications") o.applications = std::stoul(next());
    else if (a == "--seed") o.seed = std::stoull(next());
    else if (a == "--repeat") o.repeat = std::stoi(next());
    else if (a == "--pg-pid") o.pg_pid = std::stol(next());
    else if (a == "--keep") o.keep = true;
    else if (a == "--in-process") o.keep = o.in_process = true;
    else throw std::runtime_error("unknown option " + a);
  }
  if (o.pg.empty() || o.nongsan.empty() || o.policies.empty() || o.sql.empty())
    throw std::runtime_error("usage: support_bench --pg URL --nongsan BIN --policies FILE --sql FILE [options]");
  return o;
}

int run(const Options& o) {
  const std::string db = "'" + o.pg + "'";
  Pg pg(o.pg);
  if (!o.keep) {
    std::printf("data: %zu parcels, %zu applications filed in 2025 (and %zu in 2024), seed %llu\n", o.parcels,
                o.applications, o.applications / 10, static_cast<unsigned long long>(o.seed));
    run(o.nongsan + " migrate --db " + db + " >/dev/null 2>&1");
    run(o.nongsan + " import policies --db " + db + " '" + o.policies + "' >/dev/null 2>&1");
    auto t0 = Clock::now();
    // PostGIS 3.3 ships no EPSG:9205 (VN-2000 / TM-3 103-00, 2019): the queries need it,
    // taken from PROJ by its authority code (nongsan transforms with PROJ itself).
    pg.exec("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) VALUES (9205, 'EPSG', 9205, "
            "'', '+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
            "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 "
            "+units=m +no_defs') ON CONFLICT DO NOTHING");
    pg.exec("CREATE UNLOGGED TABLE sort_key_stage (id bigint, external_id_key text, empty_key text);"
            "CREATE UNLOGGED TABLE parcel_stage (id bigint, external_id text, area_m2 float8, g geometry);"
            "CREATE UNLOGGED TABLE history_stage (parcel_id bigint, area_m2 float8, g geometry);"
            "CREATE UNLOGGED TABLE zone_stage (id bigint, code text, commodity text, period_from date, period_to date, g geometry);"
            "INSERT INTO suitability_run (id, crop, profile_version, run_at) VALUES (1, 'tea', 1, ''), (2, 'tea_shan_tuyet', 1, '')");
    pg.exec("BEGIN");
    Load n = load(pg, o);
    pg.exec("COMMIT");
    pg.exec("DROP TABLE sort_key_stage, parcel_stage, history_stage, zone_stage");
    for (const char* t : {"producer", "parcel", "parcel_geometry_history", "land_right", "planting", "zone",
                          "suitability_run", "parcel_suitability", "support_application", "support_application_item",
                          "support_payment"})
      pg.exec(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), (SELECT max(id) FROM " + t + "))");
    pg.exec("VACUUM ANALYZE");
    std::printf("loaded in %.0f s: %zu lots and %zu drawn twice (%zu redrawn in 2025), %zu zones, %zu producers, "
                "%zu applications with %zu items, %zu payments\n",
                seconds_since(t0), n.parcels, n.extra, n.redrawn, n.zones, n.producers, n.apps, n.items, n.payments);
  }
  std::fflush(stdout);

  if (o.in_process) return in_process(o);

  // nongsan, end to end: `check claims` opens the database, loads the year, checks it,
  // and stores the run (findings and every amount with its trace) before printing.
  const std::string csv = "/tmp/support_bench_" + std::to_string(getpid()) + ".csv";
  const std::string amounts = "/tmp/support_bench_" + std::to_string(getpid()) + "_amounts.csv";
  double best = 1e300, best_cpu = 0;
  for (int r = 0; r < o.repeat; ++r) {
    auto [wall, cpu] = run(o.nongsan + " check claims --db " + db + " --year 2025 --format csv --out " + csv + " 2>/dev/null");
    std::printf("nongsan check claims: %.2f s (CPU %.2f s)\n", wall, cpu);
    if (wall < best) best = wall, best_cpu = cpu;
  }
  std::fflush(stdout);
  run(o.nongsan + " support evaluate --db " + db + " --year 2025 --format csv --out " + amounts + " 2>/dev/null");

  in_process(o);

  // PostGIS.
  std::string sql = slurp(o.sql);
  std::string conditions = "CASE";
  for (const auto& r : pg.rows("SELECT code, version, conditions FROM support_policy ORDER BY code, version")) {
    const std::string cond = r[2].empty() ? "TRUE" : "(" + condition_sql(r[2]) + ")";
    conditions += " WHEN f.policy_code = '" + r[0] + "' AND f.version = '" + r[1] + "' THEN " + cond;
  }
  conditions += " ELSE TRUE END";
  auto fill = [&](const std::string& key, const std::string& value) {
    for (std::size_t at; (at = sql.find(key)) != std::string::npos;) sql.replace(at, key.size(), value);
  };
  fill("{Y0}", "2025-01-01");
  fill("{Y1}", "2025-12-31");
  fill("{MIN_OVERLAP}", "1.0");
  fill("{CONDITIONS}", conditions);
  double pg_best = 1e300, pg_cpu_best = 0;
  for (int r = 0; r < o.repeat; ++r) {
    const double cpu0 = cluster_cpu(o.pg_pid);
    auto t0 = Clock::now();
    pg.exec(sql);
    const double wall = seconds_since(t0), cpu = cluster_cpu(o.pg_pid) - cpu0;
    std::printf("PostGIS queries:      %.2f s (cluster CPU %.2f s)\n", wall, cpu);
    if (wall < pg_best) pg_best = wall, pg_cpu_best = cpu;
    std::fflush(stdout);
  }

  // The same findings and amounts?
  auto ours = nongsan_findings(csv);
  std::vector<Row> theirs = pg.rows("SELECT finding, application, other_application, parcel FROM pg_finding");
  std::sort(ours.begin(), ours.end());
  std::sort(theirs.begin(), theirs.end());
  std::map<std::string, std::pair<int, int>> kinds;
  for (const auto& r : ours) ++kinds[r[0]].first;
  for (const auto& r : theirs) ++kinds[r[0]].second;
  std::printf("findings (nongsan / PostGIS):");
  for (const auto& [k, v] : kinds) std::printf(" %s %d/%d", k.c_str(), v.first, v.second);
  std::printf("\n");
  std::vector<Row> only_ours, only_theirs;
  std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(), std::back_inserter(only_ours));
  std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(), std::back_inserter(only_theirs));
  for (std::size_t k = 0; k < only_ours.size() && k < 10; ++k)
    std::printf("  only nongsan:  %s,%s,%s,%s\n", only_ours[k][0].c_str(), only_ours[k][1].c_str(), only_ours[k][2].c_str(),
                only_ours[k][3].c_str());
  for (std::size_t k = 0; k < only_theirs.size() && k < 10; ++k)
    std::printf("  only PostGIS: %s,%s,%s,%s\n", only_theirs[k][0].c_str(), only_theirs[k][1].c_str(),
                only_theirs[k][2].c_str(), only_theirs[k][3].c_str());
  auto our_amounts = nongsan_amounts(amounts);
  std::size_t amount_rows = 0, amount_diff = 0;
  for (const auto& r : pg.rows("SELECT application, amount FROM pg_amount")) {
    ++amount_rows;
    auto itr = our_amounts.find(r[0]);
    if (itr == our_amounts.end() || itr->second != r[1]) {
      if (amount_diff < 10)
        std::printf("  amount of %s: nongsan %s, PostGIS %s\n", r[0].c_str(),
                    itr == our_amounts.end() ? "-" : itr->second.c_str(), r[1].c_str());
      ++amount_diff;
    }
  }
  const bool same = only_ours.empty() && only_theirs.empty() && amount_diff == 0 && amount_rows == our_amounts.size();
  std::printf("%s: %zu findings, %zu amounts (%zu differ)\n", same ? "same findings and amounts" : "DIFFERENT",
              ours.size(), amount_rows, amount_diff);
  std::printf("nongsan %.2f s (CPU %.2f s), PostGIS %.2f s (cluster CPU %.2f s): nongsan %.1f× faster\n", best, best_cpu,
              pg_best, pg_cpu_best, pg_best / best);
  std::remove(csv.c_str());
  std::remove(amounts.c_str());
  return same ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint16_t probe = 1;
  if (*reinterpret_cast<const std::uint8_t*>(&probe) != 1) {
    std::fprintf(stderr, "support_bench: needs a little-endian machine\n");
    return 2;
  }
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "support_bench: %s\n", e.what());
    return 2;
  }
}
