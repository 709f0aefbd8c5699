#include "modules/chains/chain_documents.hpp"

#include <algorithm>

#include "core/civil_date.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/chains/chain_scope.hpp"
#include "modules/files/stored_file.hpp"

namespace nongsan::chains {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

// ---- SQL --------------------------------------------------------------------------------------

namespace {
constexpr const char* kColumns = "id, contract_id, name, media_type, size_bytes, sha256, added_by, added_at";
DocumentRecord document_from(const storage::Row& r) {
  DocumentRecord d;
  d.id = r.i64("id");
  d.contract_id = r.i64("contract_id");
  d.name = r.str("name");
  d.media_type = r.str("media_type");
  d.size_bytes = r.i64("size_bytes");
  d.sha256 = r.str("sha256");
  d.added_by = r.str("added_by");
  d.added_at = r.str("added_at");
  return d;
}
}  // namespace

std::vector<DocumentRecord> DocumentRepository::list(Connection& c, std::int64_t contract_id) {
  std::vector<DocumentRecord> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kColumns + " FROM chain_contract_document WHERE contract_id = ? ORDER BY id",
               {contract_id})
           .rows)
    out.push_back(document_from(r));
  return out;
}

std::optional<DocumentRecord> DocumentRepository::find(Connection& c, std::int64_t contract_id, std::int64_t id) {
  auto rs = c.query(std::string("SELECT ") + kColumns +
                        ", content FROM chain_contract_document WHERE contract_id = ? AND id = ?",
                    {contract_id, id});
  if (rs.empty()) return std::nullopt;
  auto d = document_from(rs.rows.front());
  if (auto b = std::get_if<storage::Blob>(&rs.rows.front().at("content"))) d.content = b->bytes;
  return d;
}

std::int64_t DocumentRepository::insert(Connection& c, const DocumentRecord& d) {
  auto rs = c.query(
      "INSERT INTO chain_contract_document (contract_id, name, media_type, size_bytes, sha256, content, added_by, "
      "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.contract_id, d.name, d.media_type, d.size_bytes, d.sha256, storage::Blob{d.content}, d.added_by, d.added_at});
  return rs.rows.front().i64("id");
}

bool DocumentRepository::remove(Connection& c, std::int64_t contract_id, std::int64_t id) {
  return c.execute("DELETE FROM chain_contract_document WHERE contract_id = ? AND id = ?", {contract_id, id}) > 0;
}

DocumentRules DocumentRepository::rules(Connection& c) {
  DocumentRules r;
  auto rs = c.query("SELECT value FROM chain_setting WHERE key = 'document_max_mb'");
  if (!rs.empty()) r.max_mb = rs.rows.front().f64("value");
  for (const auto& row : c.query("SELECT media_type FROM chain_document_type ORDER BY media_type").rows)
    r.media_types.push_back(row.str("media_type"));
  return r;
}

void DocumentRepository::set_media_types(Connection& c, const std::vector<std::string>& types) {
  c.execute("DELETE FROM chain_document_type");
  for (const auto& t : types) c.execute("INSERT INTO chain_document_type (media_type) VALUES (?)", {t});
}

// ---- use cases --------------------------------------------------------------------------------

namespace {
json document_json(const DocumentRecord& d) {
  return {{"id", d.id},
          {"contract_id", d.contract_id},
          {"name", d.name},
          {"media_type", d.media_type},
          {"size_bytes", d.size_bytes},
          {"sha256", d.sha256},
          {"added_by", d.added_by},
          {"added_at", d.added_at}};
}
Error no_contract() { return Error::not_found("no such contract"); }
Error no_document() { return Error::not_found("no such document"); }
}  // namespace

Result<json> ContractDocuments::list(const Actor& a, std::int64_t contract_id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    if (!visible_contract(c, policy, a, contract_id)) return no_contract();
    json out = json::array();
    for (const auto& d : DocumentRepository::list(c, contract_id)) out.push_back(document_json(d));
    return out;
  });
}

Result<json> ContractDocuments::add(const Actor& a, std::int64_t contract_id, const json& file) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  auto text = [&](const char* key) {
    if (!file.is_object()) return std::string();
    auto it = file.find(key);
    return it != file.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return db_.write([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    const auto rules = DocumentRepository::rules(c);
    files::UploadLimits limits{static_cast<std::int64_t>(rules.max_mb * 1024 * 1024), rules.media_types};
    auto up = files::read_upload("file", text("name"), text("media_type"), text("content_base64"), limits);
    if (!up) return up.error();
    DocumentRecord d;
    d.contract_id = contract_id;
    d.name = up->name;
    d.media_type = up->media_type;
    d.size_bytes = static_cast<std::int64_t>(up->bytes.size());
    d.sha256 = up->sha256;
    d.content = std::move(up->bytes);
    d.added_by = a.name;
    d.added_at = utc_now_iso();
    d.id = DocumentRepository::insert(c, d);
    json j = document_json(d);
    audit::record(c, a, "create", "chain_contract_document", std::to_string(d.id), k->unit, std::nullopt, j);
    return j;
  });
}

Result<DocumentRecord> ContractDocuments::read(const Actor& a, std::int64_t contract_id, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<DocumentRecord> {
    if (!visible_contract(c, policy, a, contract_id)) return no_contract();
    auto d = DocumentRepository::find(c, contract_id, id);
    if (!d) return no_document();
    return *d;
  });
}

Status ContractDocuments::remove(const Actor& a, std::int64_t contract_id, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    auto before = DocumentRepository::list(c, contract_id);
    auto it = std::find_if(before.begin(), before.end(), [&](const DocumentRecord& d) { return d.id == id; });
    if (it == before.end() || !DocumentRepository::remove(c, contract_id, id)) return no_document();
    audit::record(c, a, "delete", "chain_contract_document", std::to_string(id), k->unit, document_json(*it), std::nullopt);
    return {};
  });
}

}  // namespace nongsan::chains
