// The committee's conclusions: drafts written from the data, edited paragraph by
// paragraph, rendered and registered. Each handler is one ConclusionsService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.conclusions; }

Response create(RequestContext& ctx) {
  std::optional<CivilDate> as_of;
  if (ctx.body.contains("as_of") && ctx.body["as_of"].is_string()) as_of = CivilDate::parse(ctx.body["as_of"].get<std::string>());
  return respond(svc(ctx).create_draft(ctx.actor, ctx.body.value("programme", ""), as_of), ctx, 201);
}
Response list(RequestContext& ctx) { return respond(svc(ctx).list(ctx.actor, ctx.query_or("programme", "")), ctx); }
Response get(RequestContext& ctx) { return respond(svc(ctx).get(ctx.actor, ctx.path_id("id")), ctx); }
Response edit(RequestContext& ctx) {
  return respond(svc(ctx).edit(ctx.actor, ctx.path_id("id"), ctx.body.value("paragraph", ""), ctx.body.value("text", ""),
                               ctx.body.value("base_version", std::int64_t{0})),
                 ctx);
}

Response file(const Result<conclusions::RenderedDraft>& r, RequestContext& ctx) {
  if (!r) return error_response(r.error(), ctx.request.request_id);
  Response res;
  res.content_type = r->file.content_type;
  res.body = r->file.bytes;
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + r->file_name + "\"");
  if (r->draft["issue_id"].is_number()) res.headers.emplace_back("X-Report-Id", std::to_string(r->draft["issue_id"].get<std::int64_t>()));
  return res;
}
Response document(RequestContext& ctx) {
  return file(svc(ctx).render(ctx.actor, ctx.path_id("id"), ctx.query_or("format", "pdf")), ctx);
}
Response register_draft(RequestContext& ctx) {
  auto r = svc(ctx).register_draft(ctx.actor, ctx.path_id("id"), ctx.body.value("format", "pdf"));
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(201, r->draft);
}

using S = Schema;

S draft_schema(bool with_text) {
  std::vector<std::pair<std::string, S>> props = {
      {"id", S::integer()},          {"programme", S::string()},  {"as_of", S::date()},
      {"status", S::string()},       {"version", S::integer()},   {"data_hash", S::string()},
      {"issue_id", S::integer().nullable()}, {"illustrative", S::boolean()}, {"created_by", S::string()},
      {"created_at", S::date_time()}, {"updated_by", S::string()}, {"updated_at", S::date_time()}};
  if (with_text)
    props.push_back({"draft", S::open_object({{"sections", S::array(S::open_object({{"key", S::string()},
                                                                                     {"heading", S::string()},
                                                                                     {"paragraphs", S::array(S::open_object({{"id", S::string()}, {"text", S::string()}, {"refs", S::array(S::integer())}}))}}))},
                                              {"sources", S::array(S::open_object({{"n", S::integer()}, {"label", S::string()}, {"link", S::string()}}))}})});
  return S::object(props);
}

}  // namespace

std::vector<Route> conclusions_routes() {
  using F = FieldType;
  using P = Permission;
  const S draft = draft_schema(true);
  return {
      {.method = "POST", .path = "/api/v1/conclusions", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "Draft the committee's conclusions (THÔNG BÁO) of a programme from the data on a date, and store the draft",
       .body = {{"programme", F::string, true, "programme code", false, {}}, {"as_of", F::date, false, "default today", false, {}}},
       .success_status = 201, .handler = create, .response = draft},
      {.method = "GET", .path = "/api/v1/conclusions", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "The stored conclusions drafts, newest first", .query = {{"programme", F::string, "only this programme", {}}},
       .handler = list, .response = S::object({{"items", S::array(draft_schema(false))}})},
      {.method = "GET", .path = "/api/v1/conclusions/{id}", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "One conclusions draft with its paragraphs, references and sources", .handler = get, .response = draft},
      {.method = "PATCH", .path = "/api/v1/conclusions/{id}", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "Edit one paragraph's text (its references stay); 409 when the draft changed since base_version or is registered",
       .body = {{"paragraph", F::string, true, "paragraph id, e.g. limitations.2", false, {}},
                {"text", F::string, true, "", false, {}},
                {"base_version", F::integer, true, "the version the editor saw", false, {}, NumberRange::int64(1)}},
       .handler = edit, .response = draft},
      {.method = "GET", .path = "/api/v1/conclusions/{id}/document", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "The draft as a document (DỰ THẢO), not registered", .query = {{"format", F::string, "default pdf", {"html", "pdf", "docx"}}},
       .handler = document,
       .response = S::file("application/pdf").or_file("text/html").or_file("application/vnd.openxmlformats-officedocument.wordprocessingml.document")},
      {.method = "POST", .path = "/api/v1/conclusions/{id}/register", .permission = P::targets_manage, .tag = "conclusions",
       .summary = "Register the final text in the register of issued reports (kind conclusions); the draft is then closed",
       .body = {{"format", F::string, false, "default pdf", false, {"html", "pdf", "docx"}}},
       .success_status = 201, .handler = register_draft, .response = draft},
  };
}

}  // namespace nongsan::api
