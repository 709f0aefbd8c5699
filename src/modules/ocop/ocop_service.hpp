// OCOP from dossier to expiry (Decision 148/QĐ-TTg, Decision 1489/QĐ-TTg; Notice
// 752-TB/TU §1, §2.3; docs/ocop.md): products of registry producers, evaluations by
// level, the certificate each evaluation decides, events (revocation, downgrade) that act
// on the certificate in force on their date, the status on any date, the expiry
// calendar with the owners' notices, the dossier with its gaps, and the quality watch.
// Scope: a product belongs to its commune (else its subject's, else the province's);
// unit officers act within their subtree, a producer account on its own products.
// Every write is audited in its transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/ocop/lab_results.hpp"
#include "modules/ocop/ocop_repository.hpp"
#include "modules/ocop/ocop_rules.hpp"
#include "modules/registry/registry_scope.hpp"
#include "modules/support/support_import.hpp"
#include "storage/database.hpp"

namespace nongsan::areacodes {
class AreaCodeService;
}
namespace nongsan::certificates {
class CertificateService;
}
namespace nongsan::chains {
class ChainService;
}
namespace nongsan::diary {
class DiaryService;
}
namespace nongsan::trace {
class TraceService;
}

namespace nongsan::ocop {

// The modules the dossier and the quality watch read through their public services
// (never their tables). Set once by the composition root; a missing one makes its
// dossier section a gap that says so.
struct DossierSources {
  areacodes::AreaCodeService* areacodes = nullptr;
  certificates::CertificateService* certificates = nullptr;
  chains::ChainService* chains = nullptr;
  diary::DiaryService* diary = nullptr;
  trace::TraceService* trace = nullptr;
};

// One row of `ocop status`.
struct StatusRow {
  std::string product, name;
  std::optional<UnitId> unit;
  Standing standing;
};

struct ImportReport {
  int created = 0, updated = 0, unchanged = 0;
  int findings = 0;  // quality-watch findings the import raised (lab results)
};

// True when `scope` reaches the product (its commune, or its subject for a producer account).
bool product_visible(const registry::RecordScope& scope, const Product& p);

class OcopService {
 public:
  OcopService(storage::Database& db, admin::AdminService& admin, Scoring scoring);

  void set_sources(DossierSources s) { sources_ = s; }
  const Scoring& scoring() const { return scoring_; }
  Result<nlohmann::json> scoring_sheets(const identity::Actor& a) const;

  // Imports (CSV/XLSX rows; all or nothing, errors by line and column).
  //   products     product,name,subject,group[,commune]
  //   evaluations  product,level,date,part_a,part_b,part_c,decision   (level province|central)
  //   events       product,date,kind,stars                           (kind revoked|downgraded)
  Result<ImportReport> import_products(const identity::Actor& a, const support::ImportTable& t,
                                       const std::string& source);
  Result<ImportReport> import_evaluations(const identity::Actor& a, const support::ImportTable& t,
                                          const std::string& source);
  Result<ImportReport> import_events(const identity::Actor& a, const support::ImportTable& t,
                                     const std::string& source);

  // Every product within scope with its standing on `on`, by product code.
  Result<std::vector<StatusRow>> status(const identity::Actor& a, const CivilDate& on);
  // Certificates whose expiry falls in [from, to] (not revoked on `from`), with the date
  // the owner is notified (expiry − notice days): the expiry calendar.
  Result<nlohmann::json> calendar(const identity::Actor& a, const CivilDate& from, const CivilDate& to);
  // The owners to notify on `on`: certificates expiring within the notice period.
  Result<nlohmann::json> notices(const identity::Actor& a, const CivilDate& on);

  // One product: its record, standing on `on`, evaluations with their grades, events, findings.
  Result<nlohmann::json> product(const identity::Actor& a, const std::string& code, const CivilDate& on);
  // The dossier pre-filled from what nongsan holds on `on` (Decision 148/QĐ-TTg; docs/ocop.md
  // "The dossier"): each section filled with its sources or a gap with its reason.
  Result<nlohmann::json> dossier(const identity::Actor& a, const std::string& code, const CivilDate& on);

  // Lab results (docs/ocop.md "Lab results"):
  //   sample,product,laboratory,date,parameter,category,value,unit,limit[,lot,standard,illustrative]
  // keyed by sample and parameter; all or nothing; a failed test of a certified product
  // raises its finding in the same transaction (ocop.manage).
  Result<ImportReport> import_lab_results(const identity::Actor& a, const support::ImportTable& t,
                                          const std::string& source);
  // The results within scope, of one product when `product` is not empty.
  Result<nlohmann::json> lab_results(const identity::Actor& a, const std::string& product);
  // One result entered by hand (ocop.enter): the fields of a file row; answers the stored result.
  Result<nlohmann::json> add_lab_result(const identity::Actor& a, const nlohmann::json& body);
  // The quality watch on `on` (ocop.enter): every failed lab test of a product certified
  // on its test date, and every certificate of the certificates module naming a product
  // that lapsed on or before `on` while its OCOP certificate was in force, raises one
  // finding — once per test, once per certificate and expiry. Answers the findings raised.
  Result<nlohmann::json> watch(const identity::Actor& a, const CivilDate& on);

  // An evaluation entered by hand: `self` (ocop.enter) or a council's (ocop.manage).
  Result<nlohmann::json> add_evaluation(const identity::Actor& a, const std::string& code, const nlohmann::json& body);
  // Quality watch: a finding (complaint, lab_failed, certificate_lapsed) — ocop.enter.
  Result<nlohmann::json> add_finding(const identity::Actor& a, const std::string& code, const nlohmann::json& body);
  // A decision to downgrade or revoke (ocop.manage), optionally closing a finding.
  Result<nlohmann::json> decide(const identity::Actor& a, const std::string& code, const nlohmann::json& body);

 private:
  Result<Product> product_in_scope(storage::Connection& c, const identity::Actor& a, const std::string& code);
  // The standing of a product on a date, with the events of its certificate applied.
  Standing standing_of(storage::Connection& c, const Product& p, const CivilDate& on) const;
  // Raises the lab_failed findings of `products`' failed results tested on or before `on`;
  // answers the findings raised (JSON rows). Runs inside the caller's write.
  nlohmann::json raise_lab_findings(storage::Connection& c, const identity::Actor& a,
                                    const std::vector<Product>& products, const CivilDate& on);
  storage::Database& db_;
  admin::AdminService& admin_;
  Scoring scoring_;
  DossierSources sources_;
};

}  // namespace nongsan::ocop
