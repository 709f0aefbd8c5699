// Money is whole đồng (VND has no minor unit in use), kept in 64-bit integers so
// that sums of a province's support (10^12 đồng and more) stay exact.
#pragma once

#include <cstdint>

namespace nongsan {

using Dong = std::int64_t;

}  // namespace nongsan
