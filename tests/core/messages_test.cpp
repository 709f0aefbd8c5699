// Error messages in Vietnamese: the catalogue (src/core/messages/vi.json) and its
// matching, and a scan of src/ that fails when a message literal has no Vietnamese
// entry — so that a message added anywhere is caught before it reaches an officer in
// English. The scan knows the places messages are written:
//   Error::invalid(...) and the other factories; Error{ErrorCode::x, "…"};
//   FieldError{field, "…"} and {field, "…"} pairs in an Error's field list;
//   X.push_back({field, "…"}) / X.emplace_back(field, "…") for a std::vector<FieldError> X;
//   fail(…, "…") and problems/pr/all/errors/errs/issues.add(…, "…") (importers' helpers);
//   std::string message (or msg, why) = "…" + …; a message built before its use.
// fmt's "{}" in a literal stands for the catalogue's {1}, {2} ….
// A new kind of helper that takes a message needs a line in `sinks` below.
#include "core/messages.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace nongsan {

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ---- a tokenizer that knows C++ strings and comments, and nothing else --------------

struct Token {
  enum Kind { str, punct, word, op } kind;
  std::string text;
  int line = 0;
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  int line = 1;
  std::size_t i = 0, n = s.size();
  auto count_lines = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to && k < n; ++k) line += s[k] == '\n';
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (s.compare(i, 2, "//") == 0) {
      i = s.find('\n', i);
      if (i == std::string::npos) i = n;
    } else if (s.compare(i, 2, "/*") == 0) {
      std::size_t e = s.find("*/", i + 2);
      e = e == std::string::npos ? n : e + 2;
      count_lines(i, e);
      i = e;
    } else if (c == 'R' && i + 1 < n && s[i + 1] == '"' && (i == 0 || !std::isalnum(static_cast<unsigned char>(s[i - 1])))) {
      std::size_t open = s.find('(', i + 2);
      std::string delim = ")" + s.substr(i + 2, open - i - 2) + "\"";
      std::size_t e = s.find(delim, open);
      out.push_back({Token::str, s.substr(open + 1, e - open - 1), line});
      count_lines(i, e);
      i = e + delim.size();
    } else if (c == '"') {
      std::string text;
      std::size_t j = i + 1;
      while (j < n && s[j] != '"') {
        if (s[j] == '\\' && j + 1 < n) {
          char e = s[j + 1];
          text += e == 'n' ? '\n' : e == 't' ? '\t' : e == '0' ? '\0' : e;
          j += 2;
        } else {
          text += s[j++];
        }
      }
      // "a" "b": adjacent literals are one.
      if (!out.empty() && out.back().kind == Token::str && out.back().line == line) out.back().text += text;
      else out.push_back({Token::str, text, line});
      i = j + 1;
    } else if (c == '\'') {
      std::size_t j = i + 1;
      while (j < n && s[j] != '\'') j += s[j] == '\\' ? 2 : 1;
      i = j + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::word, s.substr(i, j - i), line});
      i = j;
    } else if (std::string_view("(){}[],;").find(c) != std::string_view::npos) {
      out.push_back({Token::punct, std::string(1, c), line});
      ++i;
    } else {
      out.push_back({Token::op, std::string(1, c), line});
      ++i;
    }
  }
  return out;
}

using Tokens = std::vector<Token>;

bool is(const Tokens& t, std::size_t i, std::string_view text) { return i < t.size() && t[i].text == text; }

// The arguments of the bracket at `open`, split at its top-level commas.
std::vector<Tokens> arguments(const Tokens& t, std::size_t open) {
  std::vector<Tokens> args(1);
  int depth = 0;
  for (std::size_t k = open; k < t.size(); ++k) {
    const Token& x = t[k];
    if (x.kind == Token::punct && (x.text == "(" || x.text == "{" || x.text == "[")) {
      if (depth++ == 0) continue;
    } else if (x.kind == Token::punct && (x.text == ")" || x.text == "}" || x.text == "]")) {
      if (--depth == 0) break;
    } else if (depth == 1 && x.kind == Token::punct && x.text == ",") {
      args.emplace_back();
      continue;
    }
    args.back().push_back(x);
  }
  return args;
}

// "no user with id " + std::to_string(id) -> "no user with id {1}"
std::string template_of(const Tokens& arg) {
  std::vector<Tokens> parts(1);
  int depth = 0;
  for (const auto& x : arg) {
    if (x.kind == Token::punct && (x.text == "(" || x.text == "{" || x.text == "[")) ++depth;
    if (x.kind == Token::punct && (x.text == ")" || x.text == "}" || x.text == "]")) --depth;
    if (depth == 0 && x.kind == Token::op && x.text == "+") {
      parts.emplace_back();
      continue;
    }
    parts.back().push_back(x);
  }
  std::string out;
  int n = 0;
  for (const auto& p : parts) {
    std::string lit, rest;
    for (const auto& x : p) (x.kind == Token::str ? lit : rest) += x.text;
    bool literal = !lit.empty() && (rest.empty() || rest == "std::string()" || rest == "std::string" ||
                                    std::regex_match(rest, std::regex(R"((std::string\(|\)|::)*)")));
    out += literal ? lit : "{" + std::to_string(++n) + "}";
  }
  return out;
}

struct Found {
  std::string literal;
  std::string where;
  std::string suggestion;  // a key for the catalogue
};

// Messages in {field, "message"} pairs anywhere inside `arg`.
void pairs_in(const Tokens& arg, const std::string& file, std::vector<Found>& out) {
  for (std::size_t k = 0; k < arg.size(); ++k) {
    if (!(arg[k].kind == Token::punct && arg[k].text == "{")) continue;
    auto inner = arguments(arg, k);
    bool nested = false;
    for (const auto& a : inner)
      for (const auto& x : a) nested |= x.kind == Token::punct && x.text == "{";
    if (inner.size() == 2 && !nested)
      for (const auto& x : inner[1])
        if (x.kind == Token::str) out.push_back({x.text, file + ":" + std::to_string(x.line), template_of(inner[1])});
  }
}

void literals_in(const Tokens& arg, const std::string& file, std::vector<Found>& out) {
  for (const auto& x : arg)
    if (x.kind == Token::str) out.push_back({x.text, file + ":" + std::to_string(x.line), template_of(arg)});
}

std::vector<Found> message_literals(const std::string& file, const std::string& source) {
  Tokens t = tokenize(source);
  std::vector<Found> out;
  // Names declared as std::vector<FieldError> in this file.
  std::set<std::string> field_vectors;
  std::regex decl(R"(std::vector<FieldError>\s*&?\s*(\w+))");
  for (std::sregex_iterator it(source.begin(), source.end(), decl), end; it != end; ++it) field_vectors.insert((*it)[1]);
  static const std::set<std::string> factories = {"invalid", "not_found", "forbidden", "unauthenticated", "conflict",
                                                  "internal"};
  static const std::set<std::string> collectors = {"problems", "pr", "all", "errors", "errs", "issues"};
  for (std::size_t i = 0; i < t.size(); ++i) {
    // Error::invalid( message, {{field, message}, ...} )
    if (is(t, i, "Error") && is(t, i + 1, ":") && is(t, i + 2, ":") && i + 3 < t.size() &&
        factories.count(t[i + 3].text) && is(t, i + 4, "(")) {
      auto args = arguments(t, i + 4);
      literals_in(args[0], file, out);
      for (std::size_t a = 1; a < args.size(); ++a) pairs_in(args[a], file, out);
    }
    // Error{ErrorCode::x, message, ...} and a bare {ErrorCode::x, message, ...}
    // (not a table row such as error.cpp's {ErrorCode::x, "wire_name", 400, 65})
    if (is(t, i, "{") && is(t, i + 1, "ErrorCode") && is(t, i + 2, ":") && i > 0 &&
        (t[i - 1].text == "Error" || t[i - 1].text == "(" || t[i - 1].text == "return" || t[i - 1].text == "=")) {
      auto args = arguments(t, i);
      if (args.size() > 1) literals_in(args[1], file, out);
    }
    // FieldError{field, message}
    if (is(t, i, "FieldError") && is(t, i + 1, "{")) {
      auto args = arguments(t, i + 1);
      if (args.size() == 2) literals_in(args[1], file, out);
    }
    // errors.push_back({field, message}) / errors.emplace_back(field, message)
    if (i + 3 < t.size() && t[i].kind == Token::word && field_vectors.count(t[i].text) && is(t, i + 1, ".") &&
        (is(t, i + 2, "push_back") || is(t, i + 2, "emplace_back")) && is(t, i + 3, "(")) {
      auto args = arguments(t, i + 3);
      if (args.size() == 2) literals_in(args[1], file, out);
      else if (args.size() == 1) pairs_in(args[0], file, out);
    }
    // std::string message = "..." + ...; (a message built before it is used)
    if (is(t, i, "std") && is(t, i + 3, "string") && i + 5 < t.size() &&
        (t[i + 4].text == "message" || t[i + 4].text == "msg" || t[i + 4].text == "why") && is(t, i + 5, "=")) {
      Tokens expr;
      int depth = 0;
      for (std::size_t k = i + 6; k < t.size() && !(depth == 0 && t[k].text == ";"); ++k) {
        if (t[k].text == "(" || t[k].text == "{" || t[k].text == "[") ++depth;
        if (t[k].text == ")" || t[k].text == "}" || t[k].text == "]") --depth;
        expr.push_back(t[k]);
      }
      literals_in(expr, file, out);
    }
    // fail(..., message) and problems.add(..., message): the last argument
    bool fail = is(t, i, "fail") && is(t, i + 1, "(") && !(i > 0 && t[i - 1].kind == Token::word);
    bool add = t[i].kind == Token::word && collectors.count(t[i].text) &&
               ((is(t, i + 1, ".") && is(t, i + 2, "add") && is(t, i + 3, "(")) ||
                (is(t, i + 1, "-") && is(t, i + 2, ">") && is(t, i + 3, "add") && is(t, i + 4, "(")));
    if (fail || add) {
      std::size_t open = fail ? i + 1 : (is(t, i + 1, ".") ? i + 3 : i + 4);
      auto args = arguments(t, open);
      if (args.size() >= 2) literals_in(args.back(), file, out);
    }
  }
  return out;
}

bool has_letter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

}  // namespace

TEST(Messages, EveryMessageLiteralInSrcHasAVietnameseEntry) {
  const std::filesystem::path src = NONGSAN_SOURCE_DIR;
  auto catalogue = MessageCatalogue::parse(slurp(src / "core" / "messages" / "vi.json"));
  ASSERT_TRUE(catalogue) << catalogue.error().message;
  const auto keys = catalogue->keys();
  std::size_t scanned = 0;
  std::map<std::string, Found> missing;  // by literal, so that each shows once
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::string rel = std::filesystem::relative(entry.path(), src.parent_path()).string();
    for (const auto& f : message_literals(rel, slurp(entry.path()))) {
      if (!has_letter(f.literal)) continue;  // punctuation between variable parts
      ++scanned;
      // A literal given to fmt::format ("must be from {} to {}") has the catalogue's
      // placeholders where fmt's are: "must be from {1} to {2}".
      std::string literal = f.literal;
      int slot = 0;
      for (auto at = literal.find("{}"); at != std::string::npos; at = literal.find("{}", at))
        literal.replace(at, 2, "{" + std::to_string(++slot) + "}");
      bool known = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return k.find(literal) != std::string::npos; });
      if (!known) missing.emplace(f.literal, f);
    }
  }
  EXPECT_GT(scanned, 500u) << "the scan found too few messages: has the code changed how it writes them?";
  std::string report;
  for (const auto& [literal, f] : missing)
    report += "  " + f.where + ": \"" + literal + "\"\n    in the message \"" + f.suggestion +
              "\": add an entry to src/core/messages/vi.json\n";
  EXPECT_TRUE(missing.empty()) << missing.size() << " message(s) have no Vietnamese entry:\n" << report;
}

TEST(Messages, CatalogueIsWellFormedAndEmbedded) {
  auto text = slurp(std::filesystem::path(NONGSAN_SOURCE_DIR) / "core" / "messages" / "vi.json");
  auto catalogue = MessageCatalogue::parse(text);
  ASSERT_TRUE(catalogue) << catalogue.error().message;
  EXPECT_EQ(MessageCatalogue::embedded().keys(), catalogue->keys()) << "rebuild: the embedded catalogue is stale";
  const std::set<std::string> same_in_both = {"nay"};  // Vietnamese already in the code ("until now")
  for (const auto& k : catalogue->keys()) {
    if (!same_in_both.count(k)) {
      EXPECT_NE(catalogue->translate(k, Language::vi), k) << "no translation for: " << k;
    }
    EXPECT_EQ(catalogue->key_for(k), k) << "another key is more specific than: " << k;
  }
  auto broken = MessageCatalogue::parse(R"({"messages": {"no user with id {1}": "không tìm thấy người dùng"}})");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().fields.at(0).field, "messages.no user with id {1}");
  EXPECT_FALSE(MessageCatalogue::parse(R"({"messages": {"{1}{2}": "{1}{2}"}})"));
}

TEST(Messages, VietnameseByDefaultWithTheVariablePartsKept) {
  EXPECT_EQ(translate_message("no user with id 42", Language::vi), "không tìm thấy người dùng có id 42");
  EXPECT_EQ(translate_message("no user with id 42", Language::en), "no user with id 42");
  EXPECT_EQ(translate_message("wrong username or password", Language::vi), "sai tên đăng nhập hoặc mật khẩu");
  // A variable part that is itself a message is translated; data is not.
  EXPECT_EQ(translate_message("the request body is not valid JSON at line 3, column 14", Language::vi),
            "nội dung yêu cầu không phải JSON hợp lệ tại dòng 3, cột 14");
  EXPECT_EQ(translate_message("no user named 'is required'", Language::vi), "không tìm thấy người dùng tên 'is required'")
      << "a part the key quotes is data, even when it reads like a message";
  // Placeholders may be reordered.
  EXPECT_EQ(translate_message("your role (inspector) does not have the permission users.read", Language::vi),
            "vai trò của bạn (inspector) không có quyền users.read");
  // The most specific key wins: "must be between {1} and {2}" over "must be {1}".
  EXPECT_EQ(translate_message("must be between 1 and 500", Language::vi), "phải từ 1 đến 500");
  EXPECT_EQ(translate_message("a message nobody wrote down", Language::vi), "a message nobody wrote down");
  Error e = Error::invalid("the user is not valid", {{"unit_id", "is required for a unit officer"},
                                                    {"line 12, column code", "must not be empty"}});
  Error vi = translate_error(e, Language::vi);
  EXPECT_EQ(vi.code, ErrorCode::invalid_input);
  EXPECT_EQ(vi.message, "thông tin người dùng không hợp lệ");
  EXPECT_EQ(vi.fields[0].field, "unit_id");  // field names are the API's, never translated
  EXPECT_EQ(vi.fields[0].message, "là bắt buộc với cán bộ cấp huyện/xã");
  EXPECT_EQ(vi.fields[1].field, "dòng 12, cột code");
  EXPECT_EQ(vi.fields[1].message, "không được để trống");
}

TEST(Messages, SupportGeometryAndReportMessagesReadInVietnamese) {
  // Messages of the support module, with their variable parts.
  EXPECT_EQ(translate_message("four eyes: whoever approved an application may not pay it (docs/rules.md §3)", Language::vi),
            "nguyên tắc hai người: người đã phê duyệt hồ sơ không được chi trả hồ sơ đó (docs/rules.md §3)");
  EXPECT_EQ(translate_message("no version of policy NQ07-TEA is in force on 2020-01-01", Language::vi),
            "không có phiên bản nào của chính sách NQ07-TEA có hiệu lực vào ngày 2020-01-01");
  EXPECT_EQ(translate_message("must be payment or recovery", Language::vi), "phải là payment (chi trả) hoặc recovery (thu hồi)");
  // A geometry message with and without the place it names in front.
  EXPECT_EQ(translate_message("the ring is not closed: its last position must repeat its first", Language::vi),
            "vòng chưa khép kín: vị trí cuối phải trùng vị trí đầu");
  EXPECT_EQ(translate_message("coordinates[0]: a ring needs at least 4 positions (the first repeated at the end), not 3",
                              Language::vi),
            "coordinates[0]: một vòng cần ít nhất 4 vị trí (vị trí đầu lặp lại ở cuối), không phải 3");
  // fmt-formatted messages of the review contract.
  EXPECT_EQ(translate_message("must be from 0 to 100", Language::vi), "phải từ 0 đến 100");
  EXPECT_EQ(translate_message("a topology_check job is already under way; follow it or wait for it to end", Language::vi),
            "một công việc chạy nền topology_check đang được thực hiện; hãy theo dõi hoặc chờ công việc đó kết thúc");
}

TEST(Messages, PolicyConditionsAndObservationStepsReadInVietnamese) {
  // A condition's mistake: the position, then the mistake itself, its parts translated.
  EXPECT_EQ(translate_message("position 38: write == to compare", Language::vi), "vị trí 38: viết == để so sánh bằng");
  EXPECT_EQ(translate_message("the condition is not valid: position 1: unknown fact 'claimed_area' (known: claimed_ha, "
                              "quantity)",
                              Language::vi),
            "điều kiện không hợp lệ: vị trí 1: không biết dữ kiện 'claimed_area' (các dữ kiện: claimed_ha, quantity)");
  EXPECT_EQ(translate_message("position 12: cannot compare a number with a text using ==", Language::vi),
            "vị trí 12: không thể so sánh số với chữ bằng ==");
  // The targets' steps: no English action or status left inside the sentence.
  EXPECT_EQ(translate_message("cannot approve an observation that is approved", Language::vi),
            "không thể duyệt số liệu đang ở trạng thái đã duyệt");
  EXPECT_EQ(translate_message("an observation of CHE_DT for Xã Bình Lư, 2025 already exists (#12, submitted): open it "
                              "to change it",
                              Language::vi),
            "đã có số liệu CHE_DT của Xã Bình Lư, năm 2025 (#12, đã gửi): hãy mở số liệu đó để sửa");
}

TEST(Messages, LanguageOfAcceptLanguageAndLocales) {
  EXPECT_EQ(language_from_accept(""), Language::vi);
  EXPECT_EQ(language_from_accept("en"), Language::en);
  EXPECT_EQ(language_from_accept("en-US,en;q=0.9"), Language::en);
  EXPECT_EQ(language_from_accept("fr-FR, en;q=0.5"), Language::en);
  EXPECT_EQ(language_from_accept("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Language::vi);
  EXPECT_EQ(language_from_accept("en;q=0.2, vi;q=0.8"), Language::vi);
  EXPECT_EQ(language_from_accept("de, fr"), Language::vi);
  EXPECT_EQ(language_from_accept("en;q=0"), Language::vi);
  EXPECT_EQ(parse_language("en_US.UTF-8"), Language::en);
  EXPECT_EQ(parse_language("vi_VN.UTF-8"), Language::vi);
  EXPECT_EQ(parse_language("C.UTF-8"), std::nullopt);
}

}  // namespace nongsan
