// The shapes of the EPCIS REST binding's answers (EpcisService::job_json and
// query_document; docs/epcis.md).
#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_epcis_components(Components& c) {
  using S = Schema;
  c["EpcisCaptureJob"] =
      S::object({{"captureID", S::string()},
                 {"createdAt", S::string()},
                 {"finishedAt", S::string().nullable()},
                 {"running", S::boolean()},
                 {"success", S::boolean()},
                 {"captureErrorBehaviour", S::string().enumerate({"rollback"})},
                 {"events", S::integer()},
                 {"captured", S::integer()},
                 {"alreadyPresent", S::integer()},
                 {"errors", S::array(S::object({{"event", S::integer().nullable()},
                                                {"eventID", S::string()},
                                                {"path", S::string()},
                                                {"message", S::string()}}))}})
          .describe("An EPCIS capture job (EPCIS 2.0 §12): a refused document stores nothing and lists its problems");
  // An error of a route answering RFC 7807 problem details (Route::problems): the
  // members of Error with the problem's.
  c["Problem"] = S::object({{"type", S::string().describe("e.g. epcisException:ValidationException")},
                            {"title", S::string()},
                            {"status", S::integer()},
                            {"detail", S::string()},
                            {"code", S::string()},
                            {"message", S::string()},
                            {"errors", S::array(S::object({{"field", S::string()}, {"message", S::string()}}))},
                            {"request_id", S::string()}});
  c["EPCISQueryDocument"] =
      S::object({{"@context", S::array(S::string())},
                 {"type", S::string().enumerate({"EPCISQueryDocument"})},
                 {"schemaVersion", S::string()},
                 {"creationDate", S::string()},
                 {"epcisBody",
                  S::object({{"queryResults",
                              S::object({{"queryName", S::string()},
                                         {"resultsBody",
                                          S::object({{"eventList", S::array(S::open_object(
                                                                       {{"type", S::string()},
                                                                        {"eventTime", S::string()},
                                                                        {"recordTime", S::string()}}))}})}})}})}})
          .describe("An EPCIS 2.0 query document: each event as captured, with its @context and recordTime");
}

}  // namespace nongsan::api
