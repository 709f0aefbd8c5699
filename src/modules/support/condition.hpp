// The conditions of a support policy: a small, safe expression language that an
// official can read, e.g.
//
//   claimed_ha >= 0.3 and applicant_kind in ["household", "cooperative"]
//
// Numbers, "strings" and [lists] of either; == != < <= > >=, `in` and `not in`,
// `and`, `or`, `not`, parentheses, true and false. Identifiers are facts of the
// application (FactTable below: claimed_ha, quantity, applicant_kind, …). A condition
// is parsed and type-checked when a policy is saved — an unknown fact or a type error
// is refused with its position — and evaluated with a trace that shows, for every
// comparison, the values it saw, so that an officer can see why an application was or
// was not eligible. Why a hand-written parser and not a library: docs/adr (policy
// conditions).
//
// Pure: no I/O, no database. Must not depend on anything but core.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace nongsan::support {

enum class ValueType { number, string, boolean, number_list, string_list, empty_list };
std::string_view to_string(ValueType t);

// A value a condition computes with. Lists hold numbers or strings, never both.
struct Value {
  std::variant<double, std::string, bool, std::vector<double>, std::vector<std::string>> v;
  ValueType type() const;
  std::string to_text() const;  // as the language writes it: 0.3, "household", ["a", "b"], true
};

// The facts a condition may name, with their types. `standard_facts()` is the set every
// policy has: claimed_ha (the sum of the claimed hectares), quantity (the sum of all
// items' quantities), applicant_kind (household, cooperative, enterprise, farm),
// applicant_commune (the applicant's commune code), filed_year, items (how many items).
using FactTable = std::map<std::string, ValueType, std::less<>>;
const FactTable& standard_facts();

// Limits that keep a hostile or mistaken text from costing anything.
inline constexpr std::size_t kMaxConditionLength = 4000;  // characters of text
inline constexpr int kMaxConditionDepth = 32;             // nested parentheses and `not`s

struct Node;

// A parsed, type-checked condition. An empty text is the condition that always holds.
class Condition {
 public:
  // Refuses with invalid_input; the message and the one FieldError name the position
  // ("position 14: unknown fact 'claimed_area'"). `field` names the field in errors.
  static Result<Condition> parse(std::string_view text, const FactTable& facts = standard_facts(),
                                 std::string_view field = "conditions");

  const std::string& text() const { return text_; }
  bool always() const { return root_ == nullptr; }
  // The facts the condition reads, in order of first use.
  const std::vector<std::string>& facts_used() const { return facts_used_; }

  // One comparison as evaluated: its text, the two values and the answer.
  struct Step {
    std::string text;   // "claimed_ha >= 0.3"
    std::string left;   // "0.25"
    std::string op;     // ">="
    std::string right;  // "0.3"
    bool result = false;
  };
  struct Evaluation {
    bool holds = true;
    std::vector<Step> steps;  // every comparison, in the order of the text
  };
  // REQUIRES: every fact the condition uses is in `values`, with the type it was
  // checked against (a missing or mistyped fact is a programming error: an Error).
  Result<Evaluation> evaluate(const std::map<std::string, Value, std::less<>>& values) const;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;  // immutable once parsed, so copies share it
  std::vector<std::string> facts_used_;
};

}  // namespace nongsan::support
