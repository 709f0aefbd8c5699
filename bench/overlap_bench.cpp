// Parcel overlap check: our engine (geo::find_overlaps) against PostGIS's self-join
// on the same generated cadastre, in the same run. Prints times, ratios, and whether
// the two found exactly the same pairs with the same areas.
//
//   overlap_bench [--parcels N] [--seed S] [--vertex-every M] [--thresholds 500,1] [--repeat R]
//                 [--threads T] [--pg URL] [--pg-pid PID] [--variants] [--single N]
//
// --single N: the live check instead of the whole-registry one. Builds the
// geo::OverlapIndex of every parcel, then edits N parcels chosen from the seed (each
// moved by up to 3 m, as an official redrawing a boundary) and times, per parcel,
// OverlapIndex::overlaps (the check the registry runs on save, the parcel itself
// excluded) and OverlapIndex::put (the index kept up to date after the save); with
// --pg, also PostGIS's answer to the same question on the same data (ST_Intersects
// over the GiST index + ST_Area(ST_Intersection), a prepared statement with the
// edited geometry as a binary parameter), and compares the answers parcel by parcel.
// Median and p99 of each.
//
// Without --pg only our engine runs. bench/overlap_bench.sh starts a throw-away
// PostgreSQL + PostGIS cluster and passes --pg, and --pg-pid (its postmaster) so that
// the cluster's CPU time can be printed beside the wall-clock time. Times are the
// best of --repeat runs. A plain main (no BENCHMARK macros):
// this is a comparison run, not a kernel micro-benchmark.
//
// The data: a tessellation of lots 30–60 m wide and 30–80 m deep in rows (so edges of
// one row meet the next in T-junctions), in VN-2000 / TM-3 103-00 metres (EPSG:9205)
// around Lai Châu, each lot digitised on its own with a vertex every ≤ 10 m (or
// --vertex-every; 100 gives corners only, 4 vertices a lot) and ±1.5 m
// of uniform noise on every vertex, rounded to millimetres — so every shared edge is
// drawn twice with independent noise and neighbours overlap by thin slivers, as in a
// digitised cadastre. Then 1 % double claims: an exact copy of a lot, the lot
// digitised again (fresh noise), or the lot shifted by up to half its size.
#include <dirent.h>
#include <libpq-fe.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "geo/overlap_check.hpp"
#include "geo/overlap_index.hpp"

namespace {

using nongsan::geo::OverlapOptions;
using nongsan::geo::OverlapPair;
using nongsan::geo::ParcelShape;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds (user + system) this process has used, all threads.
double own_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// CPU seconds used by a PostgreSQL cluster: its postmaster, its live children, and
// (through the postmaster's cutime/cstime) the children it has reaped, such as the
// parallel workers of a finished query. 0 without a pid. On a shared machine CPU
// time is steadier than wall-clock time.
double cluster_cpu(long postmaster) {
  if (postmaster <= 0) return 0;
  auto fields = [](long pid, long& ppid, double& own, double& reaped) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(f, line)) return false;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return false;
    std::vector<std::string> t;
    std::string word;
    for (std::size_t i = close + 2; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ' ') {
        t.push_back(word);
        word.clear();
      } else {
        word += line[i];
      }
    }
    if (t.size() < 15) return false;  // t[0] is field 3 (state)
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    ppid = std::stol(t[1]);
    own = (std::stod(t[11]) + std::stod(t[12])) / tick;
    reaped = (std::stod(t[13]) + std::stod(t[14])) / tick;
    return true;
  };
  long ppid = 0;
  double own = 0, reaped = 0, total = 0;
  if (!fields(postmaster, ppid, own, reaped)) return 0;
  total = own + reaped;
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

// splitmix64: the same parcels from the same seed on every machine and library.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform(double a, double b) { return a + (b - a) * (static_cast<double>(next() >> 11) * 0x1.0p-53); }
};

constexpr int kSrid = 9205;
constexpr double kNoise = 1.5;                           // metres, each side of a shared edge on its own
constexpr double kOriginX = 520000, kOriginY = 2440000;  // Lai Châu, VN-2000 TM-3 103-00

double mm(double v) { return std::round(v * 1000.0) / 1000.0; }

// A closed ring (x, y, x, y, ...) around the rectangle, counter-clockwise, with a
// vertex at least every `vertex_every` metres and noise on every vertex.
std::vector<double> noisy_ring(Rng& r, double x0, double y0, double x1, double y1, double vertex_every) {
  std::vector<double> out;
  const double cx[4] = {x0, x1, x1, x0}, cy[4] = {y0, y0, y1, y1};
  for (int side = 0; side < 4; ++side) {
    const double ax = cx[side], ay = cy[side], bx = cx[(side + 1) % 4], by = cy[(side + 1) % 4];
    const int k = std::max(1, static_cast<int>(std::ceil(std::hypot(bx - ax, by - ay) / vertex_every)));
    for (int i = 0; i < k; ++i) {
      const double t = static_cast<double>(i) / k;
      out.push_back(mm(ax + t * (bx - ax) + r.uniform(-kNoise, kNoise)));
      out.push_back(mm(ay + t * (by - ay) + r.uniform(-kNoise, kNoise)));
    }
  }
  out.push_back(out[0]);
  out.push_back(out[1]);
  return out;
}

std::vector<std::uint8_t> polygon_wkb(const std::vector<double>& ring) {
  std::vector<std::uint8_t> w(1 + 4 + 4 + 4 + ring.size() * 8);
  const std::uint32_t type = 3, rings = 1, points = static_cast<std::uint32_t>(ring.size() / 2);
  w[0] = 1;  // little-endian, as is every machine this runs on (checked in main)
  std::memcpy(&w[1], &type, 4);
  std::memcpy(&w[5], &rings, 4);
  std::memcpy(&w[9], &points, 4);
  std::memcpy(&w[13], ring.data(), ring.size() * 8);
  return w;
}

struct Cadastre {
  std::vector<ParcelShape> parcels;
  std::size_t lots = 0, copies = 0, redrawn = 0, shifted = 0, vertices = 0;
  double width = 0, height = 0;
};

Cadastre generate(std::size_t n, std::uint64_t seed, int id_width, double vertex_every) {
  Rng r{seed};
  Cadastre c;
  const std::size_t claims = n / 100;
  c.lots = n - claims;
  c.width = std::sqrt(static_cast<double>(c.lots) * 45 * 55);  // a square block of average lots
  c.parcels.reserve(n);
  // Each ring goes straight into its parcel's WKB (at 10 million parcels, keeping the
  // rings as well would double the memory the data takes before the check starts).
  auto add = [&](std::vector<std::uint8_t> wkb) {
    // Zero-padded, so that string order is number order.
    std::string id = std::to_string(c.parcels.size() + 1);
    id.insert(0, id.size() < static_cast<std::size_t>(id_width) ? id_width - id.size() : 0, '0');
    c.vertices += (wkb.size() - 13) / 16 - 1;
    c.parcels.push_back(ParcelShape{std::move(id), {std::move(wkb), kSrid}});
  };
  std::vector<std::array<double, 4>> boxes;
  boxes.reserve(c.lots);
  double y = kOriginY;
  while (boxes.size() < c.lots) {
    const double depth = r.uniform(30, 80);
    for (double x = kOriginX; boxes.size() < c.lots && x < kOriginX + c.width - 1e-6;) {
      double w = r.uniform(30, 60);
      if (x + w + 30 > kOriginX + c.width) w = kOriginX + c.width - x;  // the row's last lot takes the rest
      boxes.push_back({x, y, x + w, y + depth});
      add(polygon_wkb(noisy_ring(r, x, y, x + w, y + depth, vertex_every)));
      x += w;
    }
    y += depth;
  }
  c.height = y - kOriginY;
  for (std::size_t k = 0; k < claims; ++k) {
    const std::size_t lot = r.next() % c.lots;
    const auto& b = boxes[lot];
    switch (r.next() % 3) {
      case 0:
        add(c.parcels[lot].geom.wkb);
        ++c.copies;
        break;
      case 1:
        add(polygon_wkb(noisy_ring(r, b[0], b[1], b[2], b[3], vertex_every)));
        ++c.redrawn;
        break;
      default: {
        const double dx = r.uniform(-0.5, 0.5) * (b[2] - b[0]), dy = r.uniform(-0.5, 0.5) * (b[3] - b[1]);
        add(polygon_wkb(noisy_ring(r, b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy, vertex_every)));
        ++c.shifted;
      }
    }
  }
  return c;
}

// ---------------------------------------------------------------------------
// PostgreSQL, through libpq.

struct PgDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, PgDeleter>;
using Res = std::unique_ptr<PGresult, PgDeleter>;

Res exec(PGconn* c, const std::string& sql) {
  Res r(PQexec(c, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(sql.substr(0, 80) + ": " + PQerrorMessage(c));
  return r;
}

std::string value(PGconn* c, const std::string& sql) {
  auto r = exec(c, sql);
  return PQntuples(r.get()) > 0 ? PQgetvalue(r.get(), 0, 0) : "";
}

void load(PGconn* c, const Cadastre& data) {
  exec(c, "SET client_min_messages = warning");
  exec(c, "DROP TABLE IF EXISTS bench_parcels");
  exec(c, "CREATE TABLE bench_parcels (id integer PRIMARY KEY, geom geometry(Polygon, 9205) NOT NULL)");
  {
    Res copy(PQexec(c, "COPY bench_parcels (id, geom) FROM STDIN"));
    if (PQresultStatus(copy.get()) != PGRES_COPY_IN)
      throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
  }
  static const char* hex = "0123456789ABCDEF";
  std::string buf;
  for (const auto& p : data.parcels) {
    buf += std::to_string(std::stoul(p.id));
    buf += '\t';
    // EWKB with SRID: type | 0x20000000, then the SRID, then the body.
    const auto& w = p.geom.wkb;
    std::vector<std::uint8_t> e(w.begin(), w.begin() + 5);
    std::uint32_t type;
    std::memcpy(&type, &w[1], 4);
    type |= 0x20000000u;
    std::memcpy(&e[1], &type, 4);
    const std::uint32_t srid = kSrid;
    e.resize(9);
    std::memcpy(&e[5], &srid, 4);
    e.insert(e.end(), w.begin() + 5, w.end());
    for (std::uint8_t b : e) {
      buf += hex[b >> 4];
      buf += hex[b & 15];
    }
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) throw std::runtime_error(PQerrorMessage(c));
      buf.clear();
    }
  }
  if (!buf.empty() && PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1)
    throw std::runtime_error(PQerrorMessage(c));
  if (PQputCopyEnd(c, nullptr) != 1) throw std::runtime_error(PQerrorMessage(c));
  Res r(PQgetResult(c));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
  while (Res more{PQgetResult(c)}) {
  }
  exec(c, "CREATE INDEX bench_parcels_geom ON bench_parcels USING gist (geom)");
  // VACUUM too, so that autovacuum does not wake up for the freshly inserted rows
  // while either side is being timed; CHECKPOINT writes the load out beforehand.
  exec(c, "VACUUM ANALYZE bench_parcels");
  exec(c, "CHECKPOINT");
}

struct Pair {
  std::uint64_t a, b;
  double area;
};

// PostGIS's good plan (docs/platform-notes.md): `a.id + 0 < b.id + 0` keeps PostgreSQL from a
// bitmap AND with the primary key (257 s instead of 7 s on 200k parcels) and gives a
// nested loop over the GiST index, with parallel workers. The OFFSET 0 fence makes
// ST_Intersection run once per intersecting pair instead of twice for reported ones.
std::string overlap_sql(double threshold) {
  return "SELECT a, b, area FROM ("
         " SELECT a.id AS a, b.id AS b, ST_Area(ST_Intersection(a.geom, b.geom)) AS area"
         " FROM bench_parcels a JOIN bench_parcels b"
         " ON ST_Intersects(a.geom, b.geom) AND a.id + 0 < b.id + 0 OFFSET 0) pairs"
         " WHERE area > " +
         std::to_string(threshold);
}

// The query as usually written: the area in the select list and in WHERE, so
// ST_Intersection runs twice for each reported pair.
std::string plain_overlap_sql(double threshold) {
  return "SELECT a.id, b.id, ST_Area(ST_Intersection(a.geom, b.geom))"
         " FROM bench_parcels a JOIN bench_parcels b"
         " ON ST_Intersects(a.geom, b.geom) AND a.id + 0 < b.id + 0"
         " WHERE ST_Area(ST_Intersection(a.geom, b.geom)) > " +
         std::to_string(threshold);
}

std::vector<Pair> postgis_overlaps(PGconn* c, const std::string& sql) {
  auto r = exec(c, sql);
  std::vector<Pair> out(PQntuples(r.get()));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    out[i] = {std::stoull(PQgetvalue(r.get(), i, 0)), std::stoull(PQgetvalue(r.get(), i, 1)),
              std::strtod(PQgetvalue(r.get(), i, 2), nullptr)};
  }
  std::sort(out.begin(), out.end(), [](const Pair& x, const Pair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  return out;
}

std::vector<Pair> as_pairs(const std::vector<OverlapPair>& in) {
  std::vector<Pair> out;
  out.reserve(in.size());
  for (const auto& p : in) out.push_back({std::stoull(p.a), std::stoull(p.b), p.overlap_m2});
  return out;
}

struct Comparison {
  std::size_t only_ours = 0, only_theirs = 0, common = 0;
  double max_rel_diff = 0, max_abs_diff = 0;
  std::vector<std::string> examples;
};

Comparison compare(const std::vector<Pair>& ours, const std::vector<Pair>& theirs) {
  Comparison c;
  std::size_t i = 0, j = 0;
  auto note = [&](const char* side, const Pair& p) {
    if (c.examples.size() < 10)
      c.examples.push_back(std::string(side) + " " + std::to_string(p.a) + "-" + std::to_string(p.b) + " " +
                           std::to_string(p.area));
  };
  while (i < ours.size() || j < theirs.size()) {
    if (j == theirs.size() ||
        (i < ours.size() && (ours[i].a < theirs[j].a || (ours[i].a == theirs[j].a && ours[i].b < theirs[j].b)))) {
      ++c.only_ours;
      note("only ours:", ours[i++]);
    } else if (i == ours.size() || ours[i].a != theirs[j].a || ours[i].b != theirs[j].b) {
      ++c.only_theirs;
      note("only PostGIS:", theirs[j++]);
    } else {
      const double d = std::abs(ours[i].area - theirs[j].area);
      c.max_abs_diff = std::max(c.max_abs_diff, d);
      c.max_rel_diff = std::max(c.max_rel_diff, d / std::max(1e-300, std::abs(theirs[j].area)));
      ++c.common;
      ++i;
      ++j;
    }
  }
  return c;
}

std::size_t near(const std::vector<Pair>& pairs, double threshold, double within) {
  std::size_t n = 0;
  for (const auto& p : pairs) n += std::abs(p.area - threshold) <= within;
  return n;
}

struct Args {
  std::size_t parcels = 200000;
  std::uint64_t seed = 20240501;
  double vertex_every = 10;  // metres
  std::vector<double> thresholds = {500, 1};
  int repeat = 1;
  int threads = 0;
  std::string pg;
  long pg_pid = 0;  // the cluster's postmaster, for its CPU time
  bool variants = false;
  std::size_t single = 0;  // > 0: the live check of this many edited parcels
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(k + " needs a value");
      return argv[++i];
    };
    if (k == "--parcels") a.parcels = std::stoul(next());
    else if (k == "--seed") a.seed = std::stoull(next());
    else if (k == "--vertex-every") a.vertex_every = std::stod(next());
    else if (k == "--repeat") a.repeat = std::max(1, std::stoi(next()));
    else if (k == "--threads") a.threads = std::stoi(next());
    else if (k == "--pg") a.pg = next();
    else if (k == "--variants") a.variants = true;
    else if (k == "--pg-pid") a.pg_pid = std::stol(next());
    else if (k == "--single") a.single = std::stoul(next());
    else if (k == "--thresholds") {
      a.thresholds.clear();
      std::string list = next();
      for (std::size_t p = 0; p <= list.size();) {
        const std::size_t q = std::min(list.find(',', p), list.size());
        a.thresholds.push_back(std::stod(list.substr(p, q - p)));
        p = q + 1;
      }
    } else {
      throw std::invalid_argument("unknown argument " + k +
                                  " (use --parcels N --seed S --vertex-every M --thresholds 500,1 --repeat R --threads "
                                  "T --pg URL --pg-pid PID --variants --single N)");
    }
  }
  if (a.parcels < 100) throw std::invalid_argument("--parcels must be at least 100");
  // Below 5 m the ±1.5 m noise could fold a lot's outline over itself.
  if (!(a.vertex_every >= 5)) throw std::invalid_argument("--vertex-every must be at least 5 (metres)");
  return a;
}

// Percentile p (0..1) of the samples, in milliseconds.
double percentile_ms(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - (p > 0 ? 1 : 0);
  return v[std::min(k, v.size() - 1)] * 1000;
}

// The parcel moved by (dx, dy): a one-ring little-endian Polygon as generate() writes it.
nongsan::storage::Geometry moved(const nongsan::storage::Geometry& g, double dx, double dy) {
  nongsan::storage::Geometry out = g;
  for (std::size_t at = 13; at + 16 <= out.wkb.size(); at += 16) {
    double x, y;
    std::memcpy(&x, &out.wkb[at], 8);
    std::memcpy(&y, &out.wkb[at + 8], 8);
    x = mm(x + dx);
    y = mm(y + dy);
    std::memcpy(&out.wkb[at], &x, 8);
    std::memcpy(&out.wkb[at + 8], &y, 8);
  }
  return out;
}

// The live check (--single): see the top of the file.
int run_single(const Args& args, const Cadastre& data, PGconn* pg) {
  const double threshold = args.thresholds.back();
  nongsan::geo::OverlapIndex index;
  auto t0 = Clock::now();
  double c0 = own_cpu();
  auto loaded = index.load(data.parcels, args.threads);
  if (!loaded) throw std::runtime_error(loaded.error().message);
  std::printf("\nlive check: OverlapIndex of %zu parcels built in %.2f s (CPU %.2f s), once per database\n", *loaded,
              seconds_since(t0), own_cpu() - c0);
  if (pg) {
    Res prep(PQprepare(pg, "live",
                       "SELECT id, ST_Area(ST_Intersection(geom, ST_GeomFromWKB($1, 9205))) FROM bench_parcels"
                       " WHERE ST_Intersects(geom, ST_GeomFromWKB($1, 9205)) AND id <> $2",
                       2, nullptr));
    if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(pg));
  }
  Rng r{args.seed ^ 0x5eed};
  std::vector<double> ours, saves, theirs;
  std::size_t reported = 0, differ = 0;
  double max_diff = 0;
  for (std::size_t k = 0; k < args.single; ++k) {
    const ParcelShape& p = data.parcels[r.next() % data.parcels.size()];
    const auto edited = moved(p.geom, r.uniform(-3, 3), r.uniform(-3, 3));
    t0 = Clock::now();
    auto found = index.overlaps(edited, threshold, p.id);
    ours.push_back(seconds_since(t0));
    if (!found) throw std::runtime_error(p.id + ": " + found.error().message);
    reported += found->size();
    t0 = Clock::now();
    const std::string problem = index.put(p.id, edited);
    saves.push_back(seconds_since(t0));
    if (!problem.empty()) throw std::runtime_error(p.id + ": " + problem);
    if (!pg) continue;
    const std::string id = std::to_string(std::stoul(p.id));
    const char* values[2] = {reinterpret_cast<const char*>(edited.wkb.data()), id.c_str()};
    const int lengths[2] = {static_cast<int>(edited.wkb.size()), 0};
    const int formats[2] = {1, 0};
    t0 = Clock::now();
    Res res(PQexecPrepared(pg, "live", 2, values, lengths, formats, 0));
    std::vector<std::pair<std::uint64_t, double>> rows;
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(pg));
    for (int i = 0; i < PQntuples(res.get()); ++i) {
      const double area = std::strtod(PQgetvalue(res.get(), i, 1), nullptr);
      if (area > threshold) rows.emplace_back(std::stoull(PQgetvalue(res.get(), i, 0)), area);
    }
    theirs.push_back(seconds_since(t0));
    // The same edit in PostGIS, so that both sides keep answering on the same data.
    Res upd(PQexecParams(pg, "UPDATE bench_parcels SET geom = ST_GeomFromWKB($1, 9205) WHERE id = $2", 2, nullptr,
                         values, lengths, formats, 0));
    if (PQresultStatus(upd.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(pg));
    std::sort(rows.begin(), rows.end());
    bool same = rows.size() == found->size();
    for (std::size_t i = 0; same && i < rows.size(); ++i) {
      const auto& mine = (*found)[i];
      same = std::stoull(mine.id) == rows[i].first;
      const double d = std::abs(mine.overlap_m2 - rows[i].second);
      max_diff = std::max(max_diff, d);
      same = same && d <= 1e-6 * std::max(1.0, rows[i].second);
    }
    if (!same) ++differ;
  }
  std::printf("> %zu edited parcels checked at > %g m², %zu overlaps reported (%.2f a parcel)\n", args.single,
              threshold, reported, static_cast<double>(reported) / static_cast<double>(args.single));
  std::printf("  ours, OverlapIndex::overlaps: median %.4f ms, p99 %.4f ms, max %.4f ms\n", percentile_ms(ours, 0.5),
              percentile_ms(ours, 0.99), percentile_ms(ours, 1));
  std::printf("  ours, OverlapIndex::put (the index updated after the save): median %.4f ms, p99 %.4f ms\n",
              percentile_ms(saves, 0.5), percentile_ms(saves, 0.99));
  if (!pg) return 0;
  std::printf("  PostGIS, ST_Intersects + ST_Area(ST_Intersection), prepared: median %.4f ms, p99 %.4f ms, max %.4f ms\n",
              percentile_ms(theirs, 0.5), percentile_ms(theirs, 0.99), percentile_ms(theirs, 1));
  std::printf("  ratio (median): ours is %.1f× faster; p99: %.1f×\n",
              percentile_ms(theirs, 0.5) / percentile_ms(ours, 0.5), percentile_ms(theirs, 0.99) / percentile_ms(ours, 0.99));
  std::printf("  same answers: %s (%zu of %zu parcels differ; max area difference %.3g m²)\n",
              differ == 0 ? "YES" : "NO", differ, args.single, max_diff);
  std::printf("\n%s\n", differ == 0 ? "RESULT: identical answers for every edited parcel"
                                      : "RESULT: the answers DIFFER — see above");
  return differ == 0 ? 0 : 1;
}

int run(const Args& args) {
  const int threads = args.threads > 0 ? args.threads : static_cast<int>(std::thread::hardware_concurrency());
  auto t0 = Clock::now();
  int id_width = 7;
  for (std::size_t v = args.parcels; v >= 10000000; v /= 10) ++id_width;
  const Cadastre data = generate(args.parcels, args.seed, id_width, args.vertex_every);
  std::printf(
      "data: %zu parcels (seed %llu): %zu lots in %.1f × %.1f km, %zu double claims (%zu copies, %zu redrawn, "
      "%zu shifted); a vertex every <= %g m, %.1f vertices per parcel; generated in %.2f s\n",
      data.parcels.size(), static_cast<unsigned long long>(args.seed), data.lots, data.width / 1000, data.height / 1000,
      data.copies + data.redrawn + data.shifted, data.copies, data.redrawn, data.shifted, args.vertex_every,
      static_cast<double>(data.vertices) / static_cast<double>(data.parcels.size()), seconds_since(t0));

  Conn conn;
  if (!args.pg.empty()) {
    conn.reset(PQconnectdb(args.pg.c_str()));
    if (PQstatus(conn.get()) != CONNECTION_OK)
      throw std::runtime_error(std::string("PostgreSQL: ") + PQerrorMessage(conn.get()));
    std::printf("PostgreSQL %s, PostGIS %s, max_parallel_workers_per_gather = %s\n",
                value(conn.get(), "SHOW server_version").c_str(),
                value(conn.get(), "SELECT postgis_lib_version() || ' (GEOS ' || postgis_geos_version() || ')'").c_str(),
                value(conn.get(), "SHOW max_parallel_workers_per_gather").c_str());
    t0 = Clock::now();
    load(conn.get(), data);
    std::printf("PostGIS: loaded (COPY, GiST index, VACUUM ANALYZE, CHECKPOINT) in %.1f s\n", seconds_since(t0));
    exec(conn.get(), "SET statement_timeout = '" + std::to_string(30 * 60) + "s'");
    t0 = Clock::now();
    auto all = exec(conn.get(), "SELECT id, ST_AsBinary(geom) FROM bench_parcels");
    std::printf(
        "PostGIS: reading every parcel back (SELECT id, ST_AsBinary(geom)) takes %.2f s — the cost of "
        "feeding our engine from PostGIS, not included below\n",
        seconds_since(t0));
  }
  if (args.single > 0) {
    const int status = run_single(args, data, conn.get());
    if (conn) exec(conn.get(), "DROP TABLE bench_parcels");
    return status;
  }
  std::printf(
      "our engine: geo::find_overlaps, %d threads; PostGIS: self-join in its good plan (ST_Intersects AND "
      "a.id + 0 < b.id + 0, GiST nested loop, parallel workers as configured)\n",
      threads);

  bool all_equal = true;
  for (double threshold : args.thresholds) {
    OverlapOptions o;
    o.min_overlap_m2 = threshold;
    o.threads = args.threads;
    double ours_s = 1e300, ours_cpu = 1e300;
    std::vector<OverlapPair> ours;
    for (int r = 0; r < args.repeat; ++r) {
      t0 = Clock::now();
      const double c0 = own_cpu();
      auto found = nongsan::geo::find_overlaps(data.parcels, o);
      ours_s = std::min(ours_s, seconds_since(t0));
      ours_cpu = std::min(ours_cpu, own_cpu() - c0);
      if (!found) throw std::runtime_error(found.error().message);
      ours = std::move(*found);
    }
    std::printf("\n> %g m²: ours %.3f s (CPU %.3f s), %zu pairs\n", threshold, ours_s, ours_cpu, ours.size());
    if (!conn) continue;
    if (threshold == args.thresholds.front()) {
      auto plan = exec(conn.get(), "EXPLAIN " + overlap_sql(threshold));
      std::printf("  PostGIS plan:\n");
      for (int i = 0; i < PQntuples(plan.get()); ++i) std::printf("    %s\n", PQgetvalue(plan.get(), i, 0));
    }
    double theirs_s = 1e300, theirs_cpu = 1e300;
    std::vector<Pair> theirs;
    for (int r = 0; r < args.repeat; ++r) {
      t0 = Clock::now();
      const double c0 = cluster_cpu(args.pg_pid);
      theirs = postgis_overlaps(conn.get(), overlap_sql(threshold));
      theirs_s = std::min(theirs_s, seconds_since(t0));
      theirs_cpu = std::min(theirs_cpu, cluster_cpu(args.pg_pid) - c0);
    }
    const auto mine = as_pairs(ours);
    const Comparison c = compare(mine, theirs);
    const bool equal = c.only_ours == 0 && c.only_theirs == 0 && c.max_rel_diff <= 1e-6;
    all_equal = all_equal && equal;
    if (args.pg_pid > 0) {
      std::printf("  PostGIS %.3f s (CPU %.3f s, server processes), %zu pairs\n", theirs_s, theirs_cpu, theirs.size());
      std::printf("  ratio: ours is %.1f× faster than PostGIS's good plan (%.1f× less CPU)\n", theirs_s / ours_s,
                  theirs_cpu / ours_cpu);
    } else {
      std::printf("  PostGIS %.3f s, %zu pairs\n", theirs_s, theirs.size());
      std::printf("  ratio: ours is %.1f× faster than PostGIS's good plan\n", theirs_s / ours_s);
    }
    std::printf(
        "  same pairs: %s (%zu common, %zu only ours, %zu only PostGIS); areas: max difference %.3g m² "
        "(%.3g relative); pairs within 1e-6 m² of the threshold: %zu\n",
        equal ? "YES" : "NO", c.common, c.only_ours, c.only_theirs, c.max_abs_diff, c.max_rel_diff,
        near(theirs, threshold, 1e-6));
    for (const auto& e : c.examples) std::printf("    %s\n", e.c_str());
    if (args.variants) {
      // Other ways of asking PostGIS, to be sure the comparison uses its fastest.
      t0 = Clock::now();
      const auto plain = postgis_overlaps(conn.get(), plain_overlap_sql(threshold));
      std::printf("  variant: the area in SELECT and WHERE (no fence): %.3f s, %zu pairs\n", seconds_since(t0),
                  plain.size());
      exec(conn.get(), "SET jit = off");
      t0 = Clock::now();
      const auto no_jit = postgis_overlaps(conn.get(), overlap_sql(threshold));
      std::printf("  variant: jit = off: %.3f s, %zu pairs\n", seconds_since(t0), no_jit.size());
      exec(conn.get(), "RESET jit");
      exec(conn.get(), "SET max_parallel_workers_per_gather = 0");
      t0 = Clock::now();
      const auto serial = postgis_overlaps(conn.get(), overlap_sql(threshold));
      std::printf("  variant: no parallel workers: %.3f s, %zu pairs\n", seconds_since(t0), serial.size());
      exec(conn.get(), "RESET max_parallel_workers_per_gather");
    }
  }
  if (conn) exec(conn.get(), "DROP TABLE bench_parcels");
  if (conn)
    std::printf("\n%s\n", all_equal ? "RESULT: identical pair sets at every threshold"
                                    : "RESULT: the pair sets DIFFER — see above");
  return all_equal ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint16_t probe = 1;
  if (*reinterpret_cast<const std::uint8_t*>(&probe) != 1) {
    std::fprintf(stderr, "overlap_bench: needs a little-endian machine\n");
    return 2;
  }
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "overlap_bench: %s\n", e.what());
    return 2;
  }
}
