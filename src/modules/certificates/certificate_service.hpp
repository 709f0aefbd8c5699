// Standards, marks and geographical indications, and certificates (VietGAP, organic,
// food safety, GI use) with holder, scope, issuer and validity (Notice 752-TB/TU §2.3;
// docs/ocop.md). Scope: a certificate belongs to its holder's commune (else the
// province's); every parcel and OCOP product its scope names passes the same scope
// check as reading that record. Every write is audited in its transaction.
//
// `covering` is the query the other modules use ("which certificates cover this
// parcel / growing-area code / facility / product / lot on date D").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/certificates/certificate_repository.hpp"
#include "modules/identity/actor.hpp"
#include "modules/support/support_import.hpp"
#include "storage/database.hpp"

namespace nongsan::certificates {

struct CertificateQuery {
  CivilDate on;              // the status is computed on this date
  std::string kind;          // "" = any
  std::string status;        // valid, expiring, expired, not_yet; "" = any
  std::string holder;        // producer external id; "" = any
};

struct CertificateImportReport {
  int created = 0, updated = 0, unchanged = 0;
};

class CertificateService {
 public:
  // `notice_days`: how long before its last day a certificate counts as expiring.
  CertificateService(storage::Database& db, admin::AdminService& admin, int notice_days);

  Result<nlohmann::json> list(const identity::Actor& a, const CertificateQuery& q);
  Result<nlohmann::json> get(const identity::Actor& a, const std::string& code, const CivilDate& on);
  // Creates (code new) or replaces (code stored) one certificate with its scope.
  Result<nlohmann::json> save(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> remove(const identity::Actor& a, const std::string& code);
  // certificate,kind,holder,issuer,valid_from,valid_to[,standard,mark,scope_kind,scope]
  // one row per scope item; the rows of one certificate agree on everything else.
  Result<CertificateImportReport> import_certificates(const identity::Actor& a, const support::ImportTable& t,
                                                      const std::string& source);

  Result<nlohmann::json> covering(const identity::Actor& a, const std::string& kind, const std::string& target,
                                  const CivilDate& on);
  // Certificates within scope expiring within the notice period on `on`: the notices.
  Result<nlohmann::json> notices(const identity::Actor& a, const CivilDate& on);

  Result<nlohmann::json> standards(const identity::Actor& a);
  Result<nlohmann::json> save_standard(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> marks(const identity::Actor& a);
  Result<nlohmann::json> save_mark(const identity::Actor& a, const nlohmann::json& body);

  int notice_days() const { return notice_days_; }

 private:
  Result<Certificate> validate(storage::Connection& c, const identity::Actor& a, const nlohmann::json& body);
  nlohmann::json to_json(const Certificate& c, const CivilDate& on) const;
  storage::Database& db_;
  admin::AdminService& admin_;
  int notice_days_ = 30;
};

}  // namespace nongsan::certificates
