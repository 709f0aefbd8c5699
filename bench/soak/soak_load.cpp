// soak_load — the open-loop load generator of the soak test (bench/soak/soak.sh).
//
// Issues requests at a fixed rate whatever the answers (request i of a class is due
// at start + i/rate_of_class; its latency is measured from that due time, so a slow
// server cannot hide its queue: no coordinated omission), over N keep-alive
// connections per class (the public, officers reading, officers writing: people on
// different devices, so one class waiting never holds back another's requests),
// with a mix that mirrors a province's busy day on the demo database:
//   public  anonymous scans of lots' GS1 Digital Link pages (/01/{gtin}/10/{lot}),
//           HTML and the linkset JSON, and a few mistyped lots (404 expected);
//   read    officers paging through parcels (commune and province), opening one,
//           and the province officer's approval inbox;
//   write   observations entered, submitted and approved (four eyes: entered by
//           the commune or province officer, approved by another officer), and
//           farming-diary entries.
// Prints a line every --report-every seconds (rate, errors, the server's RSS from
// /proc/PID/status) and, at the end, per class and per operation: count, errors,
// expected 4xx, timeouts, p50/p99/max, p99 per window, RSS start/middle/end and
// whether it stayed flat. With --find-peak it first steps the rate up to find the
// highest rate that holds (see bench/README.md "Soak test" for the rule).
//
// Depends on Boost.Asio/Beast and nlohmann::json only: it talks to the server over
// HTTP like any client and must not link the application's code.
#include <utility>  // Boost 1.74 Asio + GCC 12 in C++20: before awaitable.hpp

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  double rate = 20;            // requests per second (hold)
  double seconds = 60;         // hold duration
  int connections = 16;         // per class
  int pid = 0;                 // the server's process id, for its RSS
  double report_every = 10;
  double window = 300;         // p99 per window of this many seconds
  double timeout = 10;         // a request without an answer after this is an error
  double warmup = 120;         // RSS before this is left out of the flatness check
  double rss_tolerance = 10;   // percent
  bool find_peak = false;
  bool peak_only = false;          // stop after the peak
  double peak_seconds = 60;
  double start_rate = 20;
  double p99_bound_ms = 500;
  double hold_fraction = 0.8;
  std::vector<std::string> lots;  // /01/{gtin}/10/{lot} paths
  std::string summary;            // key=value file
  std::string programme = "NQ05";
  unsigned seed = 5;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "soak_load: " << why << "\n"
            << "usage: soak_load --port P --lot /01/GTIN/10/LOT [--lot ...] [--rate R] [--seconds S]\n"
               "         [--connections N] [--pid SERVER_PID] [--find-peak|--peak-only --peak-seconds S --start-rate R\n"
               "         --p99-bound-ms B --hold-fraction F] [--report-every S] [--window S] [--timeout S]\n"
               "         [--warmup S] [--rss-tolerance PCT] [--summary FILE] [--host H] [--seed N]\n";
  std::exit(3);
}

Options parse(int argc, char** argv) {
  Options o;
  auto num = [&](int& i) -> double {
    if (i + 1 >= argc) usage(std::string(argv[i]) + " needs a value");
    char* end = nullptr;
    double v = std::strtod(argv[++i], &end);
    if (!end || *end || !std::isfinite(v) || v < 0) usage(std::string(argv[i - 1]) + ": not a number: " + argv[i]);
    return v;
  };
  auto str = [&](int& i) -> std::string {
    if (i + 1 >= argc) usage(std::string(argv[i]) + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--host") o.host = str(i);
    else if (a == "--port") o.port = str(i);
    else if (a == "--rate") o.rate = num(i);
    else if (a == "--seconds") o.seconds = num(i);
    else if (a == "--connections") o.connections = static_cast<int>(num(i));
    else if (a == "--pid") o.pid = static_cast<int>(num(i));
    else if (a == "--report-every") o.report_every = num(i);
    else if (a == "--window") o.window = num(i);
    else if (a == "--timeout") o.timeout = num(i);
    else if (a == "--warmup") o.warmup = num(i);
    else if (a == "--rss-tolerance") o.rss_tolerance = num(i);
    else if (a == "--find-peak") o.find_peak = true;
    else if (a == "--peak-only") o.find_peak = o.peak_only = true;
    else if (a == "--peak-seconds") o.peak_seconds = num(i);
    else if (a == "--start-rate") o.start_rate = num(i);
    else if (a == "--p99-bound-ms") o.p99_bound_ms = num(i);
    else if (a == "--hold-fraction") o.hold_fraction = num(i);
    else if (a == "--lot") o.lots.push_back(str(i));
    else if (a == "--summary") o.summary = str(i);
    else if (a == "--programme") o.programme = str(i);
    else if (a == "--seed") o.seed = static_cast<unsigned>(num(i));
    else usage("unknown option " + a);
  }
  if (o.port.empty()) usage("--port is required");
  if (o.lots.empty()) usage("at least one --lot is required");
  if (o.connections < 1 || o.rate <= 0 || o.report_every <= 0 || o.window <= 0) usage("bad rate, connections or period");
  return o;
}

// ---- the mix --------------------------------------------------------------------------

enum Cls : uint8_t { kPublic, kRead, kWrite, kClasses };
const char* const kClassNames[] = {"public", "read", "write"};

enum OpId : uint8_t {
  kLotPage, kLotLinkset, kLotUnknown,
  kParcelsCommune, kParcelsProvince, kParcelDetail, kApprovalInbox,
  kObsEnter, kObsSubmit, kObsApprove, kDiaryEntry, kOps
};
struct OpInfo { const char* name; Cls cls; };
const OpInfo kOpInfo[kOps] = {
    {"lot page (html)", kPublic},        {"lot linkset (json)", kPublic},   {"unknown lot (404)", kPublic},
    {"parcels page, commune", kRead},    {"parcels page, province", kRead}, {"parcel detail", kRead},
    {"approval inbox", kRead},           {"observation enter", kWrite},     {"observation submit", kWrite},
    {"observation approve", kWrite},     {"diary entry", kWrite}};

// Weights of the slots (out of 100). "pipeline" slots become enter, submit or approve
// by what is waiting, so observations flow through their whole life cycle.
enum Slot { sLotPage, sLotLinkset, sLotUnknown, sParcelsCommune, sParcelsProvince, sParcelDetail,
            sApprovalInbox, sPipeline, sDiary, kSlots };
const int kSlotWeight[kSlots] = {40, 15, 5, 10, 5, 10, 3, 9, 3};
const Cls kSlotClass[kSlots] = {kPublic, kPublic, kPublic, kRead, kRead, kRead, kRead, kWrite, kWrite};

enum User { uCommune, uProvince, uAdmin, kUsers };
const char* const kLogins[kUsers][2] = {{"binhlu.officer", "officer-demo-2025"},
                                        {"province.officer", "officer-demo-2025"},
                                        {"admin", "admin-demo-2025"}};

struct Request {
  OpId op = kLotPage;
  http::verb method = http::verb::get;
  std::string target, body, token, accept = "application/json";
  int64_t obs_id = 0;
  int enterer = 0;
  std::string obs_key;
};

struct Sample {
  double due;   // seconds since the phase started
  double done;  // seconds since the phase started
  float ms;     // done - due
  uint16_t status;
  uint8_t op;
  bool error, expected4xx, timeout;
};

struct ObsUnit { int64_t id; int from_year, to_year; };
struct Pending { int64_t id; int enterer; };

std::string today_minus(int days) {
  std::time_t t = std::time(nullptr) + 7 * 3600 - static_cast<std::time_t>(days) * 86400;  // Asia/Ho_Chi_Minh
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string clock_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

long rss_kb(int pid) {
  if (pid <= 0) return -1;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

double percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// ---- the state of one run -------------------------------------------------------------

struct Load {
  Options opt;
  asio::io_context io;
  tcp::endpoint endpoint;
  std::mt19937_64 rnd;
  std::string tokens[kUsers];
  std::vector<std::string> indicators;
  std::vector<ObsUnit> province_units;  // units the province officer enters for
  ObsUnit commune_unit{};               // the commune officer's own unit
  std::vector<int64_t> commune_parcels;
  int commune_parcel_pages = 1, province_parcel_pages = 1;
  std::set<std::string> used_keys;
  std::deque<Pending> to_submit, to_approve;
  int64_t diary_seq = 0, unknown_seq = 0;
  int enter_turn = 0;

  // the phase under way
  Clock::time_point start;
  double rate = 1, seconds = 1;
  uint64_t next[kClasses] = {}, late = 0;
  double share[kClasses] = {};  // of the rate, from the slots' weights
  int running = 0;
  std::vector<Sample> samples;

  explicit Load(Options o) : opt(std::move(o)), rnd(opt.seed) {}

  template <class T> T pick(const std::vector<T>& v) { return v[rnd() % v.size()]; }
  int uniform(int lo, int hi) { return lo + static_cast<int>(rnd() % static_cast<uint64_t>(hi - lo + 1)); }

  Request make(OpId op, std::string target, int user) {
    Request r;
    r.op = op;
    r.target = std::move(target);
    if (user >= 0) r.token = tokens[user];
    return r;
  }

  std::optional<Request> observation_entry() {
    // The commune officer and the province officer take turns; each observation is a
    // new (indicator, unit, year, period), period ≠ 0 (months and quarters), so none
    // collides with the demo's annual figures.
    static const int periods[] = {1, 2, 3, 4, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112};
    for (int attempt = 0; attempt < 64; ++attempt) {
      int who = (enter_turn++ % 2 == 0) ? uCommune : uProvince;
      ObsUnit u = who == uCommune ? commune_unit : pick(province_units);
      int lo = std::max(u.from_year, 2020), hi = std::min(u.to_year, 2035);
      if (lo > hi) continue;
      int year = uniform(lo, hi), period = periods[rnd() % 16];
      std::string ind = pick(indicators);
      std::string key = ind + "/" + std::to_string(u.id) + "/" + std::to_string(year) + "/" + std::to_string(period);
      if (!used_keys.insert(key).second) continue;
      Request r = make(kObsEnter, "/api/v1/programmes/" + opt.programme + "/observations", who);
      r.method = http::verb::post;
      r.enterer = who;
      r.obs_key = key;
      r.body = json{{"indicator", ind}, {"unit_id", u.id}, {"year", year}, {"period", period},
                    {"value", std::round(static_cast<double>(rnd() % 100000)) / 10.0},
                    {"note", "soak: số liệu thử tải (minh họa)"}}
                   .dump();
      return r;
    }
    return std::nullopt;
  }

  Request diary_entry() {
    Request r = make(kDiaryEntry, "/api/v1/diary/entries", uCommune);
    r.method = http::verb::post;
    r.body = json{{"parcel_id", pick(commune_parcels)}, {"date", today_minus(uniform(0, 60))}, {"kind", "observation"},
                  {"note", "soak: quan sát đồng ruộng " + std::to_string(++diary_seq) + " (minh họa)"}}
                 .dump();
    return r;
  }

  Request next_request(Cls cls) {
    int sum = 0;
    for (int k = 0; k < kSlots; ++k) sum += kSlotClass[k] == cls ? kSlotWeight[k] : 0;
    int w = static_cast<int>(rnd() % static_cast<uint64_t>(sum)), slot = 0;
    for (;; ++slot) {
      if (kSlotClass[slot] != cls) continue;
      if (w < kSlotWeight[slot]) break;
      w -= kSlotWeight[slot];
    }
    switch (static_cast<Slot>(slot)) {
      case sLotPage: {
        Request r = make(kLotPage, pick(opt.lots) + (rnd() % 4 == 0 ? "?lang=en" : ""), -1);
        r.accept = "text/html";
        return r;
      }
      case sLotLinkset: {
        Request r = make(kLotLinkset, pick(opt.lots), -1);
        r.accept = "application/linkset+json";
        return r;
      }
      case sLotUnknown: {
        std::string p = pick(opt.lots);
        Request r = make(kLotUnknown, p.substr(0, p.rfind('/') + 1) + "LOT-KHONG-CO-" + std::to_string(++unknown_seq), -1);
        r.accept = "text/html";
        return r;
      }
      case sParcelsCommune:
        return make(kParcelsCommune,
                    "/api/v1/parcels?page_size=50&page=" + std::to_string(uniform(1, commune_parcel_pages)), uCommune);
      case sParcelsProvince:
        return make(kParcelsProvince,
                    "/api/v1/parcels?page_size=50&page=" + std::to_string(uniform(1, province_parcel_pages)), uProvince);
      case sParcelDetail:
        return make(kParcelDetail, "/api/v1/parcels/" + std::to_string(pick(commune_parcels)), uCommune);
      case sApprovalInbox:
        return make(kApprovalInbox, "/api/v1/programmes/" + opt.programme + "/approvals?page_size=20", uProvince);
      case sPipeline: {
        if (!to_approve.empty()) {
          Pending p = to_approve.front();
          to_approve.pop_front();
          // Four eyes: the province officer approves the commune's, the administrator the province officer's.
          Request r = make(kObsApprove, "/api/v1/observations/" + std::to_string(p.id) + "/approve",
                           p.enterer == uCommune ? uProvince : uAdmin);
          r.method = http::verb::post;
          return r;
        }
        if (!to_submit.empty()) {
          Pending p = to_submit.front();
          to_submit.pop_front();
          Request r = make(kObsSubmit, "/api/v1/observations/" + std::to_string(p.id) + "/submit", p.enterer);
          r.method = http::verb::post;
          r.obs_id = p.id;
          r.enterer = p.enterer;
          return r;
        }
        if (auto r = observation_entry()) return *r;
        return diary_entry();
      }
      case sDiary:
      case kSlots:
        break;
    }
    return diary_entry();
  }

  // What an answer means: ok, an expected 4xx, or an error. Feeds the pipeline.
  void answered(const Request& r, unsigned status, const std::string& body, Sample& s) {
    bool ok = status >= 200 && status < 400;
    if (r.op == kLotUnknown) {
      ok = status == 404;
      s.expected4xx = ok;
    } else if (r.op == kObsEnter && status == 409) {
      s.expected4xx = ok = true;  // entered twice: the server gives the existing one back
    }
    s.error = !ok;
    if (s.error) return;
    if (r.op == kObsEnter && status == 201) {
      try {
        to_submit.push_back({json::parse(body).at("id").get<int64_t>(), r.enterer});
      } catch (const std::exception&) {
        s.error = true;
      }
    } else if (r.op == kObsSubmit) {
      to_approve.push_back({r.obs_id, r.enterer});
    }
  }

  double now_s() const { return std::chrono::duration<double>(Clock::now() - start).count(); }

  asio::awaitable<void> worker(Cls cls) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    bool connected = false;
    beast::flat_buffer buffer;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      uint64_t i = next[cls];
      double due = static_cast<double>(i) / (rate * share[cls]);
      if (due >= seconds) break;
      ++next[cls];
      auto due_tp = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(due));
      if (Clock::now() < due_tp) {
        timer.expires_at(due_tp);
        co_await timer.async_wait(asio::use_awaitable);
      } else if (Clock::now() - due_tp > std::chrono::milliseconds(5)) {
        ++late;  // every connection was busy: the request starts late, and its latency says so
      }
      Request r = next_request(cls);
      Sample s{due, 0, 0, 0, static_cast<uint8_t>(r.op), false, false, false};
      unsigned status = 0;
      std::string body;
      bool timed_out = false, retry = true;
      for (int attempt = 0; attempt < 2 && retry; ++attempt) {
        bool reused = connected;
        retry = false;
        try {
          stream.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.timeout)));
          if (!connected) {
            co_await stream.async_connect(endpoint, asio::use_awaitable);
            connected = true;
          }
          http::request<http::string_body> req{r.method, r.target, 11};
          req.set(http::field::host, opt.host + ":" + opt.port);
          req.set(http::field::user_agent, "nongsan-soak");
          req.set(http::field::accept, r.accept);
          req.set(http::field::accept_language, "vi");
          if (!r.token.empty()) req.set(http::field::authorization, "Bearer " + r.token);
          if (r.method != http::verb::get) {
            req.set(http::field::content_type, "application/json");
            req.body() = r.body;
            req.prepare_payload();
          }
          req.keep_alive(true);
          co_await http::async_write(stream, req, asio::use_awaitable);
          http::response_parser<http::string_body> parser;
          parser.body_limit(64 * 1024 * 1024);
          co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
          auto res = parser.release();
          status = res.result_int();
          body = std::move(res.body());
          if (!res.keep_alive()) {
            beast::error_code ec;
            stream.socket().shutdown(tcp::socket::shutdown_both, ec);
            stream.close();
            connected = false;
          }
        } catch (const boost::system::system_error& e) {
          // A kept-alive connection the server had closed is reopened and the request sent
          // once more; a timeout or a fresh connection's failure is an error.
          timed_out = e.code() == beast::error::timeout;
          retry = reused && !timed_out;
          status = 0;
          stream.close();
          connected = false;
          buffer.clear();
        }
      }
      s.done = now_s();
      s.ms = static_cast<float>((s.done - due) * 1000.0);
      s.status = static_cast<uint16_t>(status);
      if (status == 0) {
        s.error = true;
        s.timeout = timed_out;
        // A submit without an answer may have been done: it is not sent again (a second
        // one would rightly answer 409), and its observation leaves the pipeline.
      } else {
        answered(r, status, body, s);
        if (s.error && samples_errors_shown < 10) {
          ++samples_errors_shown;
          std::cerr << "soak_load: " << kOpInfo[r.op].name << " " << r.target << " -> " << status << ": "
                    << body.substr(0, 300) << "\n";
        }
      }
      samples.push_back(s);
    }
    --running;
  }
  int samples_errors_shown = 0;

  // Runs one phase at a rate; with report, prints a line every report_every seconds.
  asio::awaitable<void> reporter(std::vector<std::pair<double, long>>* rss) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    size_t seen = 0;
    double last = 0;
    uint64_t errors = 0;
    for (int k = 1; running > 0; ++k) {
      t.expires_at(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(k * opt.report_every)));
      co_await t.async_wait(asio::use_awaitable);
      double now = now_s();
      std::vector<float> ms;
      uint64_t err = 0;
      for (; seen < samples.size(); ++seen) {
        ms.push_back(samples[seen].ms);
        err += samples[seen].error;
      }
      errors += err;
      long kb = rss_kb(opt.pid);
      if (rss) rss->push_back({now, kb});
      std::printf("[%s t=%5.0fs] rate %6.1f/s (target %.1f)  errors %llu (total %llu)  late starts %llu  p99 %7.1f ms  rss %7.1f MB\n",
                  clock_now().c_str(), now, static_cast<double>(ms.size()) / (now - last), rate,
                  static_cast<unsigned long long>(err), static_cast<unsigned long long>(errors),
                  static_cast<unsigned long long>(late), percentile(ms, 99), kb / 1024.0);
      std::fflush(stdout);
      last = now;
    }
  }

  void run_phase(double r, double secs, std::vector<std::pair<double, long>>* rss) {
    rate = r;
    seconds = secs;
    for (auto& n : next) n = 0;
    late = 0;
    int sum = 0;
    for (int w : kSlotWeight) sum += w;
    for (auto& x : share) x = 0;
    for (int k = 0; k < kSlots; ++k) share[kSlotClass[k]] += static_cast<double>(kSlotWeight[k]) / sum;
    samples.clear();
    samples.reserve(static_cast<size_t>(r * secs * 1.05) + 16);
    start = Clock::now();
    running = opt.connections * kClasses;
    if (rss) rss->push_back({0.0, rss_kb(opt.pid)});
    for (int k = 0; k < kClasses; ++k)
      for (int c = 0; c < opt.connections; ++c) asio::co_spawn(io, worker(static_cast<Cls>(k)), asio::detached);
    if (rss) asio::co_spawn(io, reporter(rss), asio::detached);
    io.restart();
    io.run();
  }

  // ---- setup: logins and the ids the mix names ---------------------------------------
  json call(http::verb method, const std::string& target, const std::string& token, const std::string& body) {
    tcp::socket sock(io);
    sock.connect(endpoint);
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, opt.host + ":" + opt.port);
    req.set(http::field::accept, "application/json");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    http::write(sock, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(sock, buf, parser);
    auto res = parser.release();
    if (res.result_int() >= 300)
      throw std::runtime_error(target + " answered " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 300));
    return json::parse(res.body());
  }

  void setup() {
    tcp::resolver resolver(io);
    endpoint = *resolver.resolve(opt.host, opt.port).begin();
    for (int u = 0; u < kUsers; ++u)
      tokens[u] = call(http::verb::post, "/api/v1/auth/tokens", "",
                       json{{"username", kLogins[u][0]}, {"password", kLogins[u][1]}, {"label", "soak"}}.dump())
                      .at("access_token");
    for (auto& i : call(http::verb::get, "/api/v1/programmes/" + opt.programme + "/indicators", tokens[uProvince], ""))
      if (i.value("source", "reported") == "reported") indicators.push_back(i.at("code"));
    // Units the province officer enters figures for: every unit valid in 2021 or today.
    std::map<int64_t, ObsUnit> units;
    for (const char* as_of : {"2021-06-30", ""}) {
      std::string q = std::string("/api/v1/units?page_size=500") + (*as_of ? std::string("&as_of=") + as_of : "");
      json list = call(http::verb::get, q, tokens[uProvince], "");  // kept alive: the loop reads into it
      for (auto& u : list.at("items")) {
        auto year = [](const json& d, int none) {
          return d.is_string() ? std::stoi(d.get<std::string>().substr(0, 4)) : none;
        };
        int64_t id = u.at("id").get<int64_t>();
        units[id] = ObsUnit{id, year(u.at("valid_from"), 2020), year(u.at("valid_to"), 2100)};
      }
    }
    for (auto& [id, u] : units) province_units.push_back(u);
    auto me = call(http::verb::get, "/api/v1/auth/me", tokens[uCommune], "");
    int64_t unit_id = me.at("user").at("unit").at("id").get<int64_t>();
    if (!units.count(unit_id))
      throw std::runtime_error("the commune officer's unit " + std::to_string(unit_id) + " is not among the " +
                               std::to_string(units.size()) + " units");
    commune_unit = units[unit_id];
    auto page = call(http::verb::get, "/api/v1/parcels?page_size=500", tokens[uCommune], "");
    for (auto& p : page.at("items")) commune_parcels.push_back(p.at("id"));
    commune_parcel_pages = std::max<int>(1, (page.at("total").get<int>() + 49) / 50);
    auto all = call(http::verb::get, "/api/v1/parcels?page_size=1", tokens[uProvince], "");
    province_parcel_pages = std::max<int>(1, (all.at("total").get<int>() + 49) / 50);
    if (indicators.empty() || commune_parcels.empty() || province_units.empty())
      throw std::runtime_error("the database has no indicators, units or parcels: is it the demo?");
    std::printf("soak_load: %zu indicators, %zu units, commune officer's unit %lld with %d pages of parcels, "
                "province %d pages, %zu lot pages\n",
                indicators.size(), province_units.size(), static_cast<long long>(unit_id), commune_parcel_pages,
                province_parcel_pages, opt.lots.size());
  }
};

struct ClassStats {
  uint64_t n = 0, errors = 0, expected = 0, timeouts = 0;
  std::vector<float> ms;
  void add(const Sample& s) {
    ++n;
    errors += s.error;
    expected += s.expected4xx;
    timeouts += s.timeout;
    ms.push_back(s.ms);
  }
};

struct PhaseResult {
  uint64_t n = 0, errors = 0;
  double p99 = 0, achieved = 0;
};

PhaseResult summarise(const std::vector<Sample>& samples, double seconds) {
  PhaseResult r;
  std::vector<float> ms;
  for (auto& s : samples) {
    ++r.n;
    r.errors += s.error;
    ms.push_back(s.ms);
  }
  r.p99 = percentile(ms, 99);
  r.achieved = static_cast<double>(r.n) / seconds;
  return r;
}

// The peak: rates stepped up (doubling from --start-rate, then halving the gap once a
// step fails) for steps of max(5, peak_seconds / 8) seconds. A step holds when it has
// no error (nor timeout), its p99 is under --p99-bound-ms, and at least 95 % of the
// requests due were answered within the step. The peak is the highest rate that held.
double find_peak(Load& load) {
  const Options& o = load.opt;
  double step = std::max(5.0, o.peak_seconds / 8.0);
  int steps = std::max(1, static_cast<int>(std::floor(o.peak_seconds / step)));
  double good = 0, bad = 0, rate = o.start_rate;
  for (int k = 0; k < steps; ++k) {
    load.run_phase(rate, step, nullptr);
    PhaseResult r = summarise(load.samples, step);
    uint64_t due = static_cast<uint64_t>(std::ceil(rate * step));
    bool held = r.errors == 0 && r.p99 <= o.p99_bound_ms && static_cast<double>(r.n) >= 0.95 * static_cast<double>(due);
    std::printf("peak step %d: %7.1f req/s for %.0f s: %llu answered, %llu errors, p99 %.1f ms, late starts %llu -> %s\n",
                k + 1, rate, step, static_cast<unsigned long long>(r.n), static_cast<unsigned long long>(r.errors), r.p99,
                static_cast<unsigned long long>(load.late), held ? "held" : "not held");
    std::fflush(stdout);
    if (held) good = rate;
    else bad = rate;
    rate = bad == 0 ? rate * 2 : (good + bad) / 2;
    if (bad != 0 && bad - good < std::max(1.0, good * 0.05)) break;
  }
  return good;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse(argc, argv);
  Load load(opt);
  try {
    load.setup();
  } catch (const std::exception& e) {
    std::cerr << "soak_load: setup failed: " << e.what() << "\n";
    return 3;
  }
  std::map<std::string, std::string> summary;
  double hold_rate = opt.rate;
  if (opt.find_peak) {
    double peak = find_peak(load);
    if (peak <= 0) {
      std::printf("peak: no step held (not even %.1f req/s)\n", opt.start_rate);
      if (!opt.summary.empty()) std::ofstream(opt.summary) << "peak_rate=0\n";
      return 1;
    }
    hold_rate = peak * opt.hold_fraction;
    std::printf("peak: %.1f req/s; hold at %.0f %% = %.1f req/s\n", peak, opt.hold_fraction * 100, hold_rate);
    summary["peak_rate"] = std::to_string(peak);
    if (opt.peak_only) {
      if (!opt.summary.empty()) std::ofstream(opt.summary) << "peak_rate=" << peak << "\n";
      return 0;
    }
  }
  std::printf("hold: %.1f req/s for %.0f s over %d connections per class (mix: public 60 %%, read 28 %%, write 12 %%)\n", hold_rate,
              opt.seconds, opt.connections);
  std::fflush(stdout);
  std::vector<std::pair<double, long>> rss;
  load.run_phase(hold_rate, opt.seconds, &rss);
  rss.push_back({load.now_s(), rss_kb(opt.pid)});

  // ---- the report ---------------------------------------------------------------------
  ClassStats cls[kClasses], ops[kOps], total;
  int windows = std::max(1, static_cast<int>(std::ceil(opt.seconds / opt.window)));
  std::vector<std::vector<std::vector<float>>> win(windows, std::vector<std::vector<float>>(kClasses));
  for (auto& s : load.samples) {
    Cls c = kOpInfo[s.op].cls;
    cls[c].add(s);
    ops[s.op].add(s);
    total.add(s);
    win[std::min(windows - 1, static_cast<int>(s.due / opt.window))][c].push_back(s.ms);
  }
  auto row = [](const char* name, ClassStats& st) {
    std::printf("  %-24s %8llu %7llu %9llu %8llu %9.1f %9.1f %9.1f\n", name, static_cast<unsigned long long>(st.n),
                static_cast<unsigned long long>(st.errors), static_cast<unsigned long long>(st.expected),
                static_cast<unsigned long long>(st.timeouts), percentile(st.ms, 50), percentile(st.ms, 99),
                st.ms.empty() ? 0.0 : *std::max_element(st.ms.begin(), st.ms.end()));
  };
  std::printf("\nhold result: %llu requests in %.0f s (%.1f req/s answered, target %.1f), %llu late starts\n",
              static_cast<unsigned long long>(total.n), opt.seconds, static_cast<double>(total.n) / opt.seconds, hold_rate,
              static_cast<unsigned long long>(load.late));
  std::printf("  %-24s %8s %7s %9s %8s %9s %9s %9s\n", "class / operation", "requests", "errors", "expected", "timeouts",
              "p50 ms", "p99 ms", "max ms");
  for (int c = 0; c < kClasses; ++c) {
    row(kClassNames[c], cls[c]);
    for (int o = 0; o < kOps; ++o)
      if (kOpInfo[o].cls == c && ops[o].n) row((std::string("  ") + kOpInfo[o].name).c_str(), ops[o]);
  }
  row("all", total);
  std::printf("\n  p99 (ms) per %.0f-second window:\n  %-12s", opt.window, "window");
  for (int c = 0; c < kClasses; ++c) std::printf(" %9s", kClassNames[c]);
  std::printf("\n");
  for (int w = 0; w < windows; ++w) {
    std::printf("  %4.0f-%4.0f s ", w * opt.window, std::min(opt.seconds, (w + 1) * opt.window));
    for (int c = 0; c < kClasses; ++c) std::printf(" %9.1f", percentile(win[w][c], 99));
    std::printf("\n");
  }

  // Memory: flat when the mean RSS of the last third of the samples after the warm-up
  // is within --rss-tolerance percent of the first third's.
  double warmup = std::min(opt.warmup, opt.seconds / 3);
  std::vector<long> after;
  for (auto& [t, kb] : rss)
    if (t >= warmup && kb > 0) after.push_back(kb);
  bool flat = true;
  double growth = 0;
  std::string rss_verdict = "not measured (no --pid)";
  if (after.size() >= 3) {
    size_t third = after.size() / 3;
    auto mean = [](auto b, auto e) { return std::accumulate(b, e, 0.0) / static_cast<double>(e - b); };
    double first = mean(after.begin(), after.begin() + static_cast<long>(third));
    double last = mean(after.end() - static_cast<long>(third), after.end());
    growth = (last - first) / first * 100.0;
    flat = growth <= opt.rss_tolerance;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s: last third %.1f MB vs first third %.1f MB after %.0f s of warm-up (%+.1f %%, bound %.0f %%)",
                  flat ? "flat" : "GROWING", last / 1024, first / 1024, warmup, growth, opt.rss_tolerance);
    rss_verdict = buf;
  } else if (opt.pid > 0) {
    rss_verdict = "too few samples after the warm-up to judge";
  }
  if (!rss.empty() && opt.pid > 0) {
    std::printf("\n  server RSS: start %.1f MB, middle %.1f MB, end %.1f MB, max %.1f MB\n  memory %s\n",
                rss.front().second / 1024.0, rss[rss.size() / 2].second / 1024.0, rss.back().second / 1024.0,
                std::max_element(rss.begin(), rss.end(), [](auto& a, auto& b) { return a.second < b.second; })->second / 1024.0,
                rss_verdict.c_str());
  }
  std::fflush(stdout);

  summary["hold_rate"] = std::to_string(hold_rate);
  summary["requests"] = std::to_string(total.n);
  summary["errors"] = std::to_string(total.errors);
  summary["timeouts"] = std::to_string(total.timeouts);
  summary["late_starts"] = std::to_string(load.late);
  for (int c = 0; c < kClasses; ++c) {
    summary[std::string(kClassNames[c]) + "_p99_ms"] = std::to_string(percentile(cls[c].ms, 99));
    summary[std::string(kClassNames[c]) + "_errors"] = std::to_string(cls[c].errors);
  }
  summary["rss_growth_pct"] = std::to_string(growth);
  summary["rss_flat"] = flat ? "1" : "0";
  if (!opt.summary.empty()) {
    std::ofstream f(opt.summary);
    for (auto& [k, v] : summary) f << k << "=" << v << "\n";
  }
  if (total.errors) return 1;
  if (!flat) return 2;
  return 0;
}
