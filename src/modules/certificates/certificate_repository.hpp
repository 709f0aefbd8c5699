// Storage of standards, marks and certificates with their scope: static functions over
// storage::Connection& in the SQL both backends accept. No rules here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/certificates/certificate_types.hpp"
#include "storage/database.hpp"

namespace nongsan::certificates {

class CertificateRepository {
 public:
  static std::vector<Standard> standards(storage::Connection& c);
  static std::optional<Standard> standard(storage::Connection& c, const std::string& code);
  static std::int64_t insert_standard(storage::Connection& c, const Standard& s);
  static void update_standard(storage::Connection& c, const Standard& s);

  static std::vector<Mark> marks(storage::Connection& c);
  static std::optional<Mark> mark(storage::Connection& c, const std::string& code);
  static std::int64_t insert_mark(storage::Connection& c, const Mark& m);
  static void update_mark(storage::Connection& c, const Mark& m);

  // Every certificate with its scope, by code.
  static std::vector<Certificate> certificates(storage::Connection& c);
  static std::optional<Certificate> certificate(storage::Connection& c, const std::string& code);
  static std::int64_t insert_certificate(storage::Connection& c, const Certificate& cert);
  static void update_certificate(storage::Connection& c, const Certificate& cert);  // and its scope
  static void delete_certificate(storage::Connection& c, std::int64_t id);

  // The codes of the certificates whose scope names `target` of `kind` and that are
  // valid on `on` (valid_from ≤ on ≤ valid_to).
  static std::vector<std::string> covering(storage::Connection& c, const std::string& kind, const std::string& target,
                                           const CivilDate& on);
};

}  // namespace nongsan::certificates
