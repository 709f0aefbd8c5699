// Figures stored against administrative units: a value of a statistical series
// for a unit and a year (e.g. hectares of tea in Xã Bình Lư in 2023). The
// foundation's store for the roll-up rules of admin/rollup.hpp; the targets
// module keeps its own observations with the same rules.
#pragma once

#include <optional>
#include <string>

#include "core/strong_id.hpp"

namespace nongsan::figures {

struct Series {
  std::string code;
  std::string name_vi;
  std::string name_en;
  std::string measure_unit;  // ha, hộ, tấn, ...
  bool illustrative = false;  // demo values not taken from a source
  std::string source;
};

struct Figure {
  FigureId id;
  std::string series;
  UnitId unit;
  int year = 0;
  double value = 0;
  std::string note;
  std::string created_at, updated_at;
};

struct FigureInput {
  std::string series;
  UnitId unit;
  int year = 0;
  double value = 0;
  std::string note;
};

struct FigurePatch {
  std::optional<double> value;
  std::optional<std::string> note;
};

struct FigureFilter {
  std::string series;
  std::optional<UnitId> unit;
  std::optional<int> year;
  int page = 1, page_size = 50;
};

}  // namespace nongsan::figures
