// A linkage contract's signed documents kept as files (Decree 98/2018/NĐ-CP Art. 5; rules
// in docs/chains.md "Signed documents", sources in docs/rules.md §13): the stored shape,
// the SQL (DocumentRepository, both backends) and the use cases (ContractDocuments:
// permission, the contract's scope, audit). The upload itself is read by modules/files
// (type from the bytes, SHA-256). Must not depend on api, app or cli.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

// The media types a signed document may ever be; the setting document_media_types is a
// subset of them.
inline const std::vector<std::string> kDocumentMediaTypes = {"application/pdf", "image/jpeg", "image/png"};
// The largest document_max_mb: the server reads an upload's body up to 64 MiB, and the
// file travels as base64 (4 bytes for 3).
inline constexpr double kMaxDocumentMb = 40;

// One document; `content` is filled only when read for a download.
struct DocumentRecord {
  std::int64_t id = 0, contract_id = 0, size_bytes = 0;
  std::string name, media_type, sha256, added_by, added_at;
  std::vector<std::uint8_t> content;
};

// The settings document_max_mb and document_media_types.
struct DocumentRules {
  double max_mb = 10;
  std::vector<std::string> media_types;
};

class DocumentRepository {
 public:
  static std::vector<DocumentRecord> list(storage::Connection& c, std::int64_t contract_id);
  static std::optional<DocumentRecord> find(storage::Connection& c, std::int64_t contract_id, std::int64_t id);
  static std::int64_t insert(storage::Connection& c, const DocumentRecord& d);
  static bool remove(storage::Connection& c, std::int64_t contract_id, std::int64_t id);
  static DocumentRules rules(storage::Connection& c);
  static void set_media_types(storage::Connection& c, const std::vector<std::string>& types);
};

// Listed and read by whoever may read the contract (chains.read), added and deleted with
// chains.write in its scope; another commune's contract, and a document of another
// contract, answer as missing ones. `file` is {name, media_type, content_base64}.
class ContractDocuments {
 public:
  ContractDocuments(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}
  Result<nlohmann::json> list(const identity::Actor& a, std::int64_t contract_id);
  Result<nlohmann::json> add(const identity::Actor& a, std::int64_t contract_id, const nlohmann::json& file);
  Result<DocumentRecord> read(const identity::Actor& a, std::int64_t contract_id, std::int64_t id);
  Status remove(const identity::Actor& a, std::int64_t contract_id, std::int64_t id);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
};

}  // namespace nongsan::chains
