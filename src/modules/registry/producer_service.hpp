// Producers (households, cooperatives, enterprises, farms): list, read, register,
// change, and reveal a masked field. Scope through RecordScope; personal data
// masked in every answer (Decree 13/2023/NĐ-CP Art. 2, docs/rules.md §9), shown in
// full only by an audited reveal.
#pragma once

#include "core/result.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

class ProducerService {
 public:
  explicit ProducerService(RegistryContext& ctx) : ctx_(ctx) {}

  // In scope; a unit filter outside the scope matches nothing.
  Result<Page> list(const identity::Actor& a, const ProducerQuery& q);
  // With members, organisations, land rights, and the other records with the same
  // citizen ID: those in scope by id ("possible_duplicates"), the others only
  // counted ("possible_duplicates_elsewhere", for the province to resolve). Saying
  // that records share a citizen ID reveals it: such an answer is audited.
  Result<nlohmann::json> get(const identity::Actor& a, ProducerId id);
  // The unit and the organisation must be in the actor's scope.
  Result<nlohmann::json> create(const identity::Actor& a, Producer p, std::optional<ProducerId> organisation);
  Result<nlohmann::json> update(const identity::Actor& a, ProducerId id, const nlohmann::json& patch);
  // The citizen ID or the phone in full; needs pii.reveal; audited.
  Result<std::string> reveal(const identity::Actor& a, ProducerId id, const std::string& field);

 private:
  RegistryContext& ctx_;
};

// The keyed hash of a citizen ID for duplicate detection ("" for none): spaces,
// dashes and dots are ignored.
std::string citizen_hash(storage::Connection& c, const std::string& citizen_id);

}  // namespace nongsan::registry
