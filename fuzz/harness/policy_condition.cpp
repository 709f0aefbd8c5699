// A support policy's conditions (support::Condition): the text an official writes is
// parsed and type-checked, and a condition that parses is evaluated on facts of every
// type. Invariants: a refusal is invalid_input with one field naming a position; an
// accepted condition evaluates without error on facts of the checked types, and every
// comparison it records has a text that is part of the condition.
#include <cstddef>
#include <cstdint>
#include <string>

#include "modules/support/condition.hpp"

using namespace nongsan;
using namespace nongsan::support;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = Condition::parse(text);
  if (!c) {
    if (c.error().code != ErrorCode::invalid_input || c.error().fields.size() != 1) __builtin_trap();
    return 0;
  }
  std::map<std::string, Value, std::less<>> facts = {{"claimed_ha", Value{0.3}},
                                                     {"quantity", Value{12.0}},
                                                     {"applicant_kind", Value{std::string("household")}},
                                                     {"applicant_commune", Value{std::string("03391")}},
                                                     {"filed_year", Value{2024.0}},
                                                     {"items", Value{2.0}}};
  auto e = c->evaluate(facts);
  if (!e) __builtin_trap();
  for (const auto& step : e->steps)
    if (text.find(step.text) == std::string_view::npos) __builtin_trap();
  return 0;
}
