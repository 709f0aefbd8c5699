#include "modules/support/condition.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace nongsan::support {

std::string_view to_string(ValueType t) {
  switch (t) {
    case ValueType::number: return "number";
    case ValueType::string: return "text";
    case ValueType::boolean: return "true/false";
    case ValueType::number_list: return "list of numbers";
    case ValueType::string_list: return "list of texts";
    case ValueType::empty_list: return "empty list";
  }
  return "value";
}

ValueType Value::type() const {
  switch (v.index()) {
    case 0: return ValueType::number;
    case 1: return ValueType::string;
    case 2: return ValueType::boolean;
    case 3: return std::get<3>(v).empty() ? ValueType::empty_list : ValueType::number_list;
    default: return std::get<4>(v).empty() ? ValueType::empty_list : ValueType::string_list;
  }
}

namespace {

std::string number_text(double d) {
  // Text that reads back as the same double, without an exponent for the figures
  // policies use (0.3, 1500000): printf's %.15g, else %.17g. std::to_chars
  // writes exactly what printf would in the C locale, without a stream or a locale per
  // number (every condition of every application writes the values it saw).
  char buf[64];
  auto text = [&](int precision) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, precision);
    return std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
  };
  std::string_view s = text(15);
  double back = 0;
  auto read = std::from_chars(s.data(), s.data() + s.size(), back);
  if (read.ec != std::errc() || back != d) s = text(17);
  return std::string(s);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Value::to_text() const {
  switch (v.index()) {
    case 0: return number_text(std::get<0>(v));
    case 1: return quoted(std::get<1>(v));
    case 2: return std::get<2>(v) ? "true" : "false";
    case 3: {
      std::string out = "[";
      for (const auto& d : std::get<3>(v)) out += (out.size() > 1 ? ", " : "") + number_text(d);
      return out + "]";
    }
    default: {
      std::string out = "[";
      for (const auto& s : std::get<4>(v)) out += (out.size() > 1 ? ", " : "") + quoted(s);
      return out + "]";
    }
  }
}

const FactTable& standard_facts() {
  static const FactTable facts = {
      {"claimed_ha", ValueType::number},         {"quantity", ValueType::number},
      {"applicant_kind", ValueType::string},     {"applicant_commune", ValueType::string},
      {"filed_year", ValueType::number},         {"items", ValueType::number},
  };
  return facts;
}

// ---- syntax tree ------------------------------------------------------------------

enum class NodeKind { literal, fact, compare, membership, all_of, any_of, negation };
enum class CompareOp { eq, ne, lt, le, gt, ge };

struct Node {
  NodeKind kind = NodeKind::literal;
  ValueType type = ValueType::boolean;
  std::size_t begin = 0, end = 0;  // byte range in the text
  Value literal;                   // literal
  std::string fact;                // fact
  CompareOp op = CompareOp::eq;    // compare
  bool negated = false;            // membership: `not in`
  std::vector<std::shared_ptr<const Node>> children;
};

namespace {

std::string_view op_text(CompareOp op) {
  switch (op) {
    case CompareOp::eq: return "==";
    case CompareOp::ne: return "!=";
    case CompareOp::lt: return "<";
    case CompareOp::le: return "<=";
    case CompareOp::gt: return ">";
    case CompareOp::ge: return ">=";
  }
  return "?";
}

// ---- lexer --------------------------------------------------------------------------

enum class Tok { number, string, ident, lbracket, rbracket, lparen, rparen, comma, op, end };

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifier, operator, or the string's value
  double number = 0;
  std::size_t begin = 0, end = 0;
};

struct SyntaxError {
  std::size_t at;  // byte offset
  std::string message;
};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads the number that starts at `i` into `t`; returns where it ends.
std::size_t scan_number(std::string_view s, std::size_t i, Token& t) {
  std::size_t j = i;
  while (j < s.size() && digit(s[j])) ++j;
  if (j < s.size() && s[j] == '.') {
    ++j;
    while (j < s.size() && digit(s[j])) ++j;
  }
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    std::size_t k = j + 1;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    if (k < s.size() && digit(s[k])) {
      j = k;
      while (j < s.size() && digit(s[j])) ++j;
    }
  }
  std::string text(s.substr(i, j - i));
  if (text == ".") throw SyntaxError{i, "a number is expected here"};
  t.number = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(t.number)) throw SyntaxError{i, "the number " + text + " is too large"};
  if (j < s.size() && ident_char(s[j])) throw SyntaxError{j, "a number runs into a word here"};
  t.kind = Tok::number;
  t.text = std::move(text);
  return j;
}

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    Token t;
    t.begin = i;
    if (i == s.size()) {
      t.kind = Tok::end;
      t.end = i;
      out.push_back(t);
      return out;
    }
    char c = s[i];
    if (digit(c) || (c == '.' && i + 1 < s.size() && digit(s[i + 1]))) {
      i = scan_number(s, i, t);
    } else if (c == '"') {
      std::string value;
      std::size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == '"' || s[j + 1] == '\\')) {
          value += s[j + 1];
          j += 2;
        } else if (s[j] == '"') {
          closed = true;
          ++j;
          break;
        } else if (s[j] == '\n') {
          break;
        } else {
          value += s[j++];
        }
      }
      if (!closed) throw SyntaxError{i, "a text in quotes is not closed"};
      t.kind = Tok::string;
      t.text = std::move(value);
      i = j;
    } else if (ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && ident_char(s[j])) ++j;
      t.kind = Tok::ident;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '[' || c == ']' || c == '(' || c == ')' || c == ',') {
      t.kind = c == '[' ? Tok::lbracket : c == ']' ? Tok::rbracket : c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : Tok::comma;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      bool two = i + 1 < s.size() && s[i + 1] == '=';
      if ((c == '=' || c == '!') && !two)
        throw SyntaxError{i, c == '=' ? "write == to compare" : "write != for \"not equal\", or the word not"};
      t.kind = Tok::op;
      t.text = std::string(s.substr(i, two ? 2 : 1));
      i += two ? 2 : 1;
    } else if (c == '-') {
      // A negative number: '-' directly followed by a number.
      if (i + 1 < s.size() && (digit(s[i + 1]) || s[i + 1] == '.')) {
        i = scan_number(s, i + 1, t);
        t.number = -t.number;
        t.text = "-" + t.text;
      } else {
        throw SyntaxError{i, "a minus sign must be followed by a number"};
      }
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // A word with a letter outside ASCII ("diện_tích"): point at the word's start.
      std::size_t start = i;
      while (start > 0 && ident_char(s[start - 1])) --start;
      throw SyntaxError{start, "only plain letters, digits and _ may form a name; put other text in quotes"};
    } else {
      throw SyntaxError{i, std::string("the character '") + c + "' has no meaning here"};
    }
    t.end = i;
    out.push_back(std::move(t));
  }
}

// ---- parser and type checker --------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view text, const FactTable& facts, std::vector<std::string>& used)
      : text_(text), facts_(facts), used_(used), toks_(lex(text)) {}

  std::shared_ptr<const Node> parse() {
    auto n = parse_or(0);
    if (peek().kind != Tok::end) throw SyntaxError{peek().begin, "expected and, or, or the end of the condition"};
    if (n->type != ValueType::boolean)
      throw SyntaxError{n->begin, "the condition must be true or false, but this is a " + std::string(to_string(n->type))};
    return n;
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  const Token& take() { return toks_[pos_++]; }
  bool is_word(const Token& t, std::string_view w) const { return t.kind == Tok::ident && t.text == w; }

  static void guard(int depth, std::size_t at) {
    if (depth > kMaxConditionDepth)
      throw SyntaxError{at, "the condition nests more than " + std::to_string(kMaxConditionDepth) + " deep"};
  }

  std::shared_ptr<Node> join(NodeKind kind, std::vector<std::shared_ptr<const Node>> parts) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->type = ValueType::boolean;
    n->begin = parts.front()->begin;
    n->end = parts.back()->end;
    n->children = std::move(parts);
    return n;
  }

  void need_bool(const Node& n, std::string_view word) {
    if (n.type != ValueType::boolean)
      throw SyntaxError{n.begin, "'" + std::string(word) + "' joins conditions that are true or false, but this is a " +
                                     std::string(to_string(n.type))};
  }

  // `depth` counts the parentheses and `not`s around the current point, which are
  // what nests; the grammar's own levels do not.
  std::shared_ptr<const Node> parse_or(int depth) {
    std::vector<std::shared_ptr<const Node>> parts{parse_and(depth)};
    while (is_word(peek(), "or")) {
      take();
      parts.push_back(parse_and(depth));
    }
    if (parts.size() == 1) return parts.front();
    for (const auto& p : parts) need_bool(*p, "or");
    return join(NodeKind::any_of, std::move(parts));
  }

  std::shared_ptr<const Node> parse_and(int depth) {
    std::vector<std::shared_ptr<const Node>> parts{parse_not(depth)};
    while (is_word(peek(), "and")) {
      take();
      parts.push_back(parse_not(depth));
    }
    if (parts.size() == 1) return parts.front();
    for (const auto& p : parts) need_bool(*p, "and");
    return join(NodeKind::all_of, std::move(parts));
  }

  std::shared_ptr<const Node> parse_not(int depth) {
    if (is_word(peek(), "not")) {
      guard(depth + 1, peek().begin);
      std::size_t begin = take().begin;
      auto child = parse_not(depth + 1);
      need_bool(*child, "not");
      auto n = std::make_shared<Node>();
      n->kind = NodeKind::negation;
      n->begin = begin;
      n->end = child->end;
      n->children = {child};
      return n;
    }
    return parse_comparison(depth);
  }

  std::shared_ptr<const Node> parse_comparison(int depth) {
    auto left = parse_primary(depth);
    const Token& t = peek();
    bool membership = is_word(t, "in");
    bool not_in = is_word(t, "not") && pos_ + 1 < toks_.size() && is_word(toks_[pos_ + 1], "in");
    if (t.kind != Tok::op && !membership && !not_in) return left;
    std::size_t op_at = t.begin;
    auto n = std::make_shared<Node>();
    n->type = ValueType::boolean;
    n->begin = left->begin;
    if (membership || not_in) {
      take();
      if (not_in) take();
      auto right = parse_primary(depth);
      n->kind = NodeKind::membership;
      n->negated = not_in;
      n->end = right->end;
      check_membership(*left, *right, op_at);
      n->children = {left, right};
      return n;
    }
    std::string op = take().text;
    auto right = parse_primary(depth);
    n->kind = NodeKind::compare;
    n->op = op == "==" ? CompareOp::eq : op == "!=" ? CompareOp::ne : op == "<" ? CompareOp::lt
          : op == "<=" ? CompareOp::le : op == ">" ? CompareOp::gt : CompareOp::ge;
    n->end = right->end;
    check_compare(*left, *right, n->op, op_at);
    n->children = {left, right};
    if (peek().kind == Tok::op || is_word(peek(), "in"))
      throw SyntaxError{peek().begin, "comparisons do not chain; join them with and"};
    return n;
  }

  void check_compare(const Node& l, const Node& r, CompareOp op, std::size_t at) {
    bool ordered = op != CompareOp::eq && op != CompareOp::ne;
    bool scalar = l.type == ValueType::number || l.type == ValueType::string || l.type == ValueType::boolean;
    if (!scalar || l.type != r.type)
      throw SyntaxError{at, "cannot compare a " + std::string(to_string(l.type)) + " with a " +
                                std::string(to_string(r.type)) + " using " + std::string(op_text(op))};
    if (ordered && l.type != ValueType::number)
      throw SyntaxError{at, std::string(op_text(op)) + " compares numbers; a " + std::string(to_string(l.type)) +
                                " can only be compared with == or !="};
  }

  void check_membership(const Node& l, const Node& r, std::size_t at) {
    bool list = r.type == ValueType::number_list || r.type == ValueType::string_list || r.type == ValueType::empty_list;
    if (!list) throw SyntaxError{r.begin, "'in' needs a [list] on its right"};
    if (r.type == ValueType::empty_list) {
      if (l.type != ValueType::number && l.type != ValueType::string)
        throw SyntaxError{at, "'in' looks for a number or a text in a list"};
      return;
    }
    ValueType element = r.type == ValueType::number_list ? ValueType::number : ValueType::string;
    if (l.type != element)
      throw SyntaxError{at, "cannot look for a " + std::string(to_string(l.type)) + " in a " +
                                std::string(to_string(r.type))};
  }

  std::shared_ptr<const Node> parse_primary(int depth) {
    const Token& t = take();
    auto n = std::make_shared<Node>();
    n->begin = t.begin;
    n->end = t.end;
    switch (t.kind) {
      case Tok::number:
        n->kind = NodeKind::literal;
        n->literal.v = t.number;
        n->type = ValueType::number;
        return n;
      case Tok::string:
        n->kind = NodeKind::literal;
        n->literal.v = t.text;
        n->type = ValueType::string;
        return n;
      case Tok::lparen: {
        guard(depth + 1, t.begin);
        auto inner = parse_or(depth + 1);
        const Token& close = take();
        if (close.kind != Tok::rparen) throw SyntaxError{close.begin, "a '(' is not closed here"};
        auto copy = std::make_shared<Node>(*inner);
        copy->begin = t.begin;
        copy->end = close.end;
        return copy;
      }
      case Tok::lbracket: return parse_list(t);
      case Tok::ident: {
        if (t.text == "true" || t.text == "false") {
          n->kind = NodeKind::literal;
          n->literal.v = t.text == "true";
          n->type = ValueType::boolean;
          return n;
        }
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in")
          throw SyntaxError{t.begin, "'" + t.text + "' cannot stand here; a value is expected"};
        auto f = facts_.find(t.text);
        if (f == facts_.end()) {
          std::string known;
          for (const auto& [name, type] : facts_) known += (known.empty() ? "" : ", ") + name;
          throw SyntaxError{t.begin, "unknown fact '" + t.text + "' (known: " + known + ")"};
        }
        n->kind = NodeKind::fact;
        n->fact = t.text;
        n->type = f->second;
        if (std::find(used_.begin(), used_.end(), t.text) == used_.end()) used_.push_back(t.text);
        return n;
      }
      case Tok::end: throw SyntaxError{t.begin, "the condition ends where a value is expected"};
      default: throw SyntaxError{t.begin, "'" + t.text + "' cannot stand here; a value is expected"};
    }
  }

  std::shared_ptr<const Node> parse_list(const Token& open) {
    std::vector<double> numbers;
    std::vector<std::string> texts;
    bool first = true;
    while (true) {
      const Token& t = take();
      if (t.kind == Tok::rbracket && first) {
        auto n = std::make_shared<Node>();
        n->kind = NodeKind::literal;
        n->literal.v = std::vector<double>{};
        n->type = ValueType::empty_list;
        n->begin = open.begin;
        n->end = t.end;
        return n;
      }
      if (t.kind == Tok::number) {
        if (!texts.empty()) throw SyntaxError{t.begin, "a list holds numbers or texts, not both"};
        numbers.push_back(t.number);
      } else if (t.kind == Tok::string) {
        if (!numbers.empty()) throw SyntaxError{t.begin, "a list holds numbers or texts, not both"};
        texts.push_back(t.text);
      } else {
        throw SyntaxError{t.begin, "a list holds numbers or texts in quotes"};
      }
      first = false;
      const Token& sep = take();
      if (sep.kind == Tok::rbracket) {
        auto n = std::make_shared<Node>();
        n->kind = NodeKind::literal;
        if (texts.empty()) {
          n->literal.v = std::move(numbers);
          n->type = ValueType::number_list;
        } else {
          n->literal.v = std::move(texts);
          n->type = ValueType::string_list;
        }
        n->begin = open.begin;
        n->end = sep.end;
        return n;
      }
      if (sep.kind != Tok::comma) throw SyntaxError{sep.begin, "expected , or ] in the list"};
    }
  }

  std::string_view text_;
  const FactTable& facts_;
  std::vector<std::string>& used_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
};

// Characters, not bytes, for the position a person reads (texts may hold Vietnamese).
std::size_t char_position(std::string_view text, std::size_t byte) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// ---- evaluation ---------------------------------------------------------------------

struct EvalError {
  std::string message;
};

struct Evaluator {
  std::string_view text;
  const std::map<std::string, Value, std::less<>>& values;
  std::vector<Condition::Step>& steps;

  Value eval(const Node& n) {
    switch (n.kind) {
      case NodeKind::literal: return n.literal;
      case NodeKind::fact: {
        auto it = values.find(n.fact);
        if (it == values.end()) throw EvalError{"the fact '" + n.fact + "' has no value"};
        if (it->second.type() != n.type && !(n.type == ValueType::number_list && it->second.type() == ValueType::empty_list) &&
            !(n.type == ValueType::string_list && it->second.type() == ValueType::empty_list))
          throw EvalError{"the fact '" + n.fact + "' is a " + std::string(to_string(it->second.type())) + ", not a " +
                          std::string(to_string(n.type))};
        return it->second;
      }
      case NodeKind::negation: return Value{!std::get<bool>(eval(*n.children[0]).v)};
      case NodeKind::all_of:
      case NodeKind::any_of: {
        // Every part is evaluated (no short cut), so the trace shows every comparison.
        bool all = true, any = false;
        for (const auto& c : n.children) {
          bool b = std::get<bool>(eval(*c).v);
          all = all && b;
          any = any || b;
        }
        return Value{n.kind == NodeKind::all_of ? all : any};
      }
      case NodeKind::compare: {
        Value l = eval(*n.children[0]), r = eval(*n.children[1]);
        bool result = false;
        if (l.type() == ValueType::number) {
          double a = std::get<double>(l.v), b = std::get<double>(r.v);
          switch (n.op) {
            case CompareOp::eq: result = a == b; break;
            case CompareOp::ne: result = a != b; break;
            case CompareOp::lt: result = a < b; break;
            case CompareOp::le: result = a <= b; break;
            case CompareOp::gt: result = a > b; break;
            case CompareOp::ge: result = a >= b; break;
          }
        } else {
          result = (l.v == r.v) == (n.op == CompareOp::eq);
        }
        steps.push_back({std::string(text.substr(n.begin, n.end - n.begin)), l.to_text(), std::string(op_text(n.op)),
                         r.to_text(), result});
        return Value{result};
      }
      case NodeKind::membership: {
        Value l = eval(*n.children[0]), r = eval(*n.children[1]);
        bool found = false;
        if (const auto* nums = std::get_if<std::vector<double>>(&r.v)) {
          if (const auto* d = std::get_if<double>(&l.v))
            for (double x : *nums) found = found || x == *d;
        } else if (const auto* texts = std::get_if<std::vector<std::string>>(&r.v)) {
          if (const auto* s = std::get_if<std::string>(&l.v))
            for (const auto& x : *texts) found = found || x == *s;
        }
        bool result = found != n.negated;
        steps.push_back({std::string(text.substr(n.begin, n.end - n.begin)), l.to_text(), n.negated ? "not in" : "in",
                         r.to_text(), result});
        return Value{result};
      }
    }
    return Value{false};
  }
};

}  // namespace

Result<Condition> Condition::parse(std::string_view text, const FactTable& facts, std::string_view field) {
  Condition c;
  c.text_ = std::string(text);
  std::string_view body = text;
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t' || body.front() == '\n' || body.front() == '\r'))
    body.remove_prefix(1);
  if (body.empty()) return c;  // no condition: always holds
  const std::string f(field);
  if (text.size() > kMaxConditionLength)
    return Error::invalid("the condition is longer than " + std::to_string(kMaxConditionLength) + " characters",
                          {{f, "is too long"}});
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\0') return Error::invalid("position " + std::to_string(char_position(text, i)) + ": a NUL byte", {{f, "holds a NUL byte"}});
  try {
    Parser p(text, facts, c.facts_used_);
    c.root_ = p.parse();
  } catch (const SyntaxError& e) {
    std::string message = "position " + std::to_string(char_position(text, e.at)) + ": " + e.message;
    return Error::invalid("the condition is not valid: " + message, {{f, message}});
  }
  return c;
}

Result<Condition::Evaluation> Condition::evaluate(const std::map<std::string, Value, std::less<>>& values) const {
  Evaluation out;
  if (!root_) return out;
  try {
    Evaluator e{text_, values, out.steps};
    out.holds = std::get<bool>(e.eval(*root_).v);
  } catch (const EvalError& e) {
    return Error::internal("condition '" + text_ + "': " + e.message);
  }
  return out;
}

}  // namespace nongsan::support
