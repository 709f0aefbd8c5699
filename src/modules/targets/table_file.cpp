#include "modules/targets/table_file.hpp"

#include "geo/vector_io.hpp"

namespace nongsan::targets {

Result<Table> read_table_file(const std::string& path, const geo::ReadOptions& options) {
  auto fs = geo::read_features(path, {.layer = std::nullopt, .source_epsg = std::nullopt,
                                      .encoding = options.encoding, .limits = options.limits});
  if (!fs) return fs.error();
  Table t;
  t.headers = fs->field_names;
  for (auto& f : fs->features) {
    TableRow r;
    r.line = static_cast<int>(f.number) + 1;  // the header is line 1
    bool blank = true;
    for (const auto& [k, v] : f.attributes)
      if (!v.empty()) blank = false;
    // Moved, not copied: the rows keep sharing the one copy of the column names.
    r.cells = std::move(f.attributes);
    if (!blank) t.rows.push_back(std::move(r));
  }
  return t;
}

}  // namespace nongsan::targets
