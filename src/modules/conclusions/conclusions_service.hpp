// The committee's conclusions drafted from the data (docs/conclusions.md): the facts
// gathered from the modules through their services (the targets review with its support
// section, the suitability zone report, the chains' linkage report and capacity against
// supply, the OCOP standings, the diary's pesticide findings), the draft written by the
// rules and stored, edited paragraph by paragraph by an officer (the references stay),
// rendered as a THÔNG BÁO, and registered in the register of issued reports (report_issue,
// kind "conclusions") like the review documents. The conclusions are the province's:
// every use case needs targets.manage. Every write is audited in its transaction.
// Must not depend on reports, api, app or cli (the renderer is given).
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/conclusions/conclusions_types.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/suitability/suitability_service.hpp"
#include "modules/targets/targets_service.hpp"
#include "storage/database.hpp"

namespace nongsan::conclusions {

struct RenderedConclusions {
  std::string bytes, content_type, extension;
};
// (draft JSON, format html|pdf|docx, registered?, document number) → the file.
using ConclusionsRenderer = std::function<Result<RenderedConclusions>(const nlohmann::json& draft, const std::string& format,
                                                                      bool registered, const std::string& footer)>;

struct RenderedDraft {
  nlohmann::json draft;  // the stored draft as draft_json gives it
  RenderedConclusions file;
  std::string file_name;
};

class ConclusionsService {
 public:
  ConclusionsService(storage::Database& db, targets::TargetsService& targets, suitability::SuitabilityService& suitability,
                     chains::ChainService& chains, ocop::OcopService& ocop, diary::DiaryService& diary, Rules rules)
      : db_(db), targets_(targets), suitability_(suitability), chains_(chains), ocop_(ocop), diary_(diary), rules_(std::move(rules)) {}
  void set_renderer(ConclusionsRenderer r) { renderer_ = std::move(r); }
  const Rules& rules() const { return rules_; }

  // The facts of `programme` on `as_of` (default today), gathered as `a` sees them.
  Result<Facts> facts(const identity::Actor& a, const std::string& programme, std::optional<CivilDate> as_of);
  // Writes a new draft from the facts and stores it: {id, programme, as_of, status,
  // version, data_hash, draft, issue, …}.
  Result<nlohmann::json> create_draft(const identity::Actor& a, const std::string& programme, std::optional<CivilDate> as_of);
  Result<nlohmann::json> list(const identity::Actor& a, const std::string& programme);
  Result<nlohmann::json> get(const identity::Actor& a, std::int64_t id);
  // Replaces one paragraph's text; `base_version` is the version the officer saw (409
  // when another edit came first). A registered draft is no longer edited.
  Result<nlohmann::json> edit(const identity::Actor& a, std::int64_t id, const std::string& paragraph,
                              const std::string& text, std::int64_t base_version);
  // The draft as a document (not registered).
  Result<RenderedDraft> render(const identity::Actor& a, std::int64_t id, const std::string& format);
  // Renders the final text and registers it in report_issue (kind "conclusions", the
  // facts' hash, the file's SHA-256); the draft becomes `registered`. `deliver` receives
  // the document first (the CLI writes its file there); if it fails nothing is registered.
  Result<RenderedDraft> register_draft(const identity::Actor& a, std::int64_t id, const std::string& format,
                                       const std::function<Status(const RenderedDraft&)>& deliver = {});
  // Recomputes the facts' hash of a registered conclusions report (report_issue id) on
  // today's data: {issue_id, draft, data_hash_then, data_hash_now, data_changed}.
  Result<nlohmann::json> verify_issue(const identity::Actor& a, std::int64_t issue_id);

 private:
  Result<RenderedDraft> render_record(const identity::Actor& a, std::int64_t id, const std::string& format, bool registered);

  storage::Database& db_;
  targets::TargetsService& targets_;
  suitability::SuitabilityService& suitability_;
  chains::ChainService& chains_;
  ocop::OcopService& ocop_;
  diary::DiaryService& diary_;
  Rules rules_;
  ConclusionsRenderer renderer_;
};

// The facts as canonical JSON (what the data hash is computed from).
nlohmann::json facts_json(const Facts& f);

}  // namespace nongsan::conclusions
