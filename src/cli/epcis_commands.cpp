// EPCIS commands: epcis hash FILE (no database), epcis capture FILE, epcis query
// [--<standard parameter> VALUE]… --format jsonld --out F. The rules live in
// modules/epcis; docs/epcis.md describes them.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "core/json_input.hpp"
#include "modules/epcis/epcis_service.hpp"
#include "modules/epcis/event_hash.hpp"
#include "modules/epcis/event_index.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

Result<json> read_document(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"FILE", "cannot be read"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_json_input(ss.str(), path);
}

}  // namespace

void register_epcis_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* epcis = cli.add_subcommand("epcis", "GS1 EPCIS 2.0 events: event hashes, capture, query");
  epcis->require_subcommand(1);

  auto* hash = epcis->add_subcommand(
      "hash", "One CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0) per event of an EPCIS document or query "
              "document, in document order");
  static std::string h_file;
  static bool h_prehash = false;
  hash->add_option("FILE", h_file, "EPCIS 2.0 JSON-LD document")->required();
  hash->add_flag("--prehash", h_prehash, "Print the canonical pre-hash strings instead");
  actions.push_back([hash]() -> int {
    if (!*hash) return -1;
    auto doc = read_document(h_file);
    if (!doc) return report_error(doc.error());
    const json* events = epcis::document_events(*doc);
    if (events == nullptr)
      return report_error(Error::invalid(h_file + " is not an EPCIS document",
                                         {{"epcisBody", "has no eventList (nor queryResults.resultsBody.eventList)"}}));
    auto ctx = epcis::hash_context(*doc);
    for (const auto& e : *events) std::cout << (h_prehash ? epcis::pre_hash_string(e, ctx) : epcis::event_hash(e, ctx)) << "\n";
    return 0;
  });

  auto* capture = epcis->add_subcommand(
      "capture", "Validate an EPCIS 2.0 document (schema and the standard's rules) and store its events, all or "
                 "nothing; events already stored are left as they are");
  static std::string c_file;
  capture->add_option("FILE", c_file, "EPCIS 2.0 JSON-LD document")->required();
  actions.push_back([&g, capture]() -> int {
    if (!*capture) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto doc = read_document(c_file);
    if (!doc) return report_error(doc.error());
    auto app = g.open(*c);
    auto job = app->epcis().capture(cli_actor(), *doc, c_file);
    if (!job) return report_error(job.error());
    std::cout << "captured " << job->captured << ", already present " << job->already_present << " (capture "
              << job->capture_id << ")\n";
    return 0;
  });

  auto* query = epcis->add_subcommand(
      "query", "Events matching EPCIS SimpleEventQuery parameters, with the standard's names (--EQ_bizStep shipping, "
               "--MATCH_epc URI …; '|' separates alternatives); open-ended names (EQ_bizTransaction_<type>, "
               "EQ_source_<type>, EQ_destination_<type>, EQ_<field IRI>, EQ_ILMD_<field IRI>) with --param NAME=VALUE");
  static std::string q_format = "jsonld", q_out;
  query->add_option("--format", q_format, "jsonld (an EPCISQueryDocument)")->check(CLI::IsMember({"jsonld"}));
  query->add_option("--out", q_out, "Write to this file instead of standard output");
  static const std::vector<std::string> kNames = {
      "eventType",        "GE_eventTime",     "LT_eventTime",       "GE_recordTime",      "LT_recordTime",
      "EQ_action",        "EQ_bizStep",       "EQ_disposition",     "EQ_readPoint",       "EQ_bizLocation",
      "EQ_transformationID", "EQ_eventID",    "MATCH_epc",          "MATCH_parentID",     "MATCH_inputEPC",
      "MATCH_outputEPC",  "MATCH_anyEPC",     "MATCH_epcClass",     "MATCH_inputEPCClass", "MATCH_outputEPCClass",
      "MATCH_anyEPCClass", "orderBy",         "orderDirection",     "perPage",            "nextPageToken",
      "maxEventCount"};
  static std::map<std::string, std::vector<std::string>> q_values;
  for (const auto& n : kNames) query->add_option("--" + n, q_values[n], "EPCIS query parameter " + n);
  static std::vector<std::string> q_params;
  query->add_option("--param", q_params, "Any other query parameter as NAME=VALUE (repeatable)");
  actions.push_back([&g, query]() -> int {
    if (!*query) return -1;
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& n : kNames)
      for (const auto& v : q_values[n]) params.emplace_back(n, v);
    for (const auto& p : q_params) {
      auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0)
        return report_error(Error::invalid("--param needs NAME=VALUE", {{"--param", "'" + p + "' is not NAME=VALUE"}}));
      params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    }
    bool paged = false;
    for (const auto& [k, v] : params) paged = paged || k == "perPage" || k == "nextPageToken";
    if (!paged) params.emplace_back("perPage", "10000");
    auto filter = epcis::parse_event_filter(params);
    if (!filter) return report_error(filter.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    // Without perPage or nextPageToken every matching event is written, page after page.
    epcis::QueryPage all;
    for (;;) {
      auto page = app->epcis().query(cli_actor(), *filter);
      if (!page) return report_error(page.error());
      all.events.insert(all.events.end(), page->events.begin(), page->events.end());
      all.next_page_token = page->next_page_token;
      if (paged || page->next_page_token.empty()) break;
      filter->after = page->next_page_token;
    }
    std::string text = epcis::EpcisService::query_document(all).dump(2) + "\n";
    if (!all.next_page_token.empty()) std::cerr << "next page: --nextPageToken " << all.next_page_token << "\n";
    if (q_out.empty()) {
      std::cout << text;
      return 0;
    }
    if (auto s = write_output_file(q_out, text); !s) return report_error(s.error());
    std::cerr << all.events.size() << " events written to " << q_out << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
