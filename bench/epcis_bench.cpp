// EPCIS at a province's scale: capture and hash throughput and query latency over a
// generated supply chain, and the CBV 2.0 event hash side by side with GS1 France's
// epcis2.js (the peer, run with node on the same events in the same run).
//
//   epcis_bench --events N --db FILE.gpkg|postgresql://… --peer DIR [--node node]
//               [--peer-events M] [--repeat R] [--seed S]
//
// The events (generated here, realistic for the province's tea and macadamia): per lot,
// a harvest ObjectEvent (ADD, the lot as an LGTIN quantity in kg, readPoint and
// bizLocation the farm's SGLN, ILMD with the harvest date and the growing-area code, a
// top-level extension with the growing-area code and the diary entry), a packing
// AggregationEvent (ADD, an SSCC parent, the lot as child quantity), a shipping
// ObjectEvent (OBSERVE, the SSCC, purchase order and despatch advice, owning party
// source and destination, the truck's temperature as sensor data) and a receiving
// ObjectEvent at the buyer — four events a lot, a minute or more apart, over a year.
// Documents of 1,000 events are captured one after the other into an empty database
// (bench/epcis_bench.sh makes it). Then the standard's queries, each R times:
// median and 95th percentile.
//
// The peer: the first M events (default 20,000) are written as one EPCISDocument,
// hashed by `node DIR/peer_hash.js time FILE` and by nongsan in this process; the two
// hash lists are compared event by event (the peer gets some of the reference
// vectors wrong: bench/README.md), and the throughput ratio is printed.
//
// A plain main: a comparison run, not a kernel micro-benchmark.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "modules/epcis/event_hash.hpp"
#include "modules/epcis/event_index.hpp"

using namespace nongsan;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double secs_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Options {
  long events = 100000;
  long peer_events = 20000;
  int repeat = 20;
  unsigned seed = 7;
  std::string db, peer, node = "node";
};

const json kContext = json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                                   json{{"nongsan", "https://ns.nongsan.example/epcis/"}}});

std::string pad(long v, int width) {
  std::string s = std::to_string(v);
  return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

// "2025-MM-DDTHH:MM:SS+07:00" for a minute of the year 2025 (a 365-day year of minutes).
std::string time_at(long minute) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  long day = (minute / 1440) % 365, m = minute % 1440;
  int month = 0;
  while (day >= days[month]) day -= days[month++];
  char buf[40];
  std::snprintf(buf, sizeof buf, "2025-%02d-%02ldT%02ld:%02ld:00+07:00", month + 1, day + 1, m / 60, m % 60);
  return buf;
}

// The four events of lot `lot`.
std::vector<json> lot_events(long lot, std::mt19937& rng) {
  static const char* crops[] = {"0893600000017", "0893600000024", "0893600000031"};  // GTIN-13 of tea, Shan tea, macadamia
  const std::string gtin = crops[lot % 3];
  const std::string company = "0893600";
  const long farm = 1 + lot % 4000, buyer = 1 + lot % 60;
  const std::string farm_gln = "urn:epc:id:sgln:" + company + "." + pad(farm, 5) + ".0";
  const std::string house_gln = "urn:epc:id:sgln:" + company + "." + pad(50000 + farm % 200, 5) + ".0";
  const std::string buyer_gln = "urn:epc:id:sgln:" + company + "." + pad(90000 + buyer, 5) + ".0";
  const std::string lot_code = "LC" + pad(lot, 8);
  const std::string lgtin = "urn:epc:class:lgtin:" + company + ".0" + gtin.substr(7, 5) + "." + lot_code;
  const std::string sscc = "urn:epc:id:sscc:" + company + ".0" + pad(lot, 9);
  const std::string area = "VN-LC-" + pad(1 + lot % 800, 4);
  std::uniform_real_distribution<double> kg(50.0, 2000.0), temp(18.0, 31.0);
  const double quantity = std::round(kg(rng) * 10) / 10;
  const long t0 = (lot * 7) % (365 * 1440 - 10000);
  json harvest = {{"type", "ObjectEvent"},
                  {"eventTime", time_at(t0)},
                  {"eventTimeZoneOffset", "+07:00"},
                  {"action", "ADD"},
                  {"bizStep", "commissioning"},
                  {"disposition", "active"},
                  {"epcList", json::array()},
                  {"quantityList", {{{"epcClass", lgtin}, {"quantity", quantity}, {"uom", "KGM"}}}},
                  {"readPoint", {{"id", farm_gln}}},
                  {"bizLocation", {{"id", farm_gln}}},
                  {"ilmd", {{"nongsan:harvestDate", time_at(t0).substr(0, 10)}, {"nongsan:areaCode", area}}},
                  {"nongsan:areaCode", area},
                  {"nongsan:diaryEntry", "E" + pad(lot, 9)}};
  json packing = {{"type", "AggregationEvent"},
                  {"eventTime", time_at(t0 + 600)},
                  {"eventTimeZoneOffset", "+07:00"},
                  {"action", "ADD"},
                  {"bizStep", "packing"},
                  {"disposition", "in_progress"},
                  {"parentID", sscc},
                  {"childEPCs", json::array()},
                  {"childQuantityList", {{{"epcClass", lgtin}, {"quantity", quantity}, {"uom", "KGM"}}}},
                  {"readPoint", {{"id", house_gln}}},
                  {"bizLocation", {{"id", house_gln}}},
                  {"nongsan:areaCode", area}};
  const std::string po = "urn:epcglobal:cbv:bt:" + company + "00001:PO" + pad(lot / 10, 7);
  json shipping = {
      {"type", "ObjectEvent"},
      {"eventTime", time_at(t0 + 1440)},
      {"eventTimeZoneOffset", "+07:00"},
      {"action", "OBSERVE"},
      {"bizStep", "shipping"},
      {"disposition", "in_transit"},
      {"epcList", {sscc}},
      {"readPoint", {{"id", house_gln}}},
      {"bizTransactionList",
       {{{"type", "po"}, {"bizTransaction", po}},
        {{"type", "desadv"}, {"bizTransaction", "urn:epcglobal:cbv:bt:" + company + "00001:DA" + pad(lot, 9)}}}},
      {"sourceList", {{{"type", "owning_party"}, {"source", house_gln}}}},
      {"destinationList", {{{"type", "owning_party"}, {"destination", buyer_gln}}}},
      {"sensorElementList",
       {{{"sensorMetadata", {{"time", time_at(t0 + 1500)}}},
         {"sensorReport", {{{"type", "gs1:Temperature"}, {"value", std::round(temp(rng) * 10) / 10}, {"uom", "CEL"}}}}}}}};
  json receiving = {{"type", "ObjectEvent"},
                    {"eventTime", time_at(t0 + 2880 + lot % 600)},
                    {"eventTimeZoneOffset", "+07:00"},
                    {"action", "OBSERVE"},
                    {"bizStep", "receiving"},
                    {"disposition", "in_progress"},
                    {"epcList", {sscc}},
                    {"readPoint", {{"id", buyer_gln}}},
                    {"bizLocation", {{"id", buyer_gln}}},
                    {"bizTransactionList", {{{"type", "po"}, {"bizTransaction", po}}}}};
  return {harvest, packing, shipping, receiving};
}

json document(std::vector<json> events) {
  return {{"@context", kContext},
          {"type", "EPCISDocument"},
          {"schemaVersion", "2.0"},
          {"creationDate", "2026-01-01T00:00:00Z"},
          {"epcisBody", {{"eventList", std::move(events)}}}};
}

// The event with every EPC URN (urn:epc:id:…, urn:epc:class:…) written as its canonical
// Digital Link URI, the form the hash itself uses.
json with_digital_links(json v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.rfind("urn:epc:id:", 0) == 0 || s.rfind("urn:epc:class:", 0) == 0) return epcis::canonical_epc(s).first;
  } else if (v.is_object() || v.is_array()) {
    for (auto& x : v) x = with_digital_links(std::move(x));
  }
  return v;
}

// The peer's hashes of the events of `doc` (one a line), through a temporary file.
std::vector<std::string> peer_hashes(const Options& o, const json& doc) {
  char path[] = "/tmp/epcis-bench-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::ofstream(path) << doc.dump();
  std::string out;
  FILE* p = popen((o.node + " " + o.peer + "/peer_hash.js hashes " + path).c_str(), "r");
  if (p) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  std::remove(path);
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

long agreeing(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  long n = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += a[i] == b[i];
  return n;
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  if (pclose(p) != 0) out.clear();
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--events") o.events = std::stol(v);
    else if (k == "--peer-events") o.peer_events = std::stol(v);
    else if (k == "--repeat") o.repeat = std::stoi(v);
    else if (k == "--seed") o.seed = static_cast<unsigned>(std::stoul(v));
    else if (k == "--db") o.db = v;
    else if (k == "--peer") o.peer = v;
    else if (k == "--node") o.node = v;
    else throw std::runtime_error("unknown option " + k);
  }
  if (o.db.empty() || o.peer.empty()) throw std::runtime_error("--db and --peer are required");
  return o;
}

}  // namespace

int main(int argc, char** argv) try {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes (the script's log is a file)
  const Options o = parse(argc, argv);
  std::mt19937 rng(o.seed);
  const long lots = (o.events + 3) / 4;
  std::vector<json> events;
  events.reserve(static_cast<std::size_t>(lots * 4));
  auto t = Clock::now();
  for (long lot = 0; lot < lots; ++lot)
    for (auto& e : lot_events(lot, rng)) events.push_back(std::move(e));
  events.resize(static_cast<std::size_t>(o.events));
  std::printf("generated %zu events (%ld lots) in %.1f s\n", events.size(), lots, secs_since(t));

  // 1. Hash throughput, in memory.
  const json ctx_doc = document({});
  const auto ctx = epcis::hash_context(ctx_doc);
  t = Clock::now();
  std::size_t bytes = 0;
  for (const auto& e : events) bytes += epcis::event_hash(e, ctx).size();
  double hash_s = secs_since(t);
  std::printf("hash: %zu events in %.2f s = %.0f events/s (%zu bytes of hashes)\n", events.size(), hash_s,
              events.size() / hash_s, bytes);

  // 2. The peer on the first M events, and nongsan on the same.
  const long m = std::min<long>(o.peer_events, static_cast<long>(events.size()));
  std::vector<json> sample(events.begin(), events.begin() + m);
  const json sample_doc = document(sample);
  char path[] = "/tmp/epcis-bench-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::ofstream(path) << sample_doc.dump();
  const auto sample_ctx = epcis::hash_context(sample_doc);
  std::vector<std::string> ours;
  t = Clock::now();
  for (const auto& e : sample) ours.push_back(epcis::event_hash(e, sample_ctx));
  double ours_s = secs_since(t);
  std::string timing = run(o.node + " " + o.peer + "/peer_hash.js time " + path + " 1");
  std::remove(path);
  long peer_n = 0;
  double peer_s = 0;
  if (std::sscanf(timing.c_str(), "%ld %lf", &peer_n, &peer_s) != 2 || peer_s <= 0)
    throw std::runtime_error("the peer did not run: node " + o.peer + "/peer_hash.js");
  const long agree = agreeing(ours, peer_hashes(o, sample_doc));
  std::printf("hash, same %ld events: nongsan %.3f s (%.0f events/s), epcis2.js %.3f s (%.0f events/s): "
              "nongsan %.1f× the peer's speed; the same hash for %ld of %ld events\n",
              m, ours_s, m / ours_s, peer_s, peer_n / peer_s, (peer_n / peer_s) > 0 ? (m / ours_s) / (peer_n / peer_s) : 0.0,
              agree, m);
  // The same events with Digital Link identifiers: what is left of the disagreement is
  // not the peer's reading of EPC URNs.
  {
    std::vector<json> dl;
    for (const auto& e : sample) dl.push_back(with_digital_links(e));
    const json dl_doc = document(dl);
    const auto dl_ctx = epcis::hash_context(dl_doc);
    std::vector<std::string> ours_dl;
    for (const auto& e : dl) ours_dl.push_back(epcis::event_hash(e, dl_ctx));
    if (ours_dl != ours) throw std::runtime_error("nongsan: a URN and its Digital Link hash differently");
    std::printf("  with Digital Link identifiers instead of EPC URNs: the same hash for %ld of %ld events\n",
                agreeing(ours_dl, peer_hashes(o, dl_doc)), m);
  }

  // 3. Capture throughput into an empty database, documents of 1,000 events.
  app::Config config;
  config.db = o.db;
  config.log_level = "warn";
  auto app = app::App::open(config);
  auto actor = identity::Actor::cli("bench");
  t = Clock::now();
  for (std::size_t at = 0; at < events.size(); at += 1000) {
    std::vector<json> batch(events.begin() + static_cast<long>(at),
                            events.begin() + static_cast<long>(std::min(events.size(), at + 1000)));
    auto job = app->epcis().capture(actor, document(std::move(batch)), "bench");
    if (!job) throw std::runtime_error("capture refused: " + job.error().message);
    // A line every 100,000 events: whether capture slows as the tables grow.
    if (const std::size_t done = std::min(events.size(), at + 1000); done % 100000 == 0 && done < events.size()) {
      static auto last = t;
      const double step = secs_since(last);
      last = Clock::now();
      std::printf("  captured %zu events in %.1f s; the last 100000 at %.0f events/s\n", done, secs_since(t),
                  100000 / step);
    }
  }
  double capture_s = secs_since(t);
  std::printf("capture: %zu events in %.1f s = %.0f events/s (validation, hash, index, storage)\n", events.size(),
              capture_s, events.size() / capture_s);

  // 4. Query latency: the standard's parameters, each R times.
  const long lot = lots / 2;
  std::mt19937 pick(o.seed);
  auto mid = lot_events(lot, pick);
  const std::string sscc = mid[1]["parentID"], lgtin = mid[0]["quantityList"][0]["epcClass"];
  const std::string po = mid[2]["bizTransactionList"][0]["bizTransaction"], area = mid[0]["nongsan:areaCode"];
  const std::string day = mid[0]["eventTime"].get<std::string>().substr(0, 10);
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> queries = {
      {"EQ_bizStep=shipping, first page of 100", {{"EQ_bizStep", "shipping"}, {"perPage", "100"}}},
      {"MATCH_epc=<an SSCC>", {{"MATCH_anyEPC", sscc}}},
      {"MATCH_epcClass=<a lot>", {{"MATCH_anyEPCClass", lgtin}}},
      {"EQ_bizTransaction_po=<an order>", {{"EQ_bizTransaction_po", po}}},
      {"GE_/LT_eventTime one day, page of 100",
       {{"GE_eventTime", day + "T00:00:00+07:00"}, {"LT_eventTime", day + "T23:59:59+07:00"}, {"perPage", "100"}}},
      {"EQ_<extension>=<an area code>, page of 100",
       {{"EQ_https://ns.nongsan.example/epcis/areaCode", area}, {"perPage", "100"}}},
      {"eventType=AggregationEvent&EQ_bizStep=packing, page of 100",
       {{"eventType", "AggregationEvent"}, {"EQ_bizStep", "packing"}, {"perPage", "100"}}},
  };
  for (const auto& [name, params] : queries) {
    auto filter = epcis::parse_event_filter(params);
    if (!filter) throw std::runtime_error(name + ": " + filter.error().message);
    std::vector<double> ms;
    std::size_t found = 0;
    for (int r = 0; r < o.repeat; ++r) {
      auto t1 = Clock::now();
      auto page = app->epcis().query(actor, *filter);
      if (!page) throw std::runtime_error(name + ": " + page.error().message);
      ms.push_back(secs_since(t1) * 1000);
      found = page->events.size();
    }
    std::sort(ms.begin(), ms.end());
    std::printf("query %-58s %4zu events  median %7.2f ms  p95 %7.2f ms\n", name.c_str(), found, ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]);
    if (found == 0) throw std::runtime_error(name + ": found nothing");
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "epcis_bench: %s\n", e.what());
  return 1;
}
