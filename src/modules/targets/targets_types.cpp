#include "modules/targets/targets_types.hpp"

namespace nongsan::targets {

std::string_view to_string(Kind k) { return k == Kind::stock ? "stock" : "flow"; }
std::string_view to_string(Direction d) { return d == Direction::up ? "up" : "down"; }
std::string_view to_string(Source s) { return s == Source::reported ? "reported" : "computed"; }
std::string_view to_string(ObservationStatus s) {
  switch (s) {
    case ObservationStatus::draft: return "draft";
    case ObservationStatus::submitted: return "submitted";
    case ObservationStatus::approved: return "approved";
    case ObservationStatus::returned: return "returned";
  }
  return "draft";
}
std::optional<Kind> parse_kind(std::string_view t) {
  if (t == "stock") return Kind::stock;
  if (t == "flow") return Kind::flow;
  return std::nullopt;
}
std::optional<Direction> parse_direction(std::string_view t) {
  if (t == "up") return Direction::up;
  if (t == "down") return Direction::down;
  return std::nullopt;
}
std::optional<Source> parse_source(std::string_view t) {
  if (t == "reported") return Source::reported;
  if (t == "computed") return Source::computed;
  return std::nullopt;
}
std::optional<ObservationStatus> parse_status(std::string_view t) {
  for (auto s : {ObservationStatus::draft, ObservationStatus::submitted, ObservationStatus::approved,
                 ObservationStatus::returned})
    if (to_string(s) == t) return s;
  return std::nullopt;
}

}  // namespace nongsan::targets
