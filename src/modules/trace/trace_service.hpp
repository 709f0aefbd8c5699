// Traceability labels and the public page (docs/trace.md, docs/rules.md §15): the GTIN
// table, the GS1 Digital Link URI of a lot (https://<resolver>/01/{gtin}/10/{lot}), its QR
// code — refused for a held lot — and what the public page of that URI shows, gathered
// from the diary (harvests, holds, findings), the area codes, the certificates and the
// EPCIS events. The CLI (`nongsan trace …`) and the API call this one service.
// Must not depend on api, app or cli.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/certificates/certificate_service.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/epcis/epcis_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/trace/trace_types.hpp"
#include "storage/database.hpp"

namespace nongsan::trace {

// A lot ready to be labelled: its URI and the product the GTIN names.
struct Label {
  std::string gtin, lot, uri, product_vi, product_en;
  bool illustrative = false;
};

class TraceService {
 public:
  TraceService(storage::Database& db, diary::DiaryService& diary, certificates::CertificateService& certificates,
               epcis::EpcisService& epcis);

  Result<std::vector<GtinEntry>> gtins(const identity::Actor& a);
  // Adds or changes a GTIN (check digit verified; stored as GTIN-14); audited.
  Result<GtinEntry> set_gtin(const identity::Actor& a, const std::string& gtin, const std::string& crop,
                             const std::string& name_vi, const std::string& name_en, bool illustrative);
  // Adds or changes every GTIN of a GTIN file (`{"gtins": [{crop, gtin, name_vi, name_en?,
  // illustrative?}]}`, as data/trace/gtins.json ships): all or nothing, a bad row named by
  // its index; identical rows change nothing. Returns how many rows were added or changed.
  Result<std::size_t> import_gtins(const identity::Actor& a, const nlohmann::json& doc);
  // crop → the GTIN the diary's events put on its lots: the lowest GTIN listed for the crop
  // (docs/trace.md "GTINs"). The one home of the GTIN per crop; epcis::DiaryBridge reads it.
  static std::map<std::string, std::string> crop_gtins(storage::Connection& c);

  // The resolver base of the URIs; `fallback` (the server's own address) when none is set.
  Result<std::string> resolver(const std::string& fallback);
  Result<std::string> set_resolver(const identity::Actor& a, const std::string& base);

  // The label of `lot` under `gtin`: invalid for a bad GTIN or one not in the table,
  // not_found for a lot no harvest in scope names, conflict for a held lot.
  Result<Label> label(const identity::Actor& a, const std::string& gtin, const std::string& lot,
                      const std::string& resolver_base);

  // The lots whose public page shows them (not held, their crop has a GTIN), the most
  // recently harvested first, at most `limit`: {gtin, lot, product_vi, harvested, path}
  // with path "/01/{gtin}/10/{lot}" (the lot percent-encoded). Read with the province's
  // scope, like the public page; no producer or parcel.
  Result<nlohmann::json> public_lots(std::size_t limit);

  // What the public page of /01/{gtin}/10/{lot} shows, read with the province's scope
  // (no login): see PublicLot::State.
  Result<PublicLot> public_lot(const std::string& gtin, const std::string& lot, const std::string& resolver_base);

 private:
  storage::Database& db_;
  diary::DiaryService& diary_;
  certificates::CertificateService& certificates_;
  epcis::EpcisService& epcis_;
};

}  // namespace nongsan::trace
