// Groups polygons into contiguous blocks: two parcels belong to the same block
// when they touch or lie within `tolerance_m` of each other (digitised cadastres
// leave gaps of a metre or so between neighbours). Used for the land
// concentration measure of production zones: the largest contiguous block of a
// commodity. Distances are measured in `projected_srid` (VN-2000 / TM-3 103-00).
#pragma once

#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

struct Blocks {
  std::vector<int> block_of;         // block index of each input, in input order
  std::vector<double> block_area_m2;  // total area of each block
};

Result<Blocks> contiguous_blocks(const std::vector<storage::Geometry>& polygons, double tolerance_m = 2.0,
                                 int projected_srid = 9205);

}  // namespace nongsan::geo
