// Strong id types: a UnitId cannot be passed where a UserId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace nongsan {

template <typename Tag>
struct StrongId {
  std::int64_t value = 0;
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  auto operator<=>(const StrongId&) const = default;
};

using UnitId = StrongId<struct UnitTag>;
using UserId = StrongId<struct UserTag>;
using FigureId = StrongId<struct FigureTag>;
using AuditId = StrongId<struct AuditTag>;
using ProducerId = StrongId<struct ProducerTag>;

}  // namespace nongsan

template <typename Tag>
struct std::hash<nongsan::StrongId<Tag>> {
  std::size_t operator()(const nongsan::StrongId<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
