#include "core/messages.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/embedded_messages.hpp"
#include "core/json_input.hpp"
#include "core/number_input.hpp"

namespace nongsan {

using nlohmann::json;

std::string_view to_string(Language lang) { return lang == Language::en ? "en" : "vi"; }

std::optional<Language> parse_language(std::string_view text) {
  std::string t;
  for (char c : text) {
    if (c == '-' || c == '_' || c == '.' || c == '@' || c == ';') break;
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (t == "vi") return Language::vi;
  if (t == "en") return Language::en;
  return std::nullopt;
}

Language language_from_accept(std::string_view header) {
  // "en-US,en;q=0.9,vi;q=0.8": the first range with the highest q that we speak.
  std::optional<Language> best;
  double best_q = 0;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto comma = header.find(',', pos);
    std::string_view item = header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1;
    if (auto semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      if (auto qpos = params.find("q="); qpos != std::string_view::npos) {
        std::string_view v = params.substr(qpos + 2);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        auto n = parse_real(v, NumberRange::real(0, 1), "q");
        q = n ? *n : 0;
      }
      item = item.substr(0, semi);
    }
    if (auto lang = parse_language(item); lang && q > best_q) {
      best = lang;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return best.value_or(Language::vi);
}

// ---- templates ---------------------------------------------------------------------

struct MessageCatalogue::Template {
  std::string key;
  std::vector<std::string> literals;  // literals.size() == slots.size() + 1
  std::vector<int> slots;             // placeholder numbers between the literals
  std::vector<std::string> out_literals;
  std::vector<int> out_slots;
  std::size_t literal_chars = 0;
};

namespace {

// "a {1} b {2}" -> literals {"a ", " b ", ""}, slots {1, 2}; nullopt when malformed.
bool split_template(const std::string& text, std::vector<std::string>& literals, std::vector<int>& slots) {
  literals.assign(1, "");
  slots.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      std::size_t j = i + 1;
      int n = 0;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9' && j - i < 3) n = n * 10 + (text[j++] - '0');
      if (j < text.size() && text[j] == '}' && j > i + 1) {
        slots.push_back(n);
        literals.emplace_back();
        i = j;
        continue;
      }
    }
    literals.back() += text[i];
  }
  return true;
}

// Matches `text` against the template; fills `captures` (by slot order). Placeholders
// take at least one character, and the leftmost split that works.
bool match_from(const MessageCatalogue::Template& t, std::string_view text, std::size_t lit, std::size_t pos,
                std::vector<std::string_view>& captures) {
  if (lit + 1 == t.literals.size()) return pos == text.size();
  const std::string& next = t.literals[lit + 1];
  const bool last = lit + 2 == t.literals.size();
  if (last) {
    if (text.size() < pos + 1 + next.size() || text.substr(text.size() - next.size()) != next) return false;
    captures.push_back(text.substr(pos, text.size() - next.size() - pos));
    return true;
  }
  for (std::size_t at = text.find(next, pos + 1); at != std::string_view::npos; at = text.find(next, at + 1)) {
    captures.push_back(text.substr(pos, at - pos));
    if (match_from(t, text, lit + 1, at + next.size(), captures)) return true;
    captures.pop_back();
    if (next.empty()) break;
  }
  return false;
}

bool match(const MessageCatalogue::Template& t, std::string_view text, std::vector<std::string_view>& captures) {
  captures.clear();
  const std::string& first = t.literals.front();
  if (text.size() < t.literal_chars + t.slots.size() || text.substr(0, first.size()) != first) return false;
  return match_from(t, text, 0, first.size(), captures);
}

Result<std::vector<std::shared_ptr<const MessageCatalogue::Template>>> compile(const json& section,
                                                                               const std::string& name) {
  std::vector<std::shared_ptr<const MessageCatalogue::Template>> out;
  if (section.is_null()) return out;
  if (!section.is_object()) return Error::invalid("the message catalogue is not valid", {{name, "must be an object"}});
  std::vector<FieldError> errors;
  for (const auto& [key, value] : section.items()) {
    if (!value.is_string()) {
      errors.push_back({name + "." + key, "must be a string"});
      continue;
    }
    auto t = std::make_shared<MessageCatalogue::Template>();
    t->key = key;
    split_template(key, t->literals, t->slots);
    split_template(value.get<std::string>(), t->out_literals, t->out_slots);
    bool adjacent = false;
    for (std::size_t i = 1; i + 1 < t->literals.size(); ++i) adjacent |= t->literals[i].empty();
    std::multiset<int> in(t->slots.begin(), t->slots.end()), outs(t->out_slots.begin(), t->out_slots.end());
    if (adjacent) errors.push_back({name + "." + key, "two placeholders must not touch"});
    else if (std::set<int>(in.begin(), in.end()).size() != in.size() ||
             std::set<int>(in.begin(), in.end()) != std::set<int>(outs.begin(), outs.end()))
      errors.push_back({name + "." + key, "the translation must use each placeholder of the key, and the key each once"});
    for (const auto& l : t->literals) t->literal_chars += l.size();
    out.push_back(std::move(t));
  }
  if (!errors.empty()) return Error::invalid("the message catalogue is not valid", std::move(errors));
  return out;
}

}  // namespace

Result<MessageCatalogue> MessageCatalogue::parse(std::string_view document) {
  auto doc = parse_json_input(document, "the message catalogue");
  if (!doc) return doc.error();
  if (!doc->is_object()) return Error::invalid("the message catalogue is not valid", {{"catalogue", "must be an object"}});
  MessageCatalogue c;
  auto m = compile(doc->value("messages", json()), "messages");
  if (!m) return m.error();
  auto f = compile(doc->value("fields", json()), "fields");
  if (!f) return f.error();
  c.messages_ = std::move(*m);
  c.fields_ = std::move(*f);
  return c;
}

const MessageCatalogue& MessageCatalogue::embedded() {
  static const MessageCatalogue catalogue = [] {
    for (const auto& file : messages::embedded_message_files())
      if (file.path == "/vi.json") {
        auto c = parse(std::string_view(reinterpret_cast<const char*>(file.data), file.size));
        if (c) return std::move(*c);
      }
    return MessageCatalogue{};  // a broken catalogue leaves messages in English (the tests catch it)
  }();
  return catalogue;
}

std::string MessageCatalogue::apply(const std::vector<std::shared_ptr<const Template>>& section, std::string_view text,
                                    int depth, bool translate_parts) const {
  const Template* best = nullptr;
  std::vector<std::string_view> captures, best_captures;
  for (const auto& t : section)
    if ((!best || t->literal_chars > best->literal_chars) && match(*t, text, captures)) {
      best = t.get();
      best_captures = captures;
    }
  if (!best) return std::string(text);
  std::string out = best->out_literals[0];
  for (std::size_t i = 0; i < best->out_slots.size(); ++i) {
    auto slot = std::find(best->slots.begin(), best->slots.end(), best->out_slots[i]);
    const std::size_t k = static_cast<std::size_t>(slot - best->slots.begin());
    std::string_view part = best_captures[k];
    // A variable part may itself be a message ("line 3, column 14"); data stays as it
    // is, and a part the key quotes ('{1}', "{1}") is data.
    const std::string& before = best->literals[k];
    const std::string& after = best->literals[k + 1];
    bool quoted = !before.empty() && !after.empty() && (before.back() == '\'' || before.back() == '"') &&
                  after.front() == before.back();
    out += translate_parts && !quoted && depth < 3 ? apply(messages_, part, depth + 1, true) : std::string(part);
    out += best->out_literals[i + 1];
  }
  return out;
}

std::string MessageCatalogue::translate(std::string_view english, Language lang) const {
  if (lang == Language::en || english.empty()) return std::string(english);
  return apply(messages_, english, 0, true);
}

std::string MessageCatalogue::translate_field(std::string_view field, Language lang) const {
  if (lang == Language::en) return std::string(field);
  return apply(fields_, field, 0, false);  // the parts are column names and numbers
}

Error MessageCatalogue::translate(const Error& e, Language lang) const {
  if (lang == Language::en) return e;
  Error out{e.code, translate(e.message, lang), {}};
  for (const auto& f : e.fields) out.fields.push_back({translate_field(f.field, lang), translate(f.message, lang)});
  return out;
}

std::optional<std::string> MessageCatalogue::key_for(std::string_view english) const {
  const Template* best = nullptr;
  std::vector<std::string_view> captures;
  for (const auto& t : messages_)
    if ((!best || t->literal_chars > best->literal_chars) && match(*t, english, captures)) best = t.get();
  if (!best) return std::nullopt;
  return best->key;
}

std::vector<std::string> MessageCatalogue::keys() const {
  std::vector<std::string> out;
  for (const auto& t : messages_) out.push_back(t->key);
  return out;
}

std::string translate_message(std::string_view english, Language lang) {
  return MessageCatalogue::embedded().translate(english, lang);
}
Error translate_error(const Error& e, Language lang) { return MessageCatalogue::embedded().translate(e, lang); }

}  // namespace nongsan
