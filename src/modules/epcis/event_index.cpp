#include "modules/epcis/event_index.hpp"

#include <map>

#include "core/number_input.hpp"
#include "modules/epcis/gs1.hpp"

namespace nongsan::epcis {
namespace {

using nlohmann::json;

std::string str_of(const json& e, const char* k) {
  auto it = e.find(k);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> split_alternatives(const std::string& v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto p = v.find('|', start);
    std::string part = v.substr(start, p == std::string::npos ? std::string::npos : p - start);
    if (!part.empty()) out.push_back(part);
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

// What each MATCH_ parameter looks in (EPCIS 2.0 §8.2.7.1).
const std::map<std::string, std::vector<std::string>, std::less<>>& match_roles() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> m = {
      {"MATCH_epc", {"epc", "child"}},
      {"MATCH_parentID", {"parent"}},
      {"MATCH_inputEPC", {"input"}},
      {"MATCH_outputEPC", {"output"}},
      {"MATCH_anyEPC", {"epc", "child", "parent", "input", "output"}},
      {"MATCH_epcClass", {"class", "child_class"}},
      {"MATCH_inputEPCClass", {"input_class"}},
      {"MATCH_outputEPCClass", {"output_class"}},
      {"MATCH_anyEPCClass", {"class", "child_class", "input_class", "output_class"}},
  };
  return m;
}

}  // namespace

std::pair<std::string, std::string> canonical_epc(const std::string& value) {
  auto dl = gs1::canonical_digital_link(value);
  if (!dl) return {value, value};
  auto parsed = gs1::parse_digital_link(*dl);
  std::string base = parsed ? parsed->domain + "/" + parsed->key_ai + "/" + gs1::dl_encode(parsed->key, true) : *dl;
  // An EPC pattern stands for every serial of its class: idpat:sgtin:…* is a bare GTIN.
  return {*dl, base};
}

EventIndex index_event(const json& event, const HashContext& doc_ctx) {
  const HashContext ctx = event_context(doc_ctx, event);
  EventIndex ix;
  ix.hash = event_hash(event, ctx);
  ix.event_id = str_of(event, "eventID");
  ix.type = str_of(event, "type");
  ix.event_time = canonical_time(str_of(event, "eventTime"));
  ix.time_zone_offset = str_of(event, "eventTimeZoneOffset");
  ix.action = str_of(event, "action");
  if (event.contains("bizStep")) ix.biz_step = canonical_value(event["bizStep"], Vocab::biz_step, ctx);
  if (event.contains("disposition")) ix.disposition = canonical_value(event["disposition"], Vocab::disposition, ctx);
  if (auto rp = event.find("readPoint"); rp != event.end() && rp->is_object() && rp->contains("id"))
    ix.read_point = canonical_epc(canonical_value((*rp)["id"], Vocab::none, ctx)).first;
  if (auto bl = event.find("bizLocation"); bl != event.end() && bl->is_object() && bl->contains("id"))
    ix.biz_location = canonical_epc(canonical_value((*bl)["id"], Vocab::none, ctx)).first;
  ix.transformation_id = str_of(event, "transformationID");
  auto add = [&](const std::string& role, const std::string& v) {
    if (v.empty()) return;
    auto [epc, base] = canonical_epc(v);
    ix.epcs.push_back({role, epc, base});
  };
  for (auto [list, role] : {std::pair{"epcList", "epc"}, std::pair{"childEPCs", "child"},
                            std::pair{"inputEPCList", "input"}, std::pair{"outputEPCList", "output"}}) {
    if (auto it = event.find(list); it != event.end() && it->is_array())
      for (const auto& e : *it)
        if (e.is_string()) add(role, e.get<std::string>());
  }
  add("parent", str_of(event, "parentID"));
  for (auto [list, role] : {std::pair{"quantityList", "class"}, std::pair{"childQuantityList", "child_class"},
                            std::pair{"inputQuantityList", "input_class"}, std::pair{"outputQuantityList", "output_class"}}) {
    if (auto it = event.find(list); it != event.end() && it->is_array())
      for (const auto& q : *it)
        if (q.is_object()) add(role, str_of(q, "epcClass"));
  }
  for (auto [list, kind, vocab] : {std::tuple{"bizTransactionList", "bizTransaction", Vocab::btt},
                                   std::tuple{"sourceList", "source", Vocab::sdt},
                                   std::tuple{"destinationList", "destination", Vocab::sdt}}) {
    if (auto it = event.find(list); it != event.end() && it->is_array())
      for (const auto& r : *it) {
        if (!r.is_object() || !r.contains(kind)) continue;
        std::string type = r.contains("type") ? canonical_value(r["type"], vocab, ctx) : "";
        std::string value = canonical_value(r[kind], Vocab::none, ctx);
        ix.refs.emplace_back(kind, type, value);
      }
  }
  // Scalar extensions: "prefix:local" names, as full IRIs (namespace + local name).
  auto fields = [&](const json& obj, const std::string& scope) {
    for (const auto& [k, v] : obj.items()) {
      if (k.find(':') == std::string::npos || !(v.is_string() || v.is_number() || v.is_boolean())) continue;
      std::string name = canonical_key(k, ctx);
      if (name.size() > 2 && name.front() == '{') {
        auto close = name.find('}');
        name = name.substr(1, close - 1) + name.substr(close + 1);
      }
      ix.fields.emplace_back(scope, name, canonical_value(v, Vocab::none, ctx));
    }
  };
  fields(event, "event");
  if (auto il = event.find("ilmd"); il != event.end() && il->is_object()) fields(*il, "ilmd");
  return ix;
}

Result<EventFilter> parse_event_filter(const std::vector<std::pair<std::string, std::string>>& params) {
  EventFilter f;
  std::vector<FieldError> errors;
  HashContext ctx = hash_context(json::object());
  auto vocab_values = [&](const std::string& v, Vocab vocab) {
    std::vector<std::string> out;
    for (const auto& a : split_alternatives(v)) out.push_back(canonical_value(json(a), vocab, ctx));
    return out;
  };
  auto append = [](std::vector<std::string>& to, const std::vector<std::string>& more) {
    to.insert(to.end(), more.begin(), more.end());
  };
  auto time = [&](const std::string& name, const std::string& v, std::optional<std::string>& slot) {
    if (!valid_time(v)) {
      errors.push_back({name, "must be a date and time with a time zone (YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)): '" + v + "'"});
      return;
    }
    slot = canonical_time(v);
  };
  for (const auto& [name, value] : params) {
    if (name == "eventType") {
      for (const auto& t : split_alternatives(value)) {
        if (t != "ObjectEvent" && t != "AggregationEvent" && t != "TransactionEvent" && t != "TransformationEvent" &&
            t != "AssociationEvent")
          errors.push_back({name, "unknown event type '" + t + "'"});
        f.event_types.push_back(t);
      }
    } else if (name == "GE_eventTime") {
      time(name, value, f.ge_event_time);
    } else if (name == "LT_eventTime") {
      time(name, value, f.lt_event_time);
    } else if (name == "GE_recordTime") {
      time(name, value, f.ge_record_time);
    } else if (name == "LT_recordTime") {
      time(name, value, f.lt_record_time);
    } else if (name == "EQ_action") {
      for (const auto& a : split_alternatives(value)) {
        if (a != "ADD" && a != "OBSERVE" && a != "DELETE") errors.push_back({name, "must be ADD, OBSERVE or DELETE: '" + a + "'"});
        f.actions.push_back(a);
      }
    } else if (name == "EQ_bizStep") {
      append(f.biz_steps, vocab_values(value, Vocab::biz_step));
    } else if (name == "EQ_disposition") {
      append(f.dispositions, vocab_values(value, Vocab::disposition));
    } else if (name == "EQ_readPoint" || name == "EQ_bizLocation") {
      for (const auto& a : split_alternatives(value))
        (name == "EQ_readPoint" ? f.read_points : f.biz_locations).push_back(canonical_epc(a).first);
    } else if (name == "EQ_transformationID") {
      append(f.transformation_ids, split_alternatives(value));
    } else if (name == "EQ_eventID") {
      append(f.event_ids, split_alternatives(value));
    } else if (auto m = match_roles().find(name); m != match_roles().end()) {
      EventFilter::Match match{m->second, {}};
      for (const auto& a : split_alternatives(value)) match.values.push_back(canonical_epc(a).first);
      f.matches.push_back(std::move(match));
    } else if (name.rfind("EQ_bizTransaction_", 0) == 0 || name.rfind("EQ_source_", 0) == 0 ||
               name.rfind("EQ_destination_", 0) == 0) {
      auto under = name.find('_', 3);
      std::string kind = name.substr(3, under - 3), type = name.substr(under + 1);
      Vocab vocab = kind == "bizTransaction" ? Vocab::btt : Vocab::sdt;
      std::vector<std::string> values;
      for (const auto& a : split_alternatives(value)) values.push_back(canonical_value(json(a), Vocab::none, ctx));
      f.refs.push_back({kind, canonical_value(json(type), vocab, ctx), values});
    } else if (name.rfind("EQ_ILMD_", 0) == 0 && name.size() > 8) {
      std::vector<std::string> values;
      for (const auto& a : split_alternatives(value)) values.push_back(canonical_value(json(a), Vocab::none, ctx));
      f.fields.push_back({"ilmd", name.substr(8), values});
    } else if (name.rfind("EQ_", 0) == 0 && name.find(':') != std::string::npos) {
      // EQ_<field IRI>: a user extension at the top of the event (EPCIS 2.0 §8.2.7.1 EQ_fieldname).
      std::vector<std::string> values;
      for (const auto& a : split_alternatives(value)) values.push_back(canonical_value(json(a), Vocab::none, ctx));
      f.fields.push_back({"event", name.substr(3), values});
    } else if (name == "orderBy") {
      if (value != "eventTime") errors.push_back({name, "only eventTime is supported: '" + value + "'"});
    } else if (name == "orderDirection") {
      if (value != "ASC" && value != "DESC") errors.push_back({name, "must be ASC or DESC: '" + value + "'"});
      f.descending = value == "DESC";
    } else if (name == "perPage") {
      auto n = parse_integer(value, NumberRange::int32(1, 10000), name);
      if (!n) errors.insert(errors.end(), n.error().fields.begin(), n.error().fields.end());
      else f.per_page = *n;
    } else if (name == "eventCountLimit" || name == "maxEventCount") {
      auto n = parse_integer(value, NumberRange::int32(1, 1000000000), name);
      if (!n) errors.insert(errors.end(), n.error().fields.begin(), n.error().fields.end());
      else f.max_event_count = *n;
    } else if (name == "nextPageToken") {
      auto tilde = value.rfind('~');
      if (tilde == std::string::npos || tilde == 0 || value.find_first_not_of("0123456789", tilde + 1) != std::string::npos ||
          tilde + 1 == value.size() || value.size() - tilde - 1 > 18)  // the id fits an int64
        errors.push_back({name, "not a page token of this repository"});
      f.after = value;
    } else {
      errors.push_back({name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Error::invalid("invalid EPCIS query", std::move(errors));
  return f;
}

}  // namespace nongsan::epcis
