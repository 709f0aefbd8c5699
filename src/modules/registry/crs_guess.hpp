// `--crs auto`: which coordinate reference system to read a registry file in —
// a pure decision on what the file says about itself (geo::inspect_layer_crs).
//
// Cadastral files in Vietnam are in VN-2000, projected with a provincial TM-3
// zone (Lai Châu: central meridian 103°00′, EPSG:9205). Their .prj files often
// name VN-2000 loosely ("VN2000 mui 3 KTT 103") without an EPSG code; GDAL then
// may not know the datum and would misplace every parcel by about 200 m. Such a
// CRS is mapped to the EPSG code for its central meridian, which carries the
// datum shift. Depends on nothing but the facts struct.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "geo/layer_crs.hpp"

namespace nongsan::registry {

struct CrsChoice {
  std::optional<int> epsg;  // for geo::ReadOptions::source_epsg; nullopt = the file's own CRS as it is
  std::string note;         // what was assumed and why ("" when the file names its EPSG code)
};

// The rules, in order:
//   1. the layer has no geometry, or its CRS carries an EPSG code: the file's own;
//   2. a CRS that names VN-2000 (VN-2000, VN_2000, VN2000, Vietnam 2000; not
//      Hanoi 1972) as a Transverse Mercator in metres without an EPSG code: the
//      EPSG code for its central meridian and scale (vn2000_epsg); an error when
//      no EPSG CRS has those parameters;
//   3. any other CRS without a code: the file's own;
//   4. no CRS (a Shapefile without .prj, DGN, CSV/XLSX): coordinates within
//      longitude/latitude range (or none at all) are taken as EPSG:4326 with a
//      note; larger ones (projected, in metres) are an error naming the file and
//      the --crs to pass.
Result<CrsChoice> guess_crs(const geo::LayerCrs& facts, const std::string& file_name);

// The EPSG code of VN-2000 / TM-3 (scale 0.9999) or VN-2000 / UTM (0.9996) with
// this central meridian in degrees, false easting 500,000 m, false northing 0.
// Source: the EPSG registry as shipped with PROJ (`projinfo --list-crs | grep VN-2000`).
std::optional<int> vn2000_epsg(double central_meridian, double scale_factor);

}  // namespace nongsan::registry
